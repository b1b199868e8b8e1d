//! Layering (defaults, then `redline.toml`, then the environment, by figment)
//! and reading each key by its kind. Every key is read even after one fails,
//! so a configuration's problems are all reported in one go.
use super::keys::{self, Key, Kind, KEYS};
use super::Config;
use figment::providers::{Format, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where an installed Redline looks for its file when none is named.
pub const DEFAULT_FILE: &str = "/etc/redline/redline.toml";

/// One thing wrong with a configuration, said where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The key (or the file) at fault.
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl Problem {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { key: key.into(), message: message.into() }
    }
}

/// A configuration and, per key, the value given and where it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub config: Config,
    pub file: Option<PathBuf>,
    /// Per key: the value as given (None: the default) and its source.
    pub given: BTreeMap<&'static str, (String, String)>,
}

/// The process environment's variables named in [`KEYS`], as a figment layer.
struct Environment(Dict);

impl Provider for Environment {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment")
    }
    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Profile::Default.collect(self.0.clone()))
    }
}

/// Reads the configuration: `file` (an explicit one must exist), then the
/// variables in `vars`, which win. An empty variable counts as unset.
pub fn load(file: Option<&Path>, vars: &HashMap<String, String>) -> Result<Loaded, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut figment = Figment::new();
    if let Some(path) = file {
        if !path.is_file() {
            problems.push(Problem::new(path.display().to_string(), "no such configuration file"));
        } else {
            let toml = Toml::file_exact(path);
            match toml.data() {
                Err(e) => problems.push(Problem::new(path.display().to_string(), e.to_string())),
                Ok(data) => {
                    for name in data.values().flat_map(|d| d.keys()) {
                        if keys::find(name).is_none() {
                            problems.push(Problem::new(
                                format!("{name} ({})", path.display()),
                                format!("not a configuration key{}", suggestion(name)),
                            ));
                        }
                    }
                    figment = figment.merge(toml);
                }
            }
        }
    }
    let env: Dict = KEYS
        .iter()
        .filter_map(|k| Some((k.name.to_owned(), Value::from(vars.get(k.env).filter(|v| !v.is_empty())?.clone()))))
        .collect();
    figment = figment.merge(Environment(env));

    let mut given = BTreeMap::new();
    for k in KEYS {
        let Ok(v) = figment.find_value(k.name) else { continue };
        let source = match figment.get_metadata(v.tag()).map(|m| m.name.as_ref()) {
            Some("environment") => k.env.to_owned(),
            _ => file.map(|p| p.display().to_string()).unwrap_or_default(),
        };
        match scalar(&v) {
            Some(s) => {
                given.insert(k.name, (s, source));
            }
            None => problems.push(Problem::new(format!("{} ({source})", k.name), "must be a single value")),
        }
    }
    let config = read(&given, &mut problems);
    if problems.is_empty() {
        Ok(Loaded { config, file: file.map(Path::to_path_buf), given })
    } else {
        Err(problems)
    }
}

fn scalar(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    if let Some(b) = v.to_bool() {
        return Some(b.to_string());
    }
    v.to_i128().map(|n| n.to_string()).or_else(|| v.to_f64().map(|f| f.to_string()))
}

/// "did you mean …" for a mistyped key.
fn suggestion(name: &str) -> String {
    let close = KEYS.iter().map(|k| (distance(name, k.name), k.name)).min();
    match close {
        Some((d, k)) if d <= 3 => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Typed values, each problem recorded under the key and its source.
struct Reader<'a> {
    given: &'a BTreeMap<&'static str, (String, String)>,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn raw(&self, name: &str) -> Option<&(String, String)> {
        self.given.get(name)
    }

    fn fail(&mut self, k: &Key, message: String) {
        let source = self.given.get(k.name).map(|(_, s)| s.as_str()).unwrap_or("default");
        self.problems.push(Problem::new(format!("{} ({source})", k.name), message));
    }

    fn text(&mut self, name: &str) -> Option<String> {
        self.raw(name).map(|(v, _)| v.clone())
    }

    fn text_or(&mut self, name: &str) -> String {
        self.text(name).unwrap_or_else(|| key(name).default.to_owned())
    }

    /// A number; the key's own default when unset or wrong (the problem is kept).
    fn number(&mut self, name: &str) -> u64 {
        let k = key(name);
        let default = k.default.parse().unwrap_or(0);
        let Some((v, _)) = self.raw(name).cloned() else { return default };
        match v.trim().parse::<u64>() {
            Ok(n) if n == 0 && k.kind == Kind::Positive => {
                self.fail(k, "must be 1 or more".into());
                default
            }
            Ok(n) => n,
            Err(_) => {
                self.fail(k, format!("`{v}` is not a whole number"));
                default
            }
        }
    }

    fn optional_number(&mut self, name: &str) -> Option<u64> {
        self.raw(name).is_some().then(|| self.number(name))
    }

    fn flag(&mut self, name: &str) -> Option<bool> {
        let (v, _) = self.raw(name)?.clone();
        match v.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => {
                self.fail(key(name), format!("`{v}` is neither 1 (true) nor 0 (false)"));
                None
            }
        }
    }

    fn url(&mut self, name: &str, schemes: &[&str]) -> Option<String> {
        let v = self.text(name)?;
        let scheme = v.split_once(':').map(|(s, _)| s).unwrap_or("");
        if !schemes.contains(&scheme) {
            let list = schemes.iter().map(|s| format!("{s}:")).collect::<Vec<_>>().join(", ");
            self.fail(key(name), format!("`{}` must start with {list}", mask_url(&v)));
            return None;
        }
        if scheme != "sqlite" && reqwest::Url::parse(&v).map_or(true, |u| u.host_str().is_none_or(str::is_empty)) {
            self.fail(key(name), format!("`{}` is not a URL with a host", mask_url(&v)));
            return None;
        }
        Some(v)
    }
}

