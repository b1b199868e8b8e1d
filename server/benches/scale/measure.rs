//! The instruments: the server as its own process, its resident memory
//! sampled throughout, signed-in browsers whose cookies a load generator can
//! carry, `oha` (crates.io) for the pages' load and Debian's `wrk` for the
//! forms' (each post with a one-time token of its own), and the bare insert loop.
use reqwest::cookie::{CookieStore, Jar};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub url: String,
    peak_kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Context switches of every thread of a process so far, voluntary or not.
fn switches_of(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    let count = |status: String| -> u64 {
        status
            .lines()
            .filter(|l| l.starts_with("voluntary_ctxt_switches") || l.starts_with("nonvoluntary_ctxt_switches"))
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum()
    };
    tasks.flatten().map(|t| count(std::fs::read_to_string(t.path().join("status")).unwrap_or_default())).sum()
}

impl Server {
    /// The server's context switches so far. Each statement is a hand-off to
    /// the database's connection thread and back, so switches per request
    /// count a request's round trips; unlike its rate, steady on a machine
    /// shared with others.
    pub fn switches(&self) -> u64 {
        switches_of(self.child.id())
    }

    /// Starts the release server on an existing database, without jobs.
    pub async fn start(database_url: &str, dir: &std::path::Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("REDLINE_SWEEP_SECS", "0")
            .env("REDLINE_MAIL_SECS", "0")
            .env("REDLINE_EVIDENCE_DIR", dir.join("vault"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "error")
            // One benchmark consumer files thousands an hour.
            .env("REDLINE_FILING_LIMIT", "1000000000")
            .env("REDLINE_CONNS_PER_ADDRESS", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let pid = child.id();
        let peak_kib = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (peak, halt) = (peak_kib.clone(), stop.clone());
        std::thread::spawn(move || {
            while !halt.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let server = Server { child, url: format!("http://127.0.0.1:{port}"), peak_kib, stop };
        for _ in 0..1200 {
            if reqwest::get(format!("{}/healthz", server.url)).await.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer");
    }

    /// The highest resident set seen since the last call, in MiB.
    pub fn take_peak_mib(&self) -> f64 {
        self.peak_kib.swap(0, Ordering::Relaxed) as f64 / 1024.0
    }
}

/// A signed-in browser: its cookies as one header, and a CSRF token bound to them.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

fn csrf_of(body: &str) -> String {
    let i = body.find("name=\"csrf\" value=\"").expect("a form with a token") + 19;
    body[i..].split('"').next().unwrap().to_owned()
}

pub async fn sign_in(url: &str, email: &str) -> Browser {
    let jar = Arc::new(Jar::default());
    let c = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = |c: reqwest::Client| async move {
        csrf_of(&c.get(format!("{url}/login")).send().await.unwrap().text().await.unwrap())
    };
    let t = token(c.clone()).await;
    let r = c
        .post(format!("{url}/do/login"))
        .form(&[("csrf", t.as_str()), ("email", email), ("password", redline_store::seed::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "signed in as {email}");
    let csrf = token(c.clone()).await;
    let cookie = jar.cookies(&url.parse().unwrap()).expect("cookies").to_str().unwrap().to_owned();
    Browser { cookie, csrf }
}

/// Where a form's one-time token goes in a body file; [`wrk`] puts a fresh one
/// in each post, as every form a browser is given carries its own.
const ONCE: &str = "@ONCE@";

/// The standard complaint form as a browser sends it (multipart), written to a file.
pub fn complaint_body(dir: &std::path::Path, csrf: &str) -> (std::path::PathBuf, String) {
    let boundary = "----redline-bench-7d1f0c";
    let fields = [
        ("csrf", csrf),
        ("platform", "1"),
        ("room", "XH-8801"),
        ("moment_kind", "offset"),
        ("offset", "00:42:10"),
        // The seed's demo session of XH-8801: a time from the start needs its session.
        ("session", "1"),
        ("product", "胶原蛋白饮品 30瓶装"),
        ("order_no", "XH20261120001"),
        ("amount", "299.00"),
        ("categories", "FALSE_ADVERTISING"),
        ("demands", "REFUND"),
        ("narrative", "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。"),
        ("harm_known_on", "2026-11-20"),
        ("once", ONCE),
    ];
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let path = dir.join("complaint.multipart");
    std::fs::write(&path, body).unwrap();
    (path, format!("multipart/form-data; boundary={boundary}"))
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Load {
    pub requests: u64,
    pub per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers other than the expected status (and connection errors).
    pub wrong: u64,
}

/// What one `oha` run is asked to do.
pub struct Shot<'a> {
    pub url: String,
    pub secs: f64,
    pub conns: u32,
    pub cookie: &'a str,
    /// Method, body file and content type for a post.
    pub post: Option<(&'a std::path::Path, &'a str)>,
    pub expect: u16,
}

/// Runs `oha` for a fixed time; blocking, so run it on a blocking thread.
pub fn oha(shot: &Shot) -> Load {
    let origin = shot.url.split('/').take(3).collect::<Vec<_>>().join("/");
    let mut cmd = Command::new("oha");
    cmd.args([
        "--no-tui",
        "--output-format",
        "json",
        "--redirect",
        "0",
        "--wait-ongoing-requests-after-deadline",
        "-z",
    ])
    .arg(format!("{}ms", (shot.secs * 1000.0) as u64))
    .args(["-c", &shot.conns.to_string(), "-H"])
    .arg(format!("Cookie: {}", shot.cookie))
    .args(["-H", &format!("Origin: {origin}")])
    // As a browser asks: the server's compression is part of a page's cost.
    .args(["-H", "Accept-Encoding: gzip, deflate, br, zstd"]);
    if let Some((body, content_type)) = shot.post {
        cmd.args(["-m", "POST", "-T", content_type, "-D"]).arg(body);
    }
    let out = cmd.arg(&shot.url).stderr(Stdio::inherit()).output().expect("oha runs (cargo install oha)");
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("oha's JSON: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    let codes = v["statusCodeDistribution"].as_object().cloned().unwrap_or_default();
    let count = |m: &serde_json::Map<String, Value>| m.values().filter_map(Value::as_u64).sum::<u64>();
    let right = codes.get(&shot.expect.to_string()).and_then(Value::as_u64).unwrap_or(0);
    let errors = v["errorDistribution"].as_object().map(count).unwrap_or(0);
    let ms = |p: &str| v["latencyPercentiles"][p].as_f64().unwrap_or(f64::NAN) * 1e3;
    Load {
        requests: count(&codes),
        per_sec: right as f64 / shot.secs,
        p50_ms: ms("p50"),
        p99_ms: ms("p99"),
        wrong: count(&codes) - right + errors,
    }
}

/// Runs `wrk` for a fixed time, posting `shot.post`'s body with a fresh
/// one-time token in each (oha sends one body, which a form would file once
/// and then replay). Blocking, so run it on a blocking thread.
pub fn wrk(shot: &Shot) -> Load {
    let (body, content_type) = shot.post.expect("a form to post");
    let origin = shot.url.split('/').take(3).collect::<Vec<_>>().join("/");
    // Tokens unique across runs against one database: the run's start, the
    // thread, the post's number.
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let script = body.with_extension("lua");
    std::fs::write(
        &script,
        format!(
            r#"local f = assert(io.open("{body}", "rb")); local body = f:read("*a"); f:close()
local i, j = body:find("{ONCE}", 1, true)
local head, tail = body:sub(1, i - 1), body:sub(j + 1)
local threads, n = 0, 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function request()
  n = n + 1
  return wrk.format("POST", nil, nil, head .. string.format("{run}-%d-%d", id, n) .. tail)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{{"requests":%d,"us":%d,"wrong":%d,"p50":%d,"p99":%d}}\n', summary.requests,
    summary.duration, e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(99)))
end
"#,
            body = body.display()
        ),
    )
    .unwrap();
    let out = Command::new("wrk")
        .args(["-t", &shot.conns.clamp(1, 2).to_string(), "-c", &shot.conns.to_string()])
        // Whole seconds: wrk drops a fraction.
        .args(["-d", &format!("{}s", shot.secs.ceil().max(1.0))])
        .args(["-H", &format!("Cookie: {}", shot.cookie), "-H", &format!("Origin: {origin}")])
        .args(["-H", &format!("Content-Type: {content_type}"), "-s"])
        .arg(&script)
        .arg(&shot.url)
        .stderr(Stdio::inherit())
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("wrk's summary: {text}"));
    let v: Value = serde_json::from_str(line).unwrap();
    let n = |k: &str| v[k].as_u64().unwrap_or(0);
    let wrong = n("wrong");
    Load {
        requests: n("requests"),
        per_sec: (n("requests").saturating_sub(wrong)) as f64 / (n("us") as f64 / 1e6),
        p50_ms: n("p50") as f64 / 1e3,
        p99_ms: n("p99") as f64 / 1e3,
        wrong,
    }
}

/// The physical reference: single-row transactions, one after another, on
/// the same kind of database with the same durability, for `secs`.
pub async fn bare_inserts(database_url: &str, secs: f64) -> f64 {
    let db = if database_url.starts_with("sqlite:") {
        let path = database_url.trim_start_matches("sqlite://").split('?').next().unwrap().to_owned() + ".bare";
        let _ = std::fs::remove_file(&path);
        let db = Database::connect(format!("sqlite://{path}?mode=rwc")).await.unwrap();
        db.execute_unprepared("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL").await.unwrap();
        db
    } else {
        Database::connect(database_url).await.unwrap()
    };
    db.execute_unprepared("CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT PRIMARY KEY, note TEXT NOT NULL)")
        .await
        .unwrap();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        let sql = format!("INSERT INTO bench_bare (id, note) VALUES ({n}, 'a complaint-sized row')");
        // Outside an explicit transaction each statement commits on its own.
        db.execute_unprepared(&sql).await.unwrap();
        n += 1;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_bare").await.unwrap();
    rate
}
