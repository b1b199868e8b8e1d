//! A checkpoint: every case and tip whose chain grew since the last one is
//! appended as a leaf (its number, length and head), the tree's new perfect
//! subtrees are stored, and the new root is signed, all in one transaction.
//! Work is bounded by what changed, never by the number of records: changed
//! records carry a flag set in the transaction that grew their chain.
use super::{latest, nodes};
use crate::entity::{complaint, log_checkpoint, log_leaf, log_node, tip};
use crate::{Store, StoreError};
use redline_rules::chain::{hex, GENESIS};
use redline_rules::transparency::merkle::{append as grow, needed_for_root, root};
use redline_rules::transparency::{sign, Body, Leaf};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};

/// Records of each kind logged per checkpoint at most: a backlog (every
/// record made before the log existed) is logged over several runs.
const RECORDS_PER_RUN: u64 = 10_000;

/// Who signs: the log's name and the private key's seed (held by the caller).
pub struct Signing<'a> {
    pub origin: &'a str,
    pub seed: &'a [u8; 32],
}

/// Appends what changed and signs the new root; `None` when nothing changed.
pub async fn checkpoint(store: &Store, signing: &Signing<'_>) -> Result<Option<log_checkpoint::Model>, StoreError> {
    let txn = store.db.begin().await?;
    let last = latest(&txn).await?;
    let (size, prev) = match &last {
        Some(c) => (
            c.tree_size as u64,
            Body::parse(&c.body).ok_or_else(|| StoreError::Corrupt("checkpoint text".into()))?.hash(),
        ),
        None => (0, GENESIS.to_owned()),
    };
    // Records whose chain grew since they were last logged (a flag set with
    // every appended event), a bounded batch per run.
    let cases: Vec<(i64, String, i32, Option<String>)> = complaint::Entity::find()
        .select_only()
        .columns([
            complaint::Column::Id,
            complaint::Column::CaseNo,
            complaint::Column::ChainSeq,
            complaint::Column::ChainHead,
        ])
        .filter(complaint::Column::LogPending.eq(true))
        .order_by_asc(complaint::Column::Id)
        .limit(RECORDS_PER_RUN)
        .into_tuple()
        .all(&txn)
        .await?;
    let tips: Vec<(i64, String, i32, Option<String>)> = tip::Entity::find()
        .select_only()
        .columns([tip::Column::Id, tip::Column::TipNo, tip::Column::ChainSeq, tip::Column::ChainHead])
        .filter(tip::Column::LogPending.eq(true))
        .order_by_asc(tip::Column::Id)
        .limit(RECORDS_PER_RUN)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut leaves = Vec::new();
    for (kind, rows) in [("case", &cases), ("tip", &tips)] {
        leaves.extend(rows.iter().filter_map(|(_, n, s, h)| {
            h.clone().map(|head| Leaf { kind: kind.into(), number: n.clone(), seq: (*s).into(), head })
        }));
    }
    // Cleared only where the chain is as it was read: an event appended
    // meanwhile keeps its record pending for the next checkpoint.
    for (id, _, seq, _) in &cases {
        complaint::Entity::update_many()
            .col_expr(complaint::Column::LogPending, Expr::value(false))
            .filter(complaint::Column::Id.eq(*id))
            .filter(complaint::Column::ChainSeq.eq(*seq))
            .exec(&txn)
            .await?;
    }
    for (id, _, seq, _) in &tips {
        tip::Entity::update_many()
            .col_expr(tip::Column::LogPending, Expr::value(false))
            .filter(tip::Column::Id.eq(*id))
            .filter(tip::Column::ChainSeq.eq(*seq))
            .exec(&txn)
            .await?;
    }
    if leaves.is_empty() {
        // Records without a chain were cleared; nothing to sign.
        txn.commit().await?;
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
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(saved))
}
