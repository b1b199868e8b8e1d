//! Notifications and the mail outbox (issue 4), against a real SMTP server on
//! loopback started by the tests; each on SQLite and on PostgreSQL.
use crate::helpers::{clock_of, date, file_case, TestApp};
use crate::smtp_sink::{Mail, Sink};
use redline_store::entity::notification;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

async fn drain(app: &TestApp) -> usize {
    let m = app.running.mailer.as_ref().expect("a mailer");
    let mut sent = 0;
    loop {
        let r = m.send_due(app.store(), 100).await;
        sent += r.sent;
        if r.sent + r.failed == 0 {
            return sent;
        }
        if r.sent == 0 {
            return sent;
        }
    }
}

fn mails(sink: &Sink) -> Vec<Mail> {
    sink.mails()
}

on_both_backends_with_mail!(
    a_routed_case_emails_the_operator_in_chinese_with_text_and_html,
    recipients_who_chose_english_get_english,
    smtp_down_then_up_every_message_arrives_exactly_once,
    a_crash_after_sending_resends_with_the_same_message_id,
    reminders_wait_for_working_hours_unless_the_clock_is_overdue,
    notifications_are_listed_in_the_app_and_marked_read,
    the_unread_count_stops_at_99_plus,
    staff_who_choose_a_digest_get_one_email_a_day,
    withdrawal_after_escalation_tells_the_agency,
);

