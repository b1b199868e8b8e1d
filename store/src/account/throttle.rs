//! Sign-in back-off: after a few failures an account, or a client address,
//! must wait before its next attempt, twice as long after each further
//! failure. Keys are stored as salted hashes like the rate-limit counters, so
//! no email address or IP address is kept.
use crate::entity::login_throttle as lt;
use crate::{Store, StoreError};
use chrono::Duration;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// How many failures are free and how the wait grows after them.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub free: i32,
    pub first_wait_secs: i64,
    pub max_wait_secs: i64,
}

/// One account: five tries, then 30 s, 1 min, 2 min … up to an hour.
pub const ACCOUNT: Policy = Policy { free: 5, first_wait_secs: 30, max_wait_secs: 3600 };
/// One address (offices and mobile carriers share addresses): twenty tries.
pub const ADDRESS: Policy = Policy { free: 20, first_wait_secs: 30, max_wait_secs: 3600 };

/// The wait after `failures` failures (none while they are free).
pub fn backoff(p: Policy, failures: i32) -> Option<Duration> {
    let over = failures - p.free;
    (over >= 0).then(|| Duration::seconds(std::cmp::min(p.first_wait_secs << std::cmp::min(over, 20), p.max_wait_secs)))
}

/// Failures older than this are forgotten.
const MEMORY_HOURS: i64 = 24;

async fn hashed(store: &Store, key: &str) -> Result<String, StoreError> {
    crate::web::ratelimit::hashed_key(store, key).await
}

/// `Some(wait)` while `key` is locked out.
pub async fn locked(store: &Store, key: &str) -> Result<Option<Duration>, StoreError> {
    let k = hashed(store, key).await?;
    let now = store.now();
    let row = lt::Entity::find().filter(lt::Column::Key.eq(k)).one(&store.db).await?;
    Ok(row.and_then(|r| r.locked_until).filter(|t| *t > now).map(|t| t - now))
}

/// Counts a failure (atomically, so parallel attempts all count) and locks the
/// key once it is past its free failures.
pub async fn failed(store: &Store, key: &str, p: Policy) -> Result<(), StoreError> {
    let k = hashed(store, key).await?;
    let now = store.now();
    // A key whose last failure is long past starts again.
    lt::Entity::delete_many()
        .filter(lt::Column::Key.eq(k.clone()))
        .filter(lt::Column::LastFailureAt.lt(now - Duration::hours(MEMORY_HOURS)))
        .exec(&store.db)
        .await?;
    lt::Entity::insert(lt::ActiveModel {
        key: Set(k.clone()),
        failures: Set(1),
        last_failure_at: Set(now),
        locked_until: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(lt::Column::Key)
            .value(lt::Column::Failures, Expr::col((lt::Entity, lt::Column::Failures)).add(1))
            .value(lt::Column::LastFailureAt, now)
            .to_owned(),
    )
    .exec(&store.db)
    .await?;
    if let Some(row) = lt::Entity::find().filter(lt::Column::Key.eq(k)).one(&store.db).await? {
        if let Some(wait) = backoff(p, row.failures) {
            let mut a: lt::ActiveModel = row.into();
            a.locked_until = Set(Some(now + wait));
            a.update(&store.db).await?;
        }
    }
    Ok(())
}

/// A successful sign-in clears the account's failures.
pub async fn succeeded(store: &Store, key: &str) -> Result<(), StoreError> {
    let k = hashed(store, key).await?;
    lt::Entity::delete_many().filter(lt::Column::Key.eq(k)).exec(&store.db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_failures_up_to_an_hour() {
        assert_eq!(backoff(ACCOUNT, 4), None);
        assert_eq!(backoff(ACCOUNT, 5), Some(Duration::seconds(30)));
        assert_eq!(backoff(ACCOUNT, 6), Some(Duration::seconds(60)));
        assert_eq!(backoff(ACCOUNT, 9), Some(Duration::seconds(480)));
        assert_eq!(backoff(ACCOUNT, 30), Some(Duration::seconds(3600)));
        assert_eq!(backoff(ADDRESS, 19), None);
    }
}
