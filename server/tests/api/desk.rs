//! The monitoring desk (issue 14, part 1): figures rebuilt by the `desk` job
//! from hand-counted cases, each scoped to the reader (a regulator's region, a
//! platform's rooms), each figure leading to the cases it counts, and the CSV
//! downloads of the table and of a figure's list.
use crate::helpers::{file_case, Client, TestApp, ESCALATION};
use server::jobs::{Job, JobContext};

on_both_backends!(order117_art20_desk_counts_hand_counted_cases_and_links_each_figure_to_them);

/// The figure `name` of the desk's total row (its text, tags dropped).
fn total(body: &str, name: &str) -> String {
    let foot = body.split("<tfoot>").nth(1).unwrap_or_default().split("</tfoot>").next().unwrap_or_default();
    let at = foot.split(&format!("data-figure=\"{name}\"")).nth(1).unwrap_or_default();
    at.split_once('>').map(|(_, r)| r).unwrap_or_default().split('<').next().unwrap_or_default().to_owned()
}

/// The link of figure `name` in the total row, if it is one.
fn link(body: &str, name: &str) -> Option<String> {
    let foot = body.split("<tfoot>").nth(1)?.split("</tfoot>").next()?;
    let before = foot.split(&format!("data-figure=\"{name}\"")).next()?;
    let tag = before.rsplit('<').next()?;
    if !tag.starts_with("a ") {
        return None;
    }
    Some(tag.split("href=\"").nth(1)?.split('"').next()?.replace("&amp;", "&"))
}

/// The case numbers a work list shows.
async fn listed(c: &Client, path: &str) -> Vec<String> {
    let p = c.get(path).await;
    assert_eq!(p.status, 200, "{path}");
    p.body.split("data-case=\"").skip(1).map(|s| s.split('"').next().unwrap_or_default().to_owned()).collect()
}

