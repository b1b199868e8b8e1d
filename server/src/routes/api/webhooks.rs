//! Webhook endpoints over the API (`webhooks:manage`): register, list,
//! change, rotate the secret, test, and see and replay deliveries. The same
//! store functions serve the organisation's page.
use super::{body_json, json_fields};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_store::api::keys::{ApiCaller, KeyOrg, Scope};
use redline_store::api::webhooks::{self, Owner};
use redline_store::api::deliveries;
use redline_store::entity::{webhook_delivery, webhook_endpoint};
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/webhooks", get(list).post(create))
        .route("/api/v1/webhooks/{id}", get(one).delete(remove))
        .route("/api/v1/webhooks/{id}/enable", post(enable))
        .route("/api/v1/webhooks/{id}/disable", post(disable))
        .route("/api/v1/webhooks/{id}/rotate-secret", post(rotate))
        .route("/api/v1/webhooks/{id}/test", post(test))
        .route("/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay", post(replay))
}

pub fn owner_of(c: &ApiCaller) -> Owner {
    match c.org {
        KeyOrg::Platform(p) => Owner::platform(p),
        KeyOrg::Operator(o) => Owner::operator(o),
    }
}

/// An endpoint as its owner sees it; the secret only when `with_secret`.
pub fn endpoint_json(e: &webhook_endpoint::Model, with_secret: bool) -> Value {
    let events: Vec<&str> = e.event_types.split(' ').collect();
    json!({
        "id": e.id,
        "url": e.url,
        "events": events,
        "enabled": e.enabled,
        "failing_since": e.failing_since,
        "disabled_at": e.disabled_at,
        "created_at": e.created_at,
        "secret": with_secret.then(|| e.secret.clone()),
    })
}

fn delivery_json(d: &webhook_delivery::Model) -> Value {
    json!({
        "id": d.id,
        "webhook_id": d.msg_id,
        "event_type": d.event_type,
        "subject": d.subject,
        "status": d.status,
        "attempts": d.attempts,
        "next_at": d.next_at,
        "created_at": d.created_at,
        "delivered_at": d.delivered_at,
    })
}

async fn list(State(st): State<AppState>, key: ApiKey) -> Result<Json<Value>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let eps = webhooks::list(&st.store, owner_of(c)).await?;
    Ok(Json(json!({ "data": eps.iter().map(|e| endpoint_json(e, false)).collect::<Vec<_>>() })))
}

/// `POST /api/v1/webhooks`: `{"url": "https://…", "events": ["case.created", …]}`;
/// answers the endpoint with its secret, shown this once.
async fn create(State(st): State<AppState>, key: ApiKey, body: axum::body::Bytes) -> Result<Response, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let f = json_fields(&body_json(&body)?)?;
    let ep = webhooks::create(&st.store, owner_of(c), f.get("url"), &f.all("events"), st.config.webhook_allow_local)
        .await?;
    Ok((StatusCode::CREATED, Json(endpoint_json(&ep, true))).into_response())
}

fn parse_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().map_err(|_| ApiError::not_found())
}

/// `GET /api/v1/webhooks/{id}`: the endpoint and its latest 50 deliveries.
async fn one(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let ep = webhooks::owned(&st.store, owner_of(c), parse_id(&id)?).await?;
    let ds = webhooks::recent(&st.store, ep.id, 50).await?;
    let mut body = endpoint_json(&ep, false);
    body["deliveries"] = ds.iter().map(delivery_json).collect::<Vec<_>>().into();
    Ok(Json(body))
}

async fn remove(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    webhooks::delete(&st.store, owner_of(c), parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn enable(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    switch(st, key, id, true).await
}

async fn disable(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    switch(st, key, id, false).await
}

async fn switch(st: AppState, key: ApiKey, id: String, on: bool) -> Result<Json<Value>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let id = parse_id(&id)?;
    webhooks::set_enabled(&st.store, owner_of(c), id, on).await?;
    Ok(Json(endpoint_json(&webhooks::owned(&st.store, owner_of(c), id).await?, false)))
}

/// A new secret, answered once; the old one signs too for 24 hours.
async fn rotate(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let ep = webhooks::rotate_secret(&st.store, owner_of(c), parse_id(&id)?).await?;
    Ok(Json(endpoint_json(&ep, true)))
}

/// Sends a `webhook.test` event.
async fn test(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Response, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let msg = webhooks::send_test(&st.store, owner_of(c), parse_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "webhook_id": msg }))).into_response())
}

async fn replay(
    State(st): State<AppState>,
    key: ApiKey,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    deliveries::replay(&st.store, owner_of(c), parse_id(&id)?, parse_id(&delivery_id)?).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}
