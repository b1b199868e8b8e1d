//! An operator or marketer who cannot be reached (Order 117 Art. 22; D15).
//! The agency handling a case tells the case's platform that the room's
//! operator, or the marketer the case names, cannot be reached at the
//! registered address; the platform records its reminder within five working
//! days; the sweep flags a notice left without one for the agency (penalty
//! route Order 117 Art. 54). The case's chain records each step.
use crate::actor::{Actor, ORG_AGENCY, ORG_PLATFORM};
use crate::case::access::{case_by_no, may_act};
use crate::chain::{self, NewEvent};
use crate::entity::{complaint, unreachable_notice as un};
use crate::notices::compose::to_org;
use crate::{Store, StoreError};
use redline_rules::case::Role;
use redline_rules::notify::Kind;
use redline_rules::parties::unreachable::{note, remind_due, Unreachable};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

/// A case's notices, oldest first.
pub async fn of_case<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Vec<un::Model>, StoreError> {
    Ok(un::Entity::find().filter(un::Column::CaseId.eq(case_id)).order_by_asc(un::Column::Id).all(db).await?)
}

/// The handling agency tells the platform that `party` cannot be reached.
pub async fn notify(
    store: &Store,
    actor: &Actor,
    case_no: &str,
    party: &str,
    text: &str,
) -> Result<un::Model, StoreError> {
    let party: Unreachable = party
        .parse()
        .map_err(|_| StoreError::field("party", "请选择无法联系的一方", "Choose who cannot be reached"))?;
    let text = note(text, "note")?;
    let now = store.now();
    let today = crate::time::china_date(now);
    let txn = store.db.begin().await?;
    let c = case_by_no(&txn, case_no).await?;
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if party == Unreachable::Marketer && c.marketer_id.is_none() && c.marketer_name.is_none() {
        return Err(StoreError::field("party", "本案未指明主播", "The case names no marketer"));
    }
    chain::lock_case(&txn, c.id).await?;
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    // Read again under the lock: the case may have moved to another agency.
    if !may_act(&txn, actor, Role::Regulator, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if of_case(&txn, c.id).await?.iter().any(|n| n.party == party.as_str() && n.reminded_at.is_none()) {
        return Err(StoreError::field(
            "form",
            "已通知平台，等待平台提醒",
            "The platform has been told and has not answered yet",
        ));
    }
    let due_on = remind_due(today);
    let row = un::ActiveModel {
        id: NotSet,
        case_id: Set(c.id),
        platform_id: Set(c.platform_id),
        agency_id: Set(c.agency_id.ok_or(StoreError::NoAgency)?),
        party: Set(party.as_str().to_owned()),
        note: Set(text.clone()),
        notified_at: Set(now),
        notified_by: Set(actor.user_id),
        due_on: Set(due_on),
        reminded_at: Set(None),
        reminded_by: Set(None),
        answer: Set(None),
        overdue: Set(false),
    }
    .insert(&txn)
    .await?;
    let body = serde_json::json!({ "party": party.as_str(), "due_on": due_on.to_string(), "message": text, "basis": "Order 117 Art. 22" });
    chain::append(&txn, NewEvent::record(&c, "UNREACHABLE_NOTIFIED", Role::Regulator, Some(actor.user_id), &body, now))
        .await?;
    let link = format!("/cases/{}", c.case_no);
    to_org(&txn, ORG_PLATFORM, c.platform_id, Kind::UnreachableParty, &c.case_no, &link, None, now).await?;
    txn.commit().await?;
    Ok(row)
}

/// The platform records that it reminded the party (and how).
pub async fn reminded(store: &Store, actor: &Actor, id: i64, answer: &str) -> Result<String, StoreError> {
    let answer = note(answer, "answer")?;
    let now = store.now();
    let txn = store.db.begin().await?;
    let n = un::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    if !actor.platform_ids.contains(&n.platform_id) {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, n.case_id).await?;
    let res = un::Entity::update_many()
        .col_expr(un::Column::RemindedAt, Expr::value(now))
        .col_expr(un::Column::RemindedBy, Expr::value(actor.user_id))
        .col_expr(un::Column::Answer, Expr::value(answer.clone()))
        .filter(un::Column::Id.eq(id))
        .filter(un::Column::RemindedAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::field("form", "平台已答复", "The platform has answered already"));
    }
    let c = complaint::Entity::find_by_id(n.case_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    let body = serde_json::json!({ "party": n.party, "message": answer, "basis": "Order 117 Art. 22" });
    chain::append(&txn, NewEvent::record(&c, "UNREACHABLE_REMINDED", Role::Platform, Some(actor.user_id), &body, now))
        .await?;
    let link = format!("/cases/{}", c.case_no);
    to_org(&txn, ORG_AGENCY, n.agency_id, Kind::UnreachableParty, &c.case_no, &link, Some("REMINDED"), now).await?;
    txn.commit().await?;
    Ok(c.case_no)
}

/// Flags notices past D15 without a reminder, once each, and tells the agency.
pub async fn flag_overdue(store: &Store) -> Result<usize, StoreError> {
    let now = store.now();
    let today = crate::time::china_date(now);
    let late = un::Entity::find()
        .filter(un::Column::Overdue.eq(false))
        .filter(un::Column::DueOn.lt(today))
        .filter(un::Column::RemindedAt.is_null())
        .limit(200)
        .all(&store.db)
        .await?;
    let mut flagged = 0;
    for n in late {
        let txn = store.db.begin().await?;
        // The case first, as `reminded` locks it: the same order, no deadlock.
        chain::lock_case(&txn, n.case_id).await?;
        let res = un::Entity::update_many()
            .col_expr(un::Column::Overdue, Expr::value(true))
            .filter(un::Column::Id.eq(n.id))
            .filter(un::Column::Overdue.eq(false))
            .filter(un::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected == 1 {
            let c = complaint::Entity::find_by_id(n.case_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
            let body = serde_json::json!({ "clock": "D15", "due_on": n.due_on.to_string(), "basis": "Order 117 Arts. 22, 54" });
            chain::append(&txn, NewEvent::record(&c, "UNREACHABLE_OVERDUE", Role::System, None, &body, now)).await?;
            let link = format!("/cases/{}", c.case_no);
            let subject = format!("{} · D15", c.case_no);
            to_org(&txn, ORG_AGENCY, n.agency_id, Kind::ClockOverdue, &subject, &link, Some("D15"), now).await?;
            flagged += 1;
        }
        txn.commit().await?;
    }
    Ok(flagged)
}

/// The number of the case a notice belongs to, for the platform it was sent
/// to (the form's way back); `None` for anyone else.
pub async fn case_of(store: &Store, actor: &Actor, id: i64) -> Result<Option<String>, StoreError> {
    let Some(n) = un::Entity::find_by_id(id).one(&store.read).await? else { return Ok(None) };
    if !actor.platform_ids.contains(&n.platform_id) {
        return Ok(None);
    }
    Ok(complaint::Entity::find_by_id(n.case_id).one(&store.read).await?.map(|c| c.case_no))
}
