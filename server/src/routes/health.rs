//! For load balancers and orchestrators: `/healthz` says the process answers,
//! `/readyz` that it can serve: the database answers and its schema is the
//! one this build expects (a server started before a newer one migrated is
//! not ready).
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use sea_orm::ConnectionTrait;
use std::time::Duration;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(|| async { "ok" })).route("/readyz", get(ready))
}

async fn ready(State(st): State<AppState>) -> (StatusCode, String) {
    let db = &st.store.read;
    let answer = tokio::time::timeout(Duration::from_secs(2), async {
        db.execute_unprepared("SELECT 1").await?;
        redline_store::db::pending_migrations(db).await
    })
    .await;
    match answer {
        Ok(Ok(pending)) if pending.is_empty() => (StatusCode::OK, "ready".into()),
        Ok(Ok(pending)) => (StatusCode::SERVICE_UNAVAILABLE, format!("migrations pending: {}", pending.join(", "))),
        // The error may name the database's host; the log has it, the answer need not.
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readyz: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable".into())
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database did not answer within 2 s".into()),
    }
}
