//! `GET /api/v1/deadlines`: the working-day calendar, for anyone.
use super::schema::{Deadline, ErrorBody};
use crate::web::api_error::ApiError;
use axum::extract::Query;
use axum::Json;
use redline_rules::calendar::{Calendar, CalendarKind};
use redline_rules::field::FieldError;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<crate::AppState> {
    OpenApiRouter::new().routes(routes!(deadlines))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeadlineQuery {
    /// The first day, `YYYY-MM-DD`, 1990–2100.
    #[param(value_type = String, format = Date, example = "2026-09-29", pattern = "^(199[0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    start: Option<String>,
    /// How many days, 0–3650.
    #[param(value_type = u32, maximum = 3650, example = 7)]
    days: Option<String>,
    /// `working` (default) or `natural`.
    #[param(value_type = Option<String>, pattern = "^(working|natural)$")]
    calendar: Option<String>,
}

/// `GET /api/v1/deadlines?start=YYYY-MM-DD&days=N&calendar=working|natural`:
/// the due date under Order 121 Art. 45, whether it is provisional, and why.
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "calendar", params(DeadlineQuery),
    responses((status = 200, body = Deadline), (status = 400, body = ErrorBody)))]
async fn deadlines(
    q: Result<Query<DeadlineQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Deadline>, ApiError> {
    let Query(q) = q.map_err(|_| super::query_error("query", "查询参数格式不正确", "malformed query"))?;
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
    Ok(Json(Deadline {
        start: d.start,
        days: d.days,
        calendar: d.kind.as_str().to_owned(),
        due: d.due,
        provisional: d.provisional,
        explanation: serde_json::to_value(&d.explanation).unwrap_or_default(),
        summary_zh: d.explanation.summary_zh(&d),
        summary_en: d.explanation.summary_en(&d),
        basis: "Order 121 Art. 45".into(),
    }))
}
