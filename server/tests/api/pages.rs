//! Pages answer with the status of what they show (issue 13, item 10): 401
//! with sign-in and registration when not signed in, 403 when not for this
//! person, 404 for what is not there (a case a reader is no party to
//! included), each with its own title and the reader's language on `<html>`.
use crate::helpers::{file_case, TestApp};

on_both_backends!(pages_answer_401_403_404_with_their_own_title_and_language);

fn title(body: &str) -> String {
    body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default().to_owned()
}

fn html_lang(body: &str) -> String {
    body.split("<html")
        .nth(1)
        .and_then(|t| t.split("lang=\"").nth(1))
        .and_then(|t| t.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn pages_answer_401_403_404_with_their_own_title_and_language(app: TestApp) {
    let anon = app.client();
    let p = anon.get("/me/cases").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("href=\"/login\"") && p.body.contains("href=\"/register\"") && p.body.contains("请先登录"));
    assert_eq!(html_lang(&p.body), "zh-CN");

    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let p = consumer.get(&format!("/cases/{case_no}")).await;
    assert_eq!(p.status, 200, "the control: a party sees it");
    let p = consumer.get("/me/new").await;
    assert_eq!((p.status, title(&p.body)), (200, "我要投诉 · Redline".to_owned()));
    let p = consumer.get("/regulator").await;
    assert_eq!(p.status, 403);
    assert!(!p.body.contains("href=\"/login\""), "no sign-in offered to the signed-in");

    let other = app.signed_in("admin@demo.redline").await;
    let p = other.get(&format!("/cases/{case_no}")).await;
    assert_eq!(p.status, 404, "a non-party is not told the case exists");
    let p = other.get("/cases/LC-2099-999999").await;
    assert_eq!(p.status, 404);

    let p = consumer.get("/no/such/page").await;
    assert_eq!(p.status, 404);
    assert!(p.body.contains("页面不存在") && p.body.contains("class=\"top\""), "in the frame, in Chinese");
    // In English, the page says so on <html>.
    consumer.get("/lang/en").await;
    let p = consumer.get("/me/new").await;
    assert_eq!((html_lang(&p.body), title(&p.body)), ("en".to_owned(), "File a complaint · Redline".to_owned()));
}
