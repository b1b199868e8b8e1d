//! Client addresses and the public limits: the address is the socket peer
//! unless `REDLINE_TRUST_PROXY` says a proxy of ours stands in front, and a
//! receipt code is limited on its own, whoever asks.
use crate::helpers::{Backend, Client, TestApp};
use crate::tips::{file, tip_form};
use redline_store::entity::tip;
use sea_orm::{EntityTrait, PaginatorTrait};

/// A client whose every request carries `X-Forwarded-For: <xff>`.
fn from(app: &TestApp, xff: &str) -> Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("x-forwarded-for", xff.parse().unwrap());
    Client::new(&app.url, reqwest::Client::builder().cookie_store(true).default_headers(h).build().unwrap())
}

async fn app(backend: Backend, trust_proxy: bool) -> TestApp {
    let app = TestApp::spawn_with(backend, |c| {
        c.tip_limit = 2;
        c.lookup_limit = 3;
        c.trust_proxy = trust_proxy;
    })
    .await;
    app.at_start_of_an_hour();
    app
}

async fn tips_filed(app: &TestApp) -> u64 {
    tip::Entity::find().count(&app.store().db).await.unwrap()
}

/// Without a trusted proxy, a forged X-Forwarded-For changes nothing: every
/// request from this socket counts against one address.
async fn a_forged_forwarded_for_does_not_escape_the_limit(backend: Backend) {
    let app = app(backend, false).await;
    file(&from(&app, "198.51.100.1"), "主播称该饮品可以三天美白。", "").await;
    file(&from(&app, "198.51.100.2"), "主播称该饮品原价999元。", "").await;
    let p =
        from(&app, "198.51.100.3").post_multipart("/do/tips", &tip_form("第三条举报内容，描述足够长。", ""), &[]).await;
    assert!(p.body.contains("请回答下面的问题"), "the third tip from this socket must answer a question");
    assert_eq!(tips_filed(&app).await, 2);
}

/// Behind a trusted proxy, the right-most X-Forwarded-For entry (the one the
/// proxy added) is the client; entries to its left are the client's own word.
async fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit(backend: Backend) {
    let app = app(backend, true).await;
    let a = from(&app, "203.0.113.7, 198.51.100.1");
    file(&a, "主播称该饮品可以三天美白。", "").await;
    file(&a, "主播称该饮品原价999元。", "").await;
    // The same client forging a different left-hand entry is still 198.51.100.1.
    let forged = from(&app, "203.0.113.99, 198.51.100.1");
    let p = forged.post_multipart("/do/tips", &tip_form("第三条举报内容，描述足够长。", ""), &[]).await;
    assert!(p.body.contains("请回答下面的问题"), "past the limit: asked");
    // Another client behind the proxy is not held back by the first.
    let b = from(&app, "198.51.100.2");
    file(&b, "另一位举报人的举报内容。", "").await;
    assert_eq!(tips_filed(&app).await, 3);
}

/// A receipt is limited on its own (3 lookups an hour here), however it is
/// typed and from however many addresses: guessing one code cannot be spread out.
async fn a_receipt_is_limited_whoever_looks_it_up(backend: Backend) {
    let app = app(backend, true).await;
    let (tip_no, receipt) = file(&from(&app, "198.51.100.1"), "主播称该饮品可以三天美白。", "").await;
    let spellings = [receipt.clone(), receipt.to_lowercase(), receipt.replace('-', " ")];
    for (i, r) in spellings.iter().enumerate() {
        let c = from(&app, &format!("198.51.100.{}", 10 + i));
        let p = c.post_form("/do/tips/status", &[("receipt", r)]).await;
        assert!(p.body.contains(&tip_no), "lookup {i} answered");
    }
    let p = from(&app, "198.51.100.20").post_form("/do/tips/status", &[("receipt", &receipt)]).await;
    assert!(p.body.contains("提交过于频繁") && !p.body.contains(&tip_no), "the fourth lookup of this code is refused");
    // Another code from the same fresh address is answered: the limit was the receipt's.
    let (other_no, other) = file(&from(&app, "198.51.100.2"), "主播称该饮品原价999元。", "").await;
    let p = from(&app, "198.51.100.21").post_form("/do/tips/status", &[("receipt", &other)]).await;
    assert!(p.body.contains(&other_no));
}

for_each_backend!(
    a_forged_forwarded_for_does_not_escape_the_limit,
    behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit,
    a_receipt_is_limited_whoever_looks_it_up
);
