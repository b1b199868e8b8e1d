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
    assert_eq!(n, 2, "the operator's notice and the platform's");
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
    // The operator's notice of the case and the platform's of the preservation request.
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|r| r.email_status == "PENDING" && r.attempts == 0));
    let backlog = || redline_store::notices::outbox::backlog(app.store());
    assert_eq!(backlog().await.unwrap(), 2, "the backlog an operator monitors");
    let sink = Sink::start().await;
    let later = server::mail::Mailer::new(&sink.url(), "Redline <noreply@redline.invalid>", "http://x").unwrap();
    assert_eq!(later.send_due(app.store(), 100).await.sent, waiting.len());
    assert_eq!(backlog().await.unwrap(), 0);
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

/// `smtps://` (TLS from the first byte) and `smtp://…?tls=required`
/// (STARTTLS): mail goes only over TLS, to a server whose certificate comes
/// from a CA named in `REDLINE_SMTP_CA_FILE`, and not at all when that CA is
/// not trusted (the certificate is checked, never waved through).
async fn mail_goes_over_tls_only_to_a_trusted_server(backend: Backend) {
    use crate::smtp_sink::Security;
    for security in [Security::Implicit, Security::StartTls] {
        let sink = Sink::start_with(security).await;
        let ca = std::env::temp_dir().join(format!("redline-smtp-ca-{}.pem", sink.port));
        std::fs::write(&ca, sink.ca_pem.as_ref().unwrap()).unwrap();
        let (url, path) = (sink.url(), ca.display().to_string());
        let app = TestApp::spawn_with(backend, move |c| {
            c.smtp_url = Some(url);
            c.smtp_ca_file = Some(path);
        })
        .await;
        let c = app.signed_in("consumer@demo.redline").await;
        let case_no = file_case(&c).await;
        let n = rows(&app).await.len();
        // Without the CA, the same server is not trusted: nothing is sent, nothing lost.
        let untrusted =
            server::mail::Mailer::new(&sink.url(), "Redline <noreply@redline.invalid>", "http://x").unwrap();
        assert_eq!(untrusted.send_due(app.store(), 100).await, server::mail::MailReport { sent: 0, failed: n });
        assert!(sink.raw().is_empty(), "{security:?}: nothing reached an untrusted server");
        app.running.time.advance(60);
        let r = app.running.mailer.as_ref().unwrap().send_due(app.store(), 100).await;
        assert_eq!(r, server::mail::MailReport { sent: n, failed: 0 }, "{security:?}");
        assert_eq!(sink.mails().len(), n);
        assert!(sink.mails().iter().any(|m| m.to.contains("operator@demo.redline") && m.subject.contains(&case_no)));
        std::fs::remove_file(ca).ok();
    }
    // A CA file that cannot be read stops the start, with the setting named.
    let mut config = crate::helpers::test_config(&crate::helpers::fresh_database(backend).await);
    config.smtp_url = Some("smtps://127.0.0.1:1".into());
    config.smtp_ca_file = Some("/nonexistent/ca.pem".into());
    let err = server::start(config).await.err().expect("refused to start").to_string();
    assert!(err.starts_with("REDLINE_SMTP_CA_FILE /nonexistent/ca.pem"), "{err}");
}

mod own_apps {
    use super::*;
    for_each_backend!(the_sweep_and_the_sender_run_on_their_timers, mail_goes_over_tls_only_to_a_trusted_server);
}
