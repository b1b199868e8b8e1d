//! Routes by resource: a URL's handler is in the file named after the thing it
//! acts on (`/do/cases/{no}/evidence` → `evidence.rs`, `/do/platforms/{id}/…` →
//! `platform.rs`, `/api/v1/…` → `api.rs`). Each file lists its own routes at its
//! top; they are merged here, once. Form posts (`/do/…`) answer with a redirect (POST → redirect →
//! GET, working without JavaScript); `/api/v1` answers JSON.
mod account;
mod admin;
mod alerts;
pub(crate) mod api;
mod cases;
mod desk;
mod disputes;
mod dossier;
mod evidence;
mod fraud;
mod health;
mod integrations;
mod narratives;
mod notifications;
mod parties;
mod platform;
mod public;
mod ratings;
mod records;
mod retention;
mod test_hooks;
mod tips;
pub(crate) mod transparency;
mod unreachable;
mod violations;

use crate::config::Config;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;

pub fn router(config: &Config) -> Router<AppState> {
    // One post may carry several files: room for the per-case total; each file
    // is held to the per-file limit while it is read.
    let uploads = DefaultBodyLimit::max((config.evidence_max_case + (1 << 20)) as usize);
    let router = Router::new()
        .merge(account::routes())
        .merge(admin::routes())
        .merge(alerts::routes())
        .merge(cases::routes(uploads))
        .merge(evidence::routes(uploads))
        .merge(dossier::routes())
        .merge(desk::routes())
        .merge(platform::routes())
        .merge(public::routes())
        .merge(records::routes())
        .merge(fraud::routes())
        .merge(retention::routes())
        .merge(ratings::routes())
        .merge(violations::routes())
        .merge(disputes::routes())
        .merge(unreachable::routes())
        .merge(integrations::routes())
        .merge(parties::routes())
        .merge(tips::routes(uploads))
        .merge(notifications::routes())
        .merge(transparency::routes())
        .merge(narratives::routes())
        .merge(api::routes(uploads))
        .merge(health::routes())
        .route("/metrics", get(crate::web::metrics::scrape));
    if config.test_hooks {
        router.merge(test_hooks::routes())
    } else {
        router
    }
}
