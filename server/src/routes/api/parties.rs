//! `POST /api/v1/platform/parties`: the four regulated parties in bulk
//! (Order 117 Arts. 8–9, 25), keyed by the platform's own IDs, safe to resend.
use super::schema::{ErrorBody, PartiesBody, PartiesOutcome};
use crate::parse;
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::Json;
use redline_rules::field::FieldError;
use redline_store::api::keys::Scope;
use redline_store::parties::report::{self, Outcome};
use utoipa_axum::{router::OpenApiRouter, routes};

/// A nightly sync of 20,000 items of about 300 bytes each fits.
const BODY_LIMIT: usize = 16 << 20;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_api)).layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What was created, updated and left unchanged, and how many changes came late.
#[utoipa::path(post, path = "/api/v1/platform/parties", tag = "parties", request_body = PartiesBody,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 409, body = ErrorBody), (status = 200, body = PartiesOutcome), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("api_key" = ["parties:write"])))]
async fn report_api(
    State(st): State<AppState>,
    key: ApiKey,
    body: axum::body::Bytes,
) -> Result<Json<Outcome>, ApiError> {
    let platform = key.platform(Scope::PartiesWrite)?;
    // An object: serde would also read a struct from an array.
    let j: parse::parties::PartiesJson = serde_json::from_value(super::body_json(&body)?)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    let batch = parse::parties::batch(&j, st.store.now()).map_err(ApiError::invalid)?;
    Ok(Json(report::report(&st.store, platform, &batch, "api").await?))
}
