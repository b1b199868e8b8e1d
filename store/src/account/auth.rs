//! Accounts and server-side sessions. Passwords are argon2id hashes; a session
//! cookie carries a random token whose SHA-256 alone is stored.
use crate::account::throttle;
use crate::actor::{Actor, ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM, ROLE_ADMIN};
use crate::entity::{membership, session, user};
use crate::{Store, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Duration;
use rand::RngCore;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use sha2::{Digest, Sha256};

pub const SESSION_DAYS: i64 = 14;

pub fn hash_password(pw: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(pw.as_bytes(), &salt).expect("argon2 hashing").to_string()
}

pub fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok()).unwrap_or(false)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Argon2 takes 19 MiB and tens of milliseconds a hash: at most one hash per
/// core runs at once, so a burst of sign-ins queues instead of exhausting memory.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(cores()));

type Job = Box<dyn FnOnce() + Send>;

/// Hashing runs on its own threads, one per core, never on the async workers
/// nor on the blocking pool. The allocator keeps a freed 19 MiB block in the
/// arena of the thread that used it; on the blocking pool's many short-lived
/// threads that added up to hundreds of MiB under a burst, on these few
/// long-lived ones it stays at one block per core.
static HASHERS: std::sync::LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = std::sync::LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    for i in 0..cores() {
        let rx = rx.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || loop {
                let job = rx.lock().map(|r| r.recv());
                match job {
                    Ok(Ok(job)) => job(),
                    _ => return,
                }
            })
            .expect("a hashing thread starts");
    }
    std::sync::Mutex::new(tx)
});

async fn on_hashers<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    HASHERS.lock().ok()?.send(job).ok()?;
    rx.await.ok()
}

/// Argon2 is deliberately slow: keep it off the async worker threads.
pub async fn hash_blocking(pw: &str) -> String {
    let pw = pw.to_owned();
    let _permit = HASHING.acquire().await.expect("the hashing semaphore is never closed");
    on_hashers(move || hash_password(&pw)).await.expect("hashing thread")
}

/// The caller holds a `HASHING` permit.
async fn verify_blocking(pw: &str, hash: String) -> bool {
    let pw = pw.to_owned();
    on_hashers(move || verify_password(&pw, &hash)).await.unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Errors a person can fix, with a field to show them next to.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountError {
    EmailTaken,
    BadCredentials,
    /// Too many failures for this account or address: wait this long.
    Throttled(Duration),
    Store(String),
}

pub fn normalize_email(e: &str) -> String {
    e.trim().to_lowercase()
}

/// Registers a consumer account. Inputs are already parsed by the caller.
pub async fn register(
    store: &Store,
    email: &str,
    display_name: &str,
    password: &str,
    locale: &str,
) -> Result<i64, AccountError> {
    let email = normalize_email(email);
    let exists = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(&store.db)
        .await
        .map_err(|e| AccountError::Store(e.to_string()))?;
    if exists.is_some() {
        return Err(AccountError::EmailTaken);
    }
    let hash = hash_blocking(password).await;
    let m = user::ActiveModel {
        email: Set(email.clone()),
        display_name: Set(display_name.trim().to_owned()),
        password_hash: Set(hash),
        locale: Set(locale.to_owned()),
        is_admin: Set(false),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await;
    match m {
        Ok(m) => Ok(m.id),
        // Two registrations raced: the unique index decided.
        Err(_)
            if user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(&store.db)
                .await
                .ok()
                .flatten()
                .is_some() =>
        {
            Err(AccountError::EmailTaken)
        }
        Err(e) => Err(AccountError::Store(e.to_string())),
    }
}

/// Checks the password and opens a session; returns the raw token for the
/// cookie. An account or a client address past its free failures must wait
/// (`throttle`); a locked attempt is refused before any hashing.
pub async fn login(store: &Store, email: &str, password: &str, client: &str) -> Result<String, AccountError> {
    let st = |e: StoreError| AccountError::Store(e.to_string());
    let email = normalize_email(email);
    let account_key = format!("login:account:{email}");
    let address_key = format!("login:address:{client}");
    // The permit is taken before the lock-out is read, so in a burst of
    // attempts the ones after the lock-out are refused without hashing.
    let _permit = HASHING.acquire().await.expect("the hashing semaphore is never closed");
    let wait = match (
        throttle::locked(store, &account_key).await.map_err(st)?,
        throttle::locked(store, &address_key).await.map_err(st)?,
    ) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    if let Some(wait) = wait {
        return Err(AccountError::Throttled(wait));
    }
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&store.db)
        .await
        .map_err(|e| AccountError::Store(e.to_string()))?;
    let ok = match &u {
        Some(u) => verify_blocking(password, u.password_hash.clone()).await,
        None => {
            // Spend the same time as a real check so timing does not reveal accounts.
            static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("not-a-password"));
            let dummy = on_hashers(|| DUMMY.clone()).await.unwrap_or_default();
            verify_blocking(password, dummy).await
        }
    };
    match u.filter(|_| ok) {
        Some(u) => {
            throttle::succeeded(store, &account_key).await.map_err(st)?;
            open_session(store, u.id).await.map_err(st)
        }
        None => {
            throttle::failed(store, &account_key, throttle::ACCOUNT).await.map_err(st)?;
            throttle::failed(store, &address_key, throttle::ADDRESS).await.map_err(st)?;
            Err(AccountError::BadCredentials)
        }
    }
}

