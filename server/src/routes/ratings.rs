//! T7 on a case: the consumer rates the parties that handled it once it is
//! over. The rule is `rules::rating`; who may be rated is the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::rating::{field, Axis, Handler, RatingForm};
use redline_store::case::rating;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/cases/{case_no}/rating", post(rate))
}

/// `POST /do/cases/{case_no}/rating`.
async fn rate(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let form = format!("rating:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#rating"), lang);
    let values = Handler::ALL
        .iter()
        .flat_map(|&h| Axis::ALL.iter().map(move |&a| field(h, a)))
        .map(|k| (k.clone(), f.get(&k).to_owned()))
        .collect();
    let posted = RatingForm { values, comment: f.get("comment").to_owned(), may_rate: Vec::new() };
    rating::rate(&st.store, &actor, &case_no, posted).await.map_err(|e| page.refuse(&f, e))?;
    let notice = lang.t("感谢您的评价。", "Thank you for your rating.").to_owned();
    Ok(keep_and_return(&form, page.back(), &Fields::default(), [("notice".to_owned(), notice)].into()))
}
