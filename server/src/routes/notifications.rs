//! A person's notifications: marking them read and choosing immediate emails
//! or a daily digest.
use crate::parse::Fields;
use crate::web::extract::SignedIn;
use crate::web::respond::see_other;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/notifications/read", post(mark_read)).route("/do/notifications/mode", post(set_mode))
}

/// `POST /do/notifications/read`: one (`id`) or all.
async fn mark_read(State(st): State<AppState>, SignedIn { actor: a, .. }: SignedIn, f: Fields) -> Response {
    let id = f.get("id").parse::<i64>().ok();
    if let Err(e) = redline_store::notices::mark_read(&st.store, a.user_id, id).await {
        tracing::warn!(error = %e, "mark read failed");
    }
    see_other("/notifications")
}

/// `POST /do/notifications/mode`: immediate emails or a daily digest.
async fn set_mode(State(st): State<AppState>, SignedIn { actor: a, .. }: SignedIn, f: Fields) -> Response {
    if let Err(e) = redline_store::notices::set_mode(&st.store, a.user_id, f.get("mode")).await {
        tracing::warn!(error = %e, "notification mode not set");
    }
    see_other("/notifications")
}
