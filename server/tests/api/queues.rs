//! Staff queues read nearest deadline first, whatever the order of filing.
use crate::helpers::{date, escalated_case, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The platform confirms it keeps the replay, which stops D4 (its own clock),
/// so the queue follows the agency's clocks.
async fn preserve(app: &TestApp, case_no: &str) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/cases/{case_no}/preservation", app.url))
        .bearer_auth(redline_store::seed::DEMO_API_KEY)
        .json(&serde_json::json!({ "decision": "confirm", "replay_ref": "replay://x", "retain_until": "2030-01-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

on_both_backends!(the_regulator_queue_puts_the_nearest_deadline_first, the_agency_tip_queue_puts_the_nearest_d9_first);

/// The values of `attr="…"` on a page, in order.
fn listed(body: &str, attr: &str, among: &[String]) -> Vec<String> {
    body.split(&format!("{attr}=\""))
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .filter(|v| among.contains(v))
        .collect()
}

async fn the_regulator_queue_puts_the_nearest_deadline_first(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    // Mon 2026-11-23: A escalated and accepted (mediation runs 60 days: 2027-01-22).
    let a = escalated_case(&app, &consumer).await;
    preserve(&app, &a).await;
    reg.act(&a, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&a, "regulator", "START_MEDIATION", &[]).await;
    // Tue 11-24: B and C escalated; seven working days to accept (D5): 2026-12-03.
    app.advance_days(1);
    let b = escalated_case(&app, &consumer).await;
    let c = escalated_case(&app, &consumer).await;
    preserve(&app, &b).await;
    preserve(&app, &c).await;
    let all = [a.clone(), b.clone(), c.clone()];
    let dues: Vec<_> = {
        let mut d = Vec::new();
        for x in &all {
            d.push(crate::helpers::case_row(&app, x).await.next_due_on);
        }
        d
    };
    assert_eq!(dues, [date("2027-01-22"), date("2026-12-03"), date("2026-12-03")]);
    let q = reg.get("/regulator").await;
    assert_eq!(listed(&q.body, "data-case", &all), [b, c, a]);
}

async fn the_agency_tip_queue_puts_the_nearest_d9_first(app: TestApp) {
    let anon = app.client();
    // Mon 11-23: tip A (D9: 2026-12-14), at once extended to 30 working days (into 2027).
    let (a, _) = crate::tips::file(&anon, "主播称该饮品可以三天美白。", "").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.post_form(&format!("/do/staff/tips/{a}/regulator"), &[("act", "extend"), ("message", "需委托检测")]).await;
    // Wed 11-25: tips B and C (D9: 2026-12-16).
    app.advance_days(2);
    let (b, _) = crate::tips::file(&anon, "主播称该饮品原价999元，从未成交。", "").await;
    let (c, _) = crate::tips::file(&anon, "数字人主播全程未作标识。", "").await;
    let all = [a.clone(), b.clone(), c.clone()];
    for (t, due) in [(&a, None), (&b, Some("2026-12-16")), (&c, Some("2026-12-16"))] {
        let row = redline_store::entity::tip::Entity::find()
            .filter(redline_store::entity::tip::Column::TipNo.eq(t.as_str()))
            .one(&app.store().db)
            .await
            .unwrap()
            .unwrap();
        match due {
            Some(d) => assert_eq!(row.d9_due_on, Some(date(d))),
            None => assert!(row.d9_extended && row.d9_due_on > Some(date("2026-12-31")), "{:?}", row.d9_due_on),
        }
    }
    let q = reg.get("/regulator/tips").await;
    assert_eq!(listed(&q.body, "data-tip", &all), [b, c, a]);
}
