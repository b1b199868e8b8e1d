//! The transparency log kept in the database (`rules::transparency`): leaves
//! appended by the checkpoint job ([`append`]), the hashes of the tree's
//! perfect subtrees, signed checkpoints, and the proofs a party or anyone
//! else may ask for ([`proofs`]). The signing key is never stored here: the
//! caller holds it and passes its seed; only public keys are kept.
pub mod append;
pub mod proofs;
pub mod subscribers;

use crate::entity::{log_checkpoint, log_key, log_node};
use crate::{Store, StoreError};
use redline_rules::transparency::merkle::{Hash, Node};
use redline_rules::transparency::{key_id, unhex32};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Lists a signing key's public half, once (a rotated key stays listed).
pub async fn register_key(store: &Store, public: &[u8; 32]) -> Result<String, StoreError> {
    let id = key_id(public);
    log_key::Entity::insert(log_key::ActiveModel {
        key_id: Set(id.clone()),
        public_key: Set(redline_rules::chain::hex(public)),
        created_at: Set(store.now()),
    })
    .on_conflict_do_nothing_on([log_key::Column::KeyId])
    .exec(&store.db)
    .await?;
    Ok(id)
}

pub async fn keys(store: &Store) -> Result<Vec<log_key::Model>, StoreError> {
    Ok(log_key::Entity::find().order_by_asc(log_key::Column::CreatedAt).all(&store.read).await?)
}

/// The newest checkpoint: its size by the index's maximum, then the row.
pub async fn latest<C: ConnectionTrait>(db: &C) -> Result<Option<log_checkpoint::Model>, StoreError> {
    let size: Option<i64> = log_checkpoint::Entity::find()
        .select_only()
        .column_as(log_checkpoint::Column::TreeSize.max(), "m")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    match size {
        Some(s) => Ok(log_checkpoint::Entity::find().filter(log_checkpoint::Column::TreeSize.eq(s)).one(db).await?),
        None => Ok(None),
    }
}

/// Checkpoints, oldest first, after the tree size `after` (a page at a time).
pub async fn checkpoints(store: &Store, after: i64, limit: u64) -> Result<Vec<log_checkpoint::Model>, StoreError> {
    Ok(log_checkpoint::Entity::find()
        .filter(log_checkpoint::Column::TreeSize.gt(after))
        .order_by_asc(log_checkpoint::Column::TreeSize)
        .limit(limit)
        .all(&store.read)
        .await?)
}

/// Checkpoints not yet time-stamped, newest first (the job asks the TSA again).
pub async fn unstamped(store: &Store, limit: u64) -> Result<Vec<log_checkpoint::Model>, StoreError> {
    Ok(log_checkpoint::Entity::find()
        .filter(log_checkpoint::Column::TsaToken.is_null())
        .order_by_desc(log_checkpoint::Column::TreeSize)
        .limit(limit)
        .all(&store.db)
        .await?)
}

/// Records a checkpoint's RFC 3161 token (once: a stamped one keeps its own).
pub async fn set_timestamp(store: &Store, tree_size: i64, token_hex: &str, time: &str) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    log_checkpoint::Entity::update_many()
        .col_expr(log_checkpoint::Column::TsaToken, Expr::value(token_hex))
        .col_expr(log_checkpoint::Column::TsaTime, Expr::value(time))
        .filter(log_checkpoint::Column::TreeSize.eq(tree_size))
        .filter(log_checkpoint::Column::TsaToken.is_null())
        .exec(&store.db)
        .await?;
    Ok(())
}

pub async fn checkpoint_of_size(store: &Store, size: i64) -> Result<Option<log_checkpoint::Model>, StoreError> {
    Ok(log_checkpoint::Entity::find().filter(log_checkpoint::Column::TreeSize.eq(size)).one(&store.read).await?)
}

/// The stored hashes of `wanted` perfect subtrees, each a primary-key lookup.
pub(crate) async fn nodes<C: ConnectionTrait>(db: &C, wanted: &[Node]) -> Result<HashMap<Node, Hash>, StoreError> {
    let mut out = HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(100) {
        let mut any = Condition::any();
        for (level, index) in chunk {
            any = any.add(
                Condition::all()
                    .add(log_node::Column::Level.eq(*level as i32))
                    .add(log_node::Column::NodeIndex.eq(*index as i64)),
            );
        }
        for n in log_node::Entity::find().filter(any).all(db).await? {
            let hash = unhex32(&n.hash)
                .ok_or_else(|| StoreError::Corrupt(format!("log node {}/{}", n.level, n.node_index)))?;
            out.insert((n.level as u32, n.node_index as u64), hash);
        }
    }
    Ok(out)
}
