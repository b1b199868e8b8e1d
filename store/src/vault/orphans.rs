//! Collecting vault files nobody holds. Files reach the vault before the
//! transaction that records them on a case or tip; if that transaction is
//! refused or never runs, the file is an orphan. Every write is recorded first
//! (`vault_writes`), so the collector looks only at recent writes, never at the
//! whole vault, and its cost does not grow with the number of cases.
//!
//! A file is deleted only if, an hour after its last write, no case or tip
//! holds it. It is first moved aside and checked again: a new write of the same
//! content meanwhile (which records itself before writing) brings it back, so a
//! file someone was just given is never lost.
use crate::entity::{evidence, tip_evidence, vault_write as vw};
use crate::vault::intake::Vault;
use crate::{Store, StoreError};
use chrono::Duration;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// How long a write may take to be recorded on a case or tip.
pub const GRACE_MINUTES: i64 = 60;

async fn held(store: &Store, sha: &str) -> Result<bool, StoreError> {
    let db = &store.db;
    let on_cases = evidence::Entity::find()
        .filter(Condition::any().add(evidence::Column::Sha256.eq(sha)).add(evidence::Column::DisplaySha256.eq(sha)))
        .count(db)
        .await?;
    let on_tips = tip_evidence::Entity::find().filter(tip_evidence::Column::Sha256.eq(sha)).count(db).await?;
    Ok(on_cases + on_tips > 0)
}

async fn written_since(store: &Store, sha: &str, since: chrono::DateTime<chrono::Utc>) -> Result<bool, StoreError> {
    Ok(vw::Entity::find()
        .filter(vw::Column::Sha256.eq(sha))
        .filter(vw::Column::WrittenAt.gte(since))
        .count(&store.db)
        .await?
        > 0)
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Collected {
    pub checked: usize,
    pub deleted: usize,
}

/// Checks up to `limit` writes older than the grace period (oldest first).
/// Safe to run from several processes at once.
pub async fn collect(store: &Store, vault: &Vault, limit: u64) -> Result<Collected, StoreError> {
    let cutoff = store.now() - Duration::minutes(GRACE_MINUTES);
    let rows = vw::Entity::find()
        .filter(vw::Column::WrittenAt.lt(cutoff))
        .order_by_asc(vw::Column::WrittenAt)
        .limit(limit)
        .all(&store.db)
        .await?;
    let mut out = Collected::default();
    for row in rows {
        out.checked += 1;
        let sha = row.sha256.as_str();
        let settle =
            vw::Entity::delete_many().filter(vw::Column::Sha256.eq(sha)).filter(vw::Column::WrittenAt.lt(cutoff));
        if held(store, sha).await? || written_since(store, sha, cutoff).await? {
            settle.exec(&store.db).await?;
            continue;
        }
        let io = |e: std::io::Error| StoreError::Vault(e.to_string());
        if vault.blobs.quarantine(sha).await.map_err(io)? {
            // Checked again now that it is out of reach: a write or a holder
            // that appeared meanwhile brings it back.
            if held(store, sha).await? || written_since(store, sha, cutoff).await? {
                vault.blobs.restore(sha).await.map_err(io)?;
            } else {
                vault.blobs.purge_quarantined(sha).await.map_err(io)?;
                out.deleted += 1;
            }
        }
        settle.exec(&store.db).await?;
    }
    Ok(out)
}

/// Removes files left in the staging area by a process that died while
/// receiving them (a live upload is never that old).
pub async fn purge_staging(vault: &Vault) -> std::io::Result<usize> {
    let mut removed = 0;
    let mut dir = match tokio::fs::read_dir(&vault.staging).await {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let limit = std::time::Duration::from_secs(GRACE_MINUTES as u64 * 60);
    while let Some(entry) = dir.next_entry().await? {
        let old = entry.metadata().await?.modified()?.elapsed().is_ok_and(|age| age > limit);
        if old && tokio::fs::remove_file(entry.path()).await.is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}
