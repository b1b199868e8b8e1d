//! The regulated parties a platform's staff report one at a time
//! (`POST /do/platforms/{id}/parties/{kind}`; Order 117 Arts. 8–9, 25). In
//! bulk they come over the API (`api/parties.rs`).
use crate::parse::{self, Fields};
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::parties::report;
use redline_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/platforms/{platform_id}/parties/{kind}", post(report_form))
}

/// `POST /do/platforms/{id}/parties/{kind}`: platform staff report one party.
async fn report_form(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((platform_id, kind)): Path<(i64, String)>,
    f: Fields,
) -> Result<Response, FormError> {
    let form = format!("party-{kind}");
    let page = FormPage::new(form.clone(), "/platform/parties", lang).with_summary();
    if !a.platform_ids.contains(&platform_id) {
        return Err(page.refuse(&f, StoreError::Forbidden));
    }
    let batch = parse::parties::form(&kind, &f, st.store.now()).map_err(|e| page.refuse(&f, e))?;
    let out = report::report(&st.store, platform_id, &batch, "staff").await.map_err(|e| page.refuse(&f, e))?;
    let msg = if out.late > 0 {
        lang.t("已保存。该变更晚于获知后7个工作日报送，已记为迟报（办法第十五条）。", "Saved. This change came more than 7 working days after you learned of it and is recorded as late (Order 117 Art. 15).")
    } else {
        lang.t("已保存。", "Saved.")
    };
    Ok(keep_and_return(&form, "/platform/parties", &Fields::default(), [("notice".to_owned(), msg.to_owned())].into()))
}
