//! Checkpoints mailed to the organisations that asked for them, so copies of
//! the log's signed roots exist outside Redline (a real SMTP server on
//! loopback; the mails decoded before they are searched).
use crate::helpers::{file_case, TestApp};
use crate::smtp_sink::Sink;
use std::sync::Arc;

on_both_backends_with_mail!(an_organisation_receives_every_checkpoint_it_asked_for_and_only_those);

async fn send(app: &TestApp) -> usize {
    app.running.mailer.as_ref().expect("a mailer").send_due(app.store(), 100).await.sent
}

async fn checkpoint_job(app: &TestApp) -> server::jobs::Run {
    let ctx = server::jobs::JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: None,
    };
    server::jobs::Job::Checkpoint.run(&ctx).await.unwrap()
}

async fn an_organisation_receives_every_checkpoint_it_asked_for_and_only_those(app: TestApp, sink: Arc<Sink>) {
    let add = "/do/orgs/platform/1/log-subscribers";
    // Only the organisation's administrators may add an address.
    let consumer = app.signed_in("consumer@demo.redline").await;
    let refused = consumer.post_form(add, &[("subscriber", "me@example.com")]).await;
    assert!(refused.body.contains("仅机构管理员可访问"), "{}", refused.url);
    use sea_orm::{EntityTrait, PaginatorTrait};
    let stored =
        || async { redline_store::entity::log_subscriber::Entity::find().count(&app.store().db).await.unwrap() };
    assert_eq!(stored().await, 0, "nothing added by a non-administrator");
    let admin = app.signed_in("platform@demo.redline").await;
    let bad = admin.post_form(add, &[("subscriber", "not-an-address")]).await;
    assert!(bad.body.contains("邮箱格式不正确") && bad.body.contains("value=\"not-an-address\""), "kept and said");
    let ok = admin.post_form(add, &[("subscriber", "Audit@Platform.example")]).await;
    assert!(ok.body.contains("已添加：每个新的检查点都会发送到该邮箱。"));
    assert!(ok.body.contains("data-subscriber=\"audit@platform.example\""), "listed");
    let again = admin.post_form(add, &[("subscriber", "audit@platform.example")]).await;
    assert!(again.body.contains("该邮箱已在接收名单中"));
    assert_eq!(stored().await, 1);

    file_case(&consumer).await;
    assert_eq!(checkpoint_job(&app).await.done, 1);
    assert_eq!(checkpoint_job(&app).await.done, 0, "nothing changed: no checkpoint, no mail");
    send(&app).await;
    let mails: Vec<_> = sink.mails().into_iter().filter(|m| m.to.contains("audit@platform.example")).collect();
    assert_eq!(mails.len(), 1, "one checkpoint, one mail");
    let c: serde_json::Value =
        reqwest::get(format!("{}/transparency/checkpoints/1", app.url)).await.unwrap().json().await.unwrap();
    let body = c["body"].as_str().unwrap();
    assert!(mails[0].subject.contains("透明日志检查点"), "{}", mails[0].subject);
    for line in body.lines() {
        assert!(mails[0].text.contains(line), "the signed text, line {line:?}, in the mail: {}", mails[0].text);
    }
    assert!(mails[0].text.contains(c["signature"].as_str().unwrap()), "and its signature");

    // Removed: the next checkpoint is not mailed there.
    let page = admin.get("/org").await;
    let id = page.body.split("/log-subscribers/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let removed = admin.post_form(&format!("/do/orgs/platform/1/log-subscribers/{id}/remove"), &[]).await;
    assert!(removed.body.contains("已移除该邮箱。") && !removed.body.contains("data-subscriber="));
    file_case(&consumer).await;
    assert_eq!(checkpoint_job(&app).await.done, 1);
    send(&app).await;
    assert_eq!(sink.mails().into_iter().filter(|m| m.to.contains("audit@platform.example")).count(), 1);
}
