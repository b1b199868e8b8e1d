//! Settings read from the environment: the defaults the README promises.
use server::config::Config;
use std::collections::HashMap;

fn with(pairs: &[(&str, &str)]) -> Config {
    Config::from_vars(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<HashMap<_, _>>())
}

#[test]
fn redline_seed_defaults_to_demo_data_on_sqlite_only() {
    // No DATABASE_URL: the embedded SQLite file, with demo data.
    let c = with(&[]);
    assert_eq!(c.database_url, "sqlite://data/redline.db?mode=rwc");
    assert!(c.seed_demo);
    assert!(with(&[("DATABASE_URL", "sqlite://x.db?mode=rwc")]).seed_demo);
    // PostgreSQL: none unless asked for.
    let pg = "postgres://u@db/redline";
    assert!(!with(&[("DATABASE_URL", pg)]).seed_demo);
    assert!(with(&[("DATABASE_URL", pg), ("REDLINE_SEED", "1")]).seed_demo);
    // Anything but "1" turns it off, on SQLite too; empty counts as unset.
    assert!(!with(&[("REDLINE_SEED", "0")]).seed_demo);
    assert!(!with(&[("REDLINE_SEED", "yes")]).seed_demo);
    assert!(with(&[("REDLINE_SEED", "")]).seed_demo);
}

#[test]
fn limits_timers_and_proxy_trust_have_the_documented_defaults() {
    let c = with(&[]);
    assert_eq!((c.tip_limit, c.lookup_limit, c.filing_limit), (5, 20, 20));
    assert_eq!((c.sweep_secs, c.mail_secs), (60, 10));
    assert!(!c.trust_proxy && !c.secure_cookies && c.metrics_token.is_none() && c.smtp_url.is_none());
    assert_eq!(c.conns_per_address, 64);
    assert!(with(&[("REDLINE_TRUST_PROXY", "1")]).trust_proxy);
    assert!(!with(&[("REDLINE_TRUST_PROXY", "true")]).trust_proxy, "only 1 turns it on");
    // An https public address implies secure cookies unless said otherwise.
    assert!(with(&[("REDLINE_PUBLIC_URL", "https://tousu.example.cn")]).secure_cookies);
    assert!(
        !with(&[("REDLINE_PUBLIC_URL", "https://tousu.example.cn"), ("REDLINE_SECURE_COOKIES", "0")]).secure_cookies
    );
    let jobs = with(&[("REDLINE_JOB_DIGESTS_SECS", "0"), ("REDLINE_JOB_SWEEP_SECS", "5")]).job_secs;
    assert_eq!((jobs.get("digests"), jobs.get("sweep")), (Some(&0), Some(&5)));
}
