//! A database created before the hash chain (only m001) gets its case events
//! chained by migration m002, once; on SQLite and PostgreSQL.
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

const ROWS: &str = "
INSERT INTO platforms (id, code, name, name_en, uscc, domicile_address, domicile_region, policy_json, created_at)
  VALUES (1, 'p', '平台', 'P', 'U', '地址', '330106', '{}', '2026-11-20 12:00:00+00:00');
INSERT INTO operators (id, name, kind, reachable, created_at) VALUES (1, '运营者', 'LEGAL_PERSON', true, '2026-11-20 12:00:00+00:00');
INSERT INTO live_rooms (id, platform_id, operator_id, platform_room_id, display_name, url, disclosed_json, disclosed_at)
  VALUES (1, 1, 1, 'R-1', '直播间', 'https://x/R-1', '{}', '2026-11-20 12:00:00+00:00');
INSERT INTO users (id, email, display_name, password_hash, locale, is_admin, created_at)
  VALUES (1, 'c@example.com', '消费者', 'x', 'zh', false, '2026-11-20 12:00:00+00:00');
INSERT INTO complaints (id, case_no, consumer_id, platform_id, live_room_id, product_name, amount_fen, categories_json,
  demands_json, narrative, harm_known_on, state, platform_decided, operator_untimely, platform_untimely, jurisdiction_json,
  next_due_on, version, created_at, updated_at)
  VALUES (1, 'LC-2026-000001', 1, 1, 1, '商品', 100, '[]', '[]', '事实经过', '2026-11-20', 'ROUTED_TO_OPERATOR',
  false, false, false, '[]', '2026-11-27', 3, '2026-11-20 12:00:00+00:00', '2026-11-20 12:00:00+00:00');
INSERT INTO case_events (case_id, seq, at, actor_user_id, actor_role, event_type, transition_id, from_state, to_state, payload_json)
  VALUES (1, 1, '2026-11-20 12:00:00.123456+00:00', 1, 'CONSUMER', 'SUBMIT', 'T1', 'DRAFT', 'SUBMITTED', '{}'),
         (1, 2, '2026-11-20 12:00:00.123456+00:00', NULL, 'SYSTEM', 'TRIAGE', 'T2', 'SUBMITTED', 'TRIAGED', '{}'),
         (1, 3, '2026-11-20 12:00:01+00:00', NULL, 'SYSTEM', 'ROUTE_TO_OPERATOR', 'T3', 'TRIAGED', 'ROUTED_TO_OPERATOR', '{}');
";

async fn run(db: DatabaseConnection) {
    Migrator::up(&db, Some(1)).await.unwrap();
    for stmt in ROWS.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        db.execute_unprepared(stmt).await.unwrap();
    }
    Migrator::up(&db, None).await.unwrap();
    let r = redline_store::chain::verify_case(&db, 1).await.unwrap();
    assert!(r.intact() && r.events == 3, "{r:?}");
    // Once chained, an edit shows.
    db.execute_unprepared("UPDATE case_events SET payload_json = '{\"x\":1}' WHERE seq = 2").await.unwrap();
    let r = redline_store::chain::verify_case(&db, 1).await.unwrap();
    assert_eq!(r.broken_at.map(|b| b.0), Some(2));
}

#[tokio::test]
async fn sqlite_m002_chains_events_recorded_before_the_chain() {
    let dir = std::env::temp_dir().join("redline-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("legacy{:012x}.db", rand::random::<u64>() & 0xffff_ffff_ffff));
    run(Database::connect(format!("sqlite://{}?mode=rwc", path.display())).await.unwrap()).await
}

#[tokio::test]
async fn postgres_m002_chains_events_recorded_before_the_chain() {
    let schema = format!("t_{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff);
    let admin = Database::connect(crate::helpers::pg_base()).await.unwrap();
    admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.unwrap();
    let url = format!("{}?options=-c%20search_path%3D{schema}", crate::helpers::pg_base());
    run(Database::connect(url).await.unwrap()).await
}

/// Several processes starting together on one empty PostgreSQL: one migrates
/// and seeds, the others wait and find it done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_processes_starting_together_migrate_and_seed_once() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let schema = format!("t_{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff);
    let admin = Database::connect(crate::helpers::pg_base()).await.unwrap();
    admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.unwrap();
    let url = format!("{}?options=-c%20search_path%3D{schema}", crate::helpers::pg_base());
    let config = |url: &str| server::config::Config { test_hooks: false, ..crate::helpers::test_config(url) };
    let (a, b, c) = tokio::join!(server::start(config(&url)), server::start(config(&url)), server::start(config(&url)));
    let (a, _b, _c) = (a.unwrap(), b.unwrap(), c.unwrap());
    let platforms = redline_store::entity::platform::Entity::find().count(&a.store.db).await.unwrap();
    assert_eq!(platforms, 2);
}
