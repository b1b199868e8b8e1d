//! The export streams (issue 12): 200,000 cases leave a separately running
//! server (the real binary) a page at a time, and its resident memory stays
//! flat while they go out. Measured by the process's own RSS in /proc.
use crate::helpers::{fresh_database, Backend};
use redline_store::entity::complaint;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::process::{Child, Command, Stdio};

for_each_backend!(the_export_of_200000_cases_streams_in_flat_memory);

/// Four times the 50,000: the file (about 32 MiB) then dwarfs the
/// constant part of the growth, SQLite's page caches (up to 2 MiB a connection).
const CASES: u64 = 200_000;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Copies the one filed case `n` times, in one statement, as the benchmark's
/// generator would (the bulk path, not HTTP).
async fn multiply(db: &sea_orm::DatabaseConnection, n: u64) {
    let cols = "consumer_id, platform_id, live_room_id, stream_session_id, stream_offset_s, stream_clock_at, \
                product_name, order_no, amount_fen, categories_json, demands_json, narrative, harm_known_on, state, \
                platform_decided, last_offer, operator_untimely, platform_untimely, agency_id, jurisdiction_json, \
                next_due_on, version, created_at, updated_at, product_id, preservation_overdue, chain_seq, chain_head, \
                operator_id, respondent_kind, marketer_id, marketer_name, seller_name, mcn_id";
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n}) \
             INSERT INTO complaints (case_no, {cols}) SELECT 'LC-BULK-' || n, {cols} FROM complaints, seq WHERE complaints.id = 1"
        ),
        _ => format!(
            "INSERT INTO complaints (case_no, {cols}) SELECT 'LC-BULK-' || n, {cols} \
             FROM complaints, generate_series(1, {n}) AS n WHERE complaints.id = 1"
        ),
    };
    db.execute_unprepared(&sql).await.unwrap();
}

async fn the_export_of_200000_cases_streams_in_flat_memory(backend: Backend) {
    let url = fresh_database(backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let vault = std::env::temp_dir().join("redline-tests").join(format!("export-vault-{port}"));
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", &url)
            .env("REDLINE_SEED", "1")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("REDLINE_EVIDENCE_DIR", vault.display().to_string())
            .env("REDLINE_SWEEP_SECS", "0")
            .env("REDLINE_WEBHOOK_SECS", "0")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // One case filed through the store, then multiplied.
    let store = redline_store::Store::new(
        redline_store::db::connect(&url).await.unwrap(),
        std::sync::Arc::new(redline_store::time::ShiftableTime::default()),
    );
    let me = crate::platform_api::actor_of(&store, "consumer@demo.redline").await;
    // A clock time a day ago, confirmed: the demo session is not the point here.
    let when = redline_store::time::china_time(store.now() - chrono::Duration::days(1));
    let form = redline_rules::intake::ComplaintForm {
        platform: "1",
        room: "XH-8801",
        moment_kind: "clock",
        clock: &when,
        moment_confirmed: &when,
        product: "胶原蛋白饮品 30瓶装",
        amount: "299.00",
        categories: vec!["FALSE_ADVERTISING"],
        demands: vec!["REFUND"],
        narrative: "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。",
        harm_known_on: &store.today().to_string(),
        now: store.now(),
        ..Default::default()
    };
    let input = redline_rules::intake::NewComplaint::try_from(form).unwrap();
    let limits = redline_store::vault::intake::Limits { max_file: 1 << 20, max_case: 1 << 20 };
    redline_store::case::filing::file_complaint(&store, &me, input, &[], limits, None, None).await.unwrap();
    multiply(&store.db, CASES).await;
    assert_eq!(complaint::Entity::find().count(&store.db).await.unwrap(), CASES + 1);

    let pid = server.0.id();
    let before = rss_kib(pid);
    let mut r = http
        .get(format!("{base}/api/v1/cases/export.csv"))
        .bearer_auth(redline_store::seed::DEMO_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (mut lines, mut bytes, mut peak, mut chunks) = (0u64, 0u64, before, 0u64);
    while let Some(chunk) = r.chunk().await.unwrap() {
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        bytes += chunk.len() as u64;
        chunks += 1;
        peak = peak.max(rss_kib(pid));
    }
    assert_eq!(lines, CASES + 2, "the header and every case");
    let grew = peak.saturating_sub(before);
    println!(
        "export {backend:?}: {CASES} cases, {} MiB in {chunks} chunks; server RSS {} MiB before, {} MiB peak (+{} KiB)",
        bytes >> 20,
        before >> 10,
        peak >> 10,
        grew
    );
    // The CSV alone is about 32 MiB; held whole it would be at least that.
    assert!(bytes > 30 << 20);
    assert!(grew < 20 << 10, "the server grew {grew} KiB while exporting: not streamed");
}
