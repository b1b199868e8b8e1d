//! The transparency log's signing key, held by the process and never by the
//! database (`redline_store::transparency`): a file with the Ed25519 seed in
//! hex, created readable by its owner only when missing. Rotating the key is
//! replacing the file: its public key is listed on start, and the old ones
//! stay listed, so checkpoints signed before still verify.
use crate::config::Config;
use redline_store::transparency::append::Signing;
use redline_store::Store;
use std::path::Path;

pub struct LogSigner {
    /// The log's name in every checkpoint: the public address, else "redline".
    pub origin: String,
    seed: [u8; 32],
}

impl LogSigner {
    /// Reads the key file, or creates it with a new random key.
    pub fn load(config: &Config) -> Result<LogSigner, String> {
        let path = Path::new(&config.log_key_file);
        let seed = match std::fs::read_to_string(path) {
            Ok(text) => redline_rules::transparency::unhex32(text.trim())
                .ok_or_else(|| format!("log_key_file `{}` does not hold a 64-digit hex key", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
            Err(e) => return Err(format!("log_key_file `{}` cannot be read: {e}", path.display())),
        };
        let origin = config.public_url.clone().unwrap_or_else(|| "redline".to_owned());
        Ok(LogSigner { origin, seed })
    }

    pub fn public_key(&self) -> [u8; 32] {
        redline_rules::transparency::public_key(&self.seed)
    }

    pub fn signing(&self) -> Signing<'_> {
        Signing { origin: &self.origin, seed: &self.seed }
    }

    /// Lists this key's public half in the log's keys.
    pub async fn register(&self, store: &Store) -> Result<String, redline_store::StoreError> {
        redline_store::transparency::register_key(store, &self.public_key()).await
    }
}

fn create(path: &Path) -> Result<[u8; 32], String> {
    use std::io::Write;
    let seed: [u8; 32] = rand::random();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    f.write_all(format!("{}\n", redline_rules::chain::hex(&seed)).as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "created the transparency log's signing key");
    Ok(seed)
}
