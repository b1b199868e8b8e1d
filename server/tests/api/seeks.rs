//! A few hot queries by the index that must serve them, on both backends: a
//! case's nearest running clock, the consumer's tab counts and the overdue
//! sweep's batches (also under PostgreSQL's generic plan of the prepared
//! statement, which is what a server reusing its statements runs); and a
//! case's audiences, read in one statement per write.
use crate::helpers::{file_case, TestApp};
use crate::plans::{actor, observed, plan};
use redline_store::case::queries::Queue;
use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};
use sea_orm::{ConnectionTrait, DbBackend, QuerySelect, QueryTrait, Statement, TransactionTrait};

on_both_backends!(
    a_cases_nearest_running_clock_is_one_index_seek,
    a_consumers_tab_counts_seek_the_states_they_show,
    an_operators_tab_counts_seek_the_states_they_show,
    order117_art20_the_sweep_reads_only_what_is_due_in_index_order,
    a_case_write_reads_its_audiences_in_one_statement_and_again_for_a_new_agency
);

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

/// The consumer's 待处理, 即将到期 and 已逾期 counts name the states awaiting
/// the consumer: they seek those states, not every case the consumer filed
/// (a complainant with thousands of cases waiting on others paid for all).
/// The four tabs' counts are one statement (a bounded count each, joined by
/// `UNION ALL`), so each arm of its plan must seek.
async fn a_consumers_tab_counts_seek_the_states_they_show(app: TestApp) {
    let (sql, p) = tab_counts_plan(&app, "consumer@demo.redline", Queue::Mine).await;
    // 待处理, 即将到期, 已逾期 and 已结束, each an arm of the union.
    assert_eq!(sql.matches("\"state\" IN").count(), 4, "{sql}");
    // Each arm seeks the consumer's cases on the index that holds their
    // states: SQLite by the consumer and the state (已结束 also by its one due
    // date). PostgreSQL, planning a table of a few rows, seeks by the consumer
    // and filters the states on the index's entries (an index-only scan): this
    // holds it to that index only, not to a seek by state; its cost at a
    // million cases is the scale benchmark's consumer queue.
    let (arms, by_state) = match app.store().db.get_database_backend() {
        DbBackend::Sqlite => {
            let arms =
                p.matches("USING COVERING INDEX ix_complaints_consumer_state_due (consumer_id=? AND state=?").count();
            (arms, arms)
        }
        _ => (
            p.matches("Index Only Scan using ix_complaints_consumer_state_due").count(),
            p.lines().filter(|l| l.contains("state = ANY")).count(),
        ),
    };
    assert_eq!((arms, by_state), (4, 4), "each arm a seek by the consumer and the state:\n{p}\n    in: {sql}");
    assert!(!p.contains("SCAN complaints") && !p.contains("Seq Scan"), "a full scan:\n{p}");
}

/// The operator's 待处理, 即将到期 and 已逾期 counts seek the states awaiting
/// the operator on `ix_complaints_operator_state_due` (they walked the
/// operator's cases by due date, reading each one's state from its row).
async fn an_operators_tab_counts_seek_the_states_they_show(app: TestApp) {
    let (_, p) = tab_counts_plan(&app, "operator@demo.redline", Queue::Operator).await;
    let arms = match app.store().db.get_database_backend() {
        DbBackend::Sqlite => p.matches("INDEX ix_complaints_operator_state_due (operator_id=? AND state=?").count(),
        _ => p.matches("using ix_complaints_operator_state_due").count(),
    };
    assert_eq!(arms, 4, "each arm a seek by the operator and the state:\n{p}");
    assert!(!p.contains("SCAN complaints") && !p.contains("Seq Scan"), "a full scan:\n{p}");
}

/// With one case filed, `email`'s tab counts on `queue`: the one statement
/// they are (four bounded counts joined by `UNION ALL`) and its plan.
async fn tab_counts_plan(app: &TestApp, email: &str, queue: Queue) -> (String, String) {
    use redline_store::case::queries;
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    let (store, seen) = observed(app).await;
    let who = actor(&store, email).await;
    queries::tab_counts(&store, &who, queue, &queries::Filter::default()).await.unwrap();
    let counts: Vec<String> = seen.lock().unwrap().iter().filter(|s| s.contains("UNION ALL")).cloned().collect();
    assert_eq!(counts.len(), 1, "{counts:#?}");
    let p = plan(app, &counts[0]).await;
    (counts[0].clone(), p)
}

