//! Tips routed to a platform (Order 117 Art. 12): the list, one tip, and the
//! platform's measure. The reporter is never named: the views are the
//! platform page's (`tip::views`), which remove them.
use super::cases::{hidden, parse_cursor, parse_limit};
use super::schema::*;
use super::{body_json, json_fields, query_error};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use redline_store::api::keys::Scope;
use redline_store::entity::tip;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(one)).routes(routes!(answer))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TipQuery {
    /// `REVIEWING`, `ACTION_TAKEN` or `NO_ACTION`.
    #[param(value_type = Option<String>, pattern = "^(REVIEWING|ACTION_TAKEN|NO_ACTION)$")]
    status: Option<String>,
    #[param(min_length = 1, max_length = 40, pattern = "^[A-Za-z0-9_-]+$")]
    cursor: Option<String>,
    #[param(value_type = Option<u64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

fn tip_view(t: &tip::Model) -> TipView {
    TipView {
        tip_no: t.tip_no.clone(),
        room_id: t.live_room_id,
        target_kind: t.target_kind.clone(),
        marketer_name: t.marketer_name.clone(),
        categories: serde_json::from_str(&t.categories_json).unwrap_or_default(),
        moments: serde_json::from_str(&t.moments_json).unwrap_or_default(),
        description: t.description.clone(),
        platform_status: t.platform_status.clone(),
        platform_measure: t.platform_measure.clone(),
        platform_note: t.platform_note.clone(),
        created_at: t.created_at,
        updated_at: t.updated_at,
        history: None,
    }
}

const STATUSES: [&str; 3] = ["REVIEWING", "ACTION_TAKEN", "NO_ACTION"];

/// The platform's tips in filing order.
#[utoipa::path(get, path = "/api/v1/tips", tag = "tips", params(TipQuery),
    responses((status = 429, body = ErrorBody), (status = 200, body = TipList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("api_key" = ["tips:read"])))]
async fn list(
    State(st): State<AppState>,
    key: ApiKey,
    q: Result<Query<TipQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<TipList>, ApiError> {
    key.platform(Scope::TipsRead)?;
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(_) => {
            return Err(query_error(
                "status",
                "须为 REVIEWING、ACTION_TAKEN 或 NO_ACTION",
                "must be REVIEWING, ACTION_TAKEN or NO_ACTION",
            ))
        }
    };
    let (after, limit) = (parse_cursor(&q.cursor)?, parse_limit(&q.limit)?);
    let (rows, next) = redline_store::api::cases::tips(&st.store, &key.0, status, after, limit).await?;
    // Stripped as the platform page strips them, before anything is shown.
    let data = rows.into_iter().map(|t| tip_view(&redline_store::tip::views::platform_copy(t))).collect();
    Ok(Json(TipList { data, next_cursor: next.map(|c| c.encode()) }))
}

/// The tip and its history, as the platform page shows them.
#[utoipa::path(get, path = "/api/v1/tips/{tip_no}", tag = "tips", params(("tip_no" = String, Path)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 200, body = TipView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["tips:read"])))]
async fn one(State(st): State<AppState>, key: ApiKey, Path(tip_no): Path<String>) -> Result<Json<TipView>, ApiError> {
    key.platform(Scope::TipsRead)?;
    let v = redline_store::tip::views::staff_view(&st.store, &key.0.actor, &tip_no).await.map_err(hidden)?;
    let mut body = tip_view(&v.tip);
    body.history = Some(
        v.events
            .iter()
            .map(|e| TipEventView { seq: e.seq, at: e.at, role: e.actor_role.clone(), event: e.event_type.clone() })
            .collect(),
    );
    Ok(Json(body))
}

/// A measure (Order 117 Art. 12) or no action with its reason.
#[utoipa::path(post, path = "/api/v1/tips/{tip_no}/answer", tag = "tips", request_body = TipAnswer,
    params(("tip_no" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 200, body = TipView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("api_key" = ["tips:write"])))]
async fn answer(
    State(st): State<AppState>,
    key: ApiKey,
    Path(tip_no): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<TipView>, ApiError> {
    key.platform(Scope::TipsWrite)?;
    let f = json_fields(&body_json(&body)?)?;
    let ans = crate::parse::tip::platform_answer(&f).map_err(ApiError::invalid)?;
    redline_store::tip::handling::platform_answer(&st.store, &key.0.actor, &tip_no, ans).await.map_err(hidden)?;
    let v = redline_store::tip::views::staff_view(&st.store, &key.0.actor, &tip_no).await.map_err(hidden)?;
    Ok(Json(tip_view(&v.tip)))
}
