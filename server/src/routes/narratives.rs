//! Published narratives (`store::narratives`): the consumer asks to publish
//! or withdraws (`POST /do/cases/{case_no}/publication`, `to=publish|withdraw`),
//! an administrator approves or rejects (`POST /do/narratives/{id}`,
//! `to=approve|reject` with a reason).
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::form_error::{FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::field::FieldError;
use redline_store::narratives;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/cases/{case_no}/publication", post(publication))
        .route("/do/narratives/{id}", post(moderate))
}

async fn publication(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(case_no): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("publication:{case_no}"), format!("/cases/{case_no}#publication"), lang);
    match f.get("to") {
        "publish" => narratives::opt_in(&st.store, &a, &case_no, f.get("consent") == "1").await,
        "withdraw" => narratives::withdraw(&st.store, &a, &case_no).await,
        _ => Err(redline_store::StoreError::Field(FieldError::form("请选择公开或撤回", "Choose publish or withdraw"))),
    }
    .map_err(|e| page.refuse(&f, e))?;
    Ok(match f.get("to") {
        "publish" => page.done(
            "已提交公开申请，审核通过后显示在直播间页面。",
            "Sent for review: it appears on the room's page once approved.",
        ),
        _ => page.done("已撤回，不再公开显示。", "Withdrawn: no longer shown in public."),
    })
}

async fn moderate(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new(format!("narrative:{id}"), "/admin/narratives", lang);
    let approve = match f.get("to") {
        "approve" => true,
        "reject" => false,
        _ => return Err(page.refuse(&f, FieldError::form("请选择通过或不通过", "Choose approve or reject"))),
    };
    narratives::decide(&st.store, &a, id, approve, f.get("reason")).await.map_err(|e| page.refuse(&f, e))?;
    // The row leaves the review list: that is the confirmation.
    Ok(crate::web::respond::see_other(page.back()))
}
