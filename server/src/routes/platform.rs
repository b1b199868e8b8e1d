//! A platform's own settings, worked by its staff in the app: live sessions
//! and their products, and the policy clock lengths (Order 117 Art. 20).
use crate::parse::{self, Fields};
use crate::web::extract::SignedIn;
use crate::web::form_error::{FormError, FormPage};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::{streams, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/platforms/{platform_id}/sessions", post(report_session))
        .route("/do/platforms/{platform_id}/policy", post(set_policy))
}

/// `POST /do/platforms/{id}/sessions`: platform staff report a session.
async fn report_session(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(platform_id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("sessions", "/platform/sessions", lang).with_summary();
    if !a.platform_ids.contains(&platform_id) {
        return Err(page.refuse(&f, StoreError::Forbidden));
    }
    let report = parse::stream::session_form(&f).map_err(|e| page.refuse(&f, e))?;
    streams::report_session(&st.store, platform_id, &report, "staff").await.map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("场次已报送。", "Session reported."))
}

/// `POST /do/platforms/{id}/policy`: the platform's policy clock lengths
/// (blank = default; bounds in `ClockPolicy`).
async fn set_policy(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path(platform_id): Path<i64>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("policy", "/platform/settings", lang);
    let policy = parse::policy(&f).map_err(|e| page.refuse(&f, e))?;
    redline_store::case::clocks::set_policy(&st.store, &a, platform_id, policy)
        .await
        .map_err(|e| page.refuse(&f, e))?;
    Ok(page.done("设置已保存。", "Settings saved."))
}
