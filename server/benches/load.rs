//! Memory under hostile load (security issue): the server runs as its own
//! process, and its resident memory (VmRSS, peak VmHWM from /proc) is read
//! before and after
//! - a burst of 100 parallel sign-ins with wrong passwords, each for its own
//!   account and from its own address (as a botnet would: behind a trusted
//!   proxy, so neither back-off applies and only the bounded hashing holds
//!   memory down), and
//! - four concurrent posts of 100 MiB of evidence each (5 × 20 MiB files).
//!
//! Run: `cargo bench -p server --bench load` (`./dev bench`). With
//! `REDLINE_BENCH_SMOKE=1` it runs a small version (10 sign-ins, 4 × 2 MiB),
//! which `./dev test` uses so the benchmark cannot rot; the smoke run checks
//! only that every request was answered.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Starts a new peak (VmHWM) measurement for the process (Linux ≥ 4.0).
fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn mib(k: u64) -> f64 {
    k as f64 / 1024.0
}

async fn start() -> Server {
    let dir = std::env::temp_dir().join(format!("redline-load-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    // Wrapped at once, so the process is killed and reaped on every path.
    let server = Server {
        child: Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("load.db").display()))
            .env("REDLINE_SEED", "1")
            .env("REDLINE_SWEEP_SECS", "0")
            .env("REDLINE_EVIDENCE_DIR", dir.join("vault"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "error")
            .env("REDLINE_FILING_LIMIT", "1000")
            .env("REDLINE_TRUST_PROXY", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts"),
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..600 {
        if reqwest::get(format!("{}/healthz", server.url)).await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer");
}

/// A browser-like client; it does not follow redirects, so a burst measures
/// the posts themselves (pages are fetched explicitly).
fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn csrf_of(body: &str) -> String {
    let i = body.find("name=\"csrf\" value=\"").expect("a form with a token") + 19;
    body[i..].split('"').next().unwrap().to_owned()
}

async fn token(c: &reqwest::Client, url: &str) -> String {
    csrf_of(&c.get(format!("{url}/login")).send().await.unwrap().text().await.unwrap())
}

/// `n` parallel wrong sign-ins, each from its own browser; (p50, max) latency.
async fn sign_in_burst(url: &str, n: usize) -> (Duration, Duration) {
    let mut ready = Vec::new();
    for i in 0..n {
        // The answer (a redirect back to the form) is not followed: the burst
        // measures sign-in, not page rendering.
        let c =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let t = token(&c, url).await;
        ready.push((c, t, format!("user{i}@example.com"), format!("192.0.2.{}, 198.51.100.{}", i % 250, i % 250)));
    }
    let tasks: Vec<_> = ready
        .into_iter()
        .map(|(c, t, email, forwarded)| {
            let url = url.to_owned();
            tokio::spawn(async move {
                let start = Instant::now();
                let r = c
                    .post(format!("{url}/do/login"))
                    .header("x-forwarded-for", forwarded)
                    .form(&[("csrf", t.as_str()), ("email", &email), ("password", "wrong-password")])
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_redirection(), "answered: {}", r.status());
                start.elapsed()
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.push(t.await.unwrap());
    }
    times.sort();
    (times[times.len() / 2], *times.last().unwrap())
}

async fn signed_in(url: &str) -> (reqwest::Client, String) {
    let c = client();
    let t = token(&c, url).await;
    c.post(format!("{url}/do/login"))
        .form(&[("csrf", t.as_str()), ("email", "consumer@demo.redline"), ("password", "redline-demo")])
        .send()
        .await
        .unwrap();
    let t = token(&c, url).await;
    (c, t)
}

async fn new_case(c: &reqwest::Client, url: &str, t: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .text("csrf", t.to_owned())
        .text("platform", "1")
        .text("room", "XH-8801")
        .text("moment_kind", "offset")
        .text("offset", "00:42:10")
        // The seed's demo session of XH-8801: a time from the start needs its session.
        .text("session", "1")
        .text("product", "胶原蛋白饮品 30瓶装")
        .text("order_no", "XH20261120001")
        .text("amount", "299.00")
        .text("categories", "FALSE_ADVERTISING")
        .text("demands", "REFUND")
        .text("narrative", "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。")
        .text("harm_known_on", "2026-11-20");
    let r = c.post(format!("{url}/do/complaints")).multipart(form).send().await.unwrap();
    let to = r.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/cases/LC-"), "filed: {to}");
    to.trim_start_matches("/cases/").to_owned()
}

/// A signed-in consumer with four cases to attach evidence to.
async fn four_cases(url: &str) -> (reqwest::Client, String, Vec<String>) {
    let (c, t) = signed_in(url).await;
    let mut cases = Vec::new();
    for _ in 0..4 {
        cases.push(new_case(&c, url, &t).await);
    }
    (c, t, cases)
}

/// Whether a case's page lists a file.
async fn case_lists(c: &reqwest::Client, url: &str, case_no: &str, name: &str) -> bool {
    c.get(format!("{url}/cases/{case_no}")).send().await.unwrap().text().await.unwrap().contains(name)
}

/// Four concurrent posts of `files` × `size` bytes of PDF evidence each.
async fn upload_burst(
    url: &str,
    (c, t, cases): &(reqwest::Client, String, Vec<String>),
    files: usize,
    size: usize,
) -> Duration {
    let start = Instant::now();
    let tasks: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(k, case_no)| {
            let (c, t, url, case_no) = (c.clone(), t.clone(), url.to_owned(), case_no.clone());
            tokio::spawn(async move {
                let mut form = reqwest::multipart::Form::new().text("csrf", t).text("role", "consumer");
                for i in 0..files {
                    let mut pdf = b"%PDF-1.7\n".to_vec();
                    pdf.extend((0..size - 9).map(|j| (j as u8).wrapping_mul(31).wrapping_add((k * 8 + i) as u8)));
                    form = form.part("files", reqwest::multipart::Part::bytes(pdf).file_name(format!("r{i}.pdf")));
                }
                let r = c.post(format!("{url}/do/cases/{case_no}/evidence")).multipart(form).send().await.unwrap();
                // The redirect back to the case is not followed: the burst
                // measures uploading, not page rendering.
                assert!(r.status().is_redirection(), "answered: {}", r.status());
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let smoke = std::env::var("REDLINE_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let (logins, files, size) = if smoke { (10, 1, 2 << 20) } else { (100, 5, 20 << 20) };
    // Each measurement on its own server process, so neither hides the other.
    let server = start().await;
    let pid = server.child.id();
    let idle = kib(pid, "VmRSS");
    let (p50, max) = sign_in_burst(&server.url, logins).await;
    let after_logins = kib(pid, "VmHWM");
    drop(server);
    let server = start().await;
    let pid = server.child.id();
    println!(
        "sign-in burst: {logins} parallel wrong passwords: p50 {:.0} ms, max {:.0} ms; RSS idle {:.1} MiB, peak {:.1} MiB",
        p50.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3,
        mib(idle),
        mib(after_logins)
    );
    let prepared = four_cases(&server.url).await;
    let before = kib(pid, "VmRSS");
    reset_peak(pid);
    let took = upload_burst(&server.url, &prepared, files, size).await;
    let peak = kib(pid, "VmHWM");
    let after = kib(pid, "VmRSS");
    let (c, _, cases) = &prepared;
    for case_no in cases {
        assert!(case_lists(c, &server.url, case_no, "r0.pdf").await, "every upload was kept");
    }
    println!(
        "uploads: 4 concurrent posts of {} MiB ({files} files each) in {:.1} s; RSS before {:.1} MiB, after {:.1} MiB, peak {:.1} MiB",
        (files * size) >> 20,
        took.as_secs_f64(),
        mib(before),
        mib(after),
        mib(peak)
    );
    assert!(peak >= after, "VmHWM is the peak");
}
