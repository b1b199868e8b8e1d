//! The evidence vault's blob storage (证据库): content-addressed, write-once.
//! A file is stored under its SHA-256 and never modified or overwritten; reads
//! check the hash again, so a corrupted or altered blob is refused, not served.
//! One trait, two backends: a local directory (the default) and any
//! `object_store` backend (S3-compatible stores at scale).
use async_trait::async_trait;
use object_store::path::Path as ObjPath;
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload};
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn valid_address(sha: &str) -> bool {
    sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn bad_address() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256 content address")
}

fn checked(sha: &str, bytes: Vec<u8>) -> io::Result<Vec<u8>> {
    if sha256_hex(&bytes) == sha {
        Ok(bytes)
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidData, format!("blob {sha} does not match its address")))
    }
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `sha` (their SHA-256). Storing the same content
    /// twice is a no-op; existing content is never replaced.
    async fn put(&self, sha: &str, bytes: Vec<u8>) -> io::Result<()>;
    /// Stores the file at `path` (already hashed to `sha` while it was
    /// received); the file may be moved. A no-op if `sha` is stored.
    async fn put_file(&self, sha: &str, path: &Path) -> io::Result<()>;
    /// The content stored under `sha`, verified against it; `None` if absent.
    async fn get(&self, sha: &str) -> io::Result<Option<Vec<u8>>>;
    /// Moves `sha` aside before it is deleted as an orphan (false: absent).
    /// A `put` meanwhile writes a fresh copy; [`BlobStore::restore`] brings it
    /// back if the orphan turns out to be wanted after all.
    async fn quarantine(&self, sha: &str) -> io::Result<bool>;
    async fn restore(&self, sha: &str) -> io::Result<()>;
    async fn purge_quarantined(&self, sha: &str) -> io::Result<()>;
    fn describe(&self) -> String;
}

/// Files under a directory: `root/ab/cd/abcd…`, written to a temporary name
/// and renamed into place, then made read-only.
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    pub fn new(root: impl Into<PathBuf>) -> LocalDir {
        LocalDir { root: root.into() }
    }
    fn path(&self, sha: &str) -> PathBuf {
        self.root.join(&sha[..2]).join(&sha[2..4]).join(sha)
    }
    fn quarantined(&self, sha: &str) -> PathBuf {
        self.root.join(".quarantine").join(sha)
    }
}

async fn seal_and_move(tmp: &Path, to: &Path) -> io::Result<()> {
    let f = tokio::fs::File::open(tmp).await?;
    f.sync_all().await?;
    let mut perms = f.metadata().await?.permissions();
    perms.set_readonly(true);
    tokio::fs::set_permissions(tmp, perms).await?;
    tokio::fs::rename(tmp, to).await
}

#[async_trait]
impl BlobStore for LocalDir {
    async fn put(&self, sha: &str, bytes: Vec<u8>) -> io::Result<()> {
        if !valid_address(sha) || sha256_hex(&bytes) != sha {
            return Err(bad_address());
        }
        let path = self.path(sha);
        if tokio::fs::try_exists(&path).await? {
            return Ok(());
        }
        let dir = path.parent().expect("nested path");
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{sha}.{}.part", rand::random::<u64>()));
        tokio::fs::write(&tmp, &bytes).await?;
        seal_and_move(&tmp, &path).await
    }

    async fn put_file(&self, sha: &str, from: &Path) -> io::Result<()> {
        if !valid_address(sha) {
            return Err(bad_address());
        }
        let path = self.path(sha);
        if tokio::fs::try_exists(&path).await? {
            return Ok(());
        }
        let dir = path.parent().expect("nested path");
        tokio::fs::create_dir_all(dir).await?;
        // The staging area lives in the vault, so this is a rename, not a copy;
        // elsewhere the file is copied in first.
        let tmp = dir.join(format!(".{sha}.{}.part", rand::random::<u64>()));
        if tokio::fs::rename(from, &tmp).await.is_err() {
            tokio::fs::copy(from, &tmp).await?;
        }
        seal_and_move(&tmp, &path).await
    }

