//! Process configuration: `redline.toml` (if any) under the environment, every
//! key listed in [`keys::KEYS`], every value checked at once so that all the
//! problems of a configuration are reported together ([`load`]); what can only
//! be checked against the world (directories, the database, the mail server)
//! is in [`check`].
pub mod check;
pub mod keys;
mod load;

pub use load::{load, Loaded, Problem, DEFAULT_FILE};
use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// Seed demo data (with its published demo passwords) into an empty database:
    /// by default only on the embedded SQLite; PostgreSQL needs REDLINE_SEED=1.
    pub seed_demo: bool,
    /// Seconds between runs of each background job unless it has its own
    /// interval; 0 stops every job (tests drive them by hand).
    pub sweep_secs: u64,
    /// Per-job intervals from `REDLINE_JOB_<NAME>_SECS` (e.g. `REDLINE_JOB_DIGESTS_SECS`);
    /// 0 stops that job.
    pub job_secs: std::collections::HashMap<String, u64>,
    /// Enables /api/test/* (moving time, running the sweep) for end-to-end tests.
    pub test_hooks: bool,
    /// Where the compiled site (pkg/, CSS) lives.
    pub site_root: String,
    /// Evidence vault: a local directory (default data/evidence) unless an
    /// S3-compatible bucket is named (REDLINE_EVIDENCE_S3_BUCKET, with AWS_*).
    pub evidence_dir: String,
    /// The transparency log's Ed25519 signing key: a file, never the database.
    pub log_key_file: String,
    /// An RFC 3161 time-stamping authority for checkpoints (unset: signed only).
    pub tsa_url: Option<String>,
    pub evidence_s3_bucket: Option<String>,
    /// Per-file and per-case evidence limits in bytes (default 20 MiB, 100 MiB).
    pub evidence_max_file: u64,
    pub evidence_max_case: u64,
    /// Outgoing mail: `smtp://host:port` (unset: notifications stay in the app
    /// and the outbox keeps them until a server is configured).
    pub smtp_url: Option<String>,
    /// PEM certificates to trust for the SMTP server's TLS besides the usual
    /// roots (a relay whose certificate comes from the organisation's own CA).
    pub smtp_ca_file: Option<String>,
    pub mail_from: String,
    /// The address links in emails point at.
    pub public_url: Option<String>,
    /// Seconds between outbox runs.
    pub mail_secs: u64,
    /// Public tip form: tips per IP address per hour; status lookups per hour.
    pub tip_limit: i32,
    pub lookup_limit: i32,
    /// Complaints one account may file an hour (REDLINE_FILING_LIMIT, 20).
    pub filing_limit: i32,
    /// A cluster alert: this many complaints about one room (REDLINE_CLUSTER_COUNT, 5)
    /// within this many hours (REDLINE_CLUSTER_HOURS, 24).
    pub cluster_count: u32,
    /// … or about one product (REDLINE_CLUSTER_PRODUCT_COUNT, 3).
    pub cluster_product_count: u32,
    pub cluster_hours: u32,
    /// Take the client address from X-Forwarded-For (behind a trusted proxy only).
    pub trust_proxy: bool,
    /// Cookies only over HTTPS (`Secure`, and `__Host-` for the browser id):
    /// REDLINE_SECURE_COOKIES=1/0, by default on when the public URL is https.
    pub secure_cookies: bool,
    /// A client must send a request's headers within this time, and may leave
    /// its body idle no longer than `body_idle` (REDLINE_HEADER_TIMEOUT_SECS,
    /// REDLINE_BODY_IDLE_SECS: 10 s and 30 s).
    pub header_timeout: std::time::Duration,
    pub body_idle: std::time::Duration,
    /// Open connections one client address may hold (REDLINE_CONNS_PER_ADDRESS,
    /// 64; not applied behind a trusted proxy).
    pub conns_per_address: usize,
    /// The bearer token a Prometheus scraper sends to `/metrics`
    /// (REDLINE_METRICS_TOKEN); without one the route does not exist.
    pub metrics_token: Option<String>,
    /// Webhook endpoints may be plain http and on loopback or private
    /// addresses (REDLINE_WEBHOOK_ALLOW_LOCAL=1; for tests and a local
    /// receiver). Off, an endpoint must be https on a public address, so a
    /// platform cannot point Redline at its own internal network.
    pub webhook_allow_local: bool,
    /// Requests per API key and minute (REDLINE_API_RATE, default 1200);
    /// past it, 429 with Retry-After.
    pub api_rate: u32,
    /// Seconds between webhook sends (REDLINE_WEBHOOK_SECS, default 2; 0 stops them).
    pub webhook_secs: u64,
    /// On SIGTERM: how long requests in flight and a job's current batch may
    /// take before the process exits anyway.
    pub shutdown_grace: std::time::Duration,
    /// `text` or `json` (one object a line, for log collectors).
    pub log_json: bool,
}

impl Config {
    /// The configuration these environment variables describe, with no file
    /// (tests); panics on a problem.
    pub fn from_vars(vars: &std::collections::HashMap<String, String>) -> Config {
        match load(None, vars) {
            Ok(l) => l.config,
            Err(problems) => panic!("configuration problems: {problems:?}"),
        }
    }
}
