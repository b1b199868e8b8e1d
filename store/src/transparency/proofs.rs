//! Proofs from the stored log: that a record's logged head is in a
//! checkpoint (a receipt), and that a later checkpoint extends an earlier one.
use super::nodes;
use crate::entity::{log_checkpoint, log_leaf};
use crate::{Store, StoreError};
use redline_rules::transparency::merkle::{
    consistency_proof, inclusion_proof, needed_for_consistency, needed_for_inclusion, Hash,
};
use redline_rules::transparency::Leaf;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Every logged head of a record, oldest first, each with its audit path to
/// the newest checkpoint, whose root they all lead to.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub heads: Vec<LoggedHead>,
    pub checkpoint: log_checkpoint::Model,
}

#[derive(Debug, Clone)]
pub struct LoggedHead {
    pub leaf: Leaf,
    pub leaf_index: u64,
    pub path: Vec<Hash>,
}

/// The receipt of case or tip `number` (`kind` "case" or "tip"), if logged.
/// Who may ask is the caller's decision (the record's parties).
pub async fn receipt(store: &Store, kind: &str, number: &str) -> Result<Option<Receipt>, StoreError> {
    let Some(checkpoint) = super::latest(&store.read).await? else { return Ok(None) };
    let leaves = log_leaf::Entity::find()
        .filter(log_leaf::Column::Kind.eq(kind))
        .filter(log_leaf::Column::Number.eq(number))
        .filter(log_leaf::Column::LeafIndex.lt(checkpoint.tree_size))
        .order_by_asc(log_leaf::Column::LeafIndex)
        .all(&store.read)
        .await?;
    if leaves.is_empty() {
        return Ok(None);
    }
    let size = checkpoint.tree_size as u64;
    let mut wanted: Vec<_> = leaves.iter().flat_map(|l| needed_for_inclusion(l.leaf_index as u64, size)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let have = nodes(&store.read, &wanted).await?;
    let mut heads = Vec::with_capacity(leaves.len());
    for l in leaves {
        let index = l.leaf_index as u64;
        let path =
            inclusion_proof(index, size, &have).ok_or_else(|| StoreError::Corrupt("log nodes missing".into()))?;
        heads.push(LoggedHead {
            leaf: Leaf { kind: l.kind, number: l.number, seq: l.seq, head: l.head },
            leaf_index: index,
            path,
        });
    }
    Ok(Some(Receipt { heads, checkpoint }))
}

/// The proof that the log of `new` leaves extends the log of `old` leaves
/// (both checkpoint sizes; `None` when either is not a checkpoint).
pub async fn consistency(store: &Store, old: i64, new: i64) -> Result<Option<Vec<Hash>>, StoreError> {
    if old < 0 || old > new {
        return Ok(None);
    }
    let sizes = [old, new];
    let found =
        log_checkpoint::Entity::find().filter(log_checkpoint::Column::TreeSize.is_in(sizes)).all(&store.read).await?;
    if sizes.iter().any(|s| *s != 0 && !found.iter().any(|c| c.tree_size == *s)) {
        return Ok(None);
    }
    let have = nodes(&store.read, &needed_for_consistency(old as u64, new as u64)).await?;
    Ok(Some(
        consistency_proof(old as u64, new as u64, &have)
            .ok_or_else(|| StoreError::Corrupt("log nodes missing".into()))?,
    ))
}