pub async fn open_session(store: &Store, user_id: i64) -> Result<String, StoreError> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let now = store.now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
    }
    .insert(&store.db)
    .await?;
    Ok(token)
}

pub async fn logout(store: &Store, token: &str) -> Result<(), StoreError> {
    session::Entity::delete_by_id(token_hash(token)).exec(&store.db).await?;
    Ok(())
}

/// The actor behind a session token, if the session is valid: the session and
/// its user in one statement, as every signed-in request asks.
pub async fn actor_for_token(store: &Store, token: &str) -> Result<Option<Actor>, StoreError> {
    actor_where(store, signed_in_by(store, token)).await
}

/// The session's user, as a condition on `users`.
fn signed_in_by(store: &Store, token: &str) -> sea_orm::sea_query::SimpleExpr {
    let live = Query::select()
        .column(session::Column::UserId)
        .from(session::Entity)
        .and_where(Expr::col(session::Column::TokenHash).eq(token_hash(token)))
        .and_where(Expr::col(session::Column::ExpiresAt).gte(store.now()))
        .to_owned();
    user::Column::Id.in_subquery(live)
}

/// The session's actor and their unread notices (at most
/// `notices::inbox::UNREAD_SHOWN`), in one statement: every page's frame
/// shows both.
pub async fn actor_and_unread(store: &Store, token: &str) -> Result<Option<(Actor, u64)>, StoreError> {
    let mut q = actor_select(signed_in_by(store, token)).into_query();
    q.expr_as(crate::notices::inbox::unread_column(), Alias::new("unread"));
    let rows = store.read.query_all(&q).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let u = user::Model::from_query_result(first, "A_")?;
    let unread: i64 = first.try_get("", "unread")?;
    let mut ms = Vec::new();
    for r in &rows {
        ms.extend(membership::Model::from_query_result_optional(r, "B_")?);
    }
    Ok(Some((actor_of(u, ms), unread as u64)))
}

pub async fn actor_for_user(store: &Store, user_id: i64) -> Result<Option<Actor>, StoreError> {
    actor_where(store, user::Column::Id.eq(user_id)).await
}

/// The actor of the user `which` selects: the user and their memberships in one
/// statement, as every page asks. A deleted account (PIPL Art. 47) has no
/// actor, whatever session survived.
async fn actor_where(store: &Store, which: sea_orm::sea_query::SimpleExpr) -> Result<Option<Actor>, StoreError> {
    let found = actor_select(which).all(&store.read).await?;
    Ok(found.into_iter().next().map(|(u, ms)| actor_of(u, ms)))
}

fn actor_select(which: sea_orm::sea_query::SimpleExpr) -> sea_orm::SelectTwoMany<user::Entity, membership::Entity> {
    user::Entity::find()
        .filter(which)
        .filter(user::Column::DeletedAt.is_null())
        .join(JoinType::LeftJoin, memberships())
        .select_with(membership::Entity)
        .order_by_asc(membership::Column::Id)
}

/// A user's memberships, as a join (the entities name no relations, so that
/// neither imports the other).
fn memberships() -> sea_orm::RelationDef {
    user::Entity::belongs_to(membership::Entity).from(user::Column::Id).to(membership::Column::UserId).into()
}

fn actor_of(u: user::Model, ms: Vec<membership::Model>) -> Actor {
    let ids = |k: &str| ms.iter().filter(|m| m.org_kind == k).map(|m| m.org_id).collect::<Vec<_>>();
    Actor {
        user_id: u.id,
        email: u.email,
        display_name: u.display_name,
        locale: u.locale,
        is_admin: u.is_admin,
        operator_ids: ids(ORG_OPERATOR),
        platform_ids: ids(ORG_PLATFORM),
        agency_ids: ids(ORG_AGENCY),
        manages: ms.iter().filter(|m| m.role == ROLE_ADMIN).map(|m| (m.org_kind.clone(), m.org_id)).collect(),
    }
}

pub async fn set_locale(store: &Store, user_id: i64, locale: &str) -> Result<(), StoreError> {
    if let Some(u) = user::Entity::find_by_id(user_id).one(&store.db).await? {
        let mut a: user::ActiveModel = u.into();
        a.locale = Set(locale.to_owned());
        a.update(&store.db).await?;
    }
    Ok(())
}

/// Deletes expired sessions (housekeeping; safe to run from several processes).
pub async fn purge_expired_sessions(store: &Store) -> Result<u64, StoreError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(store.now()))
        .exec(&store.db)
        .await?
        .rows_affected)
}

/// A person's email choice: IMMEDIATE or DAILY_DIGEST.
pub async fn email_mode(store: &Store, user_id: i64) -> Result<String, StoreError> {
    Ok(user::Entity::find_by_id(user_id).one(&store.db).await?.map(|u| u.email_mode).unwrap_or_default())
}
