//! T24 (Order 121 Arts. 23(6), 42): the platform or the agency marks a case as
//! suspected fraud with a reason; the case leaves the normal path (the clocks
//! that move it on by themselves are held, so a missed D1 moves nothing), the
//! mark shows in the queues, and lifting it lets the clocks run again with the
//! held days added. Filed Monday 2026-11-23: D1 (5 working days) is due
//! Monday 2026-11-30.
use crate::helpers::{case_events, case_row, clock_of, date, escalated_case, file_case, TestApp};

on_both_backends!(
    t24_order121_arts23_6_42_a_suspicion_holds_the_case_and_shows_in_the_queues,
    t24_order121_art23_6_only_the_platform_or_the_agency_marks_and_never_without_a_reason,
    t24_order121_art23_6_a_clock_started_on_a_suspect_case_starts_held,
);

async fn t24_order121_arts23_6_42_a_suspicion_holds_the_case_and_shows_in_the_queues(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    assert_eq!(clock_of(&app, &case_no, "D1").await.due_on, date("2026-11-30"));
    let platform = app.signed_in("platform@demo.redline").await;
    let reason = "同一收货地址三日内对本直播间提出12起“吃出异物”索赔，照片元数据显示拍摄于下单之前";
    let marked =
        platform.post_form(&format!("/do/cases/{case_no}/fraud"), &[("role", "platform"), ("reason", reason)]).await;
    assert!(marked.body.contains("已标记为涉嫌欺诈：自动推进的时限已暂停。"), "{}", marked.url);
    let c = case_row(&app, &case_no).await;
    assert!(c.fraud_suspected && c.fraud_reason.as_deref() == Some(reason));
    assert_eq!(clock_of(&app, &case_no, "D1").await.status, "PAUSED");
    assert_eq!(clock_of(&app, &case_no, "D4").await.status, "RUNNING", "the platform's record duty runs on");
    // Past D1's due day: no automatic move to the platform.
    app.move_to("2026-12-02 09:00");
    server::jobs::run_until_idle(app.store()).await;
    assert_eq!(case_row(&app, &case_no).await.state, c.state, "nothing moved the suspect case");
    // The operator holds it (the platform's list has what reached the platform).
    let queue = app.signed_in("operator@demo.redline").await.get("/operator").await;
    assert!(queue.body.contains(&case_no));
    assert_eq!(queue.body.matches("badge red fraud-suspected").count(), 1);
    let seen = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(seen.body.contains("已标记为涉嫌欺诈") && seen.body.contains(reason), "the parties see the mark");
    assert!(!seen.body.contains("id=\"fraud-form\""), "the consumer cannot lift it");
    // Lifted on Wednesday 2026-12-02 09:00: D1 runs again with the nine days it was held
    // (from Monday 10:00; a started day counts whole) added to its due day.
    let lifted = platform
        .post_form(
            &format!("/do/cases/{case_no}/fraud/lift"),
            &[("role", "platform"), ("reason", "经核实为不同消费者")],
        )
        .await;
    assert!(lifted.body.contains("已撤销涉嫌欺诈标记"));
    let d1 = clock_of(&app, &case_no, "D1").await;
    assert_eq!((d1.status.as_str(), d1.due_on), ("RUNNING", date("2026-12-09")));
    assert!(!case_row(&app, &case_no).await.fraud_suspected);
    assert_eq!(
        (case_events(&app, &case_no, "FRAUD_SUSPECTED").await, case_events(&app, &case_no, "FRAUD_CLEARED").await),
        (1, 1)
    );
    assert!(consumer.get(&format!("/cases/{case_no}")).await.body.contains("data-intact=\"true\""));
}

async fn t24_order121_art23_6_only_the_platform_or_the_agency_marks_and_never_without_a_reason(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let path = format!("/do/cases/{case_no}/fraud");
    for (who, role) in [("consumer@demo.redline", "platform"), ("operator@demo.redline", "regulator")] {
        let c = app.signed_in(who).await;
        let p = c.post_form(&path, &[("role", role), ("reason", "我认为对方欺诈")]).await;
        assert!(p.body.contains("无权查看或执行此操作"), "{who}");
    }
    let regulator = app.signed_in("regulator@demo.redline").await;
    let blank = regulator.post_form(&path, &[("role", "regulator"), ("reason", "  ")]).await;
    assert!(blank.body.contains("请写明理由和依据"));
    assert!(!case_row(&app, &case_no).await.fraud_suspected);
    let ok = regulator.post_form(&path, &[("role", "regulator"), ("reason", "投诉人承认调包商品")]).await;
    assert!(ok.body.contains("已标记为涉嫌欺诈"));
    let again = regulator.post_form(&path, &[("role", "regulator"), ("reason", "再次标记")]).await;
    assert!(again.body.contains("该案件已标记为涉嫌欺诈"));
    assert_eq!(case_events(&app, &case_no, "FRAUD_SUSPECTED").await, 1);
    let queue = regulator.get("/regulator").await;
    assert_eq!(queue.body.matches("badge red fraud-suspected").count(), 1);
}

/// A step taken on a marked case starts its next clock held: an offer made
/// after the mark does not let D2 close the case for no feedback (T9) by itself.
async fn t24_order121_art23_6_a_clock_started_on_a_suspect_case_starts_held(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let platform = app.signed_in("platform@demo.redline").await;
    platform
        .post_form(&format!("/do/cases/{case_no}/fraud"), &[("role", "platform"), ("reason", "照片系网络图片")])
        .await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    let state = case_row(&app, &case_no).await.state;
    assert_eq!(state, "CONSUMER_REVIEW");
    assert_eq!(clock_of(&app, &case_no, "D2").await.status, "PAUSED");
    app.move_to("2026-12-10 09:00");
    server::jobs::run_until_idle(app.store()).await;
    assert_eq!(case_row(&app, &case_no).await.state, state, "D2 did not close the suspect case");
}
