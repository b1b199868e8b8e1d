//! Attaching and reading evidence (证据) on a case. Files are sniffed, hashed
//! and written to the vault before the database transaction; the index row and
//! a chained `EVIDENCE_ADDED` case event are then recorded together, so what a
//! case lists is always in the vault and in its tamper-evident history.
use crate::actor::Actor;
use crate::case::access::may_act;
use crate::chain::{self, NewEvent};
use crate::entity::{complaint, evidence};
use crate::vault::intake::{io_failed, store_file, EvidenceError, Limits, Stored, Vault};
use crate::vault::staging::Upload;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::Role;
use redline_rules::evidence::ClipRange;
use redline_rules::evidence::FileRefusal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

/// What the uploader says about the files.
#[derive(Clone, Debug, Default)]
pub struct Description {
    pub note: Option<String>,
    pub clip: Option<ClipRange>,
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
            // Kept with the case file: three years after closure, a policy term matching
            // Order 117 Art. 16 (no law fixes one for the portal's case file);
            // set when the case closes, or now if it already has.
            retain_until: Set(c
                .state
                .parse::<redline_rules::case::CaseState>()
                .ok()
                .filter(|s| s.is_terminal())
                .map(|_| redline_rules::retention::min_retain_until(crate::time::china_date(now)))),
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
        chain::append(txn, NewEvent::record(c, "EVIDENCE_ADDED", role, actor_id, &payload, now)).await?;
        out.push(row);
    }
    Ok(out)
}

fn is_closed(c: &complaint::Model) -> bool {
    c.case_state().is_ok_and(|s| s.is_terminal())
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
    let c = crate::case::access::case_by_no(&store.db, case_no).await?;
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
    if crate::case::access::viewer_roles(store, actor, &c).await?.is_empty() {
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
