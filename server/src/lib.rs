//! Transport: the axum server hosting the Leptos pages, HTML form posts, the
//! public REST API and the background sweeper. Rules live in `redline-rules`,
//! persistence in `redline-store`.
pub mod cli;
pub mod config;
pub mod dossier;
pub mod jobs;
pub mod listen;
pub mod mail;
pub mod parse;
pub mod routes;
pub mod shutdown;
pub mod transparency;
pub mod upload;
pub mod web;
pub mod webhook;

use app::{shell, App};
use axum::extract::FromRef;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use redline_store::vault::blobs::{BlobStore, LocalDir, ObjectBlobs};
use redline_store::vault::intake::{Limits, Vault};
use redline_store::{ShiftableTime, Store};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub time: Arc<ShiftableTime>,
    pub config: Config,
    pub vault: Vault,
    pub keys: redline_store::web::keys::WebKeys,
    /// Requests per API key and minute (`REDLINE_API_RATE`).
    pub api_limits: Arc<web::api_key::ApiLimits>,
    /// The mail sender, for the one mail sent while the sender waits (a tip's
    /// receipt, which is never stored in the clear).
    pub mailer: Option<mail::Mailer>,
    /// The transparency log's signing key.
    pub log: Arc<transparency::LogSigner>,
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
    /// The configured mail sender, if any (tests drive it directly).
    pub mailer: Option<mail::Mailer>,
    pub vault: Vault,
    /// The transparency log's signing key (tests make checkpoints on demand).
    pub log: Arc<transparency::LogSigner>,
    server: tokio::task::JoinHandle<()>,
    shutdown: shutdown::Shutdown,
    grace: std::time::Duration,
}

impl Running {
    /// Serves until SIGTERM or SIGINT, then stops cleanly ([`Running::stop`]).
    pub async fn serve_until_signalled(self) {
        let token = self.shutdown.token();
        let signal = tokio::select! {
            s = shutdown::signalled() => s,
            _ = token.cancelled() => "stop",
        };
        tracing::info!(signal, "stopping");
        self.stop().await;
    }

    /// Stops accepting, lets requests in flight and the background batches
    /// under way finish (each within the grace period), then closes the
    /// database: the write-ahead log is checkpointed on SQLite.
    pub async fn stop(self) {
        // One grace period for requests and background work together, so a
        // supervisor's stop timeout (systemd: TimeoutStopSec=45) is never passed.
        let began = tokio::time::Instant::now();
        self.shutdown.token().cancel();
        let _ = self.server.await;
        let jobs_done = self.shutdown.stop(self.grace.saturating_sub(began.elapsed())).await;
        if !jobs_done {
            tracing::warn!("background work still running after the grace period was cut off");
        }
        let close = async {
            let _ = self.store.db.close_by_ref().await;
            let _ = self.store.read.close_by_ref().await;
        };
        if tokio::time::timeout(std::time::Duration::from_secs(5), close).await.is_err() {
            tracing::warn!("the database did not close within 5 s");
        }
        tracing::info!(jobs_done, "stopped");
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
    // cargo-leptos lists the hashed asset names in a file beside the binary;
    // where one is, use it, however the server was started.
    let beside_binary = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(&*o.hash_file)));
    // An installed Redline keeps it beside its site (`/usr/share/redline/hash.txt`),
    // not in /usr/bin; Leptos joins an absolute name onto nothing.
    let beside_site = std::path::Path::new(&config.site_root).parent().map(|d| d.join(&*o.hash_file));
    if beside_binary.is_some_and(|f| f.is_file()) {
        o.hash_files = true;
    } else if let Some(f) = beside_site.filter(|f| f.is_file()).and_then(|f| std::path::absolute(f).ok()) {
        o.hash_file = f.display().to_string().into();
        o.hash_files = true;
    }
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

/// The evidence vault: an S3-compatible bucket if configured, else a directory.
pub fn vault(config: &Config) -> Result<Vault, Box<dyn std::error::Error + Send + Sync>> {
    let blobs: Arc<dyn BlobStore> = match &config.evidence_s3_bucket {
        Some(bucket) => Arc::new(ObjectBlobs::s3_from_env(bucket)?),
        None => Arc::new(LocalDir::new(&config.evidence_dir)),
    };
    Ok(Vault {
        blobs,
        limits: Limits { max_file: config.evidence_max_file, max_case: config.evidence_max_case },
        // Uploads arrive here first; inside the vault directory, so moving a
        // kept file in is a rename.
        staging: std::path::Path::new(&config.evidence_dir).join(".staging"),
    })
}

/// Connects (and migrates) with the configured policies.
pub async fn open_store(config: &Config, time: Arc<ShiftableTime>) -> Result<Store, sea_orm::DbErr> {
    let pools = redline_store::db::connect(&config.database_url).await?;
    let mut store = Store::new(pools, time);
    store.cluster = redline_rules::cluster::ClusterPolicy {
        count: config.cluster_count,
        product_count: config.cluster_product_count,
        window_hours: config.cluster_hours,
    };
    Ok(store)
}

