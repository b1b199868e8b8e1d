//! Black-box harness: each test spawns Redline on a random port against a fresh
//! database — a new SQLite file, or a new PostgreSQL schema — so tests never
//! see each other's rows.
#![allow(dead_code)]
use redline_store::entity::{clock, complaint, preservation_request};
use redline_store::Store;
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use server::{config::Config, start_with_time, Running};

/// Where every test app's "now" starts, unless a test names another moment:
/// Monday 2026-11-23, 10:00 in Beijing. Expected dates in tests are literals
/// counted from here, so the suite gives the same answer on any day it runs.
pub const START: &str = "2026-11-23 10:00";

/// `YYYY-MM-DD HH:MM` in Beijing as an instant.
pub fn beijing(at: &str) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").expect("YYYY-MM-DD HH:MM");
    chrono_tz::Asia::Shanghai.from_local_datetime(&local).unwrap().with_timezone(&chrono::Utc)
}

/// A date literal.
pub fn date(d: &str) -> chrono::NaiveDate {
    d.parse().expect("YYYY-MM-DD")
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_base() -> String {
    std::env::var("REDLINE_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub fn unique() -> String {
    use rand::Rng;
    format!("{:012x}", rand::thread_rng().gen::<u64>() & 0xffff_ffff_ffff)
}

/// A server configuration for tests: random port, demo data, its own vault.
pub fn test_config(database_url: &str) -> Config {
    Config {
        database_url: database_url.to_owned(),
        addr: "127.0.0.1:0".parse().unwrap(),
        seed_demo: true,
        sweep_secs: 0,
        job_secs: Default::default(),
        test_hooks: true,
        site_root: "target/site".into(),
        evidence_dir: std::env::temp_dir()
            .join("redline-tests")
            .join(format!("vault-{}", unique()))
            .display()
            .to_string(),
        log_key_file: std::env::temp_dir()
            .join("redline-tests")
            .join(format!("log-{}.key", unique()))
            .display()
            .to_string(),
        tsa_url: None,
        evidence_s3_bucket: None,
        evidence_max_file: 20 << 20,
        evidence_max_case: 100 << 20,
        smtp_url: None,
        smtp_ca_file: None,
        mail_from: "Redline <noreply@redline.invalid>".into(),
        public_url: None,
        mail_secs: 0,
        tip_limit: 5,
        cluster_count: 5,
        cluster_product_count: 3,
        cluster_hours: 24,
        lookup_limit: 20,
        // Tests file many cases as one consumer; the limit has its own test.
        filing_limit: 1000,
        trust_proxy: false,
        secure_cookies: false,
        header_timeout: std::time::Duration::from_secs(10),
        body_idle: std::time::Duration::from_secs(30),
        conns_per_address: 64,
        metrics_token: Some("metrics-test-token".into()),
        // The tests' receivers listen on loopback.
        webhook_allow_local: true,
        api_rate: 1200,
        // Tests send webhooks themselves (`webhook::Sender::run_once`).
        webhook_secs: 0,
        shutdown_grace: std::time::Duration::from_secs(5),
        log_json: false,
    }
}

/// A new, empty database: an SQLite file, or a PostgreSQL schema.
pub async fn fresh_database(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("redline-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}?mode=rwc", dir.join(format!("t{}.db", unique())).display())
        }
        Backend::Postgres => {
            let schema = format!("t_{}", unique());
            let admin = Database::connect(pg_base()).await.expect("PostgreSQL reachable for tests");
            admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.unwrap();
            admin.close().await.ok();
            let sep = if pg_base().contains('?') { '&' } else { '?' };
            format!("{}{sep}options=-c%20search_path%3D{schema}", pg_base())
        }
    }
}