async fn order117_art20_desk_counts_hand_counted_cases_and_links_each_figure_to_them(app: TestApp) {
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    let consumer = app.signed_in("consumer@demo.redline").await;
    let op = app.signed_in("operator@demo.redline").await;
    let plat = app.signed_in("platform@demo.redline").await;
    let mut c = Vec::new();
    for _ in 0..5 {
        c.push(file_case(&consumer).await);
    }
    // c0 resolved on the day; c1 goes to the platform; c2 withdrawn; c3 to market supervision; c4 untouched.
    op.act(&c[0], "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    consumer.act(&c[0], "consumer", "CONSUMER_ACCEPT", &[]).await;
    op.act(&c[1], "operator", "OPERATOR_RESPOND", &[("offer", "PARTIAL"), ("remedy", "退款50元")]).await;
    consumer.act(&c[1], "consumer", "CONSUMER_REJECT", &[]).await;
    consumer.act(&c[2], "consumer", "WITHDRAW", &[]).await;
    plat.act(&c[3], "platform", "PLATFORM_INTERVENE", &[]).await;
    plat.act(&c[3], "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "不支持")]).await;
    consumer.act(&c[3], "consumer", "CONSUMER_REJECT", &[]).await;
    consumer.act(&c[3], "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;

    // One week's row (one place, one platform) and each period's row of the one room.
    assert_eq!(Job::Desk.run(&ctx).await.unwrap().done, 4);
    app.running.time.advance(5 * 60);
    assert_eq!(Job::Desk.run(&ctx).await.unwrap().done, 0, "rebuilt at most every fifteen minutes");

    let p = plat.get("/desk").await;
    assert_eq!(p.status, 200);
    let figures = |b: &str| {
        ["received", "open_operator", "open_platform", "open_regulator", "resolved", "to_regulator"]
            .map(|n| total(b, n))
    };
    assert_eq!(figures(&p.body), ["5", "1", "1", "1", "1", "1"].map(String::from));
    assert!(p.body.contains("id=\"chart-weekly\"") && p.body.contains("id=\"chart-timely\""));

    // Eight days on (Tuesday 2026-12-01): c4's first answer was due Monday
    // 2026-11-30 (five working days), c1's platform decision too.
    app.running.time.advance(8 * 24 * 3600);
    assert_eq!(Job::Desk.run(&ctx).await.unwrap().done, 4);
    let p = plat.get("/desk").await;
    assert!(p.body.contains("2026-09-07"), "thirteen weeks back from the week of 2026-11-30");
    let late_d1 = link(&p.body, "late").expect("late answers lead to their cases");
    assert_eq!(
        late_d1, "/platform?tab=all&since=2026-09-07&outcome=late_D1",
        "the total row's first late figure is the first answer's"
    );
    assert_eq!(listed(&plat, &late_d1).await, [c[4].clone()]);
    assert_eq!(listed(&plat, &link(&p.body, "resolved").unwrap()).await, [c[0].clone()]);
    let open_platform = link(&p.body, "open_platform").unwrap();
    assert_eq!(open_platform, "/platform?tab=all&since=2026-09-07&held=platform");
    assert_eq!(listed(&plat, &open_platform).await, [c[1].clone()]);

    // The table as CSV: UTF-8 with BOM, the total last.
    let csv = plat.get("/desk.csv?table=lines").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for Excel");
    let last = csv.body.lines().last().unwrap();
    // received 5; open 1/1/1; D1 4 of 5 in time, 1 late; D3 1 of 2, 1 late;
    // D5 none ended; D6 none; resolved 1 (20 %), median 0 days; escalated 1 (20 %).
    assert_eq!(last, ",合计,5,1,1,1,80,1,50,1,,0,,0,1,20,0,1,20");
    // A figure's list as CSV: every page, the same cases.
    let list = plat.get(&late_d1.replacen('?', ".csv?", 1)).await;
    let rows: Vec<&str> = list.body.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", list.body);
    assert!(rows[0].starts_with(&format!("{},", c[4])));

    // Market supervision of 拱墅区 (the operator's domicile, 330105) sees the
    // same counts, and follows only what reached it.
    let reg = app.signed_in("regulator@demo.redline").await;
    let p = reg.get("/desk").await;
    assert_eq!(figures(&p.body), ["5", "1", "1", "1", "1", "1"].map(String::from));
    assert_eq!(link(&p.body, "received"), None, "cases still with a party are not in its list");
    let held = link(&p.body, "open_regulator").unwrap();
    assert_eq!(held, "/regulator?tab=all&since=2026-09-07&held=regulator");
    assert_eq!(listed(&reg, &held).await, [c[3].clone()]);
    // 西湖区 covers none of them; 杭州市 covers its districts.
    let west = app.signed_in("regulator2@demo.redline").await;
    assert_eq!(total(&west.get("/desk").await.body, "received"), "0");
    let city = app.signed_in("regulator-city@demo.redline").await;
    assert_eq!(total(&city.get("/desk").await.body, "received"), "5");

    // Thursday 2026-12-03: acceptance of c3 was due Wednesday 2026-12-02 (seven
    // working days from 2026-11-23). Accepted a day late, its D5 stops late:
    // counted late, and listed behind the late figure (Order 121 Art. 15).
    app.running.time.advance(2 * 24 * 3600);
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&c[3], "regulator", "REGULATOR_ACCEPT", &[]).await;
    assert_eq!(Job::Desk.run(&ctx).await.unwrap().done, 4);
    let plat = app.signed_in("platform@demo.redline").await;
    let last = plat.get("/desk.csv?table=lines").await.body.lines().last().unwrap().to_owned();
    let cells: Vec<&str> = last.split(',').collect();
    assert_eq!((cells[10], cells[11]), ("0", "1"), "D5: none of one in time, one late: {last}");
    let p = reg.get("/desk").await;
    let late_d5 = "/regulator?tab=all&since=2026-09-07&outcome=late_D5";
    assert!(p.body.replace("&amp;", "&").contains(late_d5), "the late acceptance leads to its case");
    assert_eq!(listed(&reg, late_d5).await, [c[3].clone()]);

    // Not staff: no desk, no download.
    let p = consumer.get("/desk").await;
    assert!(p.body.contains("仅平台和监管部门工作人员可查看") && !p.body.contains("<tfoot>"));
    assert_eq!(consumer.get("/desk.csv").await.status, 403);
    assert_eq!(consumer.get("/platform.csv").await.status, 403);
}
