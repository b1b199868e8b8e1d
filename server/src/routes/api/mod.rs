//! The public REST API (`/api/v1`), one file per resource. Every error has
//! one JSON shape (`crate::web::api_error`); platforms and operators
//! authenticate with `Authorization: Bearer <key>` (`crate::web::api_key`),
//! each route asking for its scope; people with their session. Every POST
//! honours `Idempotency-Key` (`crate::web::idempotency`).
mod calendar;
mod case_actions;
pub(crate) mod cases;
mod export;
mod openapi;
mod parties;
pub mod schema;
mod sessions;
mod tips;
mod webhooks;

use crate::parse::Fields;
use crate::web::api_error::ApiError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::Router;
use redline_rules::field::FieldError;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;

/// Every `/api/v1` route, and the OpenAPI document they make, served at
/// `/api/v1/openapi.json` and as a page at `/api/v1/docs`.
pub fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(calendar::routes())
        .merge(sessions::routes())
        .merge(parties::routes())
        .merge(cases::routes())
        .merge(case_actions::routes(uploads))
        .merge(export::routes())
        .merge(tips::routes())
        .merge(webhooks::routes())
        .split_for_parts();
    router.merge(openapi::routes(doc))
}

/// A query parameter refused (400), named.
pub(super) fn query_error(name: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(FieldError::new(name, format!("{name} {zh}"), format!("{name} {en}")))
}

/// The body as a JSON object, or 400.
pub(super) fn body_json(body: &[u8]) -> Result<Value, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    if !v.is_object() {
        return Err(ApiError::bad_request(FieldError::new(
            "body",
            "请求体须为 JSON 对象",
            "The body must be a JSON object",
        )));
    }
    Ok(v)
}

/// A JSON object as the fields a form would post, so the API and the page
/// share one parser: strings as they are, numbers written out, booleans as
/// "1"/"0", arrays as repeated fields. Nested objects are refused.
pub(super) fn json_fields(v: &Value) -> Result<Fields, ApiError> {
    let mut pairs = Vec::new();
    let scalar = |k: &str, v: &Value| -> Result<String, ApiError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_owned()),
            Value::Null => Ok(String::new()),
            _ => Err(ApiError::bad_request(FieldError::new(
                "body",
                format!("字段 {k} 的类型不正确"),
                format!("field {k} has the wrong type"),
            ))),
        }
    };
    for (k, v) in v.as_object().into_iter().flatten() {
        match v {
            Value::Array(items) => {
                for i in items {
                    pairs.push((k.clone(), scalar(k, i)?));
                }
            }
            v => pairs.push((k.clone(), scalar(k, v)?)),
        }
    }
    Ok(Fields::from_pairs(pairs))
}

/// `If-Match: "<version>"` (or `W/"…"`, or `*` for any), else none.
pub(super) fn if_match(headers: &HeaderMap) -> Result<Option<i32>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let v = v.to_str().unwrap_or_default().trim();
    if v == "*" {
        return Ok(None);
    }
    v.trim_start_matches("W/").trim_matches('"').parse::<i32>().map(Some).map_err(|_| {
        ApiError::bad_request(FieldError::new(
            "If-Match",
            "If-Match 须为案件版本，如 \"3\"",
            "If-Match must be the case version, e.g. \"3\"",
        ))
    })
}

pub(super) fn with_etag(mut r: Response, version: i32) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}
