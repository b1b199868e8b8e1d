//! Addresses an organisation (a platform or an agency) asked to be mailed
//! every checkpoint at: copies of the log's signed roots then exist outside
//! Redline, which its operator cannot recall. Managed by the organisation's
//! administrators; each checkpoint goes out through the mail outbox.
use crate::entity::{log_checkpoint, log_subscriber};
use crate::notices::compose::{insert, Recipient};
use crate::{Actor, Store, StoreError};
use redline_rules::notify::Kind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Addresses one organisation may list.
pub const MAX_PER_ORG: usize = 10;

pub async fn of_org(store: &Store, kind: &str, org_id: i64) -> Result<Vec<log_subscriber::Model>, StoreError> {
    Ok(log_subscriber::Entity::find()
        .filter(log_subscriber::Column::OrgKind.eq(kind))
        .filter(log_subscriber::Column::OrgId.eq(org_id))
        .order_by_asc(log_subscriber::Column::Id)
        .all(&store.read)
        .await?)
}

/// Adds an address (an organisation's administrator; once per address).
pub async fn add(store: &Store, actor: &Actor, kind: &str, org_id: i64, email: &str) -> Result<(), StoreError> {
    if !actor.may_manage(kind, org_id) {
        return Err(StoreError::Forbidden);
    }
    let email = email.trim().to_lowercase();
    let listed = of_org(store, kind, org_id).await?;
    if listed.iter().any(|s| s.email == email) {
        return Err(StoreError::field("subscriber", "该邮箱已在接收名单中", "That address already receives them"));
    }
    // Bounded: every address is mailed every hour.
    if listed.len() >= MAX_PER_ORG {
        return Err(StoreError::Field(redline_rules::FieldError::new(
            "subscriber",
            format!("每个机构最多{MAX_PER_ORG}个接收邮箱，请先移除一个"),
            format!("At most {MAX_PER_ORG} addresses per organisation: remove one first"),
        )));
    }
    log_subscriber::ActiveModel {
        org_kind: Set(kind.to_owned()),
        org_id: Set(org_id),
        email: Set(email),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await?;
    Ok(())
}

pub async fn remove(store: &Store, actor: &Actor, kind: &str, org_id: i64, id: i64) -> Result<(), StoreError> {
    if !actor.may_manage(kind, org_id) {
        return Err(StoreError::Forbidden);
    }
    log_subscriber::Entity::delete_many()
        .filter(log_subscriber::Column::Id.eq(id))
        .filter(log_subscriber::Column::OrgKind.eq(kind))
        .filter(log_subscriber::Column::OrgId.eq(org_id))
        .exec(&store.db)
        .await?;
    Ok(())
}

/// Mails a checkpoint to every subscribed address: its signed text, the key
/// and the signature, enough to check it later without Redline. Idempotent:
/// one mail per checkpoint and address.
pub async fn announce(store: &Store, c: &log_checkpoint::Model) -> Result<usize, StoreError> {
    let all = log_subscriber::Entity::find().order_by_asc(log_subscriber::Column::Id).all(&store.read).await?;
    let detail = format!("\n{}\nEd25519 key {}\nsignature {}\n", c.body, c.key_id, c.signature);
    let link = format!("/transparency/checkpoints/{}", c.tree_size);
    let subject = format!("#{}", c.tree_size);
    for s in &all {
        let dedup = format!("checkpoint:{}:{}", c.tree_size, s.id);
        let to = Recipient::Email(s.email.clone(), "zh".into());
        insert(&store.db, &to, Kind::Checkpoint, &subject, &link, Some(&detail), &dedup, store.now()).await?;
    }
    Ok(all.len())
}
