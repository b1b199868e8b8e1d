//! `GET /api/v1/deadlines`: the working-day calendar, for anyone.
use crate::web::api_error::ApiError;
use axum::extract::Query;
use axum::Json;
use redline_rules::calendar::{Calendar, CalendarKind};
use redline_rules::field::FieldError;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub(super) struct DeadlineQuery {
    start: Option<String>,
    days: Option<String>,
    calendar: Option<String>,
}

/// `GET /api/v1/deadlines?start=YYYY-MM-DD&days=N&calendar=working|natural`:
/// the due date under Order 121 Art. 45, whether it is provisional, and why.
pub(super) async fn deadlines(Query(q): Query<DeadlineQuery>) -> Result<Json<serde_json::Value>, ApiError> {
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

