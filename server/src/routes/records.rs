//! The consumer's records request (Order 117 Art. 18) on a case: asking, and
//! the platform's answer. The clock and the breach flag are the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::records::RecordsAsk;
use redline_store::case::records;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/records", post(ask))
        .route("/do/cases/{case_no}/records/answer", post(answer))
}

fn page(case_no: &str, lang: redline_rules::Lang) -> FormPage {
    FormPage::new(format!("records:{case_no}"), format!("/cases/{case_no}#records"), lang)
}

/// Back to the case, saying what was done.
fn done(case_no: &str, back: &str, zh: &str, en: &str, lang: redline_rules::Lang) -> Response {
    let form = format!("records:{case_no}");
    keep_and_return(&form, back, &Fields::default(), [("notice".to_owned(), lang.t(zh, en).to_owned())].into())
}

/// `POST /do/cases/{case_no}/records`: the complainant asks.
async fn ask(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = page(&case_no, lang);
    let ask = RecordsAsk::parse(&f.values("records")).map_err(|e| page.refuse(&f, e))?;
    let row = records::ask(&st.store, &actor, &case_no, &ask).await.map_err(|e| page.refuse(&f, e))?;
    let due = row.due_on.to_string();
    Ok(done(
        &case_no,
        page.back(),
        &format!("已向平台申请调取，平台应于 {due} 前答复。"),
        &format!("Asked: the platform is to answer by {due}."),
        lang,
    ))
}

/// `POST /do/cases/{case_no}/records/answer`: the platform's staff answer.
async fn answer(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = page(&case_no, lang);
    records::answer(&st.store, &actor, &case_no, f.get("answer")).await.map_err(|e| page.refuse(&f, e))?;
    Ok(done(&case_no, page.back(), "已答复消费者的调取申请。", "Answered: the consumer can read it on the case.", lang))
}
