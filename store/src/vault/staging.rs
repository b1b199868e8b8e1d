//! Receiving uploads: each file is streamed to the staging directory and hashed
//! on the way, so no upload is ever held whole in memory.
use redline_rules::evidence::{TextCheck, HEAD_LEN};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A file as received: streamed to the staging area and hashed on the way.
pub struct Upload {
    pub file_name: String,
    pub staged: Staged,
}

/// A received file in the staging area. It is removed when dropped, unless it
/// was moved into the vault: a refused post leaves nothing behind.
#[derive(Debug)]
pub struct Staged {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// The first bytes, for telling the type.
    pub head: Vec<u8>,
    /// The whole file was UTF-8 text without NUL bytes.
    pub text: bool,
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes a file into the staging area chunk by chunk, hashing as it goes, so
/// an upload never has to be held in memory.
pub struct StagingWriter {
    file: tokio::fs::File,
    staged: Staged,
    hasher: Sha256,
    text: TextCheck,
}

impl StagingWriter {
    pub async fn create(dir: &Path) -> std::io::Result<StagingWriter> {
        tokio::fs::create_dir_all(dir).await?;
        let path = dir.join(format!("{:032x}.part", rand::random::<u128>()));
        let mut file = tokio::fs::File::create(&path).await?;
        // Each pending write is copied into a buffer of up to 2 MiB by default;
        // a small one keeps an upload's memory to a few chunks.
        file.set_max_buf_size(64 << 10);
        let staged = Staged { path, sha256: String::new(), size: 0, head: Vec::new(), text: true };
        Ok(StagingWriter { file, staged, hasher: Sha256::new(), text: TextCheck::default() })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        use tokio::io::AsyncWriteExt;
        let room = HEAD_LEN.saturating_sub(self.staged.head.len());
        self.staged.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        self.hasher.update(chunk);
        self.text.push(chunk);
        self.staged.size += chunk.len() as u64;
        self.file.write_all(chunk).await
    }

    pub async fn finish(mut self) -> std::io::Result<Staged> {
        use tokio::io::AsyncWriteExt;
        self.file.flush().await?;
        self.staged.sha256 = hex::encode(std::mem::take(&mut self.hasher).finalize());
        self.staged.text = self.text.finish();
        Ok(self.staged)
    }
}

impl Staged {
    /// Stages bytes already in memory (tools and tests).
    pub async fn from_bytes(dir: &Path, bytes: &[u8]) -> std::io::Result<Staged> {
        let mut w = StagingWriter::create(dir).await?;
        for c in bytes.chunks(64 << 10) {
            w.write(c).await?;
        }
        w.finish().await
    }
}
