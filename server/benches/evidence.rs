//! Evidence benchmarks (issue 3), reported as ratios to a baseline measured in
//! the same run on the same machine:
//! - upload of a 10 MiB file through the app (multipart → sniff → SHA-256 →
//!   vault → index row + chained event) vs. hashing and writing the same bytes
//!   to disk directly;
//! - verifying a case history of 1,000 chained events vs. only loading them.
//!
//! Run: `cargo bench -p server --bench evidence` (PostgreSQL is included when
//! reachable at REDLINE_TEST_PG_URL or 127.0.0.1:5432).
#[path = "../tests/api/helpers.rs"]
mod helpers;
#[path = "../tests/api/smtp_sink.rs"]
mod smtp_sink;

use helpers::{file_case, Backend, TestApp};
use redline_store::chain::{self, NewEvent, NO_TRANSITION};
use redline_store::entity::{case_event, complaint};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn upload_bench(app: &TestApp) -> (Duration, Duration) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let dir = std::env::temp_dir().join(format!("redline-bench-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let (mut app_t, mut base_t) = (Vec::new(), Vec::new());
    for i in 0..5u8 {
        // Distinct content each time, so every upload really writes a new blob.
        let mut file = b"%PDF-1.7\n".to_vec();
        file.extend((0..10 * MIB - 9).map(|j| (j as u8).wrapping_mul(31).wrapping_add(i)));
        let t = Instant::now();
        let p = c
            .post_multipart(
                &format!("/do/cases/{case_no}/evidence"),
                &[("role", "consumer")],
                &[("files", "r.pdf", file.clone())],
            )
            .await;
        app_t.push(t.elapsed());
        assert!(p.body.contains("r.pdf"), "upload accepted");
        let t = Instant::now();
        let sha = hex::encode(Sha256::digest(&file));
        let path = dir.join(sha);
        std::fs::write(&path, &file).unwrap();
        std::fs::File::open(&path).unwrap().sync_all().unwrap();
        base_t.push(t.elapsed());
    }
    // Five 10 MiB files stay under the default 100 MiB per case.
    (median(app_t), median(base_t))
}

async fn chain_bench(app: &TestApp) -> (Duration, Duration, Duration) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let store = app.store();
    let case =
        complaint::Entity::find().filter(complaint::Column::CaseNo.eq(&case_no)).one(&store.db).await.unwrap().unwrap();
    let txn = store.db.begin().await.unwrap();
    let have = case_event::Entity::find().filter(case_event::Column::CaseId.eq(case.id)).all(&txn).await.unwrap().len();
    for i in have..1000 {
        chain::append(
            &txn,
            NewEvent {
                case_id: case.id,
                at: store.now(),
                actor_user_id: Some(1),
                actor_role: "CONSUMER",
                event_type: "EVIDENCE_ADDED",
                transition_id: NO_TRANSITION,
                from_state: &case.state,
                to_state: &case.state,
                payload_json: format!("{{\"n\":{i},\"sha256\":\"{}\"}}", "ab".repeat(32)),
            },
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let (mut verify, mut load, mut http) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..11 {
        let t = Instant::now();
        let r = chain::verify_case(&store.db, case.id).await.unwrap();
        verify.push(t.elapsed());
        assert!(r.intact() && r.events == 1000, "{r:?}");
        let t = Instant::now();
        let rows = case_event::Entity::find()
            .filter(case_event::Column::CaseId.eq(case.id))
            .order_by_asc(case_event::Column::Seq)
            .all(&store.db)
            .await
            .unwrap();
        load.push(t.elapsed());
        assert_eq!(rows.len(), 1000);
        let t = Instant::now();
        let (status, j) = c.json(&format!("/api/v1/cases/{case_no}/chain")).await;
        http.push(t.elapsed());
        assert_eq!((status, j["events"].as_u64()), (200, Some(1000)));
    }
    (median(verify), median(load), median(http))
}

async fn run(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (up, base) = upload_bench(&app).await;
    let mibs = 10.0 / up.as_secs_f64();
    println!(
        "{backend:?}: 10 MiB upload {:.1} ms ({mibs:.0} MiB/s); direct hash+write {:.1} ms; ratio {:.2}",
        ms(up),
        ms(base),
        up.as_secs_f64() / base.as_secs_f64()
    );
    let (verify, load, http) = chain_bench(&app).await;
    println!(
        "{backend:?}: 1,000-event chain: load+verify {:.2} ms, load only {:.2} ms (ratio {:.2}), over HTTP {:.2} ms",
        ms(verify),
        ms(load),
        verify.as_secs_f64() / load.as_secs_f64(),
        ms(http)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    run(Backend::Sqlite).await;
    let pg = helpers::pg_base();
    if sea_orm::Database::connect(pg.as_str()).await.is_ok() {
        run(Backend::Postgres).await;
    } else {
        println!("PostgreSQL not reachable at {pg}: skipped");
    }
}
