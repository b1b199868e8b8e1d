//! Chinese full-text search (issue 14): two-character queries, whole
//! phrases, case numbers and room names, each reader's own cases only.
use crate::helpers::{complaint_form, escalated_case, file_case, post_complaint, register, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both_backends!(chinese_search_finds_pairs_and_phrases_and_respects_who_may_see);

async fn search(c: &crate::helpers::Client, q: &str) -> crate::helpers::Page {
    c.get(&format!("/search?q={}", crate::helpers::urlencode(q))).await
}

/// The case numbers listed on a search page, in order.
fn hits(body: &str) -> Vec<String> {
    let list = body.split("id=\"hits\"").nth(1).unwrap_or_default().split("</ol>").next().unwrap_or_default();
    list.split("data-case=\"").skip(1).map(|s| s.split('"').next().unwrap_or_default().to_owned()).collect()
}

async fn chinese_search_finds_pairs_and_phrases_and_respects_who_may_see(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // The standard complaint says "三天美白"; a second says something else.
    let whitening = file_case(&consumer).await;
    let mut form = complaint_form("1");
    for (k, v) in form.iter_mut() {
        if *k == "narrative" {
            *v = "主播称燕窝礼盒原价599元，实际从未以此价格销售。".into();
        }
    }
    let p = post_complaint(&consumer, &form, &[]).await;
    let price = p.url.trim_start_matches("/cases/").to_owned();
    assert!(price.starts_with("LC-"), "{}", p.url);

    // Two characters, a phrase inside a longer one, and the highlight.
    let p = search(&consumer, "美白").await;
    assert_eq!(hits(&p.body), [whitening.as_str()]);
    assert!(p.body.contains("<mark>美白</mark>"), "the match is marked");
    assert_eq!(hits(&search(&consumer, "三天美白").await.body), [whitening.as_str()]);
    assert_eq!(hits(&search(&consumer, "三天后美白").await.body), Vec::<String>::new(), "all pairs, not in order");
    assert_eq!(hits(&search(&consumer, "原价").await.body), [price.clone(), whitening.clone()], "newest first");
    // A case number, and the room's name.
    assert_eq!(hits(&search(&consumer, &price).await.body), [price.as_str()]);
    assert_eq!(hits(&search(&consumer, "优选好物").await.body).len(), 2);
    // One character is too little, said plainly.
    let p = search(&consumer, "美").await;
    assert!(p.body.contains("请至少输入两个字") && hits(&p.body).is_empty());

    // Who may see: the platform and the operator yes; another consumer and
    // the regulator (before escalation) no.
    let plat = app.signed_in("platform@demo.redline").await;
    assert_eq!(hits(&search(&plat, "美白").await.body), [whitening.as_str()]);
    let op = app.signed_in("operator@demo.redline").await;
    assert_eq!(hits(&search(&op, "美白").await.body), [whitening.as_str()]);
    let reg = app.signed_in("regulator@demo.redline").await;
    assert_eq!(hits(&search(&reg, "美白").await.body), Vec::<String>::new());
    let other = app.client();
    register(&app, &other, "另一位消费者", "other@example.com").await;
    assert_eq!(hits(&search(&other, "美白").await.body), Vec::<String>::new());
    // The same through the index (the path of readers who see many cases).
    let mut wide = app.store().clone();
    wide.search_narrow = 0;
    let q = redline_rules::search::query("美白").unwrap();
    for (email, expected) in [("platform@demo.redline", 1), ("regulator@demo.redline", 0), ("other@example.com", 0)] {
        let u = redline_store::entity::user::Entity::find()
            .filter(redline_store::entity::user::Column::Email.eq(email))
            .one(&app.store().db)
            .await
            .unwrap()
            .unwrap();
        let actor = redline_store::account::auth::actor_for_user(&wide, u.id).await.unwrap().unwrap();
        let found = redline_store::search::search(&wide, &actor, &q, 1).await.unwrap();
        assert_eq!(found.hits.len(), expected, "{email} through the index");
    }
    // Escalated: now the regulator finds it.
    let escalated = escalated_case(&app, &consumer).await;
    let found = hits(&search(&reg, "美白").await.body);
    assert_eq!(found, [escalated.as_str()], "only the escalated one");
}
