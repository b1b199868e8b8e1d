//! Hot queries are planned by an index on both backends, checked on the plan
//! itself rather than by timing. First of them: a case's nearest running
//! clock, looked up on every filing and every transition.
use crate::helpers::{file_case, TestApp};
use sea_orm::{ConnectionTrait, DbBackend, QuerySelect, QueryTrait, Statement, TransactionTrait};

on_both_backends!(a_cases_nearest_running_clock_is_one_index_seek);

/// The plan of `sql` as text: SQLite's `EXPLAIN QUERY PLAN`, or PostgreSQL's
/// `EXPLAIN` with sequential scans priced out (tables in a test are tiny, and
/// the question is whether an index can serve the query at all).
async fn plan(app: &TestApp, sql: &str) -> String {
    let db = &app.store().db;
    let backend = db.get_database_backend();
    let txn = db.begin().await.unwrap();
    let (explain, column) = match backend {
        DbBackend::Sqlite => (format!("EXPLAIN QUERY PLAN {sql}"), "detail"),
        _ => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            (format!("EXPLAIN {sql}"), "QUERY PLAN")
        }
    };
    let rows = txn.query_all_raw(Statement::from_string(backend, explain)).await.unwrap();
    txn.rollback().await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", column).unwrap()).collect::<Vec<_>>().join("\n")
}

async fn a_cases_nearest_running_clock_is_one_index_seek(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    file_case(&consumer).await;
    let backend = app.store().db.get_database_backend();
    let sql = redline_store::case::clocks::running_clocks_of(2).limit(1).build(backend).to_string();
    let p = plan(&app, &sql).await;
    assert!(p.contains("ix_clocks_case_status_due"), "not planned on the case's clock index:\n{p}");
    // The index gives the due order: no sort of the rows found.
    assert!(!p.contains("TEMP B-TREE") && !p.contains("Sort"), "sorted after the seek:\n{p}");
    assert!(!p.contains("SCAN clocks") && !p.contains("Seq Scan"), "a full scan:\n{p}");
}
