//! The public REST API (`/api/v1`) and the test hooks (`/api/test`, only with
//! REDLINE_TEST_HOOKS=1).
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::calendar::{Calendar, CalendarKind};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct DeadlineQuery {
    start: Option<String>,
    days: Option<String>,
    calendar: Option<String>,
}

fn bad(field: &str, zh: &str, en: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "field": field, "error": en, "error_zh": zh }))).into_response()
}

/// `GET /api/v1/deadlines?start=YYYY-MM-DD&days=N&calendar=working|natural`:
/// the due date under Order 121 Art. 45, whether it is provisional, and why.
pub async fn deadlines(Query(q): Query<DeadlineQuery>) -> Response {
    let Some(start) = q
        .start
        .as_deref()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
    else {
        return bad(
            "start",
            "start 须为1990至2100年间 YYYY-MM-DD 格式的日期",
            "start must be a date YYYY-MM-DD between 1990 and 2100",
        );
    };
    let Some(days) = q.days.as_deref().and_then(|d| d.parse::<u32>().ok()).filter(|d| *d <= 3650) else {
        return bad("days", "days 须为 0 到 3650 之间的整数", "days must be an integer from 0 to 3650");
    };
    let kind = match q.calendar.as_deref().unwrap_or("working").parse::<CalendarKind>() {
        Ok(k) => k,
        Err(_) => return bad("calendar", "calendar 须为 working 或 natural", "calendar must be working or natural"),
    };
    let d = Calendar::official().deadline(start, days, kind);
    Json(json!({
        "start": d.start,
        "days": d.days,
        "calendar": d.kind,
        "due": d.due,
        "provisional": d.provisional,
        "explanation": d.explanation,
        "summary_zh": d.explanation.summary_zh(&d),
        "summary_en": d.explanation.summary_en(&d),
        "basis": "Order 121 Art. 45",
    }))
    .into_response()
}

#[derive(Deserialize)]
pub struct Advance {
    secs: i64,
}

/// Moves the server's clock forward (tests only).
pub async fn advance_time(State(s): State<AppState>, Query(a): Query<Advance>) -> Json<serde_json::Value> {
    s.time.advance(a.secs);
    Json(json!({ "now": s.store.now(), "today": s.store.today() }))
}

/// Runs the overdue sweep now (tests only).
pub async fn run_sweep(State(s): State<AppState>) -> Json<serde_json::Value> {
    let r = crate::jobs::run_until_idle(&s.store).await;
    Json(json!({ "expired": r.expired, "transitions": r.transitions, "skipped": r.skipped, "failed": r.failed }))
}

#[derive(serde::Deserialize)]
pub struct OutboxQuery {
    to: String,
}

/// The newest link mailed to an address, read from the outbox (tests only:
/// browser journeys follow registration and invitation links with it).
pub async fn outbox_link(
    State(s): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<OutboxQuery>,
) -> Json<serde_json::Value> {
    use redline_store::entity::notification as n;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let row = n::Entity::find()
        .filter(n::Column::Email.eq(redline_store::account::auth::normalize_email(&q.to)))
        .order_by_desc(n::Column::Id)
        .one(&s.store.db)
        .await
        .ok()
        .flatten();
    Json(json!({ "link": row.as_ref().map(|r| r.link.clone()), "kind": row.map(|r| r.kind) }))
}

/// Field errors as JSON: `{"errors": {"field": {"zh": …, "en": …}}}`, 422.
fn unprocessable(e: &crate::parse::Errors) -> Response {
    let mut m = serde_json::Map::new();
    for (k, zh, en) in &e.0 {
        m.entry(k.to_string()).or_insert_with(|| json!({ "zh": zh, "en": en }));
    }
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "errors": m }))).into_response()
}

/// The platform a `Authorization: Bearer <key>` header authenticates.
async fn platform_of(st: &AppState, headers: &axum::http::HeaderMap) -> Result<i64, Response> {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200);
    let unauthorized = || {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "a valid platform API key is required", "error_zh": "需要有效的平台 API 密钥" })),
        )
            .into_response()
    };
    let Some(key) = key else { return Err(unauthorized()) };
    match redline_store::streams::platform_for_key(&st.store, key).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(unauthorized()),
        Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": e.localized(false) }))).into_response()),
    }
}

