//! Retention on the web: the agency's legal hold on a case or tip, and a
//! holder deleting their account (PIPL Art. 47). The rules are the store's.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::{cookie_attrs, see_other, with_cookie};
use crate::AppState;
use app::api::ssr::SESSION_COOKIE;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::retention::{account, hold};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/hold", post(|st, s, p, f| case_hold(st, s, p, f, true)))
        .route("/do/cases/{case_no}/hold/lift", post(|st, s, p, f| case_hold(st, s, p, f, false)))
        .route("/do/staff/tips/{tip_no}/hold", post(|st, s, p, f| tip_hold(st, s, p, f, true)))
        .route("/do/staff/tips/{tip_no}/hold/lift", post(|st, s, p, f| tip_hold(st, s, p, f, false)))
        .route("/do/account/delete", post(delete_account))
}

fn held_notice(hold: bool) -> (&'static str, &'static str) {
    if hold {
        ("已设置法律保全：期满也不会删除，直至解除。", "Legal hold set: kept past its day until lifted.")
    } else {
        ("已解除法律保全：期满后按规定删除。", "Legal hold lifted: deleted when its day has passed.")
    }
}

/// `POST /do/cases/{case_no}/hold` and `…/hold/lift` (the handling agency).
async fn case_hold(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
    on: bool,
) -> Result<Response, FormError> {
    let form = format!("hold:{case_no}");
    let page = FormPage::new(form.clone(), format!("/cases/{case_no}#retention"), lang);
    hold::case(&st.store, &actor, &case_no, on, f.get("reason")).await.map_err(|e| page.refuse(&f, e))?;
    let (zh, en) = held_notice(on);
    Ok(keep_and_return(
        &form,
        page.back(),
        &Fields::default(),
        [("notice".to_owned(), lang.t(zh, en).to_owned())].into(),
    ))
}

/// `POST /do/staff/tips/{tip_no}/hold` and `…/hold/lift` (the agency it was sent to).
async fn tip_hold(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    Path(tip_no): Path<String>,
    f: Fields,
    on: bool,
) -> Result<Response, FormError> {
    let form = format!("tip:{tip_no}");
    let page = FormPage::new(form.clone(), format!("/staff/tips/{tip_no}#retention"), lang);
    hold::tip(&st.store, &actor, &tip_no, on, f.get("reason")).await.map_err(|e| page.refuse(&f, e))?;
    let (zh, en) = held_notice(on);
    Ok(keep_and_return(
        &form,
        page.back(),
        &Fields::default(),
        [("notice".to_owned(), lang.t(zh, en).to_owned())].into(),
    ))
}

/// `POST /do/account/delete`: the account goes, the session cookie with it.
async fn delete_account(
    State(st): State<AppState>,
    SignedIn { actor, lang }: SignedIn,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("account-delete".to_owned(), "/account#delete-account".to_owned(), lang);
    account::delete(&st.store, &actor, f.get("confirm")).await.map_err(|e| page.refuse(&f, e))?;
    Ok(with_cookie(see_other("/?account=deleted"), format!("{SESSION_COOKIE}=; Max-Age=0{}", cookie_attrs(&st.keys))))
}
