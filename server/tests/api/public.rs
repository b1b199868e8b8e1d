//! Public figures (issue 14, part 5): a room's, its operator's and its
//! platform's last twelve months, rebuilt by the `stats` job, rates shown only
//! from ten cases on; the room's public case list carries no one's data.
use crate::helpers::{case_row, file_case, TestApp};
use server::jobs::{Job, JobContext};

on_both_backends!(the_public_sees_figures_above_the_minimum_sample_and_no_ones_data);

/// The figures row `key` of the room page, tags dropped.
fn row(body: &str, key: &str) -> String {
    let r = body
        .split(&format!("data-figures=\"{key}\""))
        .nth(1)
        .unwrap_or_default()
        .split("</tr>")
        .next()
        .unwrap_or_default();
    let mut out = String::new();
    let mut tag = false;
    for ch in r.chars() {
        match ch {
            '<' => {
                tag = true;
                out.push(' ');
            }
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn the_public_sees_figures_above_the_minimum_sample_and_no_ones_data(app: TestApp) {
    let ctx = JobContext { store: app.store().clone(), vault: app.running.vault.clone() };
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..9 {
        cases.push(file_case(&consumer).await);
    }
    let room = case_row(&app, &cases[0]).await.live_room_id;
    let page = format!("/rooms/{room}");
    assert_eq!(Job::Stats.run(&ctx).await.unwrap().done, 1, "one room counted");
    let anon = app.client();
    let p = anon.get(&page).await;
    assert_eq!(row(&p.body, "room"), "本直播间 少于10 — — —", "nine cases: nothing shown");

    // The tenth; the operator answers all ten in time; six accepted, four withdrawn.
    cases.push(file_case(&consumer).await);
    let op = app.signed_in("operator@demo.redline").await;
    for c in &cases {
        op.act(c, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    }
    for c in &cases[..6] {
        consumer.act(c, "consumer", "CONSUMER_ACCEPT", &[]).await;
    }
    for c in &cases[6..] {
        consumer.act(c, "consumer", "WITHDRAW", &[]).await;
    }
    assert_eq!(Job::Stats.run(&ctx).await.unwrap().done, 0, "rebuilt at most hourly");
    app.running.time.advance(2 * 3600);
    assert_eq!(Job::Stats.run(&ctx).await.unwrap().done, 1);
    let p = anon.get(&page).await;
    // 10 received; answered in time 10/10; resolved 6 of 10 closed; none went to the regulator.
    assert_eq!(row(&p.body, "room"), "本直播间 10 100% 60% 0%");
    assert_eq!(row(&p.body, "operator"), "运营者 10 100% 60% 0%", "the operator's only room");
    // The public list: dates, categories and outcomes, never the narrative, the order or a name.
    let list =
        p.body.split("id=\"public-cases\"").nth(1).unwrap_or_default().split("</table>").next().unwrap_or_default();
    assert_eq!(list.matches("<tr>").count(), 11, "a header and ten cases");
    for private in ["三天美白", "XH20261120001", "consumer@demo.redline", "李消费"] {
        assert!(!p.body.contains(private), "{private} on the public page");
    }
    assert!(list.contains("已解决") && list.contains("已办结（已撤回）"));
}
