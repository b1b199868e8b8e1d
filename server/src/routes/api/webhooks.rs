//! Webhook endpoints over the API (`webhooks:manage`): register, list, see
//! with the latest deliveries, switch, rotate the secret, test, replay,
//! remove. The same store functions serve the organisation's page.
use super::schema::*;
use super::{body_json, json_fields};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_store::api::deliveries;
use redline_store::api::keys::{ApiCaller, KeyOrg, Scope};
use redline_store::api::webhooks::{self, Owner};
use redline_store::entity::{webhook_delivery, webhook_endpoint};
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, remove))
        .routes(routes!(enable))
        .routes(routes!(disable))
        .routes(routes!(rotate))
        .routes(routes!(test))
        .routes(routes!(replay))
}

fn owner_of(c: &ApiCaller) -> Owner {
    match c.org {
        KeyOrg::Platform(p) => Owner::platform(p),
        KeyOrg::Operator(o) => Owner::operator(o),
    }
}

fn endpoint(e: &webhook_endpoint::Model, with_secret: bool) -> Endpoint {
    Endpoint {
        id: e.id,
        url: e.url.clone(),
        events: e.event_types.split(' ').map(str::to_owned).collect(),
        enabled: e.enabled,
        failing_since: e.failing_since,
        disabled_at: e.disabled_at,
        created_at: e.created_at,
        secret: with_secret.then(|| e.secret.clone()),
        deliveries: None,
    }
}

fn delivery(d: &webhook_delivery::Model) -> DeliveryView {
    DeliveryView {
        id: d.id,
        webhook_id: d.msg_id.clone(),
        event_type: d.event_type.clone(),
        subject: d.subject.clone(),
        status: d.status.clone(),
        attempts: d.attempts,
        next_at: d.next_at,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
    }
}

/// Path ids that are not numbers name nothing.
fn id_of(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>().map_err(|_| ApiError::not_found())
}

const EP: &str = "webhooks";

#[utoipa::path(get, path = "/api/v1/webhooks", tag = EP,
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 200, body = EndpointList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn list(State(st): State<AppState>, key: ApiKey) -> Result<Json<EndpointList>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let eps = webhooks::list(&st.store, owner_of(c)).await?;
    Ok(Json(EndpointList { data: eps.iter().map(|e| endpoint(e, false)).collect() }))
}

/// Registers an endpoint; the answer carries its signing secret, this once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = EP, request_body = EndpointRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 409, body = ErrorBody), (status = 201, body = Endpoint), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn create(State(st): State<AppState>, key: ApiKey, body: axum::body::Bytes) -> Result<Response, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let f = json_fields(&body_json(&body)?)?;
    let ep =
        webhooks::create(&st.store, owner_of(c), f.get("url"), &f.all("events"), st.config.webhook_allow_local).await?;
    Ok((StatusCode::CREATED, Json(endpoint(&ep, true))).into_response())
}

/// The endpoint and its latest 50 deliveries.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = EP, params(("id" = i64, Path)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 200, body = Endpoint), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn one(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Endpoint>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let ep = webhooks::owned(&st.store, owner_of(c), id_of(&id)?).await?;
    let mut body = endpoint(&ep, false);
    body.deliveries = Some(webhooks::recent(&st.store, ep.id, 50).await?.iter().map(delivery).collect());
    Ok(Json(body))
}

/// Removes the endpoint and its delivery record.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = EP, params(("id" = i64, Path)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 204, description = "Removed"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn remove(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    webhooks::delete(&st.store, owner_of(c), id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn switch(st: AppState, key: ApiKey, id: String, on: bool) -> Result<Json<Endpoint>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let id = id_of(&id)?;
    webhooks::set_enabled(&st.store, owner_of(c), id, on).await?;
    Ok(Json(endpoint(&webhooks::owned(&st.store, owner_of(c), id).await?, false)))
}

/// Switches the endpoint on, clearing its failure record.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/enable", tag = EP,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 200, body = Endpoint), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn enable(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Endpoint>, ApiError> {
    switch(st, key, id, true).await
}

/// Switches the endpoint off; its deliveries wait.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/disable", tag = EP,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 200, body = Endpoint), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn disable(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Endpoint>, ApiError> {
    switch(st, key, id, false).await
}

/// A new secret, answered once; the old one signs too for 24 hours.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = EP,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 200, body = Endpoint), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn rotate(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Json<Endpoint>, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let ep = webhooks::rotate_secret(&st.store, owner_of(c), id_of(&id)?).await?;
    Ok(Json(endpoint(&ep, true)))
}

/// Sends a `webhook.test` event.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = EP,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 202, body = TestSent), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn test(State(st): State<AppState>, key: ApiKey, Path(id): Path<String>) -> Result<Response, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    let msg = webhooks::send_test(&st.store, owner_of(c), id_of(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(TestSent { webhook_id: msg })).into_response())
}

/// Sends a delivery again, now, with its `webhook-id`.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay", tag = EP,
    params(("id" = i64, Path), ("delivery_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 202, description = "Queued"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["webhooks:manage"])))]
async fn replay(
    State(st): State<AppState>,
    key: ApiKey,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let c = key.with(Scope::WebhooksManage)?;
    deliveries::replay(&st.store, owner_of(c), id_of(&id)?, id_of(&delivery_id)?).await?;
    Ok(StatusCode::ACCEPTED)
}