/// Connects, migrates, seeds, binds and serves in the background.
pub async fn start(config: Config) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    start_with_time(config, Arc::new(ShiftableTime::default())).await
}

/// As [`start`], on a given time source (tests start at a fixed moment).
pub async fn start_with_time(
    config: Config,
    time: Arc<ShiftableTime>,
) -> Result<Running, Box<dyn std::error::Error + Send + Sync>> {
    web::metrics::handle();
    let store = open_store(&config, time.clone()).await?;
    let vault = vault(&config)?;
    tracing::info!(vault = %vault.blobs.describe(), "evidence vault");
    let demo = config.seed_demo && {
        redline_store::seed::seed_demo(&store).await?;
        true
    };
    // Cases filed before search existed (m012) get their search rows.
    let indexed = redline_store::search::index_missing(&store, 500).await?;
    if indexed > 0 {
        tracing::info!(cases = indexed, "search rows written for earlier cases");
    }
    let keys = redline_store::web::keys::WebKeys::load(&store, config.secure_cookies).await?;
    let log = Arc::new(transparency::LogSigner::load(&config)?);
    log.register(&store).await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let mailer = match &config.smtp_url {
        Some(url) => {
            let public = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
            let ca = match &config.smtp_ca_file {
                Some(path) => Some(std::fs::read(path).map_err(|e| format!("REDLINE_SMTP_CA_FILE {path}: {e}"))?),
                None => None,
            };
            Some(mail::Mailer::with_roots(url, &config.mail_from, &public, ca.as_deref())?)
        }
        None => None,
    };
    let leptos_options = leptos_options(&config, addr);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        store: store.clone(),
        time: time.clone(),
        config: config.clone(),
        vault,
        keys: keys.clone(),
        api_limits: Arc::new(web::api_key::ApiLimits::new(config.api_rate)),
        mailer: mailer.clone(),
        log: log.clone(),
    };
    let routes = route_list();
    let router = routes::router(&config);
    let state_vault = state.vault.clone();
    let ctx_store = store.clone();
    let ctx_limits = state.vault.limits;
    // Every rendered page, the fallback's too: the store, the evidence limits,
    // the web keys, and a Content-Security-Policy naming the page's nonce.
    let page_context = move || {
        provide_context(ctx_store.clone());
        provide_context(ctx_limits);
        provide_context(keys.clone());
        // The guard minted this request's nonce and sets the page's policy
        // with it (Leptos' response options lost the header now and then on
        // `/me/new`); Leptos puts the same nonce on its scripts.
        let minted = use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<web::security::PageNonce>().cloned());
        if let Some(n) = minted {
            provide_context(leptos::nonce::Nonce::from_value(n.0));
        }
    };
    let router = router
        .leptos_routes_with_context(&state, routes, page_context.clone(), {
            let o = leptos_options.clone();
            move || shell(o.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::idempotency::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::security::guard))
        // Styles, scripts and WebAssembly travel in brotli when the browser
        // accepts it; pages (and assets for a browser without brotli) in gzip.
        // The outer layer leaves what the inner one compressed. Nothing else:
        // a codec a dependency switched on would otherwise be chosen and fail.
        .layer(
            CompressionLayer::new()
                .no_gzip()
                .no_deflate()
                .no_zstd()
                .compress_when(DefaultPredicate::new().and(web::respond::built_asset)),
        )
        .layer(
            CompressionLayer::new()
                .no_br()
                .no_deflate()
                .no_zstd()
                .compress_when(DefaultPredicate::new().and(web::respond::compressible)),
        )
        .layer(axum::middleware::from_fn(web::respond::asset_cache))
        .layer(axum::middleware::from_fn(web::metrics::track))
        // A body that stops arriving for this long is abandoned.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(config.body_idle))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    let conn_limits = listen::ConnLimits {
        header_timeout: config.header_timeout,
        per_address: if config.trust_proxy { 0 } else { config.conns_per_address },
    };
    let shutdown = shutdown::Shutdown::default();
    let server = tokio::spawn(listen::serve(listener, router, conn_limits, shutdown.token(), config.shutdown_grace));
    jobs::spawn_all(
        jobs::JobContext {
            store: store.clone(),
            vault: state_vault.clone(),
            log: log.clone(),
            tsa_url: config.tsa_url.clone(),
        },
        &config,
        &shutdown,
    );
    if let (Some(m), true) = (&mailer, config.mail_secs > 0) {
        mail::spawn(store.clone(), m.clone(), config.mail_secs, &shutdown);
    }
    if config.webhook_secs > 0 {
        let sender = webhook::Sender::new(config.webhook_allow_local);
        webhook::spawn(store.clone(), sender, config.webhook_secs, &shutdown);
    }
    let grace = config.shutdown_grace;
    Ok(Running { addr, demo, store, time, mailer, vault: state_vault, log, server, shutdown, grace })
}
