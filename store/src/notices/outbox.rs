//! The mail outbox: rows are claimed with a lease, sent by the mail worker and
//! finished by the claim holder only, so no notice is lost or sent twice.
use super::compose::{FAILED, PENDING, SENDING, SENT};
use crate::entity::notification;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Rows a sender may take: pending and due, or claimed by a sender whose
/// lease has run out (it crashed, or hangs).
fn claimable(now: DateTime<Utc>) -> sea_orm::Condition {
    use sea_orm::Condition;
    Condition::any()
        .add(
            Condition::all()
                .add(notification::Column::EmailStatus.eq(PENDING))
                .add(notification::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(notification::Column::EmailStatus.eq(SENDING))
                .add(notification::Column::LeaseUntil.lt(now)),
        )
}

/// Claims one outbox row for sending (PENDING and due, or SENDING with an
/// expired lease after a crash); returns it with its attempt counted.
pub async fn claim(store: &Store, id: i64, lease: Duration) -> Result<Option<notification::Model>, StoreError> {
    let now = store.now();
    let res = notification::Entity::update_many()
        .col_expr(notification::Column::EmailStatus, Expr::value(SENDING))
        .col_expr(notification::Column::LeaseUntil, Expr::value(now + lease))
        .col_expr(notification::Column::Attempts, {
            use sea_orm::sea_query::ExprTrait;
            Expr::col(notification::Column::Attempts).add(1)
        })
        .filter(notification::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(&store.db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    Ok(notification::Entity::find_by_id(id).one(&store.db).await?)
}

/// Outbox rows that may be claimed now, oldest first.
pub async fn due_for_sending(store: &Store, limit: u64) -> Result<Vec<i64>, StoreError> {
    let now = store.now();
    Ok(notification::Entity::find()
        .filter(claimable(now))
        .order_by_asc(notification::Column::NextAttemptAt)
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .select_only()
        .column(notification::Column::Id)
        .into_tuple()
        .all(&store.db)
        .await?)
}

/// Why a send did not go through.
#[derive(Debug, Clone)]
pub enum SendError {
    /// The server or network may recover: retried, with backoff capped at an hour, for ever.
    Temporary(String),
    /// The message can never be delivered (a malformed address, a 5xx for the mailbox).
    Permanent(String),
}

/// Records a delivery or a failure. Only the worker still holding the claim
/// (same attempt count, still SENDING) may record it.
pub async fn finish(store: &Store, n: &notification::Model, result: Result<(), SendError>) -> Result<(), StoreError> {
    let now = store.now();
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(notification::Column::Id.eq(n.id))
        .filter(notification::Column::EmailStatus.eq(SENDING))
        .filter(notification::Column::Attempts.eq(n.attempts));
    q = match result {
        Ok(()) => q
            .col_expr(notification::Column::EmailStatus, Expr::value(SENT))
            .col_expr(notification::Column::SentAt, Expr::value(Some(now)))
            .col_expr(notification::Column::LastError, Expr::value(Option::<String>::None)),
        Err(SendError::Temporary(e)) => {
            let backoff = Duration::seconds((15i64 << n.attempts.clamp(0, 8)).min(3600));
            q.col_expr(notification::Column::EmailStatus, Expr::value(PENDING))
                .col_expr(notification::Column::NextAttemptAt, Expr::value(now + backoff))
                .col_expr(notification::Column::LastError, Expr::value(Some(e.chars().take(300).collect::<String>())))
        }
        Err(SendError::Permanent(e)) => q
            .col_expr(notification::Column::EmailStatus, Expr::value(FAILED))
            .col_expr(notification::Column::LastError, Expr::value(Some(e.chars().take(300).collect::<String>()))),
    };
    q.exec(&store.db).await?;
    Ok(())
}

/// Mail waiting to go out (pending, or being sent), for monitoring.
pub async fn backlog(store: &Store) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(notification::Entity::find()
        .filter(notification::Column::EmailStatus.is_in([PENDING, SENDING]))
        .count(&store.read)
        .await?)
}
