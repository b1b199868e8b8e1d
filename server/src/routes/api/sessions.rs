//! A platform reports its live sessions and the products shown.
use super::schema::{ErrorBody, SessionBody, SessionReported};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::field::FieldError;
use redline_store::api::keys::Scope;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_session))
}

/// `POST /api/v1/platform/sessions`: a platform reports a live session and the
/// products it showed. Re-sending the same `platform_session_id` updates it.
#[utoipa::path(post, path = "/api/v1/platform/sessions", tag = "sessions", request_body = SessionBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 429, body = ErrorBody), (status = 201, body = SessionReported), (status = 200, description = "Updated", body = SessionReported),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("api_key" = ["sessions:write"])))]
async fn report_session(
    State(st): State<AppState>,
    key: ApiKey,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let platform = key.platform(Scope::SessionsWrite)?;
    let parsed: crate::parse::stream::SessionJson = serde_json::from_value(super::body_json(&body)?)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    let report = crate::parse::stream::session(parsed).map_err(ApiError::invalid)?;
    let r = redline_store::streams::report_session(&st.store, platform, &report, "api").await?;
    let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(SessionReported { session_id: r.session.id, created: r.created })).into_response())
}
