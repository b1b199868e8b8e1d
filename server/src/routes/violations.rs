//! T23 on a case: the mediating agency records a violation it found (Order
//! 121 Art. 27); a lead opens in its tip queue under D8. The rule is the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::case::violation;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/cases/{case_no}/violation", post(record))
}

/// `POST /do/cases/{case_no}/violation`.
async fn record(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let form = format!("violation:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#violation"), lang);
    let cats = f.values("categories");
    let t = violation::found(&st.store, &actor, &case_no, f.get("description"), &cats)
        .await
        .map_err(|e| page.refuse(&f, e))?;
    let notice = format!("{}{}", lang.t("已立为核查线索：", "Opened as lead "), t.tip_no);
    Ok(keep_and_return(&form, page.back(), &Fields::default(), [("notice".to_owned(), notice)].into()))
}