async fn a_routed_case_emails_the_operator_in_chinese_with_text_and_html(app: TestApp, sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    // The operator (the case is theirs) and the platform (the preservation request).
    assert_eq!(drain(&app).await, 2);
    let all = mails(&sink);
    let op = all.iter().find(|m| m.to.contains("operator@demo.redline")).expect("operator mailed");
    assert!(op.subject.contains("有案件待您处理") && op.subject.contains(&case_no), "{}", op.subject);
    assert!(op.text.contains("待经营者答复") && op.text.contains(&format!("/cases/{case_no}")));
    assert!(op.html.contains("<a href=\"http://") && op.html.contains(&case_no));
    assert!(op.message_id.starts_with("<n") && op.message_id.ends_with("@redline.invalid>"));
    // The platform is asked to preserve the replay (Order 117 Art. 16).
    assert!(all.iter().any(|m| m.to.contains("platform@demo.redline") && m.subject.contains("请保全直播回放")));
    // The outbox rows are marked sent.
    let sent = notification::Entity::find()
        .filter(notification::Column::EmailStatus.eq("SENT"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(sent as usize, all.len());
}

async fn recipients_who_chose_english_get_english(app: TestApp, sink: Arc<Sink>) {
    let op = app.signed_in("operator@demo.redline").await;
    op.get("/lang/en").await; // remembered on the account
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    drain(&app).await;
    let mail = mails(&sink).into_iter().find(|m| m.to.contains("operator@")).unwrap();
    assert_eq!(mail.subject, format!("[Redline] A case waits for you · {case_no}"));
    assert!(mail.text.contains("Details: Awaiting operator response"), "{}", mail.text);
    assert!(mail.html.contains("Open in Redline") && mail.html.contains("lang=\"en\""));
}

async fn smtp_down_then_up_every_message_arrives_exactly_once(app: TestApp, sink: Arc<Sink>) {
    sink.stop().await;
    let c = app.signed_in("consumer@demo.redline").await;
    let a = file_case(&c).await;
    let b = file_case(&c).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&a, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    let m = app.running.mailer.as_ref().unwrap();
    let r = m.send_due(app.store(), 100).await;
    assert_eq!(r.sent, 0);
    // Two filings mail the operator and the platform each; the offer mails the consumer.
    assert_eq!(r.failed, 5, "every send failed while SMTP was down: {r:?}");
    let waiting = notification::Entity::find()
        .filter(notification::Column::EmailStatus.eq("PENDING"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(waiting as usize, r.failed, "nothing is lost");
    // Still down on the next retry.
    app.running.time.advance(120);
    assert_eq!(m.send_due(app.store(), 100).await.sent, 0);
    sink.restart().await;
    app.running.time.advance(3600);
    // Two workers, as two processes would be (each its own connections), drain
    // it together through a slow server, so each finds rows the other holds.
    sink.set_reply_delay(std::time::Duration::from_millis(40));
    let other = app.second_process().await;
    let second = server::mail::Mailer::new(&sink.url(), "Redline <noreply@redline.invalid>", "http://x").unwrap();
    let (x, y) = tokio::join!(m.send_due(app.store(), 100), second.send_due(&other, 100));
    assert_eq!(x.sent + y.sent, r.failed, "{x:?} {y:?}");
    assert!(x.sent > 0 && y.sent > 0, "both senders took part: {x:?} {y:?}");
    assert_eq!(x.failed + y.failed, 0);
    sink.set_reply_delay(std::time::Duration::ZERO);
    let status = |s: &'static str| {
        notification::Entity::find().filter(notification::Column::EmailStatus.eq(s)).count(&app.store().db)
    };
    assert_eq!(status("SENT").await.unwrap() as usize, r.failed, "every row ends SENT");
    assert_eq!(status("PENDING").await.unwrap() + status("SENDING").await.unwrap(), 0);
    app.running.time.advance(3600);
    assert_eq!(drain(&app).await, 0, "a later drain sends nothing");
    let got = mails(&sink);
    let mut ids: HashMap<String, usize> = HashMap::new();
    for g in &got {
        *ids.entry(g.message_id.clone()).or_default() += 1;
    }
    assert_eq!(got.len(), r.failed, "every message arrived");
    assert!(ids.values().all(|n| *n == 1), "exactly once: {ids:?}");
    assert!(got.iter().any(|g| g.subject.contains(&a)) && got.iter().any(|g| g.subject.contains(&b)));
    assert!(got.iter().any(|g| g.to.contains("consumer@") && g.subject.contains("您收到了处理方案")));
}

async fn a_crash_after_sending_resends_with_the_same_message_id(app: TestApp, sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    file_case(&c).await;
    let pending = || notification::Entity::find().filter(notification::Column::EmailStatus.eq("PENDING"));
    let n = pending().count(&app.store().db).await.unwrap() as usize;
    assert_eq!(n, 2, "the operator and the platform are mailed");
    // The SMTP server keeps the first message, then holds its answer: the
    // sender is killed while it waits, after the server has the message but
    // before the send is recorded.
    sink.set_reply_delay(std::time::Duration::from_secs(60));
    let (mailer, store) = (app.running.mailer.clone().unwrap(), app.store().clone());
    let sender = tokio::spawn(async move { mailer.send_due(&store, 100).await });
    for _ in 0..500 {
        if !sink.raw().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(sink.raw().len(), 1, "the server holds the first message");
    // Mid-send, the row is claimed: SENDING, first attempt, leased for two minutes.
    let held = notification::Entity::find()
        .filter(notification::Column::EmailStatus.eq("SENDING"))
        .all(&app.store().db)
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "claimed before sending, one at a time");
    let lease = (held[0].lease_until.expect("a lease") - app.store().now()).num_seconds();
    assert!((110..=120).contains(&lease), "a two-minute lease, {lease} s left");
    assert_eq!(held[0].attempts, 1);
    sender.abort();
    let _ = sender.await;
    sink.set_reply_delay(std::time::Duration::ZERO);
    // The others go; nobody takes the held row while its lease holds.
    assert_eq!(drain(&app).await, n - 1);
    let row = |id: i64| notification::Entity::find_by_id(id).one(&app.store().db);
    assert_eq!(row(held[0].id).await.unwrap().unwrap().email_status, "SENDING");
    // After the lease runs out it is sent again, with the same Message-ID.
    app.running.time.advance(121);
    assert_eq!(drain(&app).await, 1);
    let after = row(held[0].id).await.unwrap().unwrap();
    assert_eq!((after.email_status.as_str(), after.attempts), ("SENT", 2));
    assert_eq!(drain(&app).await, 0);
    let got = mails(&sink);
    assert_eq!(got.len(), n + 1);
    let mut ids: HashMap<String, usize> = HashMap::new();
    for g in &got {
        *ids.entry(g.message_id.clone()).or_default() += 1;
    }
    assert_eq!(ids.len(), n, "the resend carries the same Message-ID, so receivers keep one copy");
    assert_eq!(ids[&got[0].message_id], 2, "the held message, twice");
}

async fn reminders_wait_for_working_hours_unless_the_clock_is_overdue(app: TestApp, sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    drain(&app).await;
    let before = sink.raw().len();
    let d1 = clock_of(&app, &case_no, "D1").await;
    assert_eq!(d1.due_on, date("2026-11-30"));
    // Friday, the working day before D1's due date, in the evening: 4 of 5 days spent.
    app.move_to("2026-11-27 20:30");
    server::jobs::notify(app.store()).await.unwrap();
    let reminder = notification::Entity::find()
        .filter(notification::Column::Kind.eq("CLOCK_REMINDER"))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("a 75 % reminder");
    drain(&app).await; // overdue D4 notices may go; the reminder waits
    let status = |app: &TestApp, id: i64| {
        let db = app.store().db.clone();
        async move { notification::Entity::find_by_id(id).one(&db).await.unwrap().unwrap().email_status }
    };
    assert_eq!(status(&app, reminder.id).await, "PENDING", "not sent at 20:30");
    // Monday, the next working day.
    app.move_to("2026-11-30 08:59");
    drain(&app).await;
    assert_eq!(status(&app, reminder.id).await, "PENDING", "not before 09:00");
    app.move_to("2026-11-30 09:00");
    drain(&app).await;
    // Once failed only under a cold clean-clone run: say what the row held then.
    let held = notification::Entity::find_by_id(reminder.id).one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(
        held.email_status,
        "SENT",
        "sent at 09:00 on the next working day (due {}, attempts {}, now {})",
        held.next_attempt_at,
        held.attempts,
        app.store().now()
    );
    let got = mails(&sink);
    assert!(got[before..].iter().any(|m| m.subject.contains("时限即将届满") && m.to.contains("operator@")));
    // Running the job again adds nothing.
    server::jobs::notify(app.store()).await.unwrap();
    let again = notification::Entity::find()
        .filter(notification::Column::Kind.eq("CLOCK_REMINDER"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(again, 1);
    // Overdue (D1 past due, T5 moves the case to the platform): sent at once, even at night.
    // Saturday 2026-12-05, a rest day.
    app.move_to("2026-12-05 23:00");
    server::jobs::run_until_idle(app.store()).await;
    server::jobs::notify(app.store()).await.unwrap();
    // The sweep ran first (T5 stopped D1): what goes is the platform's routing notice.
    assert_eq!(drain(&app).await, 1, "the routing notice goes out at 23:00 on a rest day");
    assert!(mails(&sink).iter().any(|m| m.subject.contains("有案件待您处理") && m.to.contains("platform@")));
}

async fn notifications_are_listed_in_the_app_and_marked_read(app: TestApp, _sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let op = app.signed_in("operator@demo.redline").await;
    let page = op.get("/notifications").await;
    assert!(page.body.contains(&case_no) && page.body.contains("data-unread=\"1\""), "listed and unread");
    assert!(op.get("/operator").await.body.contains("通知 (1)"), "unread count in the header");
    let id = page.body.split("data-id=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let after = op.post_form("/do/notifications/read", &[("id", &id)]).await;
    assert!(after.body.contains("data-unread=\"0\""));
    // Nobody else can mark someone's notification read.
    c.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    let page = op.get("/notifications").await;
    let id = page
        .body
        .split("class=\"notice-row unread\"")
        .nth(1)
        .unwrap()
        .split("data-id=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    c.post_form("/do/notifications/read", &[("id", &id)]).await;
    c.post_form("/do/notifications/read", &[]).await;
    assert!(op.get("/notifications").await.body.contains("data-unread=\"1\""), "still unread for the operator");
}

async fn staff_who_choose_a_digest_get_one_email_a_day(app: TestApp, sink: Arc<Sink>) {
    let op = app.signed_in("operator@demo.redline").await;
    op.post_form("/do/notifications/mode", &[("mode", "DAILY_DIGEST")]).await;
    let c = app.signed_in("consumer@demo.redline").await;
    let a = file_case(&c).await;
    let b = file_case(&c).await;
    drain(&app).await;
    assert!(!mails(&sink).iter().any(|m| m.to.contains("operator@")), "no single mails");
    // The next working day (Tuesday) at 09:05.
    app.move_to("2026-11-24 09:05");
    server::jobs::notify(app.store()).await.unwrap();
    server::jobs::notify(app.store()).await.unwrap();
    drain(&app).await;
    let digests: Vec<Mail> = mails(&sink).into_iter().filter(|m| m.to.contains("operator@")).collect();
    assert_eq!(digests.len(), 1, "one digest");
    assert!(digests[0].subject.contains("待办汇总") && digests[0].text.contains(&a) && digests[0].text.contains(&b));
}

async fn withdrawal_after_escalation_tells_the_agency(app: TestApp, sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = crate::helpers::escalated_case(&app, &c).await;
    c.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    drain(&app).await;
    assert!(mails(&sink).iter().any(|m| m.to.contains("regulator@demo.redline") && m.subject.contains("投诉已撤回")));
}

/// The header counts unread notices up to 99; beyond, "99+" (the count stops
/// at 100 rows, however many there are).
async fn the_unread_count_stops_at_99_plus(app: TestApp, _sink: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    for _ in 0..99 {
        file_case(&c).await;
    }
    let op = app.signed_in("operator@demo.redline").await;
    assert!(op.get("/operator").await.body.contains("通知 (99)"), "one routing notice per case");
    file_case(&c).await;
    file_case(&c).await;
    let user = redline_store::entity::user::Entity::find()
        .filter(redline_store::entity::user::Column::Email.eq("operator@demo.redline"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        redline_store::notices::inbox::unread(app.store(), user.id).await.unwrap(),
        100,
        "101 unread, counted to 100"
    );
    assert!(op.get("/operator").await.body.contains("通知 (99+)"));
    assert!(op.get("/notifications").await.body.contains("99+ 条未读"));
}