pub struct TestApp {
    pub config: Config,
    pub running: Running,
    pub url: String,
    pub database_url: String,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// As [`TestApp::spawn`], with the configuration adjusted first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_at_with(backend, START, adjust).await
    }

    /// An app whose "now" starts at `start` Beijing time (`YYYY-MM-DD HH:MM`).
    pub async fn spawn_at(backend: Backend, start: &str) -> TestApp {
        Self::spawn_at_with(backend, start, |_| {}).await
    }

    pub async fn spawn_at_with(backend: Backend, start: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
            .with_writer(std::io::stderr)
            .try_init();
        let database_url = fresh_database(backend).await;
        Self::spawn_on(&database_url, start, adjust).await
    }

    /// An app on a database that exists already (made by the command line, say).
    pub async fn spawn_on(database_url: &str, start: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let database_url = database_url.to_owned();
        let mut config = test_config(&database_url);
        adjust(&mut config);
        let time = std::sync::Arc::new(redline_store::ShiftableTime::starting_at(beijing(start)));
        let running = start_with_time(config.clone(), time).await.expect("server starts");
        let url = running.url();
        TestApp { config, running, url, database_url }
    }

    /// A second, independent connection pool to the same database, as another
    /// server process would have, with the same notion of "now".
    pub async fn second_process(&self) -> Store {
        let pools = redline_store::db::connect(&self.database_url).await.unwrap();
        let time = std::sync::Arc::new(redline_store::ShiftableTime::default());
        time.advance(self.running.time.offset_secs());
        Store::new(pools, time)
    }

    pub fn running_config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.running.store
    }

    /// Moves "now" to one second past the next full hour, so a test that fills
    /// a fixed hourly rate-limit window does not straddle two windows.
    pub fn at_start_of_an_hour(&self) {
        let now = self.store().now().timestamp();
        self.running.time.advance(3600 - now.rem_euclid(3600) + 1);
    }

    /// Moves "now" forward to `at` (`YYYY-MM-DD HH:MM` Beijing time).
    pub fn move_to(&self, at: &str) {
        // Whole seconds, rounded up: never a moment before the target.
        let delta = (beijing(at) - self.store().now()).num_milliseconds();
        assert!(delta >= 0, "time only moves forward");
        self.running.time.advance((delta + 999) / 1000);
    }

    pub fn advance_days(&self, days: i64) {
        self.running.time.advance(days * 86_400);
    }

    /// A browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::new(&self.url, reqwest::Client::builder().cookie_store(true).build().unwrap())
    }

    pub async fn signed_in(&self, email: &str) -> Client {
        let c = self.client();
        let r = c.post_form("/do/login", &[("email", email), ("password", redline_store::seed::DEMO_PASSWORD)]).await;
        assert!(!r.url.ends_with("/login"), "login failed for {email}");
        c
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    /// The CSRF token of this client's current session, read from a form as a
    /// browser would; forgotten when the session changes.
    csrf: std::sync::Mutex<Option<String>>,
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf_of(body: &str) -> Option<String> {
    hidden_of(body, "csrf")
}

/// The value of the first field `name` of a page (`value` right after the name).
pub fn hidden_of(body: &str, name: &str) -> Option<String> {
    let field = format!("name=\"{name}\" value=\"");
    let i = body.find(&field)? + field.len();
    Some(body[i..].split('"').next()?.to_owned())
}

pub struct Page {
    pub status: u16,
    pub url: String,
    pub body: String,
}

impl Client {
    pub fn new(base: &str, http: reqwest::Client) -> Client {
        Client { http, base: base.to_owned(), csrf: Default::default() }
    }
    pub async fn get(&self, path: &str) -> Page {
        let r = self.http.get(format!("{}{}", self.base, path)).send().await.unwrap();
        Page { status: r.status().as_u16(), url: r.url().path().to_owned(), body: r.text().await.unwrap() }
    }
    /// This session's CSRF token, from the sign-in page's form.
    pub async fn csrf(&self) -> String {
        if let Some(t) = self.csrf.lock().unwrap().clone() {
            return t;
        }
        let page = self.get("/login").await;
        let t = csrf_of(&page.body).expect("the sign-in form carries a CSRF token");
        *self.csrf.lock().unwrap() = Some(t.clone());
        t
    }

    /// Posts that change the session change its token.
    fn after_post(&self, path: &str) {
        if path == "/do/login" || path == "/do/logout" || path.starts_with("/do/welcome") {
            *self.csrf.lock().unwrap() = None;
        }
    }

    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut pairs = pairs.to_vec();
        pairs.insert(0, ("csrf", &token));
        let page = self.post_form_raw(path, &pairs).await;
        self.after_post(path);
        page
    }

    /// A url-encoded post exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, pairs: &[(&str, &str)]) -> Page {
        let body =
            pairs.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let r = self
            .http
            .post(format!("{}{}", self.base, path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("referer", format!("{}{}", self.base, path))
            .body(body)
            .send()
            .await
            .unwrap();
        Page { status: r.status().as_u16(), url: r.url().path().to_owned(), body: r.text().await.unwrap() }
    }
    /// A `multipart/form-data` post, as a browser sends a form with file inputs:
    /// `files` are (field, file name, bytes).
    pub async fn post_multipart(&self, path: &str, pairs: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> Page {
        let token = self.csrf().await;
        let mut pairs = pairs.to_vec();
        pairs.insert(0, ("csrf", &token));
        self.post_multipart_raw(path, &pairs, files).await
    }

    /// A multipart post exactly as given (no CSRF token added).
    pub async fn post_multipart_raw(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Page {
        let boundary = format!("----redline{:016x}", rand::random::<u64>());
        let mut body = Vec::new();
        for (k, v) in pairs {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        for (k, name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let r = self
            .http
            .post(format!("{}{}", self.base, path))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("referer", format!("{}{}", self.base, path))
            .body(body)
            .send()
            .await
            .unwrap();
        Page { status: r.status().as_u16(), url: r.url().path().to_owned(), body: r.text().await.unwrap() }
    }
    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.http.get(format!("{}{}", self.base, path)).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }
    /// A case step as its form sends it, the confirmation of an irreversible
    /// one ticked (`cases::choices` tests leaving it unticked).
    pub async fn act(&self, case_no: &str, role: &str, event: &str, extra: &[(&str, &str)]) -> Page {
        let mut pairs = vec![("event", event), ("role", role), ("confirm", "1")];
        pairs.extend_from_slice(extra);
        self.post_form(&format!("/do/cases/{case_no}/act"), &pairs).await
    }
}

/// The key `/org/integrations` shows once after issuing or rotating it.
pub fn new_key_on(body: &str) -> String {
    let shown = body.split("id=\"new-key\"").nth(1).expect("a new key shown");
    shown
        .split("<code data-latin=\"\">")
        .nth(1)
        .and_then(|k| k.split("</code>").next())
        .expect("the key in <code>")
        .to_owned()
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The newest link mailed to an address (read from the outbox, as the mail
/// sender would send it).
pub async fn mailed_link(app: &TestApp, email: &str) -> Option<String> {
    use redline_store::entity::notification as n;
    use sea_orm::QueryOrder;
    n::Entity::find()
        .filter(n::Column::Email.eq(email.to_lowercase()))
        .order_by_desc(n::Column::Id)
        .one(&app.store().db)
        .await
        .unwrap()
        .map(|r| r.link)
}

/// Registers a consumer as a person would: the form, then the mailed link.
pub async fn register(app: &TestApp, c: &Client, name: &str, email: &str) {
    let p = c.post_form("/do/register", &[("name", name), ("email", email), ("password", "a-long-password")]).await;
    assert_eq!(p.url, "/login", "registration answers on the sign-in page");
    let link = mailed_link(app, email).await.expect("a link was mailed");
    assert!(link.starts_with("/welcome/"), "{link}");
    let p = c.post_form(&format!("/do{link}"), &[]).await;
    assert_eq!(p.url, "/me/cases", "the link signs the new consumer in");
}

/// Consent and the complainant's Order 121 Art. 10 details, as escalation asks.
pub const ESCALATION: [(&str, &str); 4] = [
    ("consent", "1"),
    ("complainant_name", "李消费"),
    ("complainant_phone", "13800138000"),
    ("complainant_address", "浙江省杭州市西湖区文三路100号"),
];

/// The demo session the seed reports for XH-8801 (the first session row of a
/// fresh database): the standard complaint is pinned to it.
pub const DEMO_SESSION: &str = "1";

/// A valid complaint form for the seeded room XH-8801, 42 minutes into its
/// demo session.
pub fn complaint_form(platform_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("platform", platform_id.to_owned()),
        ("room", "XH-8801".into()),
        ("moment_kind", "offset".into()),
        ("offset", "00:42:10".into()),
        ("session", DEMO_SESSION.into()),
        ("product", "胶原蛋白饮品 30瓶装".into()),
        ("order_no", "XH20261120001".into()),
        ("amount", "299.00".into()),
        ("categories", "FALSE_ADVERTISING".into()),
        ("categories", "PRICE_MARKING".into()),
        ("demands", "REFUND".into()),
        ("demands", "COMPENSATION".into()),
        ("narrative", "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。".into()),
        ("harm_known_on", "2026-11-20".into()),
    ]
}

/// Files the standard complaint as `c` and returns the case number.
pub async fn file_case(c: &Client) -> String {
    let form = complaint_form("1");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(
        p.url.starts_with("/cases/LC-"),
        "filing did not reach a case page: {} {}",
        p.url,
        &p.body[..p.body.len().min(500)]
    );
    p.url.trim_start_matches("/cases/").to_owned()
}

/// The moment a listed check starts at: its own (`name @ "2026-09-29 10:00"`)
/// or [`START`].
#[macro_export]
macro_rules! start_of {
    () => {
        $crate::helpers::START
    };
    ($s:literal) => {
        $s
    };
}

/// Runs each listed check against SQLite and PostgreSQL, each on a fresh app
/// whose "now" starts at [`START`] or at the moment given after `@`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident $(@ $start:literal)?),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   let app = $crate::helpers::TestApp::spawn_at($crate::helpers::Backend::Sqlite, $crate::start_of!($($start)?)).await;
                   super::$name(app).await
               } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   let app = $crate::helpers::TestApp::spawn_at($crate::helpers::Backend::Postgres, $crate::start_of!($($start)?)).await;
                   super::$name(app).await
               } )*
        }
    };
}