fn key(name: &str) -> &'static Key {
    keys::find(name).unwrap_or_else(|| panic!("{name} is in KEYS"))
}

/// A URL with its password replaced (in `user:password@` and in a
/// `password=` parameter), for printing and logs.
pub fn mask_url(url: &str) -> String {
    let Ok(mut u) = reqwest::Url::parse(url) else {
        // Shown as typed only when it cannot hold a secret.
        let secretive = url.contains('@') || url.to_ascii_lowercase().contains("password");
        return if secretive { "(not a URL)".to_owned() } else { url.to_owned() };
    };
    if u.password().is_some() {
        let _ = u.set_password(Some("****"));
    }
    if u.query_pairs().any(|(k, _)| k.eq_ignore_ascii_case("password")) {
        let pairs: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| {
                let v = if k.eq_ignore_ascii_case("password") { "****".to_owned() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

fn read(given: &BTreeMap<&'static str, (String, String)>, problems: &mut Vec<Problem>) -> Config {
    let mut r = Reader { given, problems };
    let database_url = r
        .url("database_url", &["sqlite", "postgres", "postgresql"])
        .unwrap_or_else(|| redline_store::db::DEFAULT_URL.to_owned());
    let addr = match r.text("listen") {
        None => "127.0.0.1:3000".parse().expect("the default address"),
        Some(a) => a.trim().parse().unwrap_or_else(|_| {
            r.fail(key("listen"), format!("`{a}` is not host:port (e.g. 127.0.0.1:3000)"));
            "127.0.0.1:3000".parse().expect("the default address")
        }),
    };
    let public_url = r.url("public_url", &["https", "http"]).map(|u| u.trim_end_matches('/').to_owned());
    let secure_cookies =
        r.flag("secure_cookies").unwrap_or_else(|| public_url.as_deref().is_some_and(|u| u.starts_with("https://")));
    let seed_demo = r.flag("seed_demo").unwrap_or_else(|| redline_store::db::is_sqlite(&database_url));
    let job_secs = crate::jobs::Job::ALL
        .iter()
        .filter_map(|j| Some((j.name().to_owned(), r.optional_number(&format!("job_{}_secs", j.name()))?)))
        .collect();
    let log_format = r.text_or("log_format");
    if !["text", "json"].contains(&log_format.as_str()) {
        r.fail(key("log_format"), format!("`{log_format}` is neither text nor json"));
    }
    let mail_from = r.text_or("mail_from");
    if mail_from.parse::<lettre::message::Mailbox>().is_err() {
        r.fail(key("mail_from"), format!("`{mail_from}` is not an address (e.g. Redline <noreply@example.cn>)"));
    }
    let as_i32 = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    let as_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Config {
        seed_demo,
        addr,
        sweep_secs: r.number("sweep_secs"),
        job_secs,
        test_hooks: r.flag("test_hooks").unwrap_or(false),
        site_root: r.text_or("site_root"),
        evidence_dir: r.text_or("evidence_dir"),
        log_key_file: r.text_or("log_key_file"),
        tsa_url: r.url("tsa_url", &["https", "http"]),
        evidence_s3_bucket: r.text("evidence_s3_bucket"),
        evidence_max_file: r.number("evidence_max_file"),
        evidence_max_case: r.number("evidence_max_case"),
        smtp_url: r.url("smtp_url", &["smtp", "smtps"]),
        smtp_ca_file: r.text("smtp_ca_file"),
        mail_from,
        public_url,
        mail_secs: r.number("mail_secs"),
        tip_limit: as_i32(r.number("tip_limit")),
        lookup_limit: as_i32(r.number("lookup_limit")),
        filing_limit: as_i32(r.number("filing_limit")),
        cluster_count: as_u32(r.number("cluster_count")),
        cluster_product_count: as_u32(r.number("cluster_product_count")),
        cluster_hours: as_u32(r.number("cluster_hours")),
        trust_proxy: r.flag("trust_proxy").unwrap_or(false),
        secure_cookies,
        header_timeout: Duration::from_secs(r.number("header_timeout_secs")),
        body_idle: Duration::from_secs(r.number("body_idle_secs")),
        conns_per_address: usize::try_from(r.number("conns_per_address")).unwrap_or(usize::MAX),
        metrics_token: r.text("metrics_token"),
        webhook_allow_local: r.flag("webhook_allow_local").unwrap_or(false),
        api_rate: as_u32(r.number("api_rate")),
        webhook_secs: r.number("webhook_secs"),
        shutdown_grace: Duration::from_secs(r.number("shutdown_grace_secs")),
        log_json: log_format == "json",
        database_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_key_is_pointed_at_its_neighbour() {
        assert_eq!(suggestion("smtp_ulr"), " (did you mean `smtp_url`?)");
        assert_eq!(suggestion("completely_else"), "");
    }

    #[test]
    fn a_password_in_a_url_is_masked() {
        assert_eq!(mask_url("postgres://redline:s3cret@db/redline"), "postgres://redline:****@db/redline");
        assert_eq!(mask_url("sqlite://data/redline.db?mode=rwc"), "sqlite://data/redline.db?mode=rwc");
        assert_eq!(
            mask_url("postgres://db/redline?user=r&password=s3cret"),
            "postgres://db/redline?user=r&password=****"
        );
        assert_eq!(mask_url("not a url: user:s3cret@"), "(not a URL)");
        assert_eq!(mask_url("tousu.example.cn"), "tousu.example.cn");
    }
}
