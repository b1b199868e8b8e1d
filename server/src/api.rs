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
