//! Clocks: the working-day deadline API, the overdue sweep and the platform's policy.
use crate::helpers::{case_row, error_fields, escalated_case, file_case, state_of, TestApp};
use redline_store::entity::{case_event, clock};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order121_art45_deadline_api_counts_working_days_across_spring_festival,
    deadline_api_refuses_bad_input_with_localized_errors,
    t5_sweep_moves_overdue_operator_case_to_platform_exactly_once,
    t11_platform_overdue_becomes_escalation_ready,
    t9_d2_expiry_after_full_offer_closes_without_feedback,
    t9_d2_expiry_after_partial_offer_goes_to_platform,
    order117_art20_platform_sets_its_own_policy_clock_lengths,
    two_processes_sweep_at_once_and_each_clock_fires_once,
    t21_termination_closes_unresolved_and_starts_d7_notice_clock,
    order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted,
);

async fn order121_art45_deadline_api_counts_working_days_across_spring_festival(app: TestApp) {
    let c = app.client();
    let (s, j) = c.json("/api/v1/deadlines?start=2026-02-13&days=7&calendar=working").await;
    assert_eq!(s, 200);
    assert_eq!(j["due"], "2026-03-02");
    assert_eq!(j["provisional"], false);
    assert!(j["summary_zh"].as_str().unwrap().contains("春节"));
    let (_, j) = c.json("/api/v1/deadlines?start=2027-03-01&days=5&calendar=working").await;
    assert_eq!(j["provisional"], true);
    let (_, j) = c.json("/api/v1/deadlines?start=2026-09-01&days=30&calendar=natural").await;
    // 2026-10-01 is National Day: a natural period ending on it moves past the holiday.
    assert_eq!(j["due"], "2026-10-08");
}

async fn deadline_api_refuses_bad_input_with_localized_errors(app: TestApp) {
    let c = app.client();
    let (s, j) = c.json("/api/v1/deadlines?start=2026-13-01&days=7").await;
    assert_eq!(s, 400);
    assert_eq!(j["error"]["code"], "bad_request");
    assert_eq!(error_fields(&j), ["start"]);
    assert!(j["error"]["fields"]["start"]["zh"].as_str().unwrap().contains("日期"));
    assert!(j["error"]["fields"]["start"]["en"].as_str().unwrap().contains("YYYY-MM-DD"));
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=-1").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["days".to_owned()]));
    let (s, j) = c.json("/api/v1/deadlines?start=%2B262142-12-31&days=1").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["start".to_owned()]), "far-future years are refused, not a panic");
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=1&calendar=lunar").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["calendar".to_owned()]));
}

async fn t5_sweep_moves_overdue_operator_case_to_platform_exactly_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    // Nothing is due yet.
    assert_eq!(redline_store::case::sweep::sweep(app.store(), 100).await.unwrap().transitions, 0);
    app.advance_days(12);
    // Two sweepers at the same moment: exactly one applies T5.
    let (a, b) = tokio::join!(
        redline_store::case::sweep::sweep(app.store(), 100),
        redline_store::case::sweep::sweep(app.store(), 100)
    );
    assert_eq!(a.unwrap().transitions + b.unwrap().transitions, 1);
    let again = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(again.transitions, 0);
    let m = case_row(&app, &case_no).await;
    assert_eq!(m.state, "PLATFORM_INTERVENTION");
    assert!(m.operator_untimely);
    let t5 = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m.id))
        .filter(case_event::Column::TransitionId.eq("T5"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(t5, 1);
    let d3 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D3"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d3.status, "RUNNING");
}

async fn t11_platform_overdue_becomes_escalation_ready(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
    app.advance_days(12);
    let c = app.client();
    let r = c.http.post(format!("{}/api/test/sweep", app.url)).send().await.unwrap();
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["transitions"], 1);
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
    let m = case_row(&app, &case_no).await;
    assert!(m.platform_untimely);
}

async fn t9_d2_expiry_after_full_offer_closes_without_feedback(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    app.advance_days(9); // D2: 7 natural days
    let r = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(r.transitions, 1);
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_NO_FEEDBACK");
}

async fn t9_d2_expiry_after_partial_offer_goes_to_platform(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "PARTIAL")]).await;
    app.advance_days(9);
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
}

async fn order117_art20_platform_sets_its_own_policy_clock_lengths(app: TestApp) {
    let plat = app.signed_in("platform@demo.redline").await;
    let bad = plat.post_form("/do/platforms/1/policy", &[("d1", "45"), ("d2", "x"), ("d3", "")]).await;
    assert!(bad.body.contains("1到10之间的整数"), "D1 at most 10 working days");
    assert!(bad.body.contains("7到30之间的整数"), "D2 never below 7 days");
    assert!(bad.body.contains("value=\"45\""), "typed value kept");
    let ok = plat.post_form("/do/platforms/1/policy", &[("d1", "3"), ("d2", ""), ("d3", "")]).await;
    assert_eq!(ok.url, "/platform/settings");
    // Another platform's settings are refused.
    let other = plat.post_form("/do/platforms/2/policy", &[("d1", "9")]).await;
    assert!(other.body.contains("无权"));
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let m = case_row(&app, &case_no).await;
    let d1 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D1"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d1.days, 3);
    let mine = consumer.get("/me/cases").await;
    assert!(mine.body.contains("data-clock=\"D1\""), "running clock shown in my cases");
}

async fn two_processes_sweep_at_once_and_each_clock_fires_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..6 {
        cases.push(file_case(&consumer).await);
    }
    app.advance_days(12);
    let other = app.second_process().await;
    let (a, b) = tokio::join!(
        redline_store::case::sweep::sweep(app.store(), 100),
        redline_store::case::sweep::sweep(&other, 100)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.transitions + b.transitions, 6, "{a:?} {b:?}");
    let t5 = case_event::Entity::find()
        .filter(case_event::Column::TransitionId.eq("T5"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(t5, 6);
    for c in cases {
        assert_eq!(state_of(&app, &c).await, "PLATFORM_INTERVENTION");
    }
}

async fn t21_termination_closes_unresolved_and_starts_d7_notice_clock(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    reg.act(&case_no, "regulator", "TERMINATE", &[("reason", "NO_AGREEMENT_POSSIBLE")]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION_TERMINATED");
    let m = case_row(&app, &case_no).await;
    let d7 = || async {
        clock::Entity::find()
            .filter(clock::Column::CaseId.eq(m.id))
            .filter(clock::Column::Kind.eq("D7"))
            .one(&app.store().db)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(d7().await.status, "RUNNING", "the notice clock runs (Order 121 Art. 23 ¶2)");
    assert!(d7().await.legal);
    let page = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-clock=\"D7\""));
    // Recording the notice closes the case and stops D7: nothing stays overdue on a closed case.
    reg.act(&case_no, "regulator", "CLOSE_TERMINATED", &[("message", "已电话及短信告知双方")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_UNRESOLVED");
    assert_eq!(d7().await.status, "STOPPED");
}

async fn order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    app.advance_days(15);
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR", "D5 has no automatic effect");
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator").await;
    let row =
        q.body.split(&format!("data-case=\"{case_no}\"")).nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    assert!(row.contains("已逾期"), "overdue marked: {row}");
}
