//! Process configuration from the environment, in one place.
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
}

impl Config {
    pub fn from_env() -> Config {
        Self::from_vars(&std::env::vars().collect())
    }

    /// The configuration these variables describe (an empty value counts as unset).
    pub fn from_vars(vars: &std::collections::HashMap<String, String>) -> Config {
        let var = |k: &str| vars.get(k).cloned().filter(|v| !v.is_empty());
        let database_url = var("DATABASE_URL").unwrap_or_else(|| redline_store::db::DEFAULT_URL.to_owned());
        let seed_demo = match var("REDLINE_SEED").as_deref() {
            Some("1") => true,
            Some(_) => false,
            None => redline_store::db::is_sqlite(&database_url),
        };
        Config {
            database_url,
            addr: var("LEPTOS_SITE_ADDR")
                .and_then(|a| a.parse().ok())
                .unwrap_or_else(|| "127.0.0.1:3000".parse().unwrap()),
            seed_demo,
            sweep_secs: var("REDLINE_SWEEP_SECS").and_then(|v| v.parse().ok()).unwrap_or(60),
            job_secs: vars
                .iter()
                .filter_map(|(k, v)| {
                    let name = k.strip_prefix("REDLINE_JOB_")?.strip_suffix("_SECS")?.to_lowercase();
                    Some((name, v.parse().ok()?))
                })
                .collect(),
            test_hooks: var("REDLINE_TEST_HOOKS").is_some_and(|v| v == "1"),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            evidence_dir: var("REDLINE_EVIDENCE_DIR").unwrap_or_else(|| "data/evidence".to_owned()),
            evidence_s3_bucket: var("REDLINE_EVIDENCE_S3_BUCKET"),
            evidence_max_file: var("REDLINE_EVIDENCE_MAX_FILE").and_then(|v| v.parse().ok()).unwrap_or(20 << 20),
            evidence_max_case: var("REDLINE_EVIDENCE_MAX_CASE").and_then(|v| v.parse().ok()).unwrap_or(100 << 20),
            smtp_url: var("REDLINE_SMTP_URL"),
            smtp_ca_file: var("REDLINE_SMTP_CA_FILE"),
            mail_from: var("REDLINE_MAIL_FROM").unwrap_or_else(|| "Redline <noreply@redline.invalid>".to_owned()),
            public_url: var("REDLINE_PUBLIC_URL"),
            mail_secs: var("REDLINE_MAIL_SECS").and_then(|v| v.parse().ok()).unwrap_or(10),
            tip_limit: var("REDLINE_TIP_LIMIT").and_then(|v| v.parse().ok()).unwrap_or(5),
            lookup_limit: var("REDLINE_LOOKUP_LIMIT").and_then(|v| v.parse().ok()).unwrap_or(20),
            filing_limit: var("REDLINE_FILING_LIMIT").and_then(|v| v.parse().ok()).unwrap_or(20),
            cluster_count: var("REDLINE_CLUSTER_COUNT").and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(5),
            cluster_product_count: var("REDLINE_CLUSTER_PRODUCT_COUNT")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(3),
            cluster_hours: var("REDLINE_CLUSTER_HOURS").and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(24),
            trust_proxy: var("REDLINE_TRUST_PROXY").is_some_and(|v| v == "1"),
            secure_cookies: match var("REDLINE_SECURE_COOKIES").as_deref() {
                Some(v) => v == "1",
                None => var("REDLINE_PUBLIC_URL").is_some_and(|u| u.starts_with("https://")),
            },
            header_timeout: std::time::Duration::from_secs(
                var("REDLINE_HEADER_TIMEOUT_SECS").and_then(|v| v.parse().ok()).unwrap_or(10),
            ),
            body_idle: std::time::Duration::from_secs(
                var("REDLINE_BODY_IDLE_SECS").and_then(|v| v.parse().ok()).unwrap_or(30),
            ),
            conns_per_address: var("REDLINE_CONNS_PER_ADDRESS").and_then(|v| v.parse().ok()).unwrap_or(64),
            metrics_token: var("REDLINE_METRICS_TOKEN").filter(|t| !t.is_empty()),
            webhook_allow_local: var("REDLINE_WEBHOOK_ALLOW_LOCAL").is_some_and(|v| v == "1"),
            api_rate: var("REDLINE_API_RATE").and_then(|v| v.parse().ok()).unwrap_or(1200),
            webhook_secs: var("REDLINE_WEBHOOK_SECS").and_then(|v| v.parse().ok()).unwrap_or(2),
        }
    }
}
