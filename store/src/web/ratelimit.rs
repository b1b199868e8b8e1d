//! Fixed-window rate limits kept in the database, so every server process
//! counts together. Keys are hashed with a per-installation secret: no IP
//! address or receipt is stored, and the hashes cannot be reversed by trying
//! every IPv4 address.
use crate::entity::rate_hit;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// The start of the fixed window `now` falls in.
fn window_start(now: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
    let secs = std::cmp::max(window.num_seconds(), 1);
    DateTime::<Utc>::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(secs), 0).unwrap_or(now)
}

/// Counts one hit on `key` in the current window; `Err(retry_after)` once
/// more than `limit` hits fall in it.
pub async fn hit(store: &Store, key: &str, limit: i32, window: Duration) -> Result<Result<(), Duration>, StoreError> {
    let now = store.now();
    let start = window_start(now, window);
    let key = hashed_key(store, key).await?;
    // One statement: count the hit and read the window's total back. It is
    // committed with the writes that arrive together (`crate::writer`).
    let row = rate_hit::ActiveModel { key: Set(key), window_start: Set(start), hits: Set(1), ..Default::default() };
    let hits = store
        .writer
        .write(move |txn| {
            Box::pin(async move {
                let counted = rate_hit::Entity::insert(row)
                    .on_conflict(
                        OnConflict::columns([rate_hit::Column::Key, rate_hit::Column::WindowStart])
                            .value(rate_hit::Column::Hits, Expr::col((rate_hit::Entity, rate_hit::Column::Hits)).add(1))
                            .to_owned(),
                    )
                    .exec_with_returning(txn)
                    .await?;
                Ok(counted.hits)
            })
        })
        .await?;
    Ok(if hits > limit { Err(start + window - now) } else { Ok(()) })
}

/// The hits on `key` in the current window, without counting one: for limits
/// that count only what succeeded (an accepted tip), checked before and
/// counted with `hit` after.
pub async fn peek(store: &Store, key: &str, window: Duration) -> Result<i32, StoreError> {
    let now = store.now();
    let start = window_start(now, window);
    let key = hashed_key(store, key).await?;
    let row = rate_hit::Entity::find()
        .filter(rate_hit::Column::Key.eq(key))
        .filter(rate_hit::Column::WindowStart.eq(start))
        .one(&store.read)
        .await?;
    Ok(row.map_or(0, |r| r.hits))
}

/// Drops windows older than a day.
pub async fn purge(store: &Store) -> Result<u64, StoreError> {
    Ok(rate_hit::Entity::delete_many()
        .filter(rate_hit::Column::WindowStart.lt(store.now() - Duration::days(1)))
        .exec(&store.db)
        .await?
        .rows_affected)
}

/// A counter key as stored: salted with the installation's secret and hashed.
pub(crate) async fn hashed_key(store: &Store, key: &str) -> Result<String, StoreError> {
    let salt = crate::web::keys::installation_secret(store, "ratelimit").await?;
    Ok(hex::encode(Sha256::digest(format!("{salt}:{key}").as_bytes())))
}
