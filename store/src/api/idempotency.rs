//! Idempotent writes (the pattern of Stripe's `Idempotency-Key`): the first
//! request with a key runs and its response is stored; the same key again with
//! the same request gets that response replayed; with another request, a
//! refusal; while the first still runs, a conflict. The consumer's filing form
//! uses the same table with a one-time token ([`FormToken`]), so a double
//! click files once: its row is written with the case, in the filing's own
//! statements, where it goes. Claims, responses and releases go through the
//! writer (`crate::writer`): on SQLite they share the group commits of the
//! writes they guard instead of each waiting for an fsync of its own on the
//! one connection. Rows expire after 24 hours (`jobs/housekeeping`).
use crate::batch::Ran;
use crate::entity::idempotency as row;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, QueryTrait, Set,
    Statement,
};

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

/// A form's one-time token, as its post carries it. Nothing is claimed
/// before the filing: the row is inserted with the case it filed, already
/// answered (where the case is), in the filing's batch ([`FormToken::statement`]).
/// A second post of the token finds it ([`FormToken::filed`]) or, when both
/// were filing at once, is refused by the unique key and rolled back whole
/// ([`FormToken::check`]); a refused form writes nothing and may be sent again.
#[derive(Clone, Debug)]
pub struct FormToken {
    owner: String,
    key: String,
}

impl FormToken {
    /// The signed-in user's token; none for a post without one (an older page)
    /// or with one no page gave.
    pub fn new(user_id: i64, token: &str) -> Option<FormToken> {
        let ok = !token.is_empty() && token.len() <= 64;
        ok.then(|| FormToken { owner: format!("user:{user_id}"), key: token.to_owned() })
    }

    /// Where the post of this token went, once its filing committed.
    pub async fn filed(&self, store: &Store) -> Result<Option<String>, StoreError> {
        Ok(find(&store.read, &self.owner, &self.key).await?.and_then(|r| r.location))
    }

    /// The token's row, answered with `location`, to run in the filing's
    /// batch (`crate::batch`); it returns `once_filed` only when written
    /// (new, or an unanswered claim of an older release taken over).
    pub fn statement(&self, backend: DatabaseBackend, location: &str, now: DateTime<Utc>) -> Statement {
        let insert = row::Entity::insert(row::ActiveModel {
            owner: Set(self.owner.clone()),
            idem_key: Set(self.key.clone()),
            request_hash: Set("form".into()),
            status_code: Set(Some(303)),
            body: Set(Some(String::new())),
            location: Set(Some(location.to_owned())),
            created_at: Set(now),
            ..Default::default()
        })
        // A row left unanswered (a claim of an older release) is taken over.
        .on_conflict(
            OnConflict::columns([row::Column::Owner, row::Column::IdemKey])
                .update_columns([
                    row::Column::RequestHash,
                    row::Column::StatusCode,
                    row::Column::Body,
                    row::Column::Location,
                    row::Column::CreatedAt,
                ])
                .action_and_where(Expr::col((row::Entity, row::Column::Location)).is_null())
                .to_owned(),
        );
        let mut s = insert.build(backend);
        s.sql.push_str(r#" RETURNING "idem_key" AS "once_filed""#);
        s
    }

    /// After [`FormToken::statement`] ran: the token was posted before, and
    /// that post filed (or is filing) the case; the caller's write rolls back.
    pub fn check(&self, ran: &Ran) -> Result<(), StoreError> {
        match ran.column::<String>("once_filed").len() {
            1 => Ok(()),
            _ => Err(StoreError::AlreadySubmitted),
        }
    }
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

/// Forgets keys older than [`KEEP`] hours.
pub async fn expire(store: &Store, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(row::Entity::delete_many()
        .filter(row::Column::CreatedAt.lt(now - Duration::hours(KEEP)))
        .exec(&store.db)
        .await?
        .rows_affected)
}
