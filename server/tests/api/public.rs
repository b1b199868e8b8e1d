//! Public figures (issue 14, part 5): a room's, its operator's and its
//! platform's last twelve months, rebuilt by the `stats` job, rates shown only
//! from ten cases on; the room's public case list carries no one's data.
use crate::helpers::{case_row, file_case, TestApp};
use server::jobs::{Job, JobContext};

on_both_backends!(
    the_public_sees_figures_above_the_minimum_sample_and_no_ones_data,
    order117_art8_a_room_moved_to_another_operator_is_counted_once_under_its_operator_now,
    a_narrative_is_published_masked_after_consent_review_and_the_answer
);

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
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
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

async fn a_narrative_is_published_masked_after_consent_review_and_the_answer(app: TestApp) {
    use crate::helpers::complaint_form;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    let told = "我叫张伟，电话13812345678，订单号XH20261120001。主播说三天美白，收货后无效。";
    form.iter_mut().filter(|(k, _)| *k == "narrative").for_each(|(_, v)| *v = told.to_owned());
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let case_no =
        consumer.post_multipart("/do/complaints", &pairs, &[]).await.url.trim_start_matches("/cases/").to_owned();
    let room = case_row(&app, &case_no).await.live_room_id;
    let publication = format!("/do/cases/{case_no}/publication");

    // The case page previews the masked text; without the box ticked nothing is asked.
    let p = consumer.get(&format!("/cases/{case_no}")).await;
    let preview = p.body.split("id=\"publication-preview\"").nth(1).unwrap().split("</blockquote>").next().unwrap();
    assert!(preview.contains("XXXX") && preview.contains("三天美白") && !preview.contains("13812345678"), "{preview}");
    let p = consumer.post_form(&publication, &[("to", "publish")]).await;
    assert!(p.body.contains("请勾选同意公开"), "refused without consent");
    // Only the consumer may ask.
    let op = app.signed_in("operator@demo.redline").await;
    op.post_form(&publication, &[("to", "publish"), ("consent", "1")]).await;
    let admin = app.signed_in("admin@demo.redline").await;
    assert!(admin.get("/admin/narratives").await.body.contains("narratives-empty"), "nothing asked yet");
    let asked = consumer.post_form(&publication, &[("to", "publish"), ("consent", "1")]).await;
    assert_eq!(asked.body.matches("已提交公开申请").count(), 1, "said once");
    let review = admin.get("/admin/narratives").await.body;
    let id: i64 = review.split("data-narrative=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    for private in ["张伟", "13812345678", "XH20261120001"] {
        assert!(!review.contains(private), "{private} shown to the moderator's masked text");
    }
    assert!(review.contains("三天美白"));
    // A rejection needs its reason; approval publishes once the operator answered.
    let p = admin.post_form(&format!("/do/narratives/{id}"), &[("to", "reject")]).await;
    assert!(p.body.contains("请说明未通过的原因"));
    admin.post_form(&format!("/do/narratives/{id}"), &[("to", "approve")]).await;

    let json = |etag: Option<String>| {
        let (http, url) = (reqwest::Client::new(), format!("{}/rooms/{room}/public.json", app.url));
        async move {
            let mut r = http.get(url);
            if let Some(t) = etag {
                r = r.header("if-none-match", t);
            }
            let r = r.send().await.unwrap();
            let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
            (r.status().as_u16(), etag, r.text().await.unwrap())
        }
    };
    let (status, etag, body) = json(None).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["narratives"].as_array().unwrap().len(), 0, "not answered, not fifteen working days old");
    assert_eq!(json(etag.clone()).await.0, 304, "unchanged: not sent again");

    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    let (status, etag2, body) = json(etag.clone()).await;
    assert_eq!(status, 200, "changed: sent again");
    assert_ne!(etag, etag2);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let published = v["narratives"].as_array().unwrap();
    assert_eq!(published.len(), 1);
    let text = published[0]["text"].as_str().unwrap();
    assert!(
        text.contains("三天美白") && text.contains("XXXX") && !text.contains("13812345678") && !text.contains("张伟")
    );
    let page = app.client().get(&format!("/rooms/{room}")).await.body;
    assert!(page.contains("id=\"public-narratives\"") && page.contains("三天美白") && !page.contains("13812345678"));

    // Consent withdrawn: gone at once.
    consumer.post_form(&publication, &[("to", "withdraw")]).await;
    let (_, _, body) = json(etag2).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["narratives"].as_array().unwrap().len(), 0);
}

/// A platform's report (Order 117 Art. 8) may move a room to another
/// operator: its twelve months' cases are then one row, under the operator
/// that runs it now (grouped by the cases' operators, the rebuild broke the
/// room's key and every run failed).
async fn order117_art8_a_room_moved_to_another_operator_is_counted_once_under_its_operator_now(app: TestApp) {
    use redline_store::entity::{live_room, operator, room_stat};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let consumer = app.signed_in("consumer@demo.redline").await;
    let first = file_case(&consumer).await;
    file_case(&consumer).await;
    let room = case_row(&app, &first).await.live_room_id;
    let db = &app.store().db;
    let r = live_room::Entity::find_by_id(room).one(db).await.unwrap().unwrap();
    let other = operator::Entity::find().filter(operator::Column::Id.ne(r.operator_id)).one(db).await.unwrap().unwrap();
    let mut moved: live_room::ActiveModel = r.into();
    moved.operator_id = Set(other.id);
    moved.update(db).await.unwrap();
    let third = file_case(&consumer).await;
    assert_eq!(case_row(&app, &third).await.operator_id, other.id);
    redline_store::public::rebuild(app.store(), chrono::Duration::zero()).await.unwrap();
    let rows = room_stat::Entity::find().filter(room_stat::Column::LiveRoomId.eq(room)).all(db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].operator_id, rows[0].received), (other.id, 3));
}