/// `POST /api/v1/platform/sessions`: a platform reports a live session and the
/// products it showed. Re-sending the same `platform_session_id` updates it.
pub async fn report_session(
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let platform = match platform_of(&st, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let parsed: crate::parse::stream::SessionJson = match serde_json::from_slice(&body) {
        Ok(j) => j,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": format!("invalid JSON: {e}"), "error_zh": "JSON 格式不正确" })),
            )
                .into_response()
        }
    };
    let report = match crate::parse::stream::session(parsed) {
        Ok(r) => r,
        Err(e) => return unprocessable(&e),
    };
    match redline_store::streams::report_session(&st.store, platform, &report, "api").await {
        Ok(r) => {
            let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
            (status, Json(json!({ "session_id": r.session.id, "created": r.created }))).into_response()
        }
        Err(e) => {
            let (k, _) = crate::evidence::session_error(&e, true);
            let mut errs = crate::parse::Errors::default();
            if k == "room" {
                errs.add("room", "本平台没有这个直播间ID", "No live room with this ID on this platform");
                return unprocessable(&errs);
            }
            tracing::error!(error = %e, "session report failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": e.localized(false) }))).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct PreservationJson {
    decision: Option<String>,
    replay_ref: Option<String>,
    retain_until: Option<String>,
    reason: Option<String>,
}

/// `POST /api/v1/platform/cases/{case_no}/preservation`: the platform confirms
/// (replay reference, retention date) or declines (reason) over the API.
pub async fn answer_preservation(
    State(st): State<AppState>,
    axum::extract::Path(case_no): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    Json(j): Json<PreservationJson>,
) -> Response {
    let platform = match platform_of(&st, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let answer = match crate::parse::stream::preservation(
        &s(&j.decision),
        &s(&j.replay_ref),
        &s(&j.retain_until),
        &s(&j.reason),
    ) {
        Ok(a) => a,
        Err(e) => return unprocessable(&e),
    };
    use redline_store::case::preservation::{self, Answerer};
    use redline_store::StoreError;
    match preservation::answer(&st.store, &case_no, Answerer::Platform(platform), answer).await {
        Ok(r) => Json(json!({ "status": r.status, "retain_until": r.retain_until })).into_response(),
        Err(StoreError::Forbidden | StoreError::NotFound) => {
            (StatusCode::NOT_FOUND, Json(json!({ "error": "no such case on this platform" }))).into_response()
        }
        Err(StoreError::Invalid(m)) => (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": m }))).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": e.localized(false) }))).into_response(),
    }
}

/// `GET /api/v1/cases/{case_no}/chain`: verifies the case's hash chain for a
/// party to the case (signed in) and says where it breaks.
pub async fn verify_chain(
    State(st): State<AppState>,
    axum::extract::Path(case_no): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    use redline_store::StoreError;
    let Some(a) = crate::forms::actor(&st.store, &headers).await else {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": "sign in first", "error_zh": "请先登录" })))
            .into_response();
    };
    let started = std::time::Instant::now();
    match redline_store::case::queries::verify_chain(&st.store, &a, &case_no).await {
        Ok(r) => Json(json!({
            "case_no": case_no,
            "events": r.events,
            "intact": r.intact(),
            "broken_at_seq": r.broken_at.map(|b| b.0),
            "problem": r.broken_at.map(|b| b.1),
            "problem_zh": r.broken_at.map(|b| b.1.zh()),
            "problem_en": r.broken_at.map(|b| b.1.en()),
            "verified_in_ms": started.elapsed().as_secs_f64() * 1000.0,
        }))
        .into_response(),
        Err(StoreError::Forbidden) => (StatusCode::FORBIDDEN, Json(json!({ "error": "forbidden" }))).into_response(),
        Err(StoreError::NotFound) => (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": e.localized(false) }))).into_response(),
    }
}
