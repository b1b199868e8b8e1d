//! A checkpoint: every case and tip whose chain grew since the last one is
//! appended as a leaf (its number, length and head), the tree's new perfect
//! subtrees are stored, and the new root is signed, all in one transaction.
//! Work is bounded by what changed, never by the number of records: changes
//! are found from the event ids after the last checkpoint's marks.
use super::{latest, nodes};
use crate::entity::{case_event, complaint, log_checkpoint, log_leaf, log_node, tip, tip_event};
use crate::{Store, StoreError};
use redline_rules::chain::{hex, GENESIS};
use redline_rules::transparency::merkle::{append as grow, needed_for_root, root};
use redline_rules::transparency::{sign, Body, Leaf};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};

/// Who signs: the log's name and the private key's seed (held by the caller).
pub struct Signing<'a> {
    pub origin: &'a str,
    pub seed: &'a [u8; 32],
}

/// Appends what changed and signs the new root; `None` when nothing changed.
pub async fn checkpoint(store: &Store, signing: &Signing<'_>) -> Result<Option<log_checkpoint::Model>, StoreError> {
    let txn = store.db.begin().await?;
    let last = latest(&txn).await?;
    let (size, case_mark, tip_mark, prev) = match &last {
        Some(c) => (
            c.tree_size as u64,
            c.case_events_through,
            c.tip_events_through,
            Body::parse(&c.body).ok_or_else(|| StoreError::Corrupt("checkpoint text".into()))?.hash(),
        ),
        None => (0, 0, 0, GENESIS.to_owned()),
    };
    let (case_ids, case_through) =
        changed(&txn, case_event::Entity, case_event::Column::CaseId, case_event::Column::Id, case_mark).await?;
    let (tip_ids, tip_through) =
        changed(&txn, tip_event::Entity, tip_event::Column::TipId, tip_event::Column::Id, tip_mark).await?;
    let mut leaves = Vec::new();
    for chunk in case_ids.chunks(500) {
        let rows: Vec<(String, i32, Option<String>)> = complaint::Entity::find()
            .select_only()
            .columns([complaint::Column::CaseNo, complaint::Column::ChainSeq, complaint::Column::ChainHead])
            .filter(complaint::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&txn)
            .await?;
        leaves.extend(
            rows.into_iter()
                .filter_map(|(n, s, h)| h.map(|head| Leaf { kind: "case".into(), number: n, seq: s.into(), head })),
        );
    }
    for chunk in tip_ids.chunks(500) {
        let rows: Vec<(String, i32, Option<String>)> = tip::Entity::find()
            .select_only()
            .columns([tip::Column::TipNo, tip::Column::ChainSeq, tip::Column::ChainHead])
            .filter(tip::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(&txn)
            .await?;
        leaves.extend(
            rows.into_iter()
                .filter_map(|(n, s, h)| h.map(|head| Leaf { kind: "tip".into(), number: n, seq: s.into(), head })),
        );
    }
    if leaves.is_empty() {
        return Ok(None);
    }
    // A stable order: the same changes always make the same tree.
    leaves.sort_by(|a, b| (&a.kind, &a.number).cmp(&(&b.kind, &b.number)));
    let hashes: Vec<_> = leaves.iter().map(Leaf::hash).collect();
    let mut known = nodes(&txn, &needed_for_root(size)).await?;
    let added =
        grow(size, &known, &hashes).ok_or_else(|| StoreError::Corrupt("the log's right edge is missing".into()))?;
    let new_size = size + leaves.len() as u64;
    for chunk in added.chunks(500) {
        log_node::Entity::insert_many(chunk.iter().map(|((level, index), h)| log_node::ActiveModel {
            level: Set(*level as i32),
            node_index: Set(*index as i64),
            hash: Set(hex(h)),
        }))
        .exec(&txn)
        .await?;
    }
    known.extend(added);
    for (chunk_no, chunk) in leaves.chunks(500).enumerate() {
        log_leaf::Entity::insert_many(chunk.iter().enumerate().map(|(i, l)| log_leaf::ActiveModel {
            leaf_index: Set((size + (chunk_no * 500 + i) as u64) as i64),
            kind: Set(l.kind.clone()),
            number: Set(l.number.clone()),
            seq: Set(l.seq),
            head: Set(l.head.clone()),
            checkpoint_size: Set(new_size as i64),
        }))
        .exec(&txn)
        .await?;
    }
    let root = root(new_size, &known).ok_or_else(|| StoreError::Corrupt("the log's root".into()))?;
    let now = store.now();
    let body = Body {
        origin: signing.origin.to_owned(),
        tree_size: new_size,
        root,
        time: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        prev,
    };
    let (key_id, signature) = sign(signing.seed, &body);
    let saved = log_checkpoint::Entity::insert(log_checkpoint::ActiveModel {
        tree_size: Set(new_size as i64),
        root: Set(hex(&root)),
        body: Set(body.text()),
        key_id: Set(key_id),
        signature: Set(signature),
        case_events_through: Set(case_through.max(case_mark)),
        tip_events_through: Set(tip_through.max(tip_mark)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(saved))
}

/// Events read per checkpoint at most: a backlog is logged over several runs.
const EVENTS_PER_RUN: u64 = 100_000;

/// The records with events after `mark` (read along the primary key, never
/// the whole table), and the last event read.
async fn changed<E, C>(
    db: &C,
    _e: E,
    record: E::Column,
    id: E::Column,
    mark: i64,
) -> Result<(Vec<i64>, i64), StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows: Vec<(i64, i64)> = E::find()
        .select_only()
        .column(id)
        .column(record)
        .filter(id.gt(mark))
        .order_by_asc(id)
        .limit(EVENTS_PER_RUN)
        .into_tuple()
        .all(db)
        .await?;
    let through = rows.last().map_or(mark, |r| r.0);
    let mut ids: Vec<i64> = rows.into_iter().map(|r| r.1).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok((ids, through))
}
