//! An acknowledged complaint survives a crash of the server process: filings
//! run on several connections, the process is killed (SIGKILL) in the middle,
//! and every case whose filing was answered is in the database afterwards.
//! SQLite runs with `synchronous=FULL` in WAL mode (see `redline_store::db`).
use crate::helpers::{complaint_form, fresh_database, Backend, Client};
use redline_store::entity::complaint;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Files the standard complaint until the server stops answering; returns
/// the case numbers of the filings that were acknowledged (303 to the case).
pub(crate) async fn file_until_gone(c: Arc<Client>, acked: Arc<Mutex<Vec<String>>>) {
    let token = c.csrf().await;
    loop {
        let mut form = reqwest::multipart::Form::new().text("csrf", token.clone());
        for (k, v) in complaint_form("1") {
            form = form.text(k, v);
        }
        let Ok(r) = c.http.post(format!("{}/do/complaints", c.base)).multipart(form).send().await else { return };
        let Some(to) = r.headers().get("location").and_then(|l| l.to_str().ok()) else { return };
        assert!(to.starts_with("/cases/LC-"), "filed: {to}");
        acked.lock().unwrap().push(to.trim_start_matches("/cases/").to_owned());
    }
}

/// The server binary on `url`, seeded, free to file as fast as it is asked,
/// with jobs every `sweep_secs` (0: none) and its log to `stderr`.
pub(crate) fn filing_server(
    url: &str,
    port: u16,
    vault: &std::path::Path,
    sweep_secs: &str,
    rust_log: &str,
    stderr: Stdio,
) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("REDLINE_CONFIG", crate::helpers::empty_config())
        .env("DATABASE_URL", url)
        .env("REDLINE_SEED", "1")
        .env("REDLINE_SWEEP_SECS", sweep_secs)
        .env("REDLINE_FILING_LIMIT", "100000")
        .env("REDLINE_EVIDENCE_DIR", vault)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", rust_log)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the server binary starts")
}

async fn an_acknowledged_complaint_survives_kill_9(backend: Backend) {
    let url = fresh_database(backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let vault = std::env::temp_dir().join("redline-tests").join(format!("vault-kill-{port}"));
    let mut server = filing_server(&url, port, &vault, "0", "error", Stdio::null());
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..600 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status().is_success()) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server answered");
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build();
    let c = Arc::new(Client::new(&base, http.unwrap()));
    let r = c.post_form("/do/login", &[("email", "consumer@demo.redline"), ("password", "redline-demo")]).await;
    assert_eq!(r.status, 303, "signed in");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let filers: Vec<_> = (0..8).map(|_| tokio::spawn(file_until_gone(c.clone(), acked.clone()))).collect();
    // Killed mid-stream, once enough filings were answered to make the check mean something.
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    for f in filers {
        f.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let db = redline_store::db::connect(&url).await.unwrap().read;
    let mut kept = 0;
    for case_no in &acked {
        kept += complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).count(&db).await.unwrap();
    }
    assert_eq!(kept, acked.len() as u64, "every acknowledged complaint is in the database");
    let _ = std::fs::remove_dir_all(vault);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_an_acknowledged_complaint_survives_kill_9() {
    an_acknowledged_complaint_survives_kill_9(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_an_acknowledged_complaint_survives_kill_9() {
    an_acknowledged_complaint_survives_kill_9(Backend::Postgres).await
}
