//! Test hooks (`/api/test`, only with REDLINE_TEST_HOOKS=1): moving the
//! clock, running the sweep or another job, and reading the newest mailed link.
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/test/advance", post(advance_time))
        .route("/api/test/sweep", post(run_sweep))
        .route("/api/test/outbox", get(outbox_link))
        .route("/api/test/job", post(run_job))
}

#[derive(Deserialize)]
struct JobName {
    name: String,
}

/// Runs one background job now, by name (`stats`, `desk`, …).
async fn run_job(State(s): State<AppState>, Query(q): Query<JobName>) -> Json<serde_json::Value> {
    use crate::jobs::{Job, JobContext};
    let Some(job) = Job::ALL.into_iter().find(|j| j.name() == q.name) else {
        return Json(json!({ "error": "no such job" }));
    };
    let ctx = JobContext {
        store: s.store.clone(),
        vault: s.vault.clone(),
        log: s.log.clone(),
        tsa_url: s.config.tsa_url.clone(),
    };
    let r = job.run_logged(&ctx).await;
    Json(json!({ "done": r.done, "failed": r.failed }))
}

#[derive(Deserialize)]
struct Advance {
    secs: i64,
}

/// Moves the server's clock forward.
async fn advance_time(State(s): State<AppState>, Query(a): Query<Advance>) -> Json<serde_json::Value> {
    s.time.advance(a.secs);
    Json(json!({ "now": s.store.now(), "today": s.store.today() }))
}

/// Runs the overdue sweep now.
async fn run_sweep(State(s): State<AppState>) -> Json<serde_json::Value> {
    let r = crate::jobs::run_until_idle(&s.store).await;
    Json(json!({ "expired": r.expired, "transitions": r.transitions, "skipped": r.skipped, "failed": r.failed }))
}

#[derive(Deserialize)]
struct OutboxQuery {
    to: String,
}

/// The newest link mailed to an address, read from the outbox (browser
/// journeys follow registration and invitation links with it).
async fn outbox_link(State(s): State<AppState>, Query(q): Query<OutboxQuery>) -> Json<serde_json::Value> {
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
