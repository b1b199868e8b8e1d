//! The write journal: every write to the vault is recorded before it happens,
//! so the orphan collector only ever looks at recent writes.
use crate::entity::vault_write as vw;
use crate::{Store, StoreError};
use sea_orm::{EntityTrait, Set};

/// Records that `sha` is about to be written to the vault.
pub async fn record_write(store: &Store, sha: &str) -> Result<(), StoreError> {
    vw::Entity::insert(vw::ActiveModel {
        sha256: Set(sha.to_owned()),
        written_at: Set(store.now()),
        ..Default::default()
    })
    .exec(&store.db)
    .await?;
    Ok(())
}
