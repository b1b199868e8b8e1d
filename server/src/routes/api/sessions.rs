//! A platform reports its live sessions and the products shown.
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::field::FieldError;
use redline_store::api::keys::Scope;
use serde_json::json;

/// `POST /api/v1/platform/sessions`: a platform reports a live session and the
/// products it showed. Re-sending the same `platform_session_id` updates it.
pub(super) async fn report_session(
    State(st): State<AppState>,
    key: ApiKey,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let platform = key.platform(Scope::SessionsWrite)?;
    let parsed: crate::parse::stream::SessionJson = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    let report = crate::parse::stream::session(parsed).map_err(ApiError::invalid)?;
    let r = redline_store::streams::report_session(&st.store, platform, &report, "api").await?;
    let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "session_id": r.session.id, "created": r.created }))).into_response())
}

