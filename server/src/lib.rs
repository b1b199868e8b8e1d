//! Transport: the axum server hosting the Leptos pages, HTML form posts, the
//! public REST API and the background sweeper. Rules live in `redline-rules`,
//! persistence in `redline-store`.
pub mod api;
pub mod config;
pub mod forms;
pub mod jobs;
pub mod parse;

use app::{shell, App};
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use redline_store::{ShiftableTime, Store};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub time: Arc<ShiftableTime>,
    pub config: Config,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

pub struct Running {
    pub addr: SocketAddr,
    /// Whether demo data (and its demo logins) exist.
    pub demo: bool,
    pub store: Store,
    pub time: Arc<ShiftableTime>,
    server: tokio::task::JoinHandle<()>,
}

impl Running {
    pub async fn serve_forever(self) {
        let _ = self.server.await;
    }
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    // cargo-leptos sets these; plain `cargo run` and tests get the same defaults.
    if std::env::var("LEPTOS_OUTPUT_NAME").is_err() {
        std::env::set_var("LEPTOS_OUTPUT_NAME", "redline");
    }
    let mut o = get_configuration(None).expect("leptos configuration").leptos_options;
    o.site_addr = addr;
    o.site_root = config.site_root.clone().into();
    o
}

/// The page routes, generated once per process. Generating them suppresses
/// resource loading process-wide (leptos issue #4773), so a second generation
/// while another server in the same process renders (as in tests) would hang it.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Connects, migrates, seeds, binds and serves in the background.
pub async fn start(config: Config) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    let db = redline_store::db::connect(&config.database_url).await?;
    let time = Arc::new(ShiftableTime::default());
    let store = Store { db, time: time.clone() };
    let demo = config.seed_demo && {
        redline_store::seed::seed_demo(&store).await?;
        true
    };
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let leptos_options = leptos_options(&config, addr);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        store: store.clone(),
        time: time.clone(),
        config: config.clone(),
    };
    let routes = route_list();
    let mut router = Router::new()
        .route("/do/login", post(forms::login))
        .route("/do/register", post(forms::register))
        .route("/do/logout", post(forms::logout))
        .route("/do/admin/grant", post(forms::grant))
        .route("/do/complaints", post(forms::file_complaint))
        .route("/do/cases/{case_no}/act", post(forms::act))
        .route("/do/platforms/{platform_id}/policy", post(forms::set_policy))
        .route("/lang/{lang}", get(forms::set_lang))
        .route("/api/v1/deadlines", get(api::deadlines))
        .route("/healthz", get(|| async { "ok" }));
    if config.test_hooks {
        router =
            router.route("/api/test/advance", post(api::advance_time)).route("/api/test/sweep", post(api::run_sweep));
    }
    let ctx_store = store.clone();
    let router = router
        .leptos_routes_with_context(&state, routes, move || provide_context(ctx_store.clone()), {
            let o = leptos_options.clone();
            move || shell(o.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router.into_make_service()).await {
            tracing::error!(error = %e, "server stopped");
        }
    });
    if config.sweep_secs > 0 {
        jobs::spawn_sweeper(store.clone(), config.sweep_secs);
    }
    Ok(Running { addr, demo, store, time, server })
}
