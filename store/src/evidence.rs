//! Attaching and reading evidence (证据) on a case. Files are sniffed, hashed
//! and written to the vault before the database transaction; the index row and
//! a chained `EVIDENCE_ADDED` case event are then recorded together, so what a
//! case lists is always in the vault and in its tamper-evident history.
use crate::actor::Actor;
use crate::cases::may_act;
use crate::chain::{self, NewEvent, NO_TRANSITION};
use crate::entity::{complaint, evidence};
use crate::vault::{sha256_hex, BlobStore};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::Role;
use redline_rules::evidence::{
    display_name, sniff_head, strip_metadata, ClipRange, EvidenceKind, FileRefusal, TextCheck, HEAD_LEN,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
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

/// What the uploader says about the files.
#[derive(Clone, Debug, Default)]
pub struct Description {
    pub note: Option<String>,
    pub clip: Option<ClipRange>,
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
    pub fn localized(&self, zh: bool) -> String {
        match self {
            EvidenceError::File(name, r) if zh => format!("「{name}」：{}", r.zh()),
            EvidenceError::File(name, r) => format!("\"{name}\": {}", r.en()),
            EvidenceError::CaseClosed if zh => "案件已办结或已撤回，不能再添加证据".into(),
            EvidenceError::CaseClosed => "The case is closed or withdrawn; no more evidence can be added".into(),
            EvidenceError::Store(e) => e.localized(zh),
        }
    }
}

fn io_failed(e: std::io::Error) -> StoreError {
    tracing::error!(error = %e, "evidence vault failed");
    StoreError::Invalid("证据库暂时不可用，请稍后再试 / The evidence vault is unavailable; please retry".into())
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
            .map_err(|e| StoreError::Invalid(e.to_string()))?
    } else {
        None
    };
    let sha = staged.sha256.clone();
    crate::orphans::record_write(store, &sha).await?;
    vault.blobs.put_file(&sha, &staged.path).await.map_err(io_failed)?;
    let display_sha256 = match display {
        Some((dsha, d)) => {
            crate::orphans::record_write(store, &dsha).await?;
            vault.blobs.put(&dsha, d).await.map_err(io_failed)?;
            Some(dsha)
        }
        None => None,
    };
    Ok(Stored { sha256: sha, display_sha256, kind: sniffed.kind, mime: sniffed.mime, size: staged.size, file_name })
}

/// Bytes of evidence already on a case.
pub async fn case_total<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<u64, StoreError> {
    let sizes: Vec<i64> = evidence::Entity::find()
        .filter(evidence::Column::CaseId.eq(case_id))
        .select_only()
        .column(evidence::Column::SizeBytes)
        .into_tuple()
        .all(db)
        .await?;
    Ok(sizes.into_iter().map(|s| s.max(0) as u64).sum())
}

