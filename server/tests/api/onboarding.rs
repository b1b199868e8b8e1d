//! Real organisations: the administrator creates a platform and an agency
//! (credit code GB 32100-2015, GB/T 2260 division), invites their first
//! administrators by mail, and those administrators manage their own staff.
use crate::helpers::TestApp;
use crate::parties::code;
use crate::smtp_sink::Sink;
use redline_store::entity::{agency, membership, platform, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

on_both_backends!(the_admin_creates_a_platform_and_an_agency_with_checked_codes);
mod mail {
    on_both_backends_with_mail!(an_organisations_administrator_invites_and_manages_its_own_staff_only,);
    use super::*;
}

async fn drain(app: &TestApp) -> usize {
    let m = app.running.mailer.as_ref().expect("a mailer");
    m.send_due(app.store(), 100).await.sent
}

/// The invitation link in the newest decoded mail to `to`.
fn link_in_mail(sink: &Sink, to: &str) -> String {
    let mail = sink.mails().into_iter().rev().find(|m| m.to.contains(to)).expect("a mail to the address");
    let at = mail.text.find("/welcome/").expect("a link in the text");
    mail.text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect()
}

async fn role(app: &TestApp, uid: i64) -> Option<String> {
    membership::Entity::find()
        .filter(membership::Column::UserId.eq(uid))
        .one(&app.store().db)
        .await
        .unwrap()
        .map(|m| m.role)
}

async fn create_platform(admin: &crate::helpers::Client, credit: &str) -> crate::helpers::Page {
    admin
        .post_form(
            "/do/admin/platforms",
            &[
                ("name", "新风直播"),
                ("name_en", "Xinfeng Live"),
                ("code", "xinfeng"),
                ("credit_code", credit),
                ("domicile_region", "330106"),
                ("domicile_address", "浙江省杭州市西湖区天目山路1号"),
            ],
        )
        .await
}

pub async fn create_agency(admin: &crate::helpers::Client, region: &str) -> crate::helpers::Page {
    admin
        .post_form(
            "/do/admin/agencies",
            &[
                ("name", "杭州市滨江区市场监督管理局"),
                ("name_en", "Binjiang District AMR"),
                ("kind", "MARKET_SUPERVISION"),
                ("region", region),
            ],
        )
        .await
}

async fn the_admin_creates_a_platform_and_an_agency_with_checked_codes(app: TestApp) {
    let admin = app.signed_in("admin@demo.redline").await;
    let db = &app.store().db;
    let bad = create_platform(&admin, "91330106MA2J0K1L").await;
    assert_eq!(bad.url, "/admin");
    assert!(bad.body.contains("统一社会信用代码应为18位，当前为16位"), "the field's message");
    assert!(bad.body.contains("value=\"新风直播\""), "typed values are kept");
    assert_eq!(platform::Entity::find().count(db).await.unwrap(), 2, "nothing created");
    let ok = create_platform(&admin, &code("91330106MA2J0K1L3")).await;
    assert!(ok.body.contains("已创建平台：新风直播"), "{}", ok.url);
    let p = platform::Entity::find().filter(platform::Column::Code.eq("xinfeng")).one(db).await.unwrap().unwrap();
    assert_eq!((p.domicile_region.as_str(), p.uscc.as_str()), ("330106", code("91330106MA2J0K1L3").as_str()));
    let again = create_platform(&admin, &code("91330106MA2J0K1L4")).await;
    assert!(again.body.contains("该代号已被使用"));
    // An agency's level is its division's.
    let a = create_agency(&admin, "330108").await;
    assert!(a.body.contains("已创建：杭州市滨江区市场监督管理局（COUNTY）"), "{}", a.body.len());
    let dup = create_agency(&admin, "330108").await;
    assert!(dup.body.contains("该行政区划已有机构"));
    let city = admin
        .post_form(
            "/do/admin/agencies",
            &[
                ("name", "宁波市市场监督管理局"),
                ("name_en", "Ningbo AMR"),
                ("kind", "MARKET_SUPERVISION"),
                ("region", "330200"),
            ],
        )
        .await;
    assert!(city.body.contains("PREFECTURE"));
    let levels: Vec<String> = agency::Entity::find().all(db).await.unwrap().into_iter().map(|a| a.level).collect();
    assert_eq!(levels, vec!["COUNTY", "COUNTY", "COUNTY", "PREFECTURE", "COUNTY", "PREFECTURE"]);
    // Nobody else creates organisations.
    let staff = app.signed_in("platform@demo.redline").await;
    let refused = create_agency(&staff, "330109").await;
    assert_eq!(refused.url, "/admin");
    assert!(refused.body.contains("仅管理员可访问"));
    assert_eq!(agency::Entity::find().count(db).await.unwrap(), 6);
}

async fn an_organisations_administrator_invites_and_manages_its_own_staff_only(app: TestApp, sink: Arc<Sink>) {
    let admin = app.signed_in("admin@demo.redline").await;
    create_platform(&admin, &code("91330106MA2J0K1L3")).await;
    let db = &app.store().db;
    let p = platform::Entity::find().filter(platform::Column::Code.eq("xinfeng")).one(db).await.unwrap().unwrap();
    let org = format!("platform:{}", p.id);
    let sent = admin
        .post_form("/do/admin/grant", &[("email", "boss@xinfeng.example"), ("org", &org), ("role", "ADMIN")])
        .await;
    assert!(sent.body.contains("已向 boss@xinfeng.example 发送邀请链接"));
    assert_eq!(drain(&app).await, 1);
    let link = link_in_mail(&sink, "boss@xinfeng.example");
    let boss = app.client();
    let r = boss.post_form(&format!("/do{link}"), &[("name", "新风主管"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/platform");
    let page = boss.get("/org").await;
    assert!(page.body.contains("新风直播") && page.body.contains("boss@xinfeng.example"));
    // The boss invites a colleague as staff, who joins through the mailed link.
    let inv = boss
        .post_form(
            &format!("/do/orgs/platform/{}/invite", p.id),
            &[("email", "kefu@xinfeng.example"), ("role", "STAFF")],
        )
        .await;
    assert!(inv.body.contains("已向 kefu@xinfeng.example 发送邀请链接"), "{}", inv.url);
    assert_eq!(drain(&app).await, 1);
    let link = link_in_mail(&sink, "kefu@xinfeng.example");
    let kefu = app.client();
    kefu.post_form(&format!("/do{link}"), &[("name", "客服小王"), ("password", "a-long-password")]).await;
    let kefu_id =
        user::Entity::find().filter(user::Column::Email.eq("kefu@xinfeng.example")).one(db).await.unwrap().unwrap().id;
    assert_eq!(role(&app, kefu_id).await.as_deref(), Some("STAFF"));
    // Staff cannot invite or manage; the boss cannot manage another organisation.
    assert!(kefu.get("/org").await.body.contains("仅机构管理员可访问"));
    let refused =
        kefu.post_form(&format!("/do/orgs/platform/{}/invite", p.id), &[("email", "x@xinfeng.example")]).await;
    assert_eq!(refused.url, "/org");
    assert!(refused.body.contains("仅机构管理员可访问"));
    let other = boss.post_form("/do/orgs/platform/1/invite", &[("email", "y@xinfeng.example")]).await;
    assert!(other.body.contains("无权查看或执行此操作"), "{}", other.url);
    assert_eq!(drain(&app).await, 0, "nothing was sent for refused invitations");
    // Promote, then remove; the boss cannot demote themselves.
    boss.post_form(&format!("/do/orgs/platform/{}/members/{kefu_id}", p.id), &[("role", "ADMIN")]).await;
    assert_eq!(role(&app, kefu_id).await.as_deref(), Some("ADMIN"));
    boss.post_form(&format!("/do/orgs/platform/{}/members/{kefu_id}", p.id), &[("role", "REMOVE")]).await;
    assert_eq!(role(&app, kefu_id).await, None);
    assert!(kefu.get("/platform").await.body.contains("无权查看此队列"), "no longer platform staff");
    let boss_id =
        user::Entity::find().filter(user::Column::Email.eq("boss@xinfeng.example")).one(db).await.unwrap().unwrap().id;
    let own = boss.post_form(&format!("/do/orgs/platform/{}/members/{boss_id}", p.id), &[("role", "STAFF")]).await;
    assert!(own.body.contains("不能更改自己的角色"));
    assert_eq!(role(&app, boss_id).await.as_deref(), Some("ADMIN"));
}
