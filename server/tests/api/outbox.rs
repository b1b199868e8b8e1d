//! Delivery mechanics of the mail outbox, against the loopback SMTP server:
//! back-off after temporary failures, permanent failures, mail held while no
//! server is configured, and the timers that run the sweep and the sender.
use crate::helpers::{file_case, Backend, TestApp};
use crate::smtp_sink::Sink;
use redline_store::entity::notification;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

on_both_backends_with_mail!(
    temporary_failures_back_off_from_thirty_seconds_to_an_hour,
    an_undeliverable_address_fails_once_and_is_not_retried,
);
mod held {
    use super::*;
    on_both_backends!(mail_waits_in_the_outbox_until_a_server_is_configured);
}

async fn rows(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find().filter(notification::Column::Email.is_not_null()).all(&app.store().db).await.unwrap()
}

/// Seconds until a row may be tried again.
fn wait_of(app: &TestApp, n: &notification::Model) -> i64 {
    (n.next_attempt_at - app.store().now()).num_seconds()
}

/// `15 s × 2^attempts`, capped at an hour: 30 s after the first failure.
async fn temporary_failures_back_off_from_thirty_seconds_to_an_hour(app: TestApp, sink: Arc<Sink>) {
    sink.stop().await;
    let c = app.signed_in("consumer@demo.redline").await;
    file_case(&c).await;
    let n = rows(&app).await.len();
    assert!(n >= 2);
    let m = app.running.mailer.as_ref().unwrap();
    assert_eq!(m.send_due(app.store(), 100).await, server::mail::MailReport { sent: 0, failed: n });
    for (attempts, backoff) in
        [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 960), (7, 1920), (8, 3600), (9, 3600)]
    {
        for r in rows(&app).await {
            assert_eq!((r.email_status.as_str(), r.attempts), ("PENDING", attempts));
            let wait = wait_of(&app, &r);
            assert!((backoff - 2..=backoff).contains(&wait), "attempt {attempts}: {wait} s, not {backoff}");
            assert!(r.last_error.is_some());
        }
        app.running.time.advance(backoff - 3);
        assert_eq!(m.send_due(app.store(), 100).await, Default::default(), "nothing is tried early");
        app.running.time.advance(4);
        assert_eq!(m.send_due(app.store(), 100).await.failed, n, "all tried again after {backoff} s");
    }
    // The server comes back: everything goes, once.
    sink.restart().await;
    app.running.time.advance(3600);
    assert_eq!(m.send_due(app.store(), 100).await, server::mail::MailReport { sent: n, failed: 0 });
    assert_eq!(sink.mails().len(), n);
    assert!(rows(&app).await.iter().all(|r| r.email_status == "SENT" && r.last_error.is_none()));
}

async fn an_undeliverable_address_fails_once_and_is_not_retried(app: TestApp, sink: Arc<Sink>) {
    // An anonymous reporter gives an address whose mailbox does not exist.
    let (tip_no, _) = crate::tips::file(&app.client(), "主播称该饮品可以三天美白。", "bounce@example.com").await;
    let m = app.running.mailer.as_ref().unwrap();
    let r = m.send_due(app.store(), 100).await;
    assert_eq!(r.failed, 1, "{r:?}");
    let bounced: Vec<_> =
        rows(&app).await.into_iter().filter(|r| r.email.as_deref() == Some("bounce@example.com")).collect();
    assert_eq!(bounced.len(), 1);
    assert_eq!((bounced[0].email_status.as_str(), bounced[0].attempts), ("FAILED", 1));
    assert!(bounced[0].last_error.as_deref().unwrap_or_default().contains("550"), "{:?}", bounced[0].last_error);
    // The others went; the failed one is never tried again.
    assert_eq!(sink.mails().len(), r.sent);
    assert!(sink.mails().iter().all(|m| !m.to.contains("bounce@")));
    app.running.time.advance(2 * 3600);
    assert_eq!(m.send_due(app.store(), 100).await, Default::default());
    assert!(sink.mails().iter().any(|m| m.text.contains(&tip_no)), "the tip's other mail went out");
}

/// Without `REDLINE_SMTP_URL` nothing is sent and nothing is lost: the rows
/// wait, and a sender configured later delivers every one.
async fn mail_waits_in_the_outbox_until_a_server_is_configured(app: TestApp) {
    assert!(app.running.mailer.is_none());
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let waiting = rows(&app).await;
    assert!(waiting.len() >= 2);
    assert!(waiting.iter().all(|r| r.email_status == "PENDING" && r.attempts == 0));
    let sink = Sink::start().await;
    let later = server::mail::Mailer::new(&sink.url(), "Redline <noreply@redline.invalid>", "http://x").unwrap();
    assert_eq!(later.send_due(app.store(), 100).await.sent, waiting.len());
    assert_eq!(sink.mails().len(), waiting.len());
    assert!(sink.mails().iter().any(|m| m.to.contains("operator@demo.redline") && m.subject.contains(&case_no)));
}

/// The timers started with the server run the sweep and drain the outbox by
/// themselves (every test elsewhere runs with both off and drives them).
async fn the_sweep_and_the_sender_run_on_their_timers(backend: Backend) {
    let sink = Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_with(backend, move |c| {
        c.smtp_url = Some(url);
        c.sweep_secs = 1;
        c.mail_secs = 1;
    })
    .await;
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    app.advance_days(12);
    let mut state = String::new();
    for _ in 0..300 {
        state = crate::helpers::state_of(&app, &case_no).await;
        let sent = notification::Entity::find()
            .filter(notification::Column::EmailStatus.eq("PENDING"))
            .count(&app.store().db)
            .await
            .unwrap();
        if state == "PLATFORM_INTERVENTION" && sent == 0 && sink.mails().iter().any(|m| m.to.contains("platform@")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state, "PLATFORM_INTERVENTION", "the sweep ran by itself (T5)");
    assert!(
        sink.mails().iter().any(|m| m.to.contains("platform@demo.redline") && m.subject.contains(&case_no)),
        "the sender ran by itself"
    );
}

mod timers {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_the_sweep_and_the_sender_run_on_their_timers() {
        super::the_sweep_and_the_sender_run_on_their_timers(crate::helpers::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_the_sweep_and_the_sender_run_on_their_timers() {
        super::the_sweep_and_the_sender_run_on_their_timers(crate::helpers::Backend::Postgres).await
    }
}
