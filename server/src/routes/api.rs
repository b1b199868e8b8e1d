//! The public REST API (`/api/v1`). Every error has one JSON shape
//! (`crate::web::api_error`); platforms authenticate with
//! `Authorization: Bearer <key>`, people with their session.
use crate::web::api_error::ApiError;
use crate::web::extract::actor_of;
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_rules::calendar::{Calendar, CalendarKind};
use redline_rules::field::FieldError;
use redline_store::case::preservation::{self, Answerer};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/deadlines", get(deadlines))
        .route("/api/v1/platform/sessions", post(report_session))
        .route("/api/v1/platform/cases/{case_no}/preservation", post(answer_preservation))
        .route("/api/v1/cases/{case_no}/chain", get(verify_chain))
}

#[derive(Deserialize)]
struct DeadlineQuery {
    start: Option<String>,
    days: Option<String>,
    calendar: Option<String>,
}

/// `GET /api/v1/deadlines?start=YYYY-MM-DD&days=N&calendar=working|natural`:
/// the due date under Order 121 Art. 45, whether it is provisional, and why.
async fn deadlines(Query(q): Query<DeadlineQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    let start = q
        .start
        .as_deref()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| {
            ApiError::bad_request(FieldError::new(
                "start",
                "start 须为1990至2100年间 YYYY-MM-DD 格式的日期",
                "start must be a date YYYY-MM-DD between 1990 and 2100",
            ))
        })?;
    let days = q.days.as_deref().and_then(|d| d.parse::<u32>().ok()).filter(|d| *d <= 3650).ok_or_else(|| {
        ApiError::bad_request(FieldError::new(
            "days",
            "days 须为 0 到 3650 之间的整数",
            "days must be an integer from 0 to 3650",
        ))
    })?;
    let kind = q.calendar.as_deref().unwrap_or("working").parse::<CalendarKind>().map_err(|_| {
        ApiError::bad_request(FieldError::new(
            "calendar",
            "calendar 须为 working 或 natural",
            "calendar must be working or natural",
        ))
    })?;
    let d = Calendar::official().deadline(start, days, kind);
    Ok(Json(json!({
        "start": d.start,
        "days": d.days,
        "calendar": d.kind,
        "due": d.due,
        "provisional": d.provisional,
        "explanation": d.explanation,
        "summary_zh": d.explanation.summary_zh(&d),
        "summary_en": d.explanation.summary_en(&d),
        "basis": "Order 121 Art. 45",
    })))
}

/// The platform an `Authorization: Bearer <key>` header authenticates.
pub(super) struct PlatformKey(pub i64);

impl FromRequestParts<AppState> for PlatformKey {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let unauthorized = || ApiError::unauthorized("需要有效的平台 API 密钥", "A valid platform API key is required");
        let key = bearer(&parts.headers).ok_or_else(unauthorized)?;
        redline_store::streams::platform_for_key(&st.store, key).await?.map(PlatformKey).ok_or_else(unauthorized)
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
}

/// `POST /api/v1/platform/sessions`: a platform reports a live session and the
/// products it showed. Re-sending the same `platform_session_id` updates it.
async fn report_session(
    State(st): State<AppState>,
    PlatformKey(platform): PlatformKey,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let parsed: crate::parse::stream::SessionJson = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 格式不正确", format!("invalid JSON: {e}"))))?;
    let report = crate::parse::stream::session(parsed).map_err(ApiError::invalid)?;
    let r = redline_store::streams::report_session(&st.store, platform, &report, "api").await?;
    let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "session_id": r.session.id, "created": r.created }))).into_response())
}

#[derive(Deserialize)]
struct PreservationJson {
    decision: Option<String>,
    replay_ref: Option<String>,
    retain_until: Option<String>,
    reason: Option<String>,
}

/// `POST /api/v1/platform/cases/{case_no}/preservation`: the platform confirms
/// (replay reference, retention date) or declines (reason) over the API.
async fn answer_preservation(
    State(st): State<AppState>,
    PlatformKey(platform): PlatformKey,
    Path(case_no): Path<String>,
    Json(j): Json<PreservationJson>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let answer =
        crate::parse::stream::preservation(&s(&j.decision), &s(&j.replay_ref), &s(&j.retain_until), &s(&j.reason))
            .map_err(ApiError::invalid)?;
    // Another platform's case answers as if it did not exist.
    let r =
        preservation::answer(&st.store, &case_no, Answerer::Platform(platform), answer).await.map_err(|e| match e {
            redline_store::StoreError::Forbidden => ApiError::not_found(),
            e => e.into(),
        })?;
    Ok(Json(json!({ "status": r.status, "retain_until": r.retain_until })))
}

/// `GET /api/v1/cases/{case_no}/chain`: verifies the case's hash chain for a
/// party to the case (signed in) and says where it breaks.
async fn verify_chain(
    State(st): State<AppState>,
    Path(case_no): Path<String>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    let a = actor_of(&st.store, &headers).await.ok_or_else(|| ApiError::unauthorized("请先登录", "Sign in first"))?;
    let started = std::time::Instant::now();
    let r = redline_store::case::queries::verify_chain(&st.store, &a, &case_no).await?;
    Ok(Json(json!({
        "case_no": case_no,
        "events": r.events,
        "intact": r.intact(),
        "broken_at_seq": r.broken_at.map(|b| b.0),
        "problem": r.broken_at.map(|b| b.1),
        "problem_zh": r.broken_at.map(|b| b.1.zh()),
        "problem_en": r.broken_at.map(|b| b.1.en()),
        "verified_in_ms": started.elapsed().as_secs_f64() * 1000.0,
    })))
}
