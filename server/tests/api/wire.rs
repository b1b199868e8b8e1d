//! What crosses the wire besides pages' content: compression and cache rules,
//! and the metrics an operator scrapes.
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
    // A page is made for its request: gzip, whose encoder is cheap to set up,
    // even where brotli is accepted (kept for the built assets, end2end/tests/assets.spec.ts).
    for (accepts, sent) in [("gzip", "gzip"), ("gzip, deflate, br, zstd", "gzip")] {
        let (enc, cache, size) = fetch(&app, "/login", accepts).await;
        assert_eq!(enc.as_deref(), Some(sent), "accepting {accepts}");
        assert_eq!(cache.as_deref(), Some("private, no-store"));
        assert!(size * 3 < plain * 2, "{sent}: {size} bytes of {plain}");
    }
    assert_eq!(fetch(&app, "/login", "br").await.0, None, "a page is not made in brotli");
    // Caches keep one copy per encoding.
    let r = reqwest::Client::new()
        .get(format!("{}/login", app.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("vary").map(|v| v.to_str().unwrap()), Some("accept-encoding"));
}

/// A case package is a ZIP, compressed already: it travels as it is, with its
/// length; the same package as JSON is gzipped.
async fn what_is_compressed_already_travels_as_it_is(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = crate::helpers::file_case(&consumer).await;
    for (path, sent) in [("dossier.zip", None), ("dossier.json", Some("gzip"))] {
        let url = format!("{}/cases/{case_no}/{path}", consumer.base);
        let r = consumer.http.get(url).header("accept-encoding", "gzip, deflate, br, zstd").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let enc = r.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(enc.as_deref(), sent, "{path}");
        assert_eq!(r.headers().contains_key("content-length"), sent.is_none(), "{path}: its length");
    }
}

async fn metrics_are_scraped_with_a_token_and_name_no_one(app: TestApp) {
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", app.url);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(http.get(&url).bearer_auth("wrong").send().await.unwrap().status(), 401);
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = crate::helpers::file_case(&consumer).await;
    // The operator's first answer (D1) runs out; no sweep runs in tests.
    app.advance_days(40);
    let body = http.get(&url).bearer_auth("metrics-test-token").send().await.unwrap().text().await.unwrap();
    let line = |prefix: &str| body.lines().find(|l| l.starts_with(prefix)).map(str::to_owned);
    assert_eq!(line("redline_overdue_clocks{kind=\"D1\"}").as_deref(), Some("redline_overdue_clocks{kind=\"D1\"} 1"));
    assert!(line("redline_filings_total{channel=\"form\"}").is_some(), "filings counted:\n{body}");
    assert!(
        line("redline_http_request_duration_seconds_bucket{method=\"POST\",route=\"/do/complaints\",status=\"3xx\"")
            .is_some(),
        "latency by route:\n{body}"
    );
    assert!(line("redline_mail_backlog").is_some());
    // Group commits and the writes they carried (zero on PostgreSQL, where each write commits alone).
    assert!(line("redline_group_commits_total").is_some() && line("redline_grouped_writes_total").is_some(), "{body}");
    assert!(!body.contains(&case_no) && !body.contains("consumer@"), "no case or person in metrics");
}

on_both_backends!(
    pages_travel_compressed_and_are_never_stored,
    metrics_are_scraped_with_a_token_and_name_no_one,
    what_is_compressed_already_travels_as_it_is
);
