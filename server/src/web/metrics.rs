//! Prometheus metrics: request latency by route, filings, state changes and
//! job runs as they happen; overdue clocks and the mail backlog read when
//! scraped. Labels are route templates, kinds and outcomes: never a case
//! number, a person or an address.
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Seconds: from a cached page to a slow upload.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process-wide recorder (one per process, however many servers it runs).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            .expect("bucket list is not empty")
            .install_recorder()
            .expect("the only metrics recorder")
    })
}

/// Times every request under its route template (`other` for files and misses).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("other", |p| p.as_str()).to_owned();
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    metrics::histogram!("redline_http_request_duration_seconds", "method" => method, "route" => route, "status" => status)
        .record(start.elapsed().as_secs_f64());
    res
}

pub fn filed(channel: &'static str) {
    metrics::counter!("redline_filings_total", "channel" => channel).increment(1);
}

pub fn transitions(by: &'static str, n: u64) {
    metrics::counter!("redline_transitions_total", "by" => by).increment(n);
}

pub fn job_run(job: &'static str, ok: bool, done: u64, failed: u64) {
    metrics::counter!("redline_job_runs_total", "job" => job, "outcome" => if ok { "ok" } else { "error" })
        .increment(1);
    metrics::counter!("redline_job_items_total", "job" => job, "outcome" => "done").increment(done);
    metrics::counter!("redline_job_items_total", "job" => job, "outcome" => "failed").increment(failed);
}

/// `GET /metrics` with `Authorization: Bearer <REDLINE_METRICS_TOKEN>`.
pub async fn scrape(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = st.config.metrics_token.as_deref() else { return StatusCode::NOT_FOUND.into_response() };
    let sent = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if sent != Some(token) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    match redline_store::case::clocks::overdue_by_kind(&st.store).await {
        Ok(kinds) => {
            for kind in redline_rules::clock::ClockKind::ALL {
                let n = kinds.iter().find(|(k, _)| k == kind.code()).map_or(0, |(_, n)| *n);
                metrics::gauge!("redline_overdue_clocks", "kind" => kind.code()).set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: overdue clocks not read"),
    }
    match redline_store::notices::outbox::backlog(&st.store).await {
        Ok(n) => metrics::gauge!("redline_mail_backlog").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "metrics: mail backlog not read"),
    }
    // Group commit (SQLite): writes per commit is writes / commits.
    let (commits, writes) = st.store.writer.groups();
    metrics::counter!("redline_group_commits_total").absolute(commits);
    metrics::counter!("redline_grouped_writes_total").absolute(writes);
    let (written, read) = st.store.statements.counts();
    metrics::counter!("redline_db_statements_total", "pool" => "write").absolute(written);
    metrics::counter!("redline_db_statements_total", "pool" => "read").absolute(read);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}
