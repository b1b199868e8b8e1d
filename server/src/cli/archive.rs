//! The backup archive's format, shared by `backup` and `restore`: a ZIP with
//! `database/redline.db` (SQLite only), `vault/aa/bb/<sha256>` per evidence
//! file, `MANIFEST.json` (every file's SHA-256 and size, the counts of cases
//! and tips) and `SHA256SUMS` (the same hashes for `sha256sum -c`).
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

pub const FORMAT: &str = "redline-backup/1";
pub const MANIFEST: &str = "MANIFEST.json";
pub const SUMS: &str = "SHA256SUMS";
pub const DATABASE: &str = "database/redline.db";

#[derive(Serialize, Deserialize, Debug)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub redline_version: String,
    /// "sqlite" (database and vault) or "vault-only".
    pub contents: String,
    pub cases: u64,
    pub tips: u64,
    pub files: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Where a content-addressed file lives in the vault and in the archive.
pub fn vault_path(sha: &str) -> String {
    format!("{}/{}/{sha}", &sha[..2], &sha[2..4])
}

pub fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

pub fn copy_hashing(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<(String, u64)> {
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        to.write_all(&buf[..n])?;
        total += n as u64;
    }
    Ok((hex::encode(hash.finalize()), total))
}
