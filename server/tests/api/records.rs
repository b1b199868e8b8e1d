//! The consumer's records request (Order 117 Art. 18): the complainant asks
//! the platform for the operator's and marketer's identity and the Art. 16
//! records; the platform answers within its D4 working days (the D4R clock);
//! a missed answer is flagged for market supervision once and changes
//! nothing else. Filed on Monday 2026-11-23, so the answer is due on
//! Thursday 2026-11-26.
use crate::helpers::{case_events, case_row, clock_of, date, escalated_case, file_case, TestApp};
use redline_store::entity::{notification, records_request as rr};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order117_art18_the_platform_answers_a_records_request_within_d4,
    order117_art18_an_unanswered_request_is_flagged_for_market_supervision_once,
);

async fn requests(app: &TestApp, case_no: &str) -> Vec<rr::Model> {
    let c = case_row(app, case_no).await;
    redline_store::case::records::for_case(&app.store().db, c.id).await.unwrap()
}

async fn notices(app: &TestApp, email: &str, kind: &str) -> u64 {
    let u = redline_store::entity::user::Entity::find()
        .filter(redline_store::entity::user::Column::Email.eq(email))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(u.id))
        .filter(notification::Column::Kind.eq(kind))
        .count(&app.store().db)
        .await
        .unwrap()
}

async fn order117_art18_the_platform_answers_a_records_request_within_d4(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let path = format!("/do/cases/{case_no}/records");
    let none = consumer.post_form(&path, &[]).await;
    assert!(none.body.contains("请至少选择一项要调取的记录"));
    assert!(requests(&app, &case_no).await.is_empty());
    let asked =
        consumer.post_form(&path, &[("records", "REPLAY"), ("records", "IDENTITY"), ("records", "ORDER")]).await;
    assert!(asked.body.contains("已向平台申请调取，平台应于 2026-11-26 前答复。"), "{}", asked.url);
    let rows = requests(&app, &case_no).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].items.as_str(), rows[0].due_on), ("IDENTITY,ORDER,REPLAY", date("2026-11-26")));
    let k = clock_of(&app, &case_no, "D4R").await;
    assert_eq!((k.status.as_str(), k.due_on), ("RUNNING", date("2026-11-26")));
    // D4R runs beside the case: the queues still sort it by the operator's D1.
    assert_eq!(case_row(&app, &case_no).await.next_due_on, date("2026-11-30"));
    assert_eq!(notices(&app, "platform@demo.redline", "RECORDS_REQUESTED").await, 1);
    // One at a time; only the complainant asks; only the platform answers.
    let again = consumer.post_form(&path, &[("records", "CHAT")]).await;
    assert!(again.body.contains("上一次调取申请尚未答复"));
    let operator = app.signed_in("operator@demo.redline").await;
    let answer_path = format!("/do/cases/{case_no}/records/answer");
    let forged = operator.post_form(&answer_path, &[("answer", "不提供")]).await;
    assert!(forged.body.contains("无权查看或执行此操作"));
    assert!(requests(&app, &case_no).await[0].answered_at.is_none());
    let platform = app.signed_in("platform@demo.redline").await;
    let page = platform.get(&format!("/cases/{case_no}")).await;
    assert!(
        page.body.contains("id=\"records-answer-form\"") && page.body.contains("经营者、主播的真实身份信息和联系方式")
    );
    let blank = platform.post_form(&answer_path, &[("answer", " ")]).await;
    assert!(blank.body.contains("请填写提供的信息或不能提供的理由"));
    let text = "运营者：杭州优选电子商务有限公司，电话 0571-88886666；订单 XH20261120001 于 2026-11-20 支付 299.00 元；回放 replay://xinghe/XH-8801/latest";
    let answered = platform.post_form(&answer_path, &[("answer", text)]).await;
    assert!(answered.body.contains("已答复消费者的调取申请。"));
    let k = clock_of(&app, &case_no, "D4R").await;
    assert_eq!(k.status, "STOPPED");
    let seen = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(seen.body.contains("杭州优选电子商务有限公司，电话 0571-88886666"));
    assert!(seen.body.contains("id=\"records-form\""), "a new request may follow");
    assert_eq!(notices(&app, "consumer@demo.redline", "RECORDS_SUPPLIED").await, 1);
    assert_eq!(
        (case_events(&app, &case_no, "RECORDS_REQUESTED").await, case_events(&app, &case_no, "RECORDS_SUPPLIED").await),
        (1, 1)
    );
    assert!(seen.body.contains("data-intact=\"true\""), "the chain holds the request and the answer");
    assert!(!case_row(&app, &case_no).await.records_overdue);
}

async fn order117_art18_an_unanswered_request_is_flagged_for_market_supervision_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let state = case_row(&app, &case_no).await.state;
    consumer.post_form(&format!("/do/cases/{case_no}/records"), &[("records", "IDENTITY")]).await;
    // The last day is still in time.
    app.move_to("2026-11-26 23:00");
    server::jobs::run_until_idle(app.store()).await;
    assert!(!case_row(&app, &case_no).await.records_overdue);
    app.move_to("2026-11-27 09:00");
    server::jobs::run_until_idle(app.store()).await;
    server::jobs::run_until_idle(app.store()).await;
    let c = case_row(&app, &case_no).await;
    assert!(c.records_overdue && requests(&app, &case_no).await[0].overdue);
    assert_eq!(c.state, state, "no other effect on the case");
    assert_eq!(case_events(&app, &case_no, "RECORDS_OVERDUE").await, 1, "flagged once");
    assert_eq!(clock_of(&app, &case_no, "D4R").await.status, "EXPIRED");
    // Market supervision sees it in its queue and on the case.
    let regulator = app.signed_in("regulator@demo.redline").await;
    let queue = regulator.get("/regulator").await;
    assert_eq!(queue.body.matches("records-overdue").count(), 1, "one case flagged");
    let page = regulator.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("平台逾期未答复：可能违反办法第十八条"));
    // A late answer is still recorded; the flag stays.
    let platform = app.signed_in("platform@demo.redline").await;
    platform.post_form(&format!("/do/cases/{case_no}/records/answer"), &[("answer", "已补充提供")]).await;
    assert!(requests(&app, &case_no).await[0].answered_at.is_some());
    assert!(case_row(&app, &case_no).await.records_overdue);
}