/// Runs each listed check, `async fn name(backend: Backend)`, once per backend:
/// for checks that start their own apps (their own configuration, several apps).
#[macro_export]
macro_rules! for_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Postgres).await } )* }
    };
}

/// As [`on_both_backends`], with a loopback SMTP server the app sends its mail to.
#[macro_export]
macro_rules! on_both_backends_with_mail {
    ($($name:ident $(@ $start:literal)?),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (a, s) = $crate::helpers::with_sink($crate::helpers::Backend::Sqlite, $crate::start_of!($($start)?)).await;
                super::$name(a, s).await
            } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (a, s) = $crate::helpers::with_sink($crate::helpers::Backend::Postgres, $crate::start_of!($($start)?)).await;
                super::$name(a, s).await
            } )* }
    };
}

/// The fields an `/api/v1` error names (`{"error": {"fields": {…}}}`), sorted.
pub fn error_fields(j: &serde_json::Value) -> Vec<String> {
    let mut f: Vec<String> = j["error"]["fields"].as_object().expect("an API error").keys().cloned().collect();
    f.sort();
    f
}

/// A fresh app whose mail goes to its own loopback SMTP sink.
pub async fn with_sink(backend: Backend, start: &str) -> (TestApp, std::sync::Arc<crate::smtp_sink::Sink>) {
    let sink = crate::smtp_sink::Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_at_with(backend, start, move |c| c.smtp_url = Some(url)).await;
    (app, sink)
}