    async fn quarantine(&self, sha: &str) -> io::Result<bool> {
        if !valid_address(sha) {
            return Err(bad_address());
        }
        let q = self.quarantined(sha);
        tokio::fs::create_dir_all(q.parent().expect("nested path")).await?;
        match tokio::fs::rename(self.path(sha), &q).await {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn restore(&self, sha: &str) -> io::Result<()> {
        // Replaces a fresh copy of the same content, if one was written meanwhile.
        tokio::fs::rename(self.quarantined(sha), self.path(sha)).await
    }

    async fn purge_quarantined(&self, sha: &str) -> io::Result<()> {
        let q = self.quarantined(sha);
        let mut perms = tokio::fs::metadata(&q).await?.permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        tokio::fs::set_permissions(&q, perms).await?;
        tokio::fs::remove_file(q).await
    }

    async fn get(&self, sha: &str) -> io::Result<Option<Vec<u8>>> {
        if !valid_address(sha) {
            return Err(bad_address());
        }
        match tokio::fs::read(self.path(sha)).await {
            Ok(b) => checked(sha, b).map(Some),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn describe(&self) -> String {
        format!("local directory {}", self.root.display())
    }
}

/// Any `object_store` backend: Amazon S3 and S3-compatible stores (MinIO,
/// Aliyun OSS, Tencent COS), GCS, Azure, or a local file system.
pub struct ObjectBlobs {
    inner: Arc<dyn ObjectStore>,
    prefix: String,
}

impl ObjectBlobs {
    pub fn new(inner: Arc<dyn ObjectStore>, prefix: &str) -> ObjectBlobs {
        ObjectBlobs { inner, prefix: prefix.trim_matches('/').to_owned() }
    }

    /// An S3-compatible bucket configured by the standard AWS_* variables
    /// (AWS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION).
    pub fn s3_from_env(bucket: &str) -> Result<ObjectBlobs, object_store::Error> {
        let s3 = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).build()?;
        Ok(ObjectBlobs::new(Arc::new(s3), "evidence"))
    }

    fn path(&self, sha: &str) -> ObjPath {
        ObjPath::from(format!("{}/{}/{}", self.prefix, &sha[..2], sha))
    }
    fn quarantined(&self, sha: &str) -> ObjPath {
        ObjPath::from(format!("{}/quarantine/{}", self.prefix, sha))
    }
}

fn io_err(e: object_store::Error) -> io::Error {
    io::Error::other(e)
}

#[async_trait]
impl BlobStore for ObjectBlobs {
    async fn put(&self, sha: &str, bytes: Vec<u8>) -> io::Result<()> {
        if !valid_address(sha) || sha256_hex(&bytes) != sha {
            return Err(bad_address());
        }
        let opts = PutOptions { mode: PutMode::Create, ..Default::default() };
        match self.inner.put_opts(&self.path(sha), PutPayload::from(bytes), opts).await {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(e) => Err(io_err(e)),
        }
    }

    async fn put_file(&self, sha: &str, from: &Path) -> io::Result<()> {
        // Object stores take the body whole; files are bounded by the per-file limit.
        let bytes = tokio::fs::read(from).await?;
        self.put(sha, bytes).await
    }

    async fn quarantine(&self, sha: &str) -> io::Result<bool> {
        if !valid_address(sha) {
            return Err(bad_address());
        }
        match self.inner.copy(&self.path(sha), &self.quarantined(sha)).await {
            Ok(()) => {}
            Err(object_store::Error::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(io_err(e)),
        }
        self.inner.delete(&self.path(sha)).await.map_err(io_err)?;
        Ok(true)
    }

    async fn restore(&self, sha: &str) -> io::Result<()> {
        match self.inner.copy_if_not_exists(&self.quarantined(sha), &self.path(sha)).await {
            Ok(()) | Err(object_store::Error::AlreadyExists { .. }) => {}
            Err(e) => return Err(io_err(e)),
        }
        self.inner.delete(&self.quarantined(sha)).await.map_err(io_err)
    }

    async fn purge_quarantined(&self, sha: &str) -> io::Result<()> {
        self.inner.delete(&self.quarantined(sha)).await.map_err(io_err)
    }

    async fn get(&self, sha: &str) -> io::Result<Option<Vec<u8>>> {
        if !valid_address(sha) {
            return Err(bad_address());
        }
        match self.inner.get(&self.path(sha)).await {
            Ok(r) => checked(sha, r.bytes().await.map_err(io_err)?.to_vec()).map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_err(e)),
        }
    }

    fn describe(&self) -> String {
        format!("object store {} under {}", self.inner, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn contract(b: &dyn BlobStore) {
        let data = b"evidence bytes".to_vec();
        let sha = sha256_hex(&data);
        assert_eq!(b.get(&sha).await.unwrap(), None);
        b.put(&sha, data.clone()).await.unwrap();
        b.put(&sha, data.clone()).await.unwrap(); // idempotent
        assert_eq!(b.get(&sha).await.unwrap(), Some(data.clone()));
        // A wrong address for the content, or a path trick, is refused.
        assert!(b.put(&sha256_hex(b"other"), data.clone()).await.is_err());
        assert!(b.get("../../etc/passwd").await.is_err());
        // Orphans are moved aside, then restored or purged.
        assert!(b.quarantine(&sha).await.unwrap());
        assert_eq!(b.get(&sha).await.unwrap(), None);
        b.restore(&sha).await.unwrap();
        assert_eq!(b.get(&sha).await.unwrap(), Some(data.clone()));
        assert!(b.quarantine(&sha).await.unwrap());
        b.purge_quarantined(&sha).await.unwrap();
        assert_eq!(b.get(&sha).await.unwrap(), None);
        assert!(!b.quarantine(&sha).await.unwrap(), "absent");
        // A staged file is moved in under the hash it was received with.
        let staged = std::env::temp_dir().join(format!("redline-staged-{}", rand::random::<u64>()));
        std::fs::write(&staged, &data).unwrap();
        b.put_file(&sha, &staged).await.unwrap();
        assert_eq!(b.get(&sha).await.unwrap(), Some(data.clone()));
    }

    fn tmp() -> PathBuf {
        let d = std::env::temp_dir().join(format!("redline-vault-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[tokio::test]
    async fn local_directory_keeps_the_vault_contract() {
        contract(&LocalDir::new(tmp())).await;
    }

    #[tokio::test]
    async fn object_store_backend_keeps_the_vault_contract() {
        let fs = object_store::local::LocalFileSystem::new_with_prefix(tmp()).unwrap();
        contract(&ObjectBlobs::new(Arc::new(fs), "evidence")).await;
    }

    #[tokio::test]
    async fn an_altered_blob_is_not_served() {
        let root = tmp();
        let v = LocalDir::new(&root);
        let data = b"original".to_vec();
        let sha = sha256_hex(&data);
        v.put(&sha, data).await.unwrap();
        let p = v.path(&sha);
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&p, perms).unwrap();
        std::fs::write(&p, b"altered").unwrap();
        assert_eq!(v.get(&sha).await.unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