/// Records stored files on a case inside the caller's transaction (which holds
/// the case lock): index rows plus one chained event per file.
#[allow(clippy::too_many_arguments)]
pub async fn record_in_txn(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    files: &[Stored],
    desc: &Description,
    actor_id: Option<i64>,
    role: Role,
    now: DateTime<Utc>,
    limits: Limits,
) -> Result<Vec<evidence::Model>, EvidenceError> {
    let mut total = case_total(txn, c.id).await?;
    let mut out = Vec::new();
    for f in files {
        total += f.size;
        if total > limits.max_case {
            return Err(EvidenceError::File(f.file_name.clone(), FileRefusal::CaseFull));
        }
        let row = evidence::ActiveModel {
            case_id: Set(c.id),
            sha256: Set(f.sha256.clone()),
            display_sha256: Set(f.display_sha256.clone()),
            kind: Set(f.kind.as_str().to_owned()),
            mime: Set(f.mime.to_owned()),
            size_bytes: Set(f.size as i64),
            file_name: Set(f.file_name.clone()),
            note: Set(desc.note.clone()),
            uploaded_by: Set(actor_id),
            uploaded_role: Set(role.as_str().to_owned()),
            uploaded_at: Set(now),
            offset_start_s: Set(desc.clip.map(|r| r.start_s)),
            offset_end_s: Set(desc.clip.map(|r| r.end_s)),
            legal_hold: Set(false),
            // Kept with the case file: three years after closure (domain.md §6.9);
            // set when the case closes, or now if it already has.
            retain_until: Set(c
                .state
                .parse::<redline_rules::case::CaseState>()
                .ok()
                .filter(|s| s.is_terminal())
                .map(|_| crate::preservation::min_retain_until(crate::time::china_date(now)))),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let payload = serde_json::json!({
            "evidence_id": row.id,
            "sha256": row.sha256,
            "kind": row.kind,
            "file_name": row.file_name,
            "size_bytes": row.size_bytes,
            "clip": desc.clip.map(|r| format!("{}–{}", redline_rules::evidence::hms(r.start_s), redline_rules::evidence::hms(r.end_s))),
        });
        chain::append(
            txn,
            NewEvent {
                case_id: c.id,
                at: now,
                actor_user_id: actor_id,
                actor_role: role.as_str(),
                event_type: "EVIDENCE_ADDED",
                transition_id: NO_TRANSITION,
                from_state: &c.state,
                to_state: &c.state,
                payload_json: payload.to_string(),
            },
        )
        .await?;
        out.push(row);
    }
    Ok(out)
}

fn is_closed(c: &complaint::Model) -> bool {
    c.state.parse::<redline_rules::case::CaseState>().is_ok_and(|s| s.is_terminal())
}

/// A party to the case attaches files, acting as `role`.
pub async fn attach(
    store: &Store,
    vault: &Vault,
    case_no: &str,
    actor: &Actor,
    role: Role,
    uploads: Vec<Upload>,
    desc: Description,
) -> Result<Vec<evidence::Model>, EvidenceError> {
    let c = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(case_no))
        .one(&store.db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !may_act(&store.db, actor, role, &c).await? {
        return Err(StoreError::Forbidden.into());
    }
    if is_closed(&c) {
        return Err(EvidenceError::CaseClosed);
    }
    if uploads.is_empty() {
        return Err(EvidenceError::File(String::new(), FileRefusal::Empty));
    }
    let mut files = Vec::new();
    for up in uploads {
        files.push(store_file(store, vault, up).await?);
    }
    let now = store.now();
    let txn = store.db.begin().await?;
    chain::lock_case(&txn, c.id).await?;
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    // It may have closed while the files were stored.
    if is_closed(&c) {
        return Err(EvidenceError::CaseClosed);
    }
    let rows = record_in_txn(&txn, &c, &files, &desc, Some(actor.user_id), role, now, vault.limits).await?;
    txn.commit().await?;
    Ok(rows)
}

pub async fn list<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Vec<evidence::Model>, StoreError> {
    Ok(evidence::Entity::find()
        .filter(evidence::Column::CaseId.eq(case_id))
        .order_by_asc(evidence::Column::Id)
        .all(db)
        .await?)
}

/// A file to send: the bytes, their media type, and whether to show inline.
pub struct Download {
    pub item: evidence::Model,
    pub bytes: Vec<u8>,
    pub mime: String,
    pub inline: bool,
}

/// Reads an evidence file for someone who may see its case. Images come as
/// their metadata-free copy unless `original` is asked for; everything else
/// (and every original) is a download, never rendered by the browser.
pub async fn open(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    evidence_id: i64,
    original: bool,
) -> Result<Download, StoreError> {
    let item = evidence::Entity::find_by_id(evidence_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let c = complaint::Entity::find_by_id(item.case_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    if crate::queries::viewer_roles(store, actor, &c).await?.is_empty() {
        return Err(StoreError::Forbidden);
    }
    let (sha, inline) = match (&item.display_sha256, original) {
        (Some(d), false) => (d.clone(), true),
        _ => (item.sha256.clone(), false),
    };
    let bytes = vault.blobs.get(&sha).await.map_err(io_failed)?.ok_or(StoreError::NotFound)?;
    let mime = item.mime.clone();
    Ok(Download { item, bytes, mime, inline })
}
