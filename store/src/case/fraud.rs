//! T24: the platform or the agency marks a case as suspected fraud, or lifts
//! the mark (`rules::fraud`). One transaction: the case row, the held clocks
//! paused or resumed, and an event in the case's chain.
use crate::actor::Actor;
use crate::case::access::{case_by_no, may_act};
use crate::case::clocks::{apply_clock, refresh_next_due};
use crate::chain::{self, NewEvent};
use crate::entity::{clock, complaint};
use crate::{Store, StoreError};
use redline_rules::case::{ClockEffect, Role};
use redline_rules::clock::ClockStatus;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// Raises (`suspect`) or lifts the mark as `role`, with a reason.
pub async fn mark(
    store: &Store,
    actor: &Actor,
    case_no: &str,
    role: Role,
    suspect: bool,
    reason: &str,
) -> Result<complaint::Model, StoreError> {
    let reason = redline_rules::fraud::reason(reason).map_err(StoreError::Field)?;
    let now = store.now();
    let today = crate::time::china_date(now);
    let txn = store.db.begin().await?;
    let c = case_by_no(&txn, case_no).await?;
    if !redline_rules::fraud::may_mark(role) || !may_act(&txn, actor, role, &c).await? {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    // Read again under the lock: a concurrent mark may have landed meanwhile.
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    if c.fraud_suspected == suspect {
        let (zh, en) = if suspect {
            ("该案件已标记为涉嫌欺诈", "The case is already marked")
        } else {
            ("该案件未标记涉嫌欺诈", "The case is not marked")
        };
        return Err(StoreError::field("form", zh, en));
    }
    // The held clocks that run (or, lifting, that this mark paused).
    let live = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(c.id))
        .filter(clock::Column::Status.is_in([ClockStatus::Running.as_str(), ClockStatus::Paused.as_str()]))
        .all(&txn)
        .await?;
    let payload = serde_json::json!({ "reason": "FRAUD_SUSPECTED" });
    for k in live {
        let Ok(kind) = k.clock_kind() else { continue };
        if redline_rules::fraud::held(kind) {
            let effect = if suspect { ClockEffect::Pause(kind) } else { ClockEffect::Resume(kind) };
            apply_clock(&txn, &c, effect, today, now, Some(actor.user_id), &payload).await?;
        }
    }
    let mut a: complaint::ActiveModel = c.clone().into();
    a.fraud_suspected = Set(suspect);
    a.fraud_reason = Set(suspect.then(|| reason.clone()));
    a.updated_at = Set(now);
    a.version = Set(c.version + 1);
    let updated = a.update(&txn).await?;
    let event = if suspect { "FRAUD_SUSPECTED" } else { "FRAUD_CLEARED" };
    let body = serde_json::json!({ "reason": reason, "basis": "Order 121 Arts. 23(6), 42" });
    chain::append(&txn, NewEvent::record(&c, event, role, Some(actor.user_id), &body, now)).await?;
    refresh_next_due(&txn, c.id).await?;
    txn.commit().await?;
    Ok(updated)
}
