//! A person's notifications in the app and their email preference.
use super::compose::{DAILY_DIGEST, IMMEDIATE};
use crate::entity::{notification, user};
use crate::{Store, StoreError};
use redline_rules::notify::Kind;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A person's notifications, newest first.
pub async fn for_user(store: &Store, user_id: i64, limit: u64) -> Result<Vec<notification::Model>, StoreError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::Kind.ne(Kind::Digest.as_str()))
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(&store.read)
        .await?)
}

/// Unread notices are counted up to this many ("99+" beyond): staff of a
/// busy platform gather hundreds of thousands, and the header shows the
/// count on every page.
pub const UNREAD_SHOWN: u64 = 100;

/// The person's unread notices, at most [`UNREAD_SHOWN`]: a range of
/// `ix_notifications_unread` that stops there, whatever lies beyond.
pub async fn unread(store: &Store, user_id: i64) -> Result<u64, StoreError> {
    let ids: Vec<i64> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .limit(UNREAD_SHOWN)
        .into_tuple()
        .all(&store.read)
        .await?;
    Ok(ids.len() as u64)
}

/// Marks one (or, with `None`, every) notification of the person read.
pub async fn mark_read(store: &Store, user_id: i64, id: Option<i64>) -> Result<u64, StoreError> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(store.now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(&store.db).await?.rows_affected)
}

pub async fn set_mode(store: &Store, user_id: i64, mode: &str) -> Result<(), StoreError> {
    if mode != IMMEDIATE && mode != DAILY_DIGEST {
        return Err(StoreError::field("mode", "未知的通知方式", "Unknown notification mode"));
    }
    user::Entity::update_many()
        .col_expr(user::Column::EmailMode, Expr::value(mode))
        .filter(user::Column::Id.eq(user_id))
        .exec(&store.db)
        .await?;
    Ok(())
}
