//! Fixed-window rate limits kept in the database, so every server process
//! counts together. Keys are hashed with a per-installation secret: no IP
//! address or receipt is stored, and the hashes cannot be reversed by trying
//! every IPv4 address.
use crate::batch::Ran;
use crate::entity::rate_hit;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use redline_rules::field::FieldError;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryTrait, Set, Statement};
use sha2::{Digest, Sha256};

/// The start of the fixed window `now` falls in.
fn window_start(now: DateTime<Utc>, window: Duration) -> DateTime<Utc> {
    let secs = std::cmp::max(window.num_seconds(), 1);
    DateTime::<Utc>::from_timestamp(now.timestamp() - now.timestamp().rem_euclid(secs), 0).unwrap_or(now)
}

/// Counts one hit on `key` in the current window; `Err(retry_after)` once
/// more than `limit` hits fall in it.
pub async fn hit(store: &Store, key: &str, limit: i32, window: Duration) -> Result<Result<(), Duration>, StoreError> {
    Hit::new(store, key, limit, window).await?.count(store).await
}

/// One statement: count the hit and read the window's total back.
async fn count(db: &impl ConnectionTrait, key: String, start: DateTime<Utc>) -> Result<i32, StoreError> {
    Ok(counting(key, start).exec_with_returning(db).await?.hits)
}

/// A first hit in the window, or one more.
fn counting(key: String, start: DateTime<Utc>) -> sea_orm::Insert<rate_hit::ActiveModel> {
    let row = rate_hit::ActiveModel { key: Set(key), window_start: Set(start), hits: Set(1), ..Default::default() };
    rate_hit::Entity::insert(row).on_conflict(
        OnConflict::columns([rate_hit::Column::Key, rate_hit::Column::WindowStart])
            .value(rate_hit::Column::Hits, Expr::col((rate_hit::Entity, rate_hit::Column::Hits)).add(1))
            .to_owned(),
    )
}

/// A hit counted in the transaction of the write it limits (a filing): the
/// write and its count commit together, one commit instead of two. Whether
/// the window has room is read first, so a full one is refused before the
/// post is read; the count in the write refuses the one that raced past.
#[derive(Clone, Debug)]
pub struct Hit {
    key: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    limit: i32,
}

impl Hit {
    pub async fn new(store: &Store, key: &str, limit: i32, window: Duration) -> Result<Hit, StoreError> {
        let start = window_start(store.now(), window);
        Ok(Hit { key: hashed_key(store, key).await?, start, end: start + window, limit })
    }

    /// `Err(retry_after)` when the window is full; counts nothing.
    pub async fn room(&self, store: &Store) -> Result<Result<(), Duration>, StoreError> {
        let hits = hits_in(&store.read, &self.key, self.start).await?;
        Ok(if hits >= self.limit { Err(self.end - store.now()) } else { Ok(()) })
    }

    /// Counts the hit on its own (a post refused before its write), committed
    /// with the writes that arrive together (`crate::writer`).
    pub async fn count(&self, store: &Store) -> Result<Result<(), Duration>, StoreError> {
        let (key, start) = (self.key.clone(), self.start);
        let hits = store.writer.write(move |txn| Box::pin(count(txn, key.clone(), start))).await?;
        Ok(if hits > self.limit { Err(self.end - store.now()) } else { Ok(()) })
    }

    /// The hit's count as a statement to run with the write it limits (in its
    /// batch, `crate::batch`), returning the window's total as `rate_hits`.
    pub fn statement(&self, backend: DatabaseBackend) -> Statement {
        let mut s = counting(self.key.clone(), self.start).build(backend);
        s.sql.push_str(r#" RETURNING "hits" AS "rate_hits""#);
        s
    }

    /// After [`Hit::statement`] ran: over the limit, a refusal that rolls back
    /// the caller's write with it.
    pub fn check(&self, ran: &Ran, now: DateTime<Utc>) -> Result<(), StoreError> {
        match ran.column::<i32>("rate_hits")[..] {
            [hits] if hits > self.limit => Err(StoreError::Field(throttled(self.end - now))),
            [_] => Ok(()),
            _ => Err(StoreError::Corrupt("the filing count returned no total".into())),
        }
    }
}

async fn hits_in(db: &impl ConnectionTrait, key: &str, start: DateTime<Utc>) -> Result<i32, StoreError> {
    let row = rate_hit::Entity::find()
        .filter(rate_hit::Column::Key.eq(key))
        .filter(rate_hit::Column::WindowStart.eq(start))
        .one(db)
        .await?;
    Ok(row.map_or(0, |r| r.hits))
}

/// Minutes to wait, rounded up, at least one.
pub fn minutes(wait: Duration) -> i64 {
    std::cmp::max(wait.num_seconds() + 59, 60) / 60
}

/// A throttled post: how long to wait, and that nothing typed is lost.
pub fn throttled(wait: Duration) -> FieldError {
    let mins = minutes(wait);
    FieldError::form(
        format!("提交过于频繁，请约 {mins} 分钟后再试。您填写的内容已保留。"),
        format!("Too many attempts from here; please try again in about {mins} minutes. What you typed is kept."),
    )
}

/// The hits on `key` in the current window, without counting one: for limits
/// that count only what succeeded (an accepted tip), checked before and
/// counted with `hit` after.
pub async fn peek(store: &Store, key: &str, window: Duration) -> Result<i32, StoreError> {
    let now = store.now();
    let start = window_start(now, window);
    hits_in(&store.read, &hashed_key(store, key).await?, start).await
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
