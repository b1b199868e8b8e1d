//! The filing limit (complaints one account may file an hour): a filing is
//! counted in its own transaction, a refused post on its own, so every post
//! counts once; a full window is refused before the post is read, and posts
//! that race past that read are refused by the count itself.
use crate::helpers::{complaint_form, file_case, Backend, TestApp};
use futures_util::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};

on_both_backends!(refused_posts_count_and_a_burst_files_exactly_the_limit);

fn backend(app: &TestApp) -> Backend {
    if app.database_url.starts_with("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

async fn refused_posts_count_and_a_burst_files_exactly_the_limit(app: TestApp) {
    let app = TestApp::spawn_with(backend(&app), |c| c.filing_limit = 4).await;
    app.at_start_of_an_hour();
    let consumer = app.signed_in("consumer@demo.redline").await;
    // A post without a narrative is refused, and counts.
    let form: Vec<(&str, String)> = complaint_form("1").into_iter().filter(|(k, _)| *k != "narrative").collect();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = consumer.post_multipart("/do/complaints", &pairs, &[]).await;
    assert_eq!(refused.url, "/me/new", "refused without a narrative");
    file_case(&consumer).await;
    // Two places left; six posts at once: exactly two are filed.
    let form = complaint_form("1");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let burst = join_all((0..6).map(|_| consumer.post_multipart("/do/complaints", &pairs, &[]))).await;
    let filed = burst.iter().filter(|p| p.url.starts_with("/cases/LC-")).count();
    // Back to the form (one session's kept values are one form's: which
    // refusal's page shows the message is a race of the test's own).
    let refused = burst.iter().filter(|p| p.url == "/me/new").count();
    assert_eq!((filed, refused), (2, 4), "{:?}", burst.iter().map(|p| &p.url).collect::<Vec<_>>());
    let again = consumer.post_multipart("/do/complaints", &pairs, &[]).await;
    assert_eq!(again.url, "/me/new");
    assert!(again.body.contains("提交过于频繁"), "the window is full");
    let cases = redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap();
    assert_eq!(cases, 3, "the refused and the throttled posts filed nothing");
}
