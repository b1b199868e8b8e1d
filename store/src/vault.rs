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
use std::path::PathBuf;
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
    /// The content stored under `sha`, verified against it; `None` if absent.
    async fn get(&self, sha: &str) -> io::Result<Option<Vec<u8>>>;
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
        let f = tokio::fs::File::open(&tmp).await?;
        f.sync_all().await?;
        let mut perms = f.metadata().await?.permissions();
        perms.set_readonly(true);
        tokio::fs::set_permissions(&tmp, perms).await?;
        tokio::fs::rename(&tmp, &path).await
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
