//! Tips routed to a platform (Order 117 Art. 12): the list, one tip, and the
//! platform's measure. The reporter is never named: the views are the
//! platform page's (`tip::views::staff_view`), which remove them.
use super::cases::{parse_cursor, parse_limit};
use super::{body_json, json_fields, query_error};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_store::api::keys::Scope;
use redline_store::entity::tip;
use redline_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tips", get(list))
        .route("/api/v1/tips/{tip_no}", get(one))
        .route("/api/v1/tips/{tip_no}/answer", post(answer))
}

#[derive(Deserialize)]
struct TipQuery {
    status: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// What a platform sees of a tip (reporter fields already removed).
fn tip_json(t: &tip::Model) -> Value {
    json!({
        "tip_no": t.tip_no,
        "room_id": t.live_room_id,
        "target_kind": t.target_kind,
        "marketer_name": t.marketer_name,
        "categories": serde_json::from_str::<Value>(&t.categories_json).unwrap_or_default(),
        "moments": serde_json::from_str::<Value>(&t.moments_json).unwrap_or_default(),
        "description": t.description,
        "platform_status": t.platform_status,
        "platform_measure": t.platform_measure,
        "platform_note": t.platform_note,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    })
}

const STATUSES: [&str; 3] = ["REVIEWING", "ACTION_TAKEN", "NO_ACTION"];

/// `GET /api/v1/tips?status=REVIEWING`: the platform's tips in filing order.
async fn list(
    State(st): State<AppState>,
    key: ApiKey,
    q: Result<Query<TipQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    key.platform(Scope::TipsRead)?;
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) if STATUSES.contains(&s) => Some(s),
        Some(_) => {
            return Err(query_error("status", "须为 REVIEWING、ACTION_TAKEN 或 NO_ACTION", "must be REVIEWING, ACTION_TAKEN or NO_ACTION"))
        }
    };
    let (rows, next) = redline_store::api::cases::tips(&st.store, &key.0, status, parse_cursor(&q.cursor)?, parse_limit(&q.limit)?)
        .await?;
    // Stripped as the platform page strips them, before anything is shown.
    let data: Vec<Value> = rows.into_iter().map(|t| tip_json(&redline_store::tip::views::platform_copy(t))).collect();
    Ok(Json(json!({ "data": data, "next_cursor": next.map(|c| c.encode()) })))
}

fn hidden(e: StoreError) -> ApiError {
    match e {
        StoreError::Forbidden => ApiError::not_found(),
        e => e.into(),
    }
}

/// `GET /api/v1/tips/{tip_no}`: the tip and its history, as the platform page shows them.
async fn one(State(st): State<AppState>, key: ApiKey, Path(tip_no): Path<String>) -> Result<Json<Value>, ApiError> {
    key.platform(Scope::TipsRead)?;
    let v = redline_store::tip::views::staff_view(&st.store, &key.0.actor, &tip_no).await.map_err(hidden)?;
    let mut body = tip_json(&v.tip);
    body["history"] = v
        .events
        .iter()
        .map(|e| json!({ "seq": e.seq, "at": e.at, "role": e.actor_role, "event": e.event_type }))
        .collect::<Vec<_>>()
        .into();
    Ok(Json(body))
}

/// `POST /api/v1/tips/{tip_no}/answer`: `{"answer": "measure", "measure":
/// "REMOVE_CONTENT", "message": "…"}` or `{"answer": "no_action", "message": "…"}`.
async fn answer(
    State(st): State<AppState>,
    key: ApiKey,
    Path(tip_no): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    key.platform(Scope::TipsWrite)?;
    let f = json_fields(&body_json(&body)?)?;
    let ans = crate::parse::tip::platform_answer(&f).map_err(ApiError::invalid)?;
    redline_store::tip::handling::platform_answer(&st.store, &key.0.actor, &tip_no, ans).await.map_err(hidden)?;
    let v = redline_store::tip::views::staff_view(&st.store, &key.0.actor, &tip_no).await.map_err(hidden)?;
    Ok(Json(tip_json(&v.tip)))
}
