//! Every configuration key: its name in `redline.toml`, its environment
//! variable, its default and what it means. The README's table is printed
//! from this list (`server config keys`), and a test keeps the two equal.

/// How a key's value is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A whole number (0 or more).
    Whole,
    /// A whole number of at least 1.
    Positive,
    /// `1`/`true` or `0`/`false`.
    Flag,
    /// `host:port`.
    Address,
    /// A URL (checked further by `check`).
    Url,
    /// A file or directory.
    Path,
}

#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The key in `redline.toml`.
    pub name: &'static str,
    pub env: &'static str,
    pub kind: Kind,
    /// The default as shown in the table (`""`: unset).
    pub default: &'static str,
    /// Printed masked by `config check` (a password may sit in a URL).
    pub secret: bool,
    pub doc: &'static str,
}

const fn key(name: &'static str, env: &'static str, kind: Kind, default: &'static str, doc: &'static str) -> Key {
    Key { name, env, kind, default, secret: false, doc }
}

const fn secret(name: &'static str, env: &'static str, kind: Kind, doc: &'static str) -> Key {
    Key { name, env, kind, default: "", secret: true, doc }
}

use Kind::*;

/// The keys, in the order `config check` prints them.
pub const KEYS: &[Key] = &[
    Key { secret: true, ..key("database_url", "DATABASE_URL", Url, "sqlite://data/redline.db?mode=rwc", "SQLite file, or `postgres://user:password@host/db`") },
    key("listen", "LEPTOS_SITE_ADDR", Address, "127.0.0.1:3000", "address and port to listen on"),
    key("site_root", "LEPTOS_SITE_ROOT", Path, "target/site", "the built site (`pkg/`, styles); the Debian package puts it in `/usr/share/redline/site`"),
    key("public_url", "REDLINE_PUBLIC_URL", Url, "", "the address people use (`https://…`): links in mail point here; unset: the listen address"),
    key("secure_cookies", "REDLINE_SECURE_COOKIES", Flag, "on when `public_url` is https", "cookies only over HTTPS (`Secure`, `__Host-` browser id); must be on when `public_url` is https"),
    key("seed_demo", "REDLINE_SEED", Flag, "on for SQLite, else off", "seed demo data (published demo passwords!) into an empty database"),
    key("evidence_dir", "REDLINE_EVIDENCE_DIR", Path, "data/evidence", "evidence vault directory (content-addressed, write-once); must be writable"),
    key("evidence_s3_bucket", "REDLINE_EVIDENCE_S3_BUCKET", Text, "", "use an S3-compatible bucket instead (configured by the standard `AWS_*` variables, e.g. `AWS_ENDPOINT`)"),
    key("evidence_max_file", "REDLINE_EVIDENCE_MAX_FILE", Positive, "20971520", "largest evidence file in bytes (20 MiB)"),
    key("evidence_max_case", "REDLINE_EVIDENCE_MAX_CASE", Positive, "104857600", "evidence per case in bytes (100 MiB)"),
    Key { secret: true, ..key("smtp_url", "REDLINE_SMTP_URL", Url, "", "outgoing mail: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`, `smtps://host:465`; unset: notifications stay in the app and the outbox keeps the mail") },
    key("smtp_ca_file", "REDLINE_SMTP_CA_FILE", Path, "", "PEM certificate(s) to trust for the mail server's TLS besides the public roots"),
    key("mail_from", "REDLINE_MAIL_FROM", Text, "Redline <noreply@redline.invalid>", "the sender of mail"),
    key("mail_secs", "REDLINE_MAIL_SECS", Whole, "10", "seconds between outbox runs (0: no sending)"),
    key("sweep_secs", "REDLINE_SWEEP_SECS", Whole, "60", "seconds between runs of each background job (0: no jobs)"),
    key("job_sweep_secs", "REDLINE_JOB_SWEEP_SECS", Whole, "`sweep_secs`", "missed deadlines → their transitions; 0: off"),
    key("job_reminders_secs", "REDLINE_JOB_REMINDERS_SECS", Whole, "`sweep_secs`", "reminders at 75 % of a clock, overdue notices"),
    key("job_tip_d9_secs", "REDLINE_JOB_TIP_D9_SECS", Whole, "`sweep_secs`", "tips past their verification period flagged"),
    key("job_digests_secs", "REDLINE_JOB_DIGESTS_SECS", Whole, "`sweep_secs`", "the daily digest mail"),
    key("job_housekeeping_secs", "REDLINE_JOB_HOUSEKEEPING_SECS", Whole, "`sweep_secs`", "expired sessions, counters, links, orphaned files"),
    key("job_stats_secs", "REDLINE_JOB_STATS_SECS", Whole, "`sweep_secs`", "public figures per room (at most hourly)"),
    key("job_desk_secs", "REDLINE_JOB_DESK_SECS", Whole, "`sweep_secs`", "the monitoring desk's weekly rows (at most every 15 minutes)"),
    key("job_retention_secs", "REDLINE_JOB_RETENTION_SECS", Whole, "86400", "records whose retention ended deleted, legal holds kept (daily)"),
    key("job_checkpoint_secs", "REDLINE_JOB_CHECKPOINT_SECS", Whole, "3600", "the transparency log: changed chain heads appended and the root signed (hourly)"),
    key("log_key_file", "REDLINE_LOG_KEY_FILE", Path, "data/transparency.key", "the transparency log's Ed25519 signing key (hex; created readable by its owner only when missing). Keep it out of the database and its backups; replace the file to rotate the key (old public keys stay published)"),
    key("tsa_url", "REDLINE_TSA_URL", Url, "", "an RFC 3161 time-stamping authority that stamps each checkpoint (unset: checkpoints are signed only, and say so)"),
    key("tip_limit", "REDLINE_TIP_LIMIT", Positive, "5", "accepted public tips per client address per hour before a simple question is asked (refused posts do not count; hard cap 4×, every post capped at 10×)"),
    key("lookup_limit", "REDLINE_LOOKUP_LIMIT", Positive, "20", "tip receipt lookups per address and per receipt an hour"),
    key("filing_limit", "REDLINE_FILING_LIMIT", Positive, "20", "complaints one account may file an hour"),
    key("cluster_count", "REDLINE_CLUSTER_COUNT", Positive, "5", "complaints about one room or marketer that raise a cluster alert (Order 117 Art. 20)"),
    key("cluster_product_count", "REDLINE_CLUSTER_PRODUCT_COUNT", Positive, "3", "… or about one product"),
    key("cluster_hours", "REDLINE_CLUSTER_HOURS", Positive, "24", "… within this many hours"),
    key("trust_proxy", "REDLINE_TRUST_PROXY", Flag, "off", "take the client address from `X-Forwarded-For` (only behind your own proxy)"),
    key("header_timeout_secs", "REDLINE_HEADER_TIMEOUT_SECS", Positive, "10", "a client must send a request's headers within this time"),
    key("body_idle_secs", "REDLINE_BODY_IDLE_SECS", Positive, "30", "a request body may stop arriving for at most this long"),
    key("conns_per_address", "REDLINE_CONNS_PER_ADDRESS", Whole, "64", "open connections one client address may hold (0: no limit; not applied behind a proxy)"),
    key("shutdown_grace_secs", "REDLINE_SHUTDOWN_GRACE_SECS", Positive, "30", "on SIGTERM, how long requests in flight and a job's current batch may take to finish"),
    secret("metrics_token", "REDLINE_METRICS_TOKEN", Text, "enables `GET /metrics` (Prometheus) for `Authorization: Bearer <token>`"),
    key("api_rate", "REDLINE_API_RATE", Positive, "1200", "requests per API key and minute, per process"),
    key("webhook_secs", "REDLINE_WEBHOOK_SECS", Whole, "2", "seconds between webhook sends (0: no sending)"),
    key("webhook_allow_local", "REDLINE_WEBHOOK_ALLOW_LOCAL", Flag, "off", "let webhook endpoints be plain http on loopback or private addresses (tests only)"),
    key("log_format", "REDLINE_LOG_FORMAT", Text, "text", "`text`, or `json`: one object a line (levels by `RUST_LOG`, default `info,sqlx=warn`)"),
    key("test_hooks", "REDLINE_TEST_HOOKS", Flag, "off", "enables `POST /api/test/advance?secs=N`, `POST /api/test/sweep` and `GET /api/test/outbox?to=EMAIL`: tests only"),
];

pub fn find(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The README's configuration table.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| key in `redline.toml` | environment variable | default | meaning |\n|---|---|---|---|\n");
    for k in KEYS {
        let default = match k.default {
            "" => "unset".to_owned(),
            d if d.starts_with('`') || d.contains(' ') => d.to_owned(),
            d => format!("`{d}`"),
        };
        out.push_str(&format!("| `{}` | `{}` | {} | {} |\n", k.name, k.env, default, k.doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_and_variable_is_named_once() {
        let mut names: Vec<_> = KEYS.iter().map(|k| k.name).collect();
        let mut envs: Vec<_> = KEYS.iter().map(|k| k.env).collect();
        names.sort();
        names.dedup();
        envs.sort();
        envs.dedup();
        assert_eq!((names.len(), envs.len()), (KEYS.len(), KEYS.len()));
    }

    #[test]
    fn every_background_job_has_its_interval_key() {
        for job in crate::jobs::Job::ALL {
            let name = format!("job_{}_secs", job.name());
            let k = find(&name).unwrap_or_else(|| panic!("{name} is a key"));
            assert_eq!(k.env, format!("REDLINE_JOB_{}_SECS", job.name().to_uppercase()));
        }
    }
}