/// PostgreSQL's generic plan of a statement as the server prepares it: its
/// parameters unknown, so a range on a date is guessed at a third of the rows.
async fn generic_plan(app: &TestApp, stmt: &Statement) -> String {
    let db = &app.store().db;
    let txn = db.begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL plan_cache_mode = force_generic_plan").await.unwrap();
    txn.execute_unprepared(&format!("PREPARE due_batch AS {}", stmt.sql)).await.unwrap();
    let values = stmt.values.iter().flat_map(|v| v.0.iter()).map(|v| PostgresQueryBuilder.value_to_string(v));
    let explain = format!("EXPLAIN EXECUTE due_batch({})", values.collect::<Vec<_>>().join(", "));
    let rows = txn.query_all_raw(Statement::from_string(DbBackend::Postgres, explain)).await.unwrap();
    // A prepared statement outlives the transaction: the pooled connection forgets it.
    txn.execute_unprepared("DEALLOCATE due_batch").await.unwrap();
    txn.rollback().await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "QUERY PLAN").unwrap()).collect::<Vec<_>>().join("\n")
}

/// The sweep fires D1–D3 as they run out (the periods a platform sets under
/// Order 117 Art. 20): each batch seeks the running clocks due
/// before today in the order of `ix_clocks_status_due_id`, with no sort, the
/// first and every later one (past the last clock of the batch before). A
/// batch ordered by id alone was planned on the primary key by PostgreSQL's
/// generic plan, reading every clock ever started.
async fn order117_art20_the_sweep_reads_only_what_is_due_in_index_order(app: TestApp) {
    use redline_store::case::sweep::{due_clocks, due_query};
    let consumer = app.signed_in("consumer@demo.redline").await;
    for _ in 0..3 {
        file_case(&consumer).await;
    }
    // From 2026-11-23 to 2026-12-05: D4 (due 11-26) and D1 (due 11-30) have run out.
    app.advance_days(12);
    let store = app.store();
    let due = due_clocks(store, None, 100).await.unwrap();
    assert_eq!(due.len(), 6, "D1 and D4 of each case: {due:?}");
    let backend = store.db.get_database_backend();
    for after in [None, Some((due[2].due_on, due[2].id))] {
        let q = due_query(store.today(), after, 100);
        let mut plans = vec![plan(&app, &q.build(backend).to_string()).await];
        if backend == DbBackend::Postgres {
            plans.push(generic_plan(&app, &q.build(backend)).await);
        }
        for p in plans {
            let seek = match backend {
                // Past a batch, the seek starts at its last due date.
                DbBackend::Sqlite => {
                    p.contains("USING INDEX ix_clocks_status_due_id (status=? AND due_on") && p.contains("due_on<?)")
                }
                _ => p.contains("ix_clocks_status_due_id") && p.contains("Index Cond: ((status = "),
            };
            assert!(seek, "not a seek of the running clocks due ({after:?}):\n{p}");
            assert!(!p.contains("TEMP B-TREE") && !p.contains("Sort"), "sorted after the seek ({after:?}):\n{p}");
        }
        // The batch after the third clock holds the other three, in due order.
        let rows = due_clocks(store, after, 100).await.unwrap();
        let skipped = if after.is_some() { 3 } else { 0 };
        assert_eq!(
            rows.iter().map(|k| k.id).collect::<Vec<_>>(),
            due[skipped..].iter().map(|k| k.id).collect::<Vec<_>>()
        );
    }
}

/// A write that notifies several parties (a filing tells the operator and the
/// platform) reads every audience of the case in one statement, and reads
/// them again once the case has a new agency, whose staff are then told.
async fn a_case_write_reads_its_audiences_in_one_statement_and_again_for_a_new_agency(app: TestApp) {
    use redline_rules::notify::Audience;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let (store, seen) = observed(&app).await;
    let (me, op, plat, reg) = (
        actor(&store, "consumer@demo.redline").await,
        actor(&store, "operator@demo.redline").await,
        actor(&store, "platform@demo.redline").await,
        actor(&store, "regulator@demo.redline").await,
    );
    let case = crate::helpers::case_row(&app, &case_no).await;
    let txn = store.db.begin().await.unwrap();
    seen.lock().unwrap().clear();
    let mut w = redline_store::case::write::CaseWrite::new(case);
    let first = w.contacts(&txn).await.unwrap();
    let again = w.contacts(&txn).await.unwrap();
    let ids = |people: &[redline_store::notices::compose::Contact]| {
        people.iter().map(|p| p.user_id.unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(ids(first.of(Audience::Consumer)), vec![me.user_id]);
    assert_eq!(ids(first.of(Audience::Operator)), vec![op.user_id]);
    assert_eq!(ids(first.of(Audience::Platform)), vec![plat.user_id]);
    assert!(again.of(Audience::Regulator).is_empty(), "no agency yet");
    let users_read = || seen.lock().unwrap().iter().filter(|s| s.contains(r#"FROM "users""#)).count();
    assert_eq!(users_read(), 1, "every audience in one statement, read once");
    // Escalated within the same write: the agency's staff are read.
    w.case.agency_id = Some(reg.agency_ids[0]);
    let after = w.contacts(&txn).await.unwrap();
    assert_eq!(ids(after.of(Audience::Regulator)), vec![reg.user_id]);
    assert_eq!(users_read(), 2, "read again for the new agency");
    txn.rollback().await.unwrap();
}
