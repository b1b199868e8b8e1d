//! The regulated parties a platform reports (Order 117 Arts. 8–9, 25): in bulk
//! over the API (`POST /api/v1/platform/parties`, keyed by the platform's own
//! IDs, safe to resend) or one at a time by its staff
//! (`POST /do/platforms/{id}/parties/{kind}`).
use crate::parse::{self, Fields};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use redline_rules::field::FieldError;
use redline_store::api::keys::Scope;
use redline_store::parties::report::{self, Outcome};
use redline_store::StoreError;

/// A nightly sync of 20,000 items of about 300 bytes each fits.
const BODY_LIMIT: usize = 16 << 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/platform/parties", post(report_api).layer(DefaultBodyLimit::max(BODY_LIMIT)))
        .route("/do/platforms/{platform_id}/parties/{kind}", post(report_form))
}

/// `POST /api/v1/platform/parties`: `{"mcns": [...], "operators": [...],
/// "marketers": [...], "rooms": [...]}`; answers what was created, updated,
/// left unchanged, and how many changes came late.
async fn report_api(
    State(st): State<AppState>,
    key: ApiKey,
    body: axum::body::Bytes,
) -> Result<Json<Outcome>, ApiError> {
    let platform = key.platform(Scope::PartiesWrite)?;
    let j: parse::parties::PartiesJson = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    let batch = parse::parties::batch(&j, st.store.now()).map_err(ApiError::invalid)?;
    Ok(Json(report::report(&st.store, platform, &batch, "api").await?))
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
