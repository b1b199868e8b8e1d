//! A tip's clocks beyond D9's extension: days held for testing do not count
//! toward D9 (Penalty Procedure Rules Art. 18), and a case opened on a tip
//! gets D10, 90 natural days extendable once by 30 with a recorded approval
//! (Art. 64); a missed D10 is flagged for the agency once. Received Monday
//! 2026-11-23: D9 ends Monday 2026-12-14.
use crate::helpers::{date, TestApp};
use crate::tips::{events_of, file, row};

on_both_backends!(
    penalty_rules_art18_days_held_for_testing_do_not_count_toward_d9,
    penalty_rules_art64_a_case_on_a_tip_is_decided_within_90_days_extendable_by_30,
);

/// How many events of this type a tip's chain holds.
async fn events(app: &TestApp, tip_id: i64, kind: &str) -> u64 {
    events_of(app, tip_id).await.iter().filter(|e| *e == kind).count() as u64
}

async fn penalty_rules_art18_days_held_for_testing_do_not_count_toward_d9(app: TestApp) {
    let (tip_no, _) = file(&app.client(), "主播称该饮品可以三天美白。", "").await;
    assert_eq!(row(&app, &tip_no).await.d9_due_on, Some(date("2026-12-14")));
    let reg = app.signed_in("regulator@demo.redline").await;
    let url = format!("/do/staff/tips/{tip_no}/regulator");
    let bare = reg.post_form(&url, &[("act", "pause"), ("message", "")]).await;
    assert!(bare.body.contains("须记录理由"));
    assert!(row(&app, &tip_no).await.d9_paused_at.is_none());
    // Held from Wednesday 2026-11-25 10:00 to Monday 2026-11-30 09:00: five started days.
    app.move_to("2026-11-25 10:00");
    reg.post_form(&url, &[("act", "pause"), ("message", "样品送检测机构检测")]).await;
    assert!(row(&app, &tip_no).await.d9_paused_at.is_some());
    // Past the original due day while held: not overdue.
    app.move_to("2026-12-16 08:00");
    server::jobs::notify(app.store()).await.unwrap();
    let held = row(&app, &tip_no).await;
    assert!(!held.d9_overdue, "a held verification is not overdue");
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get(&format!("/staff/tips/{tip_no}")).await;
    assert!(page.body.contains("检测等中止中，期间不计入") && page.body.contains("value=\"resume\""));
    reg.post_form(&url, &[("act", "resume"), ("message", "检测报告已出具")]).await;
    let t = row(&app, &tip_no).await;
    // 2026-11-25 10:00 → 2026-12-16 08:00 is 20 days 22 hours: 21 days held;
    // 2026-12-14 plus 21 natural days is 2027-01-04.
    assert_eq!((t.d9_paused_days, t.d9_due_on, t.d9_overdue), (21, Some(date("2027-01-04")), false));
    assert_eq!((events(&app, t.id, "D9_PAUSED").await, events(&app, t.id, "D9_RESUMED").await), (1, 1));
    // The extension counts the held days too.
    reg.post_form(&url, &[("act", "extend"), ("message", "案情复杂，经负责人批准延长")]).await;
    assert_eq!(row(&app, &tip_no).await.d9_due_on, Some(date("2027-01-25")));
}

async fn penalty_rules_art64_a_case_on_a_tip_is_decided_within_90_days_extendable_by_30(app: TestApp) {
    let (tip_no, _) = file(&app.client(), "主播称该饮品可以三天美白。", "").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let url = format!("/do/staff/tips/{tip_no}/regulator");
    app.move_to("2026-11-25 10:00");
    reg.post_form(&url, &[("act", "file"), ("message", "立案调查")]).await;
    let t = row(&app, &tip_no).await;
    assert_eq!((t.d10_start_on, t.d10_due_on), (Some(date("2026-11-25")), Some(date("2027-02-23"))));
    let bare = reg.post_form(&url, &[("act", "extend_decision"), ("message", "")]).await;
    assert!(bare.body.contains("须记录理由"));
    reg.post_form(&url, &[("act", "extend_decision"), ("message", "经局长批准延长三十日")]).await;
    let t = row(&app, &tip_no).await;
    assert_eq!((t.d10_extended, t.d10_due_on), (true, Some(date("2027-03-25"))));
    assert_eq!(t.d10_approval.as_deref(), Some("经局长批准延长三十日"));
    let again = reg.post_form(&url, &[("act", "extend_decision"), ("message", "再次延长")]).await;
    assert!(again.body.contains("处理期限只能延长一次"));
    // Missed: flagged once, nothing decided for the agency.
    app.move_to("2027-03-26 09:00");
    server::jobs::notify(app.store()).await.unwrap();
    server::jobs::notify(app.store()).await.unwrap();
    let t = row(&app, &tip_no).await;
    assert!(t.d10_overdue && t.regulator_status == "CASE_FILED");
    assert_eq!(events(&app, t.id, "D10_OVERDUE").await, 1);
}
