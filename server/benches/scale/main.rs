//! Redline at scale, on SQLite and on PostgreSQL, in one run:
//! - intake over HTTP (the multipart complaint form with its one-time token,
//!   as the demo consumer's browser posts it) at 16 and 64 connections, at
//!   10,000 and at 1,000,000 cases; on PostgreSQL by two server processes
//!   sharing the database;
//! - the bare insert loop (one row per transaction, same durability) as the
//!   physical reference;
//! - each role's queue, the case page and the room page, alone and while
//!   intake runs;
//! - the overdue sweep with 10,000 overdue clocks among 100,000 and among
//!   1,000,000 cases;
//! - the server's resident memory throughout;
//! - a platform's nightly sync: 10,000 rooms reported in one call (parsed as
//!   the API parses them, written by `parties::report`), then sent again.
//!
//! Data is made by `data` (templates filed through the store, then copied in
//! the database), load by `oha` (pages) and `wrk` (the form). It prints one table and writes it as JSON to
//! `target/bench/scale.json`. Run: `./dev bench` (or `cargo bench -p server
//! --bench scale`; `REDLINE_BENCH_ONLY=sqlite|postgres` for one backend,
//! `REDLINE_BENCH_SWEEP_ONLY=1` to grow the data and sweep without serving).
//! `REDLINE_BENCH_UPTO=10000` stops at that many cases (a quick look at the
//! smaller size). `REDLINE_BENCH_SMOKE=1` runs it small (hundreds of cases, one-second
//! loads) and fails on any wrong answer: `./dev test` does, so it cannot rot.
mod data;
mod measure;

use measure::{oha, sign_in, wrk, Browser, Load, Server, Shot};
use redline_store::{ShiftableTime, Store};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

struct Plan {
    smoke: bool,
    /// Sizes at which the server is measured.
    serve_at: [i64; 2],
    /// Sizes at which the sweep is measured.
    sweep_at: [i64; 2],
    overdue: i64,
    secs: f64,
    conns: [u32; 2],
}

#[derive(Serialize)]
struct Row {
    backend: &'static str,
    cases: i64,
    what: String,
    conns: u32,
    #[serde(flatten)]
    load: Load,
    rss_mib: f64,
    /// The servers' context switches per answered request (not for a page
    /// measured while intake runs, whose switches are mostly intake's).
    switches_per_request: Option<f64>,
}

#[derive(Serialize, Default)]
struct Report {
    machine: String,
    rows: Vec<Row>,
    bare_inserts_per_sec: Vec<(String, f64)>,
    /// (backend, open cases, running clocks, overdue, seconds)
    sweeps: Vec<(String, i64, i64, i64, f64)>,
    generated: Vec<(String, i64, f64)>,
    /// (backend, rooms, seconds for the first report, seconds for the same again)
    party_syncs: Vec<(String, usize, f64, f64)>,
    /// (backend, cases, weekly rows written, seconds): the desk job's rebuild.
    desk_rebuilds: Vec<(String, i64, u64, f64)>,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(": ").nth(1)).unwrap_or("?");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kib: u64 =
        mem.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0);
    format!("{cores} × {model}, {} GiB", kib >> 20)
}

