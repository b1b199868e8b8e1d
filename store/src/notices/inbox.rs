//! A person's notifications in the app and their email preference.
use super::compose::{DAILY_DIGEST, IMMEDIATE};
use crate::entity::{notification, user};
use crate::{Store, StoreError};
use redline_rules::notify::Kind;
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Query, QueryStatementBuilder, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

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
    let ids: Vec<i64> = unread_ids(Expr::val(user_id)).into_tuple().all(&store.read).await?;
    Ok(ids.len() as u64)
}

/// [`unread`] as a column of a statement that reads the user (`users.id`):
/// the signed-in actor's statement counts them too (`account::auth`).
pub fn unread_column() -> SimpleExpr {
    let ids = unread_ids(Expr::col((user::Entity, user::Column::Id))).into_query();
    let counted =
        Query::select().expr(Func::count(Expr::col(Asterisk))).from_subquery(ids, Alias::new("unread_ids")).to_owned();
    SimpleExpr::SubQuery(None, Box::new(counted.into_sub_query_statement()))
}

fn unread_ids(user_id: impl Into<SimpleExpr>) -> sea_orm::Select<notification::Entity> {
    notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .filter(Expr::col((notification::Entity, notification::Column::UserId)).eq(user_id.into()))
        .filter(notification::Column::ReadAt.is_null())
        .limit(UNREAD_SHOWN)
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
