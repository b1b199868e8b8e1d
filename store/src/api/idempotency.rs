//! Idempotent writes (the pattern of Stripe's `Idempotency-Key`): the first
//! request with a key runs and its response is stored; the same key again with
//! the same request gets that response replayed; with another request, a
//! refusal; while the first still runs, a conflict. The consumer's filing form
//! uses the same table with a one-time token, so a double click files once.
//! Claims, responses and releases go through the writer (`crate::writer`):
//! on SQLite they share the group commits of the writes they guard instead of
//! each waiting for an fsync of its own on the one connection. Rows expire
//! after 24 hours (`jobs/housekeeping`).
use crate::entity::idempotency as row;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

/// How long a key is remembered.
pub const KEEP: i64 = 24;
/// A first request that has not finished in this time is taken to have died:
/// a retry may run again.
const ABANDONED_AFTER: i64 = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Begin {
    /// Nobody used this key: run the request, then [`save`] or [`forget`].
    Fresh,
    Replay(Stored),
    /// The first request with this key is still running.
    InFlight,
    /// The key was used for another request.
    Mismatch,
}

/// A one-time token for a form: a second post of the same form is the same request.
pub fn form_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Claims `key` for `owner` (`key:<id>` or `user:<id>`) and this request.
/// A duplicate that arrives while the first still runs is `InFlight`
/// whatever its body: which one is "the" request is not settled yet.
pub async fn begin(store: &Store, owner: &str, key: &str, request_hash: &str) -> Result<Begin, StoreError> {
    let (owner, key, hash, now) = (owner.to_owned(), key.to_owned(), request_hash.to_owned(), store.now());
    store.writer.write(move |txn| Box::pin(claim(txn, owner.clone(), key.clone(), hash.clone(), now))).await
}

/// [`begin`] in the writer's transaction, so the claim shares a group commit
/// (on SQLite) with the writes around it instead of waiting for its own fsync.
async fn claim(
    txn: &DatabaseTransaction,
    owner: String,
    key: String,
    request_hash: String,
    now: DateTime<Utc>,
) -> Result<Begin, StoreError> {
    let inserted = row::Entity::insert(row::ActiveModel {
        owner: Set(owner.clone()),
        idem_key: Set(key.clone()),
        request_hash: Set(request_hash.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(OnConflict::columns([row::Column::Owner, row::Column::IdemKey]).do_nothing().to_owned())
    .exec_without_returning(txn)
    .await?;
    if inserted == 1 {
        return Ok(Begin::Fresh);
    }
    let r = find(txn, &owner, &key).await?.ok_or(StoreError::Conflict)?;
    let same = r.request_hash == request_hash;
    match (r.status_code, r.body) {
        (Some(_), Some(_)) if !same => Ok(Begin::Mismatch),
        (Some(status), Some(body)) => Ok(Begin::Replay(Stored { status: status as u16, body, location: r.location })),
        _ if now - r.created_at > Duration::minutes(ABANDONED_AFTER) => {
            // Taken over only by the one retry that moves the timestamp.
            let took = row::Entity::update_many()
                .col_expr(row::Column::CreatedAt, Expr::value(now))
                .filter(row::Column::Id.eq(r.id))
                .filter(row::Column::CreatedAt.eq(r.created_at))
                .filter(row::Column::StatusCode.is_null())
                .exec(txn)
                .await?;
            Ok(if took.rows_affected == 1 { Begin::Fresh } else { Begin::InFlight })
        }
        _ => Ok(Begin::InFlight),
    }
}

async fn find(db: &impl ConnectionTrait, owner: &str, key: &str) -> Result<Option<row::Model>, StoreError> {
    Ok(row::Entity::find().filter(row::Column::Owner.eq(owner)).filter(row::Column::IdemKey.eq(key)).one(db).await?)
}

/// Stores the response of a request begun with [`begin`].
pub async fn save(store: &Store, owner: &str, key: &str, s: &Stored) -> Result<(), StoreError> {
    let (owner, key, s) = (owner.to_owned(), key.to_owned(), s.clone());
    store
        .writer
        .write(move |txn| {
            let update = row::Entity::update_many()
                .col_expr(row::Column::StatusCode, Expr::value(s.status as i32))
                .col_expr(row::Column::Body, Expr::value(s.body.clone()))
                .col_expr(row::Column::Location, Expr::value(s.location.clone()))
                .filter(row::Column::Owner.eq(owner.clone()))
                .filter(row::Column::IdemKey.eq(key.clone()));
            Box::pin(async move { Ok(update.exec(txn).await.map(drop)?) })
        })
        .await
}

/// Releases a key whose request failed in a way worth retrying (a server
/// error, or a form refused for the person to correct).
pub async fn forget(store: &Store, owner: &str, key: &str) -> Result<(), StoreError> {
    let (owner, key) = (owner.to_owned(), key.to_owned());
    store
        .writer
        .write(move |txn| {
            let delete = row::Entity::delete_many()
                .filter(row::Column::Owner.eq(owner.clone()))
                .filter(row::Column::IdemKey.eq(key.clone()))
                .filter(row::Column::StatusCode.is_null());
            Box::pin(async move { Ok(delete.exec(txn).await.map(drop)?) })
        })
        .await
}

/// The stored response, once the first request has finished (for a form's
/// second click, which waits for the first).
pub async fn stored(store: &Store, owner: &str, key: &str) -> Result<Option<Stored>, StoreError> {
    Ok(find(&store.read, owner, key).await?.and_then(|r| match (r.status_code, r.body) {
        (Some(status), Some(body)) => Some(Stored { status: status as u16, body, location: r.location }),
        _ => None,
    }))
}

/// Forgets keys older than [`KEEP`] hours.
pub async fn expire(store: &Store, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(row::Entity::delete_many()
        .filter(row::Column::CreatedAt.lt(now - Duration::hours(KEEP)))
        .exec(&store.db)
        .await?
        .rows_affected)
}
