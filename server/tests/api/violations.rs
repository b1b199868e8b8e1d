//! T23 (Order 121 Art. 27): the agency mediating a case records a violation it
//! found; a lead linked to the case opens in that agency's tip queue, verified
//! under D8 (15 working days, once 15 more), not in the platform's report
//! queue, nor told to the parties; mediation goes on. Filed and found on Monday 2026-11-23: D8 is due
//! Monday 2026-12-14.
use crate::helpers::{case_events, date, escalated_case, state_of, TestApp};

on_both_backends!(
    t23_order121_art27_a_violation_found_in_mediation_opens_a_lead_verified_under_d8,
    d8_order121_art27_a_lead_not_verified_in_15_working_days_is_flagged_as_d8,
    t23_order121_art27_only_the_mediating_agency_records_one_and_only_in_mediation,
);

const FOUND: &str = "调解中查明：主播口播“三天美白”，产品备案为普通化妆品，涉嫌虚假宣传";

async fn t23_order121_art27_a_violation_found_in_mediation_opens_a_lead_verified_under_d8(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    let path = format!("/do/cases/{case_no}/violation");
    // Nothing chosen: refused, the text kept.
    let bare = reg.post_form(&path, &[("description", FOUND)]).await;
    assert!(bare.body.contains("请从列表中选择违法类别") && bare.body.contains("三天美白"), "{}", bare.url);
    let p = reg.post_form(&path, &[("description", FOUND), ("categories", "FALSE_ADVERTISING")]).await;
    assert!(p.body.contains("已立为核查线索：LT-2026-"), "{}", p.url);
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION", "mediation goes on");
    assert_eq!(case_events(&app, &case_no, "VIOLATION_FOUND").await, 0, "not in the chain the parties read");
    let tips = redline_store::tip::views::leads_of_case(app.store(), crate::helpers::case_row(&app, &case_no).await.id)
        .await
        .unwrap();
    assert_eq!(tips.len(), 1);
    let t = &tips[0];
    assert_eq!(
        (t.origin.as_str(), t.regulator_status.as_str(), t.platform_status.as_str(), t.d9_due_on),
        ("MEDIATION", "VERIFYING", "LINKED", Some(date("2026-12-14")))
    );
    assert_eq!((t.reporter_user_id, t.reporter_name.as_deref()), (None, None), "the agency's own finding");
    // In the agency's tip queue, marked as found in mediation; not in the platform's.
    let q = reg.get("/regulator/tips").await.body;
    assert!(q.contains(&format!("data-tip=\"{}\"", t.tip_no)));
    let page = reg.get(&format!("/staff/tips/{}", t.tip_no)).await.body;
    assert!(page.contains("data-origin=\"MEDIATION\"") && page.contains(&case_no));
    let plat = app.signed_in("platform@demo.redline").await;
    assert!(!plat.get("/platform/tips").await.body.contains(&t.tip_no));
    // Extended once with a reason, as D9 is.
    let ext = reg
        .post_form(
            &format!("/do/staff/tips/{}/regulator", t.tip_no),
            &[("act", "extend"), ("message", "需调取平台交易数据，经负责人批准延长")],
        )
        .await;
    assert!(ext.status < 400);
    let t = crate::tips::row(&app, &t.tip_no).await;
    assert!(t.d9_extended);
    // The case page lists the lead for the agency only.
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains(&format!("data-tip=\"{}\"", t.tip_no)));
    for party in ["consumer@demo.redline", "operator@demo.redline"] {
        let seen = app.signed_in(party).await.get(&format!("/cases/{case_no}")).await.body;
        assert!(!seen.contains(&t.tip_no) && !seen.contains("违法线索"), "{party} is not told of the lead");
    }
}

async fn t23_order121_art27_only_the_mediating_agency_records_one_and_only_in_mediation(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let path = format!("/do/cases/{case_no}/violation");
    let form = [("description", FOUND), ("categories", "FALSE_ADVERTISING")];
    let reg = app.signed_in("regulator@demo.redline").await;
    let early = reg.post_form(&path, &form).await;
    assert!(early.body.contains("只有调解中的案件可以登记发现的违法线索"), "not before mediation");
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    for who in ["consumer@demo.redline", "platform@demo.redline"] {
        let p = app.signed_in(who).await.post_form(&path, &form).await;
        assert!(p.body.contains("无权查看或执行此操作"), "{who}");
    }
    // Another agency's staff cannot even read the case.
    let other = app.signed_in("regulator2@demo.redline").await.post_form(&path, &form).await;
    assert!(!other.body.contains("已立为核查线索"));
    let id = crate::helpers::case_row(&app, &case_no).await.id;
    assert_eq!(redline_store::tip::views::leads_of_case(app.store(), id).await.unwrap().len(), 0);
}

async fn d8_order121_art27_a_lead_not_verified_in_15_working_days_is_flagged_as_d8(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    reg.post_form(
        &format!("/do/cases/{case_no}/violation"),
        &[("description", FOUND), ("categories", "FALSE_ADVERTISING")],
    )
    .await;
    let ctx = server::jobs::JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: None,
    };
    app.move_to("2026-12-14 23:00");
    server::jobs::Job::TipD9.run(&ctx).await.unwrap();
    let id = crate::helpers::case_row(&app, &case_no).await.id;
    let lead = &redline_store::tip::views::leads_of_case(app.store(), id).await.unwrap()[0];
    assert!(!lead.d9_overdue, "due on its last day, Monday 2026-12-14");
    app.move_to("2026-12-15 09:00");
    server::jobs::Job::TipD9.run(&ctx).await.unwrap();
    server::jobs::Job::TipD9.run(&ctx).await.unwrap();
    let events = crate::tips::events_of(&app, lead.id).await;
    assert_eq!(events.iter().filter(|e| *e == "D8_OVERDUE").count(), 1, "{events:?}");
    assert_eq!(events.iter().filter(|e| *e == "D9_OVERDUE").count(), 0);
}
