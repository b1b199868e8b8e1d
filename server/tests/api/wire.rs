//! Weight on the wire: pages travel compressed as the browser accepts, and
//! are never stored by caches.
use crate::helpers::TestApp;

async fn fetch(app: &TestApp, path: &str, encoding: &str) -> (Option<String>, Option<String>, usize) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", app.url))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    let header = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_owned());
    let (enc, cache) = (header("content-encoding"), header("cache-control"));
    (enc, cache, r.bytes().await.unwrap().len())
}

async fn pages_travel_compressed_and_are_never_stored(app: TestApp) {
    let (enc, cache, plain) = fetch(&app, "/login", "identity").await;
    assert_eq!(enc, None);
    assert_eq!(cache.as_deref(), Some("private, no-store"));
    for (accepts, sent) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let (enc, cache, size) = fetch(&app, "/login", accepts).await;
        assert_eq!(enc.as_deref(), Some(sent), "accepting {accepts}");
        assert_eq!(cache.as_deref(), Some("private, no-store"));
        assert!(size * 3 < plain * 2, "{sent}: {size} bytes of {plain}");
    }
}

on_both_backends!(pages_travel_compressed_and_are_never_stored);
