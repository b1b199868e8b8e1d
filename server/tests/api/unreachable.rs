//! D15 (Order 117 Art. 22): the agency handling a case tells the platform the
//! operator cannot be reached at the registered address; the platform records
//! its reminder within five working days; a notice left past that day is
//! flagged once for the agency (penalty route Order 117 Art. 54). Notified
//! Monday 2026-11-23: due Monday 2026-11-30.
use crate::helpers::{case_events, date, escalated_case, TestApp};
use redline_store::entity::unreachable_notice as un;
use sea_orm::EntityTrait;
use server::jobs::{Job, JobContext};

on_both_backends!(
    d15_order117_art22_the_platform_reminds_an_unreachable_operator_within_5_working_days,
    d15_order117_arts22_54_a_notice_left_unanswered_is_flagged_once,
);

const NOTE: &str = "按平台登记地址邮寄的询问函被退回，登记电话停机";

async fn d15_order117_art22_the_platform_reminds_an_unreachable_operator_within_5_working_days(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let path = format!("/do/cases/{case_no}/unreachable");
    for who in ["consumer@demo.redline", "platform@demo.redline", "operator@demo.redline"] {
        let p = app.signed_in(who).await.post_form(&path, &[("party", "OPERATOR"), ("note", NOTE)]).await;
        assert!(p.body.contains("无权查看或执行此操作"), "{who}");
    }
    let reg = app.signed_in("regulator@demo.redline").await;
    let short = reg.post_form(&path, &[("party", "OPERATOR"), ("note", "退回")]).await;
    assert!(short.body.contains("请写明情况"));
    let ok = reg.post_form(&path, &[("party", "OPERATOR"), ("note", NOTE)]).await;
    assert!(ok.body.contains("已通知平台"), "{}", ok.url);
    let again = reg.post_form(&path, &[("party", "OPERATOR"), ("note", NOTE)]).await;
    assert!(again.body.contains("已通知平台，等待平台提醒"));
    let n = un::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!((n[0].party.as_str(), n[0].due_on, n[0].reminded_at), ("OPERATOR", date("2026-11-30"), None));
    let plat = app.signed_in("platform@demo.redline").await;
    let page = plat.get(&format!("/cases/{case_no}")).await.body;
    assert!(page.contains(NOTE) && page.contains(&format!("/do/unreachable/{}/reminded", n[0].id)));
    let answer = format!("/do/unreachable/{}/reminded", n[0].id);
    let done = plat.post_form(&answer, &[("answer", "11月24日站内信及短信提醒运营者更新地址")]).await;
    assert!(done.body.contains("已记录提醒"), "{}", done.url);
    let twice = plat.post_form(&answer, &[("answer", "再次提醒运营者")]).await;
    assert!(twice.body.contains("平台已答复"));
    assert_eq!(
        (
            case_events(&app, &case_no, "UNREACHABLE_NOTIFIED").await,
            case_events(&app, &case_no, "UNREACHABLE_REMINDED").await
        ),
        (1, 1)
    );
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("11月24日站内信及短信提醒运营者更新地址"));
}

async fn d15_order117_arts22_54_a_notice_left_unanswered_is_flagged_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.post_form(&format!("/do/cases/{case_no}/unreachable"), &[("party", "OPERATOR"), ("note", NOTE)]).await;
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    app.move_to("2026-11-30 23:00");
    Job::Sweep.run(&ctx).await.unwrap();
    assert!(!un::Entity::find().one(&app.store().db).await.unwrap().unwrap().overdue, "due on its last day");
    app.move_to("2026-12-01 09:00");
    Job::Sweep.run(&ctx).await.unwrap();
    Job::Sweep.run(&ctx).await.unwrap();
    assert!(un::Entity::find().one(&app.store().db).await.unwrap().unwrap().overdue);
    assert_eq!(case_events(&app, &case_no, "UNREACHABLE_OVERDUE").await, 1, "once");
    let reg = app.signed_in("regulator@demo.redline").await;
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("平台逾期未提醒"));
}
