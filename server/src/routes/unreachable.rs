//! D15 (Order 117 Art. 22): the agency tells the platform a party cannot be
//! reached; the platform records its reminder. The rules are the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::parties::unreachable;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/unreachable", post(notify))
        .route("/do/unreachable/{id}/reminded", post(reminded))
}

/// `POST /do/cases/{case_no}/unreachable` (the handling agency).
async fn notify(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let form = format!("unreachable:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#unreachable"), lang);
    unreachable::notify(&st.store, &actor, &case_no, f.get("party"), f.get("note"))
        .await
        .map_err(|e| page.refuse(&f, e))?;
    let notice = lang
        .t("已通知平台：平台应在5个工作日内提醒。", "The platform is told: it reminds within 5 working days.")
        .to_owned();
    Ok(keep_and_return(&form, page.back(), &Fields::default(), [("notice".to_owned(), notice)].into()))
}

/// `POST /do/unreachable/{id}/reminded` (the platform).
async fn reminded(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    // The case is known only once the notice is read; a refusal returns to the platform's queue.
    let fallback = FormPage::new("unreachable".to_owned(), "/platform".to_owned(), lang);
    let case_no = match unreachable::reminded(&st.store, &actor, id, f.get("answer")).await {
        Ok(no) => no,
        Err(e) => {
            let no = redline_store::parties::unreachable::case_of(&st.store, &actor, id).await.ok().flatten();
            let page = match no {
                Some(no) => FormPage::new(format!("unreachable:{no}"), format!("/cases/{no}#unreachable"), lang),
                None => fallback,
            };
            return Err(page.refuse(&f, e));
        }
    };
    let form = format!("unreachable:{case_no}");
    let back = format!("/cases/{case_no}#unreachable");
    let notice = lang.t("已记录提醒。", "Reminder recorded.").to_owned();
    Ok(keep_and_return(&form, &back, &Fields::default(), [("notice".to_owned(), notice)].into()))
}
