//! Accounts: registration, sign-in sessions, language and staff administration.
use crate::helpers::{mailed_link, register, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};

on_both_backends!(
    consumer_registers_and_bad_input_keeps_typed_values,
    language_switch_persists,
    admin_adds_staff_who_then_sees_their_queue,
    sessions_expire_and_housekeeping_removes_them,
);

async fn consumer_registers_and_bad_input_keeps_typed_values(app: TestApp) {
    let c = app.client();
    let p = c.post_form("/do/register", &[("name", "王小明"), ("email", "not-an-email"), ("password", "short")]).await;
    assert_eq!(p.url, "/register");
    assert!(p.body.contains("邮箱格式不正确"), "email error shown");
    assert!(p.body.contains("密码至少10位"));
    assert!(p.body.contains("王小明"), "typed name kept");
    assert!(p.body.contains("not-an-email"), "typed email kept");
    assert!(!p.body.contains("short\""), "password is never echoed");
    register(&app, &c, "王小明", "wang@example.com").await;
    // Registering a taken address answers exactly as for a new one (no
    // enumeration); the mail tells the owner instead.
    let fresh = app
        .client()
        .post_form(
            "/do/register",
            &[("name", "X"), ("email", "new-person@example.com"), ("password", "a-long-password")],
        )
        .await;
    let again = app
        .client()
        .post_form("/do/register", &[("name", "X"), ("email", "WANG@example.com"), ("password", "a-long-password")])
        .await;
    assert_eq!(again.url, fresh.url);
    let notice = |b: &str| {
        b.split("id=\"notice\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap().to_owned()
    };
    assert_eq!(
        notice(&again.body).replace("wang@example.com", "X"),
        notice(&fresh.body).replace("new-person@example.com", "X")
    );
    assert!(!again.body.contains("已注册"));
    assert_eq!(mailed_link(&app, "wang@example.com").await.as_deref(), Some("/login"), "the owner is told by mail");
    let login =
        app.client().post_form("/do/login", &[("email", "wang@example.com"), ("password", "wrong-password")]).await;
    assert!(login.body.contains("邮箱或密码不正确"));
}

async fn language_switch_persists(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let zh = c.get("/me/cases").await;
    assert!(zh.body.contains("我的投诉"));
    let r = c
        .http
        .get(format!("{}/lang/en", app.url))
        .header("referer", format!("{}/me/cases", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().path(), "/me/cases");
    let en = r.text().await.unwrap();
    assert!(en.contains("My cases"));
    // Persisted on the account: a fresh sign-in (new cookie jar) gets English too.
    let again = app.signed_in("consumer@demo.redline").await;
    assert!(again.get("/me/cases").await.body.contains("My cases"));
}

async fn admin_adds_staff_who_then_sees_their_queue(app: TestApp) {
    let admin = app.signed_in("admin@demo.redline").await;
    let page = admin.get("/admin").await;
    assert!(page.body.contains("operator@demo.redline"));
    // A consumer cannot administer.
    let consumer = app.signed_in("consumer@demo.redline").await;
    assert!(consumer.get("/admin").await.body.contains("仅管理员可访问"));
    let refused = consumer
        .post_form(
            "/do/admin/grant",
            &[("email", "x@example.com"), ("org", "agency:3"), ("name", "X"), ("password", "a-long-password")],
        )
        .await;
    assert_eq!((refused.status, refused.url.as_str()), (403, "/admin"), "back on the admin page");
    assert!(refused.body.contains("仅管理员可访问"), "refused with the reason");
    assert!(!refused.body.contains("发送邀请链接"), "nothing was sent");
    assert_eq!(mailed_link(&app, "x@example.com").await, None, "no invitation exists");
    // An invitation grants nothing until it is taken through the mailed link.
    let p = admin
        .post_form("/do/admin/grant", &[("email", "haidian@example.com"), ("org", "agency:3"), ("name", "海淀")])
        .await;
    assert!(p.body.contains("已向 haidian@example.com 发送邀请链接"), "the admin is told");
    let link = mailed_link(&app, "haidian@example.com").await.unwrap();
    let staff = app.client();
    let page = staff.get(&link).await;
    assert!(page.body.contains("接受邀请"));
    let short = staff.post_form(&format!("/do{link}"), &[("name", "海淀"), ("password", "short")]).await;
    assert!(short.body.contains("密码至少10位"), "a short password is refused, the link still works");
    let r = staff.post_form(&format!("/do{link}"), &[("name", "海淀"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/regulator");
    let again = app.client().post_form(&format!("/do{link}"), &[("password", "another-long-password")]).await;
    assert!(again.body.contains("此链接无效、已使用或已过期"), "a link is taken once");
    let r =
        app.client().post_form("/do/login", &[("email", "haidian@example.com"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/regulator");
}

async fn sessions_expire_and_housekeeping_removes_them(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    assert!(consumer.get("/me/cases").await.body.contains("我的投诉"));
    app.advance_days(15);
    assert!(consumer.get("/me/cases").await.body.contains("请先登录"), "a 14-day session has expired");
    server::jobs::housekeeping(app.store(), &app.running.vault).await.unwrap();
    let left = redline_store::entity::session::Entity::find().count(&app.store().db).await.unwrap();
    assert_eq!(left, 0);
}
