//! Sending webhook deliveries: which are due (one at a time per endpoint and
//! subject, so a case's events arrive in order), the lease that keeps two
//! senders off one delivery, and what each attempt leaves: a logged attempt,
//! and either done or retried later with exponential backoff and jitter for
//! a little over three days. An endpoint failing for five days is switched
//! off and its organisation told.
use crate::entity::{webhook_attempt as attempt, webhook_delivery as delivery, webhook_endpoint as endpoint};
use crate::notices;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use redline_rules::notify::Kind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

pub use crate::api::webhooks::{DELIVERED, FAILED, PENDING};

/// Seconds to wait after the n-th failed attempt: 77.6 hours in all, so a
/// receiver that is down for three days still gets every event.
const BACKOFF: [i64; 12] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000];
/// An endpoint that has failed this long is switched off.
pub const DISABLE_AFTER_DAYS: i64 = 5;

/// The wait after `failures` failed attempts, ±10 % so retries of many
/// deliveries do not arrive together; `None` once the schedule is spent.
pub fn backoff(failures: usize, jitter: f64) -> Option<Duration> {
    let base = *BACKOFF.get(failures.checked_sub(1)?)?;
    let j = jitter.clamp(-1.0, 1.0) * 0.1;
    Some(Duration::milliseconds(((base as f64) * 1000.0 * (1.0 + j)) as i64))
}

/// Claims up to `limit` due deliveries for `lease`, each with its endpoint,
/// oldest first. A delivery waits while an earlier one of the same endpoint
/// and subject is still pending; a switched-off endpoint's wait too.
pub async fn claim(
    store: &Store,
    limit: u64,
    lease: Duration,
) -> Result<Vec<(delivery::Model, endpoint::Model)>, StoreError> {
    let now = store.now();
    let due = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(PENDING))
        .filter(delivery::Column::NextAt.lte(now))
        .filter(Condition::any().add(delivery::Column::LeaseUntil.is_null()).add(delivery::Column::LeaseUntil.lt(now)))
        .order_by_asc(delivery::Column::NextAt)
        .order_by_asc(delivery::Column::Id)
        .limit(limit)
        .all(&store.db)
        .await?;
    let mut out = Vec::new();
    let mut endpoints = std::collections::HashMap::new();
    for d in due {
        let earlier = delivery::Entity::find()
            .filter(delivery::Column::EndpointId.eq(d.endpoint_id))
            .filter(delivery::Column::Subject.eq(d.subject.clone()))
            .filter(delivery::Column::Status.eq(PENDING))
            .filter(delivery::Column::Id.lt(d.id))
            .count(&store.db)
            .await?;
        if earlier > 0 {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = endpoints.entry(d.endpoint_id) {
            slot.insert(endpoint::Entity::find_by_id(d.endpoint_id).one(&store.db).await?);
        }
        let Some(Some(ep)) = endpoints.get(&d.endpoint_id) else { continue };
        if !ep.enabled {
            continue;
        }
        let took = delivery::Entity::update_many()
            .col_expr(delivery::Column::LeaseUntil, Expr::value(now + lease))
            .filter(delivery::Column::Id.eq(d.id))
            .filter(delivery::Column::Status.eq(PENDING))
            .filter(
                Condition::any().add(delivery::Column::LeaseUntil.is_null()).add(delivery::Column::LeaseUntil.lt(now)),
            )
            .exec(&store.db)
            .await?;
        if took.rows_affected == 1 {
            out.push((d, ep.clone()));
        }
    }
    Ok(out)
}

/// What one attempt came to.
#[derive(Clone, Debug)]
pub struct Attempt {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    /// The start of the answer (at most 500 characters).
    pub excerpt: String,
    pub took_ms: i64,
}

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.status_code.is_some_and(|c| (200..300).contains(&c))
    }
}

/// Records an attempt and what follows from it, in one transaction.
pub async fn record(
    store: &Store,
    d: &delivery::Model,
    ep: &endpoint::Model,
    a: Attempt,
    jitter: f64,
) -> Result<(), StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    attempt::ActiveModel {
        delivery_id: Set(d.id),
        at: Set(now),
        status_code: Set(a.status_code.map(i32::from)),
        error: Set(a.error.clone().map(|e| e.chars().take(300).collect())),
        excerpt: Set(a.excerpt.chars().take(500).collect()),
        took_ms: Set(a.took_ms),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let attempts = d.attempts + 1;
    let mut upd = delivery::Entity::update_many()
        .col_expr(delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
    if a.succeeded() {
        upd = upd
            .col_expr(delivery::Column::Status, Expr::value(DELIVERED))
            .col_expr(delivery::Column::DeliveredAt, Expr::value(now));
        endpoint::Entity::update_many()
            .col_expr(endpoint::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(endpoint::Column::Id.eq(ep.id))
            .exec(&txn)
            .await?;
    } else {
        upd = match backoff(attempts as usize, jitter) {
            Some(wait) => upd.col_expr(delivery::Column::NextAt, Expr::value(now + wait)),
            None => upd.col_expr(delivery::Column::Status, Expr::value(FAILED)),
        };
        let since = ep.failing_since.unwrap_or(now);
        let off = now - since >= Duration::days(DISABLE_AFTER_DAYS) && ep.enabled;
        let mut e = endpoint::Entity::update_many().col_expr(endpoint::Column::FailingSince, Expr::value(since));
        if off {
            e = e
                .col_expr(endpoint::Column::Enabled, Expr::value(false))
                .col_expr(endpoint::Column::DisabledAt, Expr::value(now));
        }
        let res =
            e.filter(endpoint::Column::Id.eq(ep.id)).filter(endpoint::Column::Enabled.eq(true)).exec(&txn).await?;
        // Told once: only the attempt that switched it off.
        if off && res.rows_affected == 1 {
            tracing::warn!(endpoint = ep.id, "webhook endpoint failing for five days: switched off");
            notices::to_org(
                &txn,
                &ep.org_kind,
                ep.org_id,
                Kind::WebhookDisabled,
                &ep.url,
                "/org/integrations",
                None,
                now,
            )
            .await?;
        }
    }
    upd.filter(delivery::Column::Id.eq(d.id)).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Sends a delivery again (same `webhook-id`, so a receiver that has it can
/// tell), now; for its owner only.
pub async fn replay(
    store: &Store,
    owner: crate::api::webhooks::Owner,
    endpoint_id: i64,
    delivery_id: i64,
) -> Result<(), StoreError> {
    crate::api::webhooks::owned(store, owner, endpoint_id).await?;
    let d = delivery::Entity::find_by_id(delivery_id)
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .one(&store.db)
        .await?
        .ok_or(StoreError::NotFound)?;
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(PENDING))
        .col_expr(delivery::Column::NextAt, Expr::value(store.now()))
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(delivery::Column::Id.eq(d.id))
        .exec(&store.db)
        .await?;
    Ok(())
}

/// A delivery's attempts, oldest first.
pub async fn attempts(store: &Store, delivery_id: i64) -> Result<Vec<attempt::Model>, StoreError> {
    Ok(attempt::Entity::find()
        .filter(attempt::Column::DeliveryId.eq(delivery_id))
        .order_by_asc(attempt::Column::Id)
        .all(&store.read)
        .await?)
}

/// Deliveries not yet done, for `/metrics` and the tests.
pub async fn backlog(store: &Store) -> Result<u64, StoreError> {
    Ok(delivery::Entity::find().filter(delivery::Column::Status.eq(PENDING)).count(&store.read).await?)
}
