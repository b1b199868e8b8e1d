//! A legal hold (法律保全): the agency keeps a case or tip from deletion while a
//! case, litigation or inspection is open, with a reason, and lifts it again.
//! Both are audited in the record's own hash chain; the hold itself is a flag
//! on the row the daily deletion reads.
use crate::actor::Actor;
use crate::case::access::{case_by_no, may_act};
use crate::chain::{self, record_tip_event, NewEvent};
use crate::entity::{complaint, tip};
use crate::{Store, StoreError};
use redline_rules::case::Role;
use redline_rules::retention::hold_reason;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

fn already(hold: bool) -> StoreError {
    if hold {
        StoreError::field("form", "已处于法律保全状态", "A legal hold is already in place")
    } else {
        StoreError::field("form", "未设置法律保全", "There is no legal hold to lift")
    }
}

/// Sets (`hold`) or lifts the hold on a case, as its handling agency.
pub async fn case(store: &Store, actor: &Actor, case_no: &str, hold: bool, reason: &str) -> Result<(), StoreError> {
    let reason = hold_reason(reason).map_err(StoreError::Field)?;
    let now = store.now();
    let txn = store.db.begin().await?;
    let c = case_by_no(&txn, case_no).await?;
    // `rules::retention::may_hold`: the agency, which is the case's handling agency.
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    // Read again under the lock: the case may have moved to another agency.
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if c.legal_hold == hold {
        return Err(already(hold));
    }
    let mut a: complaint::ActiveModel = c.clone().into();
    a.legal_hold = Set(hold);
    a.legal_hold_reason = Set(hold.then(|| reason.clone()));
    a.version = Set(c.version + 1);
    a.update(&txn).await?;
    let event = if hold { "LEGAL_HOLD_SET" } else { "LEGAL_HOLD_LIFTED" };
    let body = serde_json::json!({ "reason": reason, "basis": "PIPL Art. 47; Order 117 Art. 16" });
    chain::append(&txn, NewEvent::record(&c, event, Role::Regulator, Some(actor.user_id), &body, now)).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets or lifts the hold on a tip, as the agency it was sent to.
pub async fn tip(store: &Store, actor: &Actor, tip_no: &str, hold: bool, reason: &str) -> Result<(), StoreError> {
    let reason = hold_reason(reason).map_err(StoreError::Field)?;
    let now = store.now();
    let txn = store.db.begin().await?;
    let t = tip::Entity::find().filter(tip::Column::TipNo.eq(tip_no)).one(&txn).await?.ok_or(StoreError::NotFound)?;
    if !t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)) {
        return Err(StoreError::Forbidden);
    }
    let res = tip::Entity::update_many()
        .col_expr(tip::Column::LegalHold, sea_orm::sea_query::Expr::value(hold))
        .col_expr(tip::Column::LegalHoldReason, sea_orm::sea_query::Expr::value(hold.then(|| reason.clone())))
        .filter(tip::Column::Id.eq(t.id))
        .filter(tip::Column::LegalHold.eq(!hold))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(already(hold));
    }
    let event = if hold { "LEGAL_HOLD_SET" } else { "LEGAL_HOLD_LIFTED" };
    let body = serde_json::json!({ "reason": reason, "basis": "PIPL Art. 47" });
    record_tip_event(&txn, t.id, "REGULATOR", Some(actor.user_id), event, body, now).await?;
    txn.commit().await?;
    Ok(())
}
