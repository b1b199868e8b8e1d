//! Background jobs behind one interface: each reports what it claimed, did and
//! failed, a second run finds nothing left to do, and each has its own interval.
use crate::helpers::{file_case, test_config, TestApp};
use server::jobs::{Job, JobContext, Run};

on_both_backends!(each_job_reports_its_run_and_a_second_run_does_nothing);

async fn each_job_reports_its_run_and_a_second_run_does_nothing(app: TestApp) {
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    app.advance_days(12);
    // D1 (the operator's reply) and D4 (replay preservation) have run out; only
    // D1 has a transition (T5, Order 117 Art. 20 policy), D4 is flagged.
    let sweep = Job::Sweep.run(&ctx).await.unwrap();
    assert_eq!(sweep, Run { claimed: 2, done: 1, failed: 0 });
    for job in Job::ALL {
        let first = job.run(&ctx).await.unwrap();
        assert_eq!(first.failed, 0, "{job:?}");
        assert_eq!(job.run(&ctx).await.unwrap(), Run::default(), "{job:?} did work twice");
    }
}

#[test]
fn each_job_has_its_own_interval_and_zero_stops_it() {
    let mut config = test_config("sqlite::memory:");
    config.sweep_secs = 60;
    config.job_secs.insert("digests".into(), 0);
    config.job_secs.insert("sweep".into(), 5);
    assert_eq!(Job::Sweep.interval(&config), 5);
    assert_eq!(Job::Digests.interval(&config), 0);
    assert_eq!(Job::Reminders.interval(&config), 60);
    assert_eq!(Job::Retention.interval(&config), 86_400, "daily unless set");
    assert_eq!(
        Job::ALL.map(Job::name),
        ["sweep", "reminders", "tip_d9", "digests", "housekeeping", "stats", "desk", "retention", "checkpoint"]
    );
}
