//! Staff work lists: tabs with counts, each read nearest deadline first on
//! the reader's own clock, whatever the order of filing. The platform's
//! replay preservation (D4) runs beside a case and orders nothing: the
//! regulator's queue below leaves every D4 running.
use crate::helpers::{date, escalated_case, file_case, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_backends!(
    the_regulator_queue_puts_the_nearest_deadline_first,
    the_agency_tip_queue_puts_the_nearest_d9_first,
    work_list_tabs_count_what_waits_what_is_due_soon_overdue_and_closed,
);

/// Each tab's count as the tab bar shows it.
fn counts(body: &str) -> Vec<(String, String)> {
    body.split("data-tab=\"")
        .skip(1)
        .map(|s| {
            let tab = s.split('"').next().unwrap().to_owned();
            let count = s.split("class=\"count").nth(1).and_then(|c| c.split('>').nth(1)).unwrap_or_default();
            (tab, count.split('<').next().unwrap_or_default().trim().to_owned())
        })
        .collect()
}

async fn work_list_tabs_count_what_waits_what_is_due_soon_overdue_and_closed(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // Filed Monday 2026-11-23: D1 ends Monday 2026-11-30.
    let cases = [file_case(&consumer).await, file_case(&consumer).await, file_case(&consumer).await];
    consumer.act(&cases[2], "consumer", "WITHDRAW", &[]).await;
    let op = app.signed_in("operator@demo.redline").await;
    let tabs = |todo: &str, soon: &str, overdue: &str, closed: &str| {
        [("all", ""), ("todo", todo), ("soon", soon), ("overdue", overdue), ("closed", closed)]
            .map(|(t, n)| (t.to_owned(), n.to_owned()))
            .to_vec()
    };
    let p = op.get("/operator").await;
    assert_eq!(counts(&p.body), tabs("2", "0", "0", "1"));
    assert_eq!(listed(&p.body, "data-case", &cases), cases[..2], "待处理 opens by default");
    let closed = op.get("/operator?tab=closed").await;
    assert_eq!(listed(&closed.body, "data-case", &cases), cases[2..]);
    // Friday 11-27: due within three days.
    app.advance_days(4);
    let p = op.get("/operator?tab=soon").await;
    assert_eq!(counts(&p.body), tabs("2", "2", "0", "1"));
    assert_eq!(listed(&p.body, "data-case", &cases), cases[..2]);
    // Tuesday 12-01, before the sweep has moved them on: overdue.
    app.advance_days(4);
    let p = op.get("/operator?tab=overdue").await;
    assert_eq!(counts(&p.body), tabs("2", "0", "2", "1"));
    assert_eq!(listed(&p.body, "data-case", &cases), cases[..2]);
    // The consumer has nothing waiting for them; an empty tab says so.
    let mine = consumer.get("/me/cases?tab=todo").await;
    assert!(mine.body.contains("id=\"queue-empty\""), "an empty tab says so");
    assert_eq!(listed(&mine.body, "data-case", &cases), Vec::<String>::new());
}

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
    reg.act(&a, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&a, "regulator", "START_MEDIATION", &[]).await;
    // Tue 11-24: B and C escalated; seven working days to accept (D5): 2026-12-03.
    app.advance_days(1);
    let b = escalated_case(&app, &consumer).await;
    let c = escalated_case(&app, &consumer).await;
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