/// A new, empty database of the backend: its URL.
async fn fresh(backend: &str, dir: &Path) -> String {
    if backend == "sqlite" {
        for ext in ["", "-wal", "-shm", ".bare"] {
            let _ = std::fs::remove_file(dir.join(format!("scale.db{ext}")));
        }
        return format!("sqlite://{}?mode=rwc", dir.join("scale.db").display());
    }
    let base =
        std::env::var("REDLINE_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = sea_orm::Database::connect(&base).await.unwrap();
    data::exec(&admin, "DROP SCHEMA IF EXISTS bench_scale CASCADE; CREATE SCHEMA bench_scale").await;
    format!("{base}?options=-c%20search_path%3Dbench_scale")
}

struct Pages {
    /// (label, url, browser)
    list: Vec<(&'static str, String, usize)>,
    browsers: Vec<Browser>,
}

async fn pages(url: &str, store: &Store) -> Pages {
    let who = ["consumer@demo.redline", "operator@demo.redline", "platform@demo.redline", "regulator@demo.redline"];
    let mut browsers = Vec::new();
    for email in who {
        browsers.push(sign_in(url, email).await);
    }
    // A copied case of platform 1, far from the first rows; its room.
    let (case_no, room) = {
        let db = &store.read;
        let id =
            data::scalar(db, "SELECT max(id) FROM complaints WHERE platform_id = 1 AND case_no LIKE 'LC-B%'").await;
        let room = data::scalar(db, &format!("SELECT live_room_id FROM complaints WHERE id = {id}")).await;
        (format!("LC-B{id}"), room)
    };
    let list = vec![
        ("queue: consumer", format!("{url}/me/cases"), 0),
        ("queue: operator", format!("{url}/operator"), 1),
        ("queue: platform", format!("{url}/platform"), 2),
        ("queue: regulator", format!("{url}/regulator"), 3),
        ("case page", format!("{url}/cases/{case_no}"), 2),
        ("room page", format!("{url}/rooms/{room}"), 0),
        // Two characters every copy holds, and a phrase (the newest 200 ranked).
        ("search 美白: platform", format!("{url}/search?q=%E7%BE%8E%E7%99%BD"), 2),
        ("search 三天美白: regulator", format!("{url}/search?q=%E4%B8%89%E5%A4%A9%E7%BE%8E%E7%99%BD"), 3),
        // The monitoring desk: a quarter by platform, a year by room (the most rows).
        ("desk 13 weeks: platform", format!("{url}/desk"), 2),
        ("desk 52 weeks by room: platform", format!("{url}/desk?period=52w&by=room"), 2),
        ("desk 52 weeks by room: regulator", format!("{url}/desk?period=52w&by=room"), 3),
    ];
    Pages { list, browsers }
}

async fn shoot(shot: Shot<'static>) -> Load {
    tokio::task::spawn_blocking(move || if shot.post.is_some() { wrk(&shot) } else { oha(&shot) }).await.unwrap()
}

/// Intake on every server at once, connections split between them.
async fn intake(servers: &[Server], consumer: &[(Browser, PathBuf, String)], conns: u32, secs: f64) -> Load {
    let shots: Vec<_> = servers
        .iter()
        .zip(consumer)
        .map(|(s, (b, body, ct))| {
            let shot = Shot {
                url: format!("{}/do/complaints", s.url),
                secs,
                conns: conns / servers.len() as u32,
                cookie: Box::leak(b.cookie.clone().into_boxed_str()),
                post: Some((Box::leak(body.clone().into_boxed_path()), Box::leak(ct.clone().into_boxed_str()))),
                expect: 303,
            };
            tokio::spawn(shoot(shot))
        })
        .collect();
    let mut all = Vec::new();
    for s in shots {
        all.push(s.await.unwrap());
    }
    Load {
        requests: all.iter().map(|l| l.requests).sum(),
        per_sec: all.iter().map(|l| l.per_sec).sum(),
        p50_ms: all.iter().map(|l| l.p50_ms).fold(0.0, f64::max),
        p99_ms: all.iter().map(|l| l.p99_ms).fold(0.0, f64::max),
        wrong: all.iter().map(|l| l.wrong).sum(),
    }
}

async fn page(p: &Pages, i: usize, secs: f64, conns: u32) -> Load {
    let (_, url, b) = &p.list[i];
    let cookie: &'static str = Box::leak(p.browsers[*b].cookie.clone().into_boxed_str());
    shoot(Shot { url: url.clone(), secs, conns, cookie, post: None, expect: 200 }).await
}

/// Everything measured against running servers at one size.
async fn serve(
    backend: &'static str,
    url: &str,
    dir: &Path,
    plan: &Plan,
    store: &Store,
    rows: &mut Vec<Row>,
    desk: &mut Vec<(String, i64, u64, f64)>,
) {
    let n = if backend == "postgres" { 2 } else { 1 };
    let mut servers = Vec::new();
    for _ in 0..n {
        servers.push(Server::start(url, dir).await);
    }
    let cases = data::scalar(&store.read, "SELECT count(*) FROM complaints").await;
    let mut consumer = Vec::new();
    for (i, s) in servers.iter().enumerate() {
        let b = sign_in(&s.url, "consumer@demo.redline").await;
        let sub = dir.join(format!("body{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        let (body, ct) = measure::complaint_body(&sub, &b.csrf);
        consumer.push((b, body, ct));
    }
    // The desk's rows, as its job writes them, before the desk is read.
    let start = Instant::now();
    let written = redline_store::desk::rebuild(store, chrono::Duration::zero()).await.unwrap().unwrap_or(0);
    let secs = start.elapsed().as_secs_f64();
    println!("  {backend:<8} {cases:>9} desk rebuild: {written} weekly rows in {secs:.2} s");
    desk.push((backend.to_owned(), cases, written, secs));
    let p = pages(&servers[0].url, store).await;
    let rss = |servers: &[Server]| servers.iter().map(Server::take_peak_mib).fold(0.0, f64::max);
    let switches = |servers: &[Server]| servers.iter().map(Server::switches).sum::<u64>();
    let per_request =
        |from: u64, load: &Load| (load.requests > 0).then(|| (switches(&servers) - from) as f64 / load.requests as f64);
    let mut push = |what: String, conns: u32, load: Load, rss_mib: f64, switches_per_request: Option<f64>| {
        println!(
            "  {backend:<8} {cases:>9} {what:<34} c={conns:<3} {:>8.0}/s p50 {:>7.1} ms p99 {:>7.1} ms wrong {:<4} RSS {rss_mib:.0} MiB{}",
            load.per_sec, load.p50_ms, load.p99_ms, load.wrong,
            switches_per_request.map(|s| format!(" switches/req {s:.0}")).unwrap_or_default()
        );
        rows.push(Row { backend, cases, what, conns, load, rss_mib, switches_per_request });
    };
    let page_conns = 8;
    rss(&servers);
    for i in 0..p.list.len() {
        let from = switches(&servers);
        let load = page(&p, i, plan.secs / 2.0, page_conns).await;
        let per = per_request(from, &load);
        push(p.list[i].0.to_string(), page_conns, load, rss(&servers), per);
    }
    // Search and the desk one request at a time: the server's own time, no queueing.
    for i in 0..p.list.len() {
        if p.list[i].0.starts_with("search") || p.list[i].0.starts_with("desk") {
            let from = switches(&servers);
            let load = page(&p, i, plan.secs / 4.0, 1).await;
            let per = per_request(from, &load);
            push(p.list[i].0.to_string(), 1, load, rss(&servers), per);
        }
    }
    for conns in plan.conns {
        let label = if n > 1 { format!("intake ({n} processes)") } else { "intake".to_string() };
        let from = switches(&servers);
        let before = data::scalar(&store.read, "SELECT count(*) FROM complaints").await;
        let load = intake(&servers, &consumer, conns, plan.secs).await;
        let filed = data::scalar(&store.read, "SELECT count(*) FROM complaints").await - before;
        // Every answered post filed a case of its own (none replayed by a
        // reused token, none refused); posts cut off at the deadline may add a few.
        let answered = (load.requests - load.wrong) as i64;
        assert!((answered..=answered + conns as i64).contains(&filed), "{filed} filed, {answered} answered");
        let per = per_request(from, &load);
        push(label, conns, load, rss(&servers), per);
    }
    // Pages again, each while intake runs at the first connection count.
    for i in 0..p.list.len() {
        let background = intake(&servers, &consumer, plan.conns[0], plan.secs / 2.0 + 0.5);
        let measured = async {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            page(&p, i, plan.secs / 2.0, page_conns).await
        };
        let (bg, load) = tokio::join!(background, measured);
        assert!(bg.requests > 0, "intake ran alongside");
        push(format!("{} + intake", p.list[i].0), page_conns, load, rss(&servers), None);
    }
}

/// A platform reports `n` rooms of one operator in one call, then the same
/// call again (nothing changes, nothing is written): the seconds of each.
async fn party_sync(store: &Store, n: usize) -> (f64, f64) {
    use redline_rules::parties::{self, PartyFields};
    use redline_store::parties::report::{report, Batch};
    let now = store.now();
    let parse = || {
        let op = PartyFields {
            id: "op-bench".into(),
            kind: "LEGAL_PERSON".into(),
            name: "基准测试运营者有限公司".into(),
            credit_code: "91440300708461136T".into(),
            ..Default::default()
        };
        let rooms = (0..n).map(|i| PartyFields {
            id: format!("BENCH-{i:06}"),
            name: format!("基准直播间{i}"),
            url: format!("https://live.bench.example/room/{i}"),
            operator: "op-bench".into(),
            ..Default::default()
        });
        Batch {
            operators: vec![parties::operator(&op, "operators[0]", now).unwrap()],
            rooms: rooms.enumerate().map(|(i, r)| parties::room(&r, &format!("rooms[{i}]"), now).unwrap()).collect(),
            ..Default::default()
        }
    };
    let start = Instant::now();
    let out = report(store, 1, &parse(), "api").await.unwrap();
    let first = start.elapsed().as_secs_f64();
    assert_eq!(out.rooms.created, n, "every room created");
    let start = Instant::now();
    let out = report(store, 1, &parse(), "api").await.unwrap();
    let again = start.elapsed().as_secs_f64();
    assert_eq!(out.rooms.unchanged, n, "a resend changes nothing");
    (first, again)
}

async fn sweep(store: &Store, backend: &str, plan: &Plan, report: &mut Report) {
    data::overdue(&store.db, plan.overdue).await;
    let (open, running) = data::open_counts(&store.read).await;
    let start = Instant::now();
    let mut expired = 0;
    loop {
        let r = redline_store::case::sweep::sweep(store, 500).await.unwrap();
        if r.expired == 0 {
            break;
        }
        expired += r.expired as i64;
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(expired, plan.overdue, "every overdue clock was swept once");
    println!("  {backend:<8} sweep: {expired} overdue among {open} open cases ({running} running clocks): {secs:.2} s");
    report.sweeps.push((backend.into(), open, running, expired, secs));
}

async fn run_backend(backend: &'static str, plan: &Plan, dir: &Path, report: &mut Report) {
    let url = fresh(backend, dir).await;
    let time = Arc::new(ShiftableTime::default());
    let store = Store::new(redline_store::db::connect(&url).await.unwrap(), time.clone());
    let t = data::templates(&store, &time).await;
    data::places(&store.db, &t).await;
    let rooms = if plan.smoke { 200 } else { 10_000 };
    let (first, again) = party_sync(&store, rooms).await;
    println!("  {backend:<8} party sync: {rooms} rooms in one report {first:.2} s, the same again {again:.2} s");
    report.party_syncs.push((backend.into(), rooms, first, again));
    let rate = measure::bare_inserts(&url, plan.secs.max(1.0)).await;
    println!("  {backend:<8} bare insert loop: {rate:.0} transactions/s");
    report.bare_inserts_per_sec.push((backend.into(), rate));
    let mut sizes: Vec<(i64, bool)> = plan.serve_at.iter().map(|&n| (n, true)).collect();
    sizes.extend(plan.sweep_at.iter().map(|&n| (n, false)));
    sizes.sort();
    if let Ok(upto) = std::env::var("REDLINE_BENCH_UPTO") {
        let upto: i64 = upto.parse().expect("REDLINE_BENCH_UPTO: a number of cases, e.g. 10000");
        sizes.retain(|&(n, _)| n <= upto);
    }
    // Only the data and the sweeps: a quick look at the sweep alone.
    let sweep_only = std::env::var("REDLINE_BENCH_SWEEP_ONLY").is_ok_and(|v| v == "1");
    for (size, serving) in sizes {
        let start = Instant::now();
        data::grow(&store.db, &t, size).await;
        let secs = start.elapsed().as_secs_f64();
        println!("  {backend:<8} data set at {size} cases ({secs:.0} s to grow)");
        report.generated.push((backend.into(), size, secs));
        if !serving {
            sweep(&store, backend, plan, report).await;
        } else if !sweep_only {
            serve(backend, &url, dir, plan, &store, &mut report.rows, &mut report.desk_rebuilds).await;
        }
    }
}

#[tokio::main]
async fn main() {
    let smoke = std::env::var("REDLINE_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let plan = if smoke {
        Plan { smoke, serve_at: [300, 900], sweep_at: [600, 1_200], overdue: 40, secs: 1.0, conns: [4, 8] }
    } else {
        Plan {
            smoke,
            serve_at: [10_000, 1_000_000],
            sweep_at: [100_000, 1_000_000],
            overdue: 10_000,
            secs: 8.0,
            conns: [16, 64],
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    let dir = root.join(if smoke { "smoke" } else { "scale" });
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = Report { machine: machine(), ..Default::default() };
    println!("Redline at scale — {}", report.machine);
    let only = std::env::var("REDLINE_BENCH_ONLY").ok();
    for backend in ["sqlite", "postgres"] {
        if only.as_deref().is_some_and(|o| o != backend) {
            continue;
        }
        run_backend(backend, &plan, &dir, &mut report).await;
    }
    let out = root.join(if plan.smoke { "scale-smoke.json" } else { "scale.json" });
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    println!("written: {}", out.display());
    let wrong: u64 = report.rows.iter().map(|r| r.load.wrong).sum();
    assert_eq!(wrong, 0, "every request got its expected answer");
}