pub async fn case_row(app: &TestApp, case_no: &str) -> complaint::Model {
    complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).one(&app.store().db).await.unwrap().unwrap()
}

/// The case's clock of `kind` (`"D1"`…).
pub async fn clock_of(app: &TestApp, case_no: &str, kind: &str) -> clock::Model {
    let m = case_row(app, case_no).await;
    clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq(kind))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{case_no} has a {kind} clock"))
}

pub async fn state_of(app: &TestApp, case_no: &str) -> String {
    case_row(app, case_no).await.state
}

/// Takes `case_no` to ESCALATION_READY: the platform steps in and refuses, the consumer rejects.
pub async fn ready_to_escalate(app: &TestApp, consumer: &Client, case_no: &str) {
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    plat.act(case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "不支持")]).await;
    consumer.act(case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    assert_eq!(state_of(app, case_no).await, "ESCALATION_READY");
}

pub async fn escalated_case(app: &TestApp, consumer: &Client) -> String {
    let case_no = file_case(consumer).await;
    ready_to_escalate(app, consumer, &case_no).await;
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;
    assert_eq!(state_of(app, &case_no).await, "ESCALATED_TO_REGULATOR");
    case_no
}

pub async fn post_complaint(
    c: &Client,
    form: &[(&'static str, String)],
    files: &[(&str, &str, Vec<u8>)],
) -> crate::helpers::Page {
    let p: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_multipart("/do/complaints", &p, files).await
}

pub async fn preservation_of(app: &TestApp, case_no: &str) -> preservation_request::Model {
    let m = case_row(app, case_no).await;
    preservation_request::Entity::find()
        .filter(preservation_request::Column::CaseId.eq(m.id))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("a preservation request")
}

/// An empty configuration file: binaries started by tests read only the
/// variables they are given, never an installed `/etc/redline/redline.toml`.
pub fn empty_config() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("redline-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("empty-redline.toml");
    if !path.is_file() {
        std::fs::write(&path, "").unwrap();
    }
    path
}

/// `redline ARGS` (the server binary) with only these variables.
pub fn redline(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    c.args(args).env_clear().env("RUST_LOG", "warn").env("REDLINE_CONFIG", empty_config());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the server binary runs")
}

/// How many events of this type a case's chain holds.
pub async fn case_events(app: &TestApp, case_no: &str, kind: &str) -> u64 {
    use redline_store::entity::case_event;
    use sea_orm::PaginatorTrait;
    let c = case_row(app, case_no).await;
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::EventType.eq(kind))
        .count(&app.store().db)
        .await
        .unwrap()
}
