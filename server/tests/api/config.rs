//! Configuration: `redline.toml` under the environment, every problem listed
//! at once, the README's table equal to the code, and the command line's
//! `config check` against a broken configuration (the real binary).
use server::config::{self, Config};
use std::collections::HashMap;
use std::process::Command;

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn with(pairs: &[(&str, &str)]) -> Config {
    Config::from_vars(&vars(pairs))
}

fn problems(file: Option<&std::path::Path>, pairs: &[(&str, &str)]) -> Vec<String> {
    match config::load(file, &vars(pairs)) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

fn temp_file(name: &str, body: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("redline-tests").join(format!("config-{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
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
    assert!(!with(&[("REDLINE_SEED", "0")]).seed_demo);
    // Empty counts as unset; anything but 1/0/true/false is a problem, not "off".
    assert!(with(&[("REDLINE_SEED", "")]).seed_demo);
    assert_eq!(
        problems(None, &[("REDLINE_SEED", "yes")]),
        ["seed_demo (REDLINE_SEED): `yes` is neither 1 (true) nor 0 (false)"]
    );
}

#[test]
fn limits_timers_and_proxy_trust_have_the_documented_defaults() {
    let c = with(&[]);
    assert_eq!((c.tip_limit, c.lookup_limit, c.filing_limit), (5, 20, 20));
    assert_eq!((c.sweep_secs, c.mail_secs), (60, 10));
    assert!(!c.trust_proxy && !c.secure_cookies && c.metrics_token.is_none() && c.smtp_url.is_none());
    assert_eq!(c.conns_per_address, 64);
    assert_eq!(c.shutdown_grace, std::time::Duration::from_secs(30));
    assert!(with(&[("REDLINE_TRUST_PROXY", "1")]).trust_proxy);
    // An https public address implies secure cookies unless said otherwise.
    assert!(with(&[("REDLINE_PUBLIC_URL", "https://tousu.example.cn")]).secure_cookies);
    assert!(
        !with(&[("REDLINE_PUBLIC_URL", "https://tousu.example.cn"), ("REDLINE_SECURE_COOKIES", "0")]).secure_cookies
    );
    let jobs = with(&[("REDLINE_JOB_DIGESTS_SECS", "0"), ("REDLINE_JOB_SWEEP_SECS", "5")]).job_secs;
    assert_eq!((jobs.get("digests"), jobs.get("sweep"), jobs.get("desk")), (Some(&0), Some(&5), None));
}

#[test]
fn the_file_sets_keys_and_the_environment_overrides_them() {
    let file = temp_file(
        "redline.toml",
        "database_url = \"postgres://redline:s3cret@db.example.cn/redline\"\nlisten = \"0.0.0.0:8080\"\n\
         tip_limit = 9\ntrust_proxy = true\npublic_url = \"https://tousu.example.cn/\"\n",
    );
    let l = config::load(Some(&file), &vars(&[("REDLINE_TIP_LIMIT", "7"), ("REDLINE_FILING_LIMIT", "")])).unwrap();
    assert_eq!(l.config.database_url, "postgres://redline:s3cret@db.example.cn/redline");
    assert_eq!(l.config.addr.to_string(), "0.0.0.0:8080");
    assert_eq!((l.config.tip_limit, l.config.filing_limit), (7, 20), "the variable wins; an empty one is unset");
    assert!(l.config.trust_proxy && l.config.secure_cookies);
    assert_eq!(l.config.public_url.as_deref(), Some("https://tousu.example.cn"));
    assert_eq!(l.given["tip_limit"], ("7".to_owned(), "REDLINE_TIP_LIMIT".to_owned()));
    assert_eq!(l.given["listen"].1, file.display().to_string());
    // The effective configuration shows where each value came from and hides the password.
    let shown = config::check::effective(&l);
    assert!(shown.contains("database_url = \"postgres://redline:****@db.example.cn/redline\""), "{shown}");
    assert!(!shown.contains("s3cret"));
    assert!(shown.contains("tip_limit = \"7\"  # REDLINE_TIP_LIMIT"), "{shown}");
    assert!(shown.contains("filing_limit = \"20\"  # default"), "{shown}");
}

#[test]
fn every_problem_of_a_configuration_is_listed_at_once() {
    let file = temp_file(
        "redline.toml",
        "smtp_ulr = \"smtp://mail\"\ntip_limit = \"many\"\nlisten = \"localhost\"\ndatabase_url = \"mysql://db/x\"\n",
    );
    let found = problems(
        Some(&file),
        &[
            ("REDLINE_SECURE_COOKIES", "maybe"),
            ("REDLINE_PUBLIC_URL", "tousu.example.cn"),
            ("REDLINE_CLUSTER_HOURS", "0"),
            ("REDLINE_MAIL_FROM", "not an address"),
            ("REDLINE_SMTP_URL", "smtp://"),
        ],
    );
    let path = file.display();
    assert_eq!(
        found,
        [
            format!("smtp_ulr ({path}): not a configuration key (did you mean `smtp_url`?)"),
            format!("database_url ({path}): `mysql://db/x` must start with sqlite:, postgres:, postgresql:"),
            format!("listen ({path}): `localhost` is not host:port (e.g. 127.0.0.1:3000)"),
            "public_url (REDLINE_PUBLIC_URL): `tousu.example.cn` must start with https:, http:".to_owned(),
            "secure_cookies (REDLINE_SECURE_COOKIES): `maybe` is neither 1 (true) nor 0 (false)".to_owned(),
            "mail_from (REDLINE_MAIL_FROM): `not an address` is not an address (e.g. Redline <noreply@example.cn>)"
                .to_owned(),
            "smtp_url (REDLINE_SMTP_URL): `smtp://` is not a URL with a host".to_owned(),
            format!("tip_limit ({path}): `many` is not a whole number"),
            "cluster_hours (REDLINE_CLUSTER_HOURS): must be 1 or more".to_owned(),
        ]
    );
    let missing = std::env::temp_dir().join("redline-tests").join("no-such.toml");
    assert_eq!(problems(Some(&missing), &[]), [format!("{}: no such configuration file", missing.display())]);
}

#[test]
fn the_readme_table_is_the_code_s_list_of_keys() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let start = readme.find("<!-- config-keys").expect("the README marks its table");
    let body = &readme[readme[start..].find('\n').unwrap() + start + 1..];
    let table = &body[..body.find("<!-- /config-keys -->").expect("the table ends")];
    assert_eq!(table, config::keys::markdown_table(), "run `server config keys` and paste it into the README");
}

/// `config check` against the world: an evidence directory that cannot be
/// written, a database and a mail server that do not answer, Secure cookies
/// with an http address, each reported; the exit status is 2.
#[test]
fn config_check_reports_every_broken_part_and_fails() {
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let file = temp_file(
        "redline.toml",
        &format!(
            "database_url = \"postgres://redline:s3cret@127.0.0.1:{dead_port}/redline\"\n\
             evidence_dir = \"/proc/redline-evidence\"\nsmtp_url = \"smtp://127.0.0.1:{dead_port}\"\n\
             public_url = \"http://tousu.example.cn\"\nsecure_cookies = true\nsite_root = \"/nonexistent\"\n"
        ),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--config", file.to_str().unwrap(), "config", "check"])
        .env_clear()
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("database_url = \"postgres://redline:****@127.0.0.1"), "{stdout}");
    assert!(!stdout.contains("s3cret") && !stderr.contains("s3cret"), "no password printed");
    let listed: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(listed.len(), 4, "{stderr}");
    assert!(listed[0].starts_with("  - public_url: `http://tousu.example.cn` is not https, but cookies are Secure"));
    assert!(listed[1].starts_with("  - evidence_dir: `/proc/redline-evidence` is not writable"));
    assert!(listed[2].starts_with(&format!(
        "  - database_url: `postgres://redline:****@127.0.0.1:{dead_port}/redline` does not answer"
    )));
    assert!(
        listed[3].starts_with(&format!("  - smtp_url: `smtp://127.0.0.1:{dead_port}` does not answer")),
        "{stderr}"
    );
    assert!(stdout.contains("# warning: site_root: `/nonexistent` holds no built site"), "{stdout}");
}
