//! What a configuration promises, checked against the world: the directories
//! are writable, the database and the mail server answer, links and cookies
//! agree on https. `serve` refuses to start on any problem; `config check`
//! prints them all with the effective configuration.
use super::keys::KEYS;
use super::load::{mask_url, Loaded, Problem};
use super::Config;
use std::path::Path;
use std::time::Duration;

/// When the checks run: `config check` reports an unreachable mail server as
/// a problem; `serve` only warns, since the outbox keeps every mail until the
/// server answers and a mail outage must not stop complaints being taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Check,
    Start,
}

/// Every problem this configuration has beyond its syntax, and warnings
/// (what works, but not as a production installation should).
pub async fn problems(config: &Config, when: When) -> (Vec<Problem>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let source = |k: &str| k.to_owned();
    if config.secure_cookies {
        match config.public_url.as_deref() {
            Some(u) if u.starts_with("https://") => {}
            Some(u) => out.push(Problem::new(
                source("public_url"),
                format!(
                    "`{u}` is not https, but cookies are Secure (secure_cookies): browsers would never send them back"
                ),
            )),
            None => out.push(Problem::new(
                source("public_url"),
                "unset, but cookies are Secure (secure_cookies): set the https address people use",
            )),
        }
    }
    if config.evidence_s3_bucket.is_none() {
        if let Err(e) = writable(Path::new(&config.evidence_dir)) {
            out.push(Problem::new("evidence_dir", format!("`{}` is not writable: {e}", config.evidence_dir)));
        }
    }
    if !Path::new(&config.site_root).join("pkg").is_dir() {
        warnings.push(Problem::new(
            "site_root",
            format!("`{}` holds no built site (pkg/): pages would come without styles and scripts", config.site_root),
        ));
    }
    if let Some(e) = database(&config.database_url).await {
        out.push(Problem::new("database_url", e));
    }
    if let Some(url) = &config.smtp_url {
        match mail(config, url).await {
            Mail::Usable => {}
            Mail::Unreachable(e) if when == When::Start => warnings.push(Problem::new("smtp_url", e)),
            Mail::Unreachable(e) | Mail::Broken(e) => out.push(Problem::new("smtp_url", e)),
        }
    }
    if config.test_hooks {
        warnings.push(Problem::new("test_hooks", "on: anyone may move this installation's time (tests only)"));
    }
    if config.seed_demo {
        warnings.push(Problem::new("seed_demo", "on: an empty database gets demo accounts with published passwords"));
    }
    (out, warnings)
}

/// Creates the directory if needed and writes a file in it.
fn writable(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(format!(".redline-probe-{}", std::process::id()));
    std::fs::write(&probe, b"probe")?;
    std::fs::remove_file(probe)
}

/// The database answers (an SQLite file not yet made needs a writable directory).
async fn database(url: &str) -> Option<String> {
    if let Some(path) = redline_store::db::sqlite_path(url) {
        if !Path::new(&path).exists() {
            let dir = Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            return writable(dir)
                .err()
                .map(|e| format!("the SQLite file `{path}` does not exist and its directory is not writable: {e}"));
        }
    }
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        let db = redline_store::db::open_unmigrated(url).await?;
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("SELECT 1").await?;
        db.close().await
    })
    .await;
    match answer {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("`{}` does not answer: {e}", mask_url(url))),
        Err(_) => Some(format!("`{}` did not answer within 10 s", mask_url(url))),
    }
}

enum Mail {
    Usable,
    /// Configured wrongly: the URL or the CA file.
    Broken(String),
    Unreachable(String),
}

async fn mail(config: &Config, url: &str) -> Mail {
    let ca = match &config.smtp_ca_file {
        Some(path) => match std::fs::read(path) {
            Ok(pem) => Some(pem),
            Err(e) => return Mail::Broken(format!("smtp_ca_file `{path}` cannot be read: {e}")),
        },
        None => None,
    };
    let public = config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr));
    let mailer = match crate::mail::Mailer::with_roots(url, &config.mail_from, &public, ca.as_deref()) {
        Ok(m) => m,
        Err(e) => return Mail::Broken(format!("`{}`: {e}", mask_url(url))),
    };
    match tokio::time::timeout(Duration::from_secs(15), mailer.reachable()).await {
        Ok(Ok(())) => Mail::Usable,
        Ok(Err(e)) => Mail::Unreachable(format!("`{}` does not answer: {e}", mask_url(url))),
        Err(_) => Mail::Unreachable(format!("`{}` did not answer within 15 s", mask_url(url))),
    }
}

/// The effective configuration, a line per key, secrets masked:
/// `key = value  # where it came from`.
pub fn effective(loaded: &Loaded) -> String {
    let mut out = String::new();
    match &loaded.file {
        Some(f) => out.push_str(&format!("# file: {}\n", f.display())),
        None => out.push_str("# file: none (environment and defaults only)\n"),
    }
    for k in KEYS {
        let (value, source) = match loaded.given.get(k.name) {
            Some((v, s)) => (v.clone(), s.clone()),
            None => (default_shown(&loaded.config, k.name), "default".to_owned()),
        };
        let shown = match (k.secret, k.kind) {
            (true, super::keys::Kind::Url) => mask_url(&value),
            (true, _) if !value.is_empty() => "****".to_owned(),
            _ => value,
        };
        out.push_str(&format!("{} = {:?}  # {}\n", k.name, shown, source));
    }
    out
}

/// A default as it applies here (some follow other keys).
fn default_shown(c: &Config, name: &str) -> String {
    match name {
        "database_url" => c.database_url.clone(),
        "secure_cookies" => u8::from(c.secure_cookies).to_string(),
        "seed_demo" => u8::from(c.seed_demo).to_string(),
        "listen" => c.addr.to_string(),
        n if n.starts_with("job_") => c.sweep_secs.to_string(),
        n => super::keys::find(n).map(|k| k.default.to_owned()).unwrap_or_default(),
    }
}
