//! From a staged upload to a checked file in the vault: sniffed, size-checked,
//! images copied without metadata, every write recorded for the orphan collector.
use crate::vault::blobs::{sha256_hex, BlobStore};
use crate::vault::staging::Upload;
use crate::{Store, StoreError};
use redline_rules::evidence::{display_name, sniff_head, strip_metadata, EvidenceKind, FileRefusal};
use redline_rules::field::{FieldError, FieldErrors};
use redline_rules::lang::Lang;
use std::path::PathBuf;
use std::sync::Arc;

/// Size limits (configurable; default 20 MiB a file, 100 MiB a case).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_file: u64,
    pub max_case: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file: 20 << 20, max_case: 100 << 20 }
    }
}

/// The vault, its limits, and the local directory uploads are received into.
#[derive(Clone)]
pub struct Vault {
    pub blobs: Arc<dyn BlobStore>,
    pub limits: Limits,
    pub staging: PathBuf,
}

/// A file checked and written to the vault, not yet on a case.
#[derive(Clone, Debug)]
pub struct Stored {
    pub sha256: String,
    pub display_sha256: Option<String>,
    pub kind: EvidenceKind,
    pub mime: &'static str,
    pub size: u64,
    pub file_name: String,
}

#[derive(Debug)]
pub enum EvidenceError {
    /// A file was refused: its (safe) name and why.
    File(String, FileRefusal),
    /// The case is closed or withdrawn: its file is complete.
    CaseClosed,
    Store(StoreError),
}

impl From<StoreError> for EvidenceError {
    fn from(e: StoreError) -> Self {
        EvidenceError::Store(e)
    }
}

impl From<sea_orm::DbErr> for EvidenceError {
    fn from(e: sea_orm::DbErr) -> Self {
        EvidenceError::Store(e.into())
    }
}

impl EvidenceError {
    /// As field errors: a refused file belongs to the form's file field.
    pub fn field_errors(self, file_field: &'static str) -> FieldErrors {
        match self {
            EvidenceError::File(name, r) => {
                FieldError::new(file_field, format!("「{name}」：{}", r.zh()), format!("\"{name}\": {}", r.en())).into()
            }
            EvidenceError::CaseClosed => FieldError::form(
                "案件已办结或已撤回，不能再添加证据",
                "The case is closed or withdrawn; no more evidence can be added",
            )
            .into(),
            // The vault or database failed while taking the files: said at the files.
            EvidenceError::Store(StoreError::Field(f)) => f.into(),
            EvidenceError::Store(e) => {
                tracing::error!(error = %e, "storing evidence failed");
                FieldError::new(file_field, e.message(Lang::Zh), e.message(Lang::En)).into()
            }
        }
    }
}

pub(crate) fn io_failed(e: std::io::Error) -> StoreError {
    tracing::error!(error = %e, "evidence vault failed");
    StoreError::Vault(e.to_string())
}

/// Sniffs, size-checks and stores one received file (and an image's
/// metadata-free copy). Each write is recorded first, so a file that no case
/// or tip ends up holding is collected later (`orphans`).
pub async fn store_file(store: &Store, vault: &Vault, up: Upload) -> Result<Stored, EvidenceError> {
    let file_name = display_name(&up.file_name);
    let staged = up.staged;
    if staged.size > vault.limits.max_file {
        return Err(EvidenceError::File(file_name, FileRefusal::TooLarge));
    }
    if staged.size == 0 {
        return Err(EvidenceError::File(file_name, FileRefusal::Empty));
    }
    let sniffed = sniff_head(&staged.head, staged.text).map_err(|r| EvidenceError::File(file_name.clone(), r))?;
    // Only images get a copy without metadata; they are read whole for it
    // (bounded by the per-file limit). Everything else stays on disk.
    let display = if sniffed.kind == EvidenceKind::Image {
        let bytes = tokio::fs::read(&staged.path).await.map_err(io_failed)?;
        tokio::task::spawn_blocking(move || strip_metadata(sniffed.mime, &bytes).map(|d| (sha256_hex(&d), d)))
            .await
            .map_err(|e| StoreError::Vault(e.to_string()))?
    } else {
        None
    };
    let sha = staged.sha256.clone();
    crate::vault::journal::record_write(store, &sha).await?;
    vault.blobs.put_file(&sha, &staged.path).await.map_err(io_failed)?;
    let display_sha256 = match display {
        Some((dsha, d)) => {
            crate::vault::journal::record_write(store, &dsha).await?;
            vault.blobs.put(&dsha, d).await.map_err(io_failed)?;
            Some(dsha)
        }
        None => None,
    };
    Ok(Stored { sha256: sha, display_sha256, kind: sniffed.kind, mime: sniffed.mime, size: staged.size, file_name })
}

/// Stores every received file of a post, in order; the first refusal stops it
/// (files already written are collected as orphans if nothing holds them).
pub async fn store_all(store: &Store, vault: &Vault, uploads: Vec<Upload>) -> Result<Vec<Stored>, EvidenceError> {
    let mut stored = Vec::with_capacity(uploads.len());
    for up in uploads {
        stored.push(store_file(store, vault, up).await?);
    }
    Ok(stored)
}
