//! The consumer's records request (Order 117 Art. 18): the complainant asks
//! the platform for the operator's and marketer's identity and contact and
//! the Art. 16 records of the transaction; the platform answers within its
//! D4 working days (the D4R clock, beside the case's own clocks); a request
//! left unanswered is flagged on the case for market supervision as a
//! possible breach of Art. 18 (penalty route Art. 55) and changes nothing
//! else. Every step is an event in the case's hash chain.
use crate::actor::{Actor, ORG_PLATFORM};
use crate::api::webhooks::{Announce, CASE_OVERDUE};
use crate::case::clocks::{apply_clock, refresh_next_due};
use crate::chain::{self, NewEvent};
use crate::entity::{clock, complaint, records_request as rr};
use crate::notices::compose::{self, Recipient};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::{ClockEffect, Role};
use redline_rules::clock::ClockKind;
use redline_rules::notify::Kind;
use redline_rules::records::RecordsAsk;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// A case's requests, oldest first.
pub async fn for_case<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<Vec<rr::Model>, StoreError> {
    Ok(rr::Entity::find().filter(rr::Column::CaseId.eq(case_id)).order_by_asc(rr::Column::Id).all(db).await?)
}

/// The complainant asks; one request is open at a time.
pub async fn ask(store: &Store, actor: &Actor, case_no: &str, ask: &RecordsAsk) -> Result<rr::Model, StoreError> {
    let now = store.now();
    let today = crate::time::china_date(now);
    let txn = store.db.begin().await?;
    let c = crate::case::access::case_by_no(&txn, case_no).await?;
    if c.consumer_id != actor.user_id {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    if for_case(&txn, c.id).await?.iter().any(|r| r.answered_at.is_none()) {
        // "form": the request form is not on the page while one is open.
        return Err(StoreError::field(
            "form",
            "上一次调取申请尚未答复，请等待平台答复",
            "Your earlier request has not been answered yet",
        ));
    }
    apply_clock(&txn, &c, ClockEffect::Start(ClockKind::D4R), today, now, Some(actor.user_id), &serde_json::json!({}))
        .await?;
    let due_on = running(&txn, c.id).await?.map_or(today, |k| k.due_on);
    let row = rr::ActiveModel {
        case_id: Set(c.id),
        items: Set(ask.codes()),
        asked_at: Set(now),
        asked_by: Set(actor.user_id),
        due_on: Set(due_on),
        answered_at: Set(None),
        answered_by: Set(None),
        answer: Set(None),
        overdue: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let payload = serde_json::json!({ "request_id": row.id, "items": ask.codes(), "due_on": due_on.to_string() });
    chain::append(&txn, NewEvent::record(&c, "RECORDS_REQUESTED", Role::Consumer, Some(actor.user_id), &payload, now))
        .await?;
    let link = format!("/cases/{}", c.case_no);
    let due = due_on.to_string();
    let rows = compose::org_rows(
        &txn,
        ORG_PLATFORM,
        c.platform_id,
        Kind::RecordsRequested,
        &c.case_no,
        &link,
        Some(&due),
        now,
    )
    .await?;
    compose::write(&txn, rows).await?;
    refresh_next_due(&txn, c.id).await?;
    txn.commit().await?;
    Ok(row)
}

/// The D4R clock just started (one runs at a time), by the case's clock index.
async fn running(txn: &DatabaseTransaction, case_id: i64) -> Result<Option<clock::Model>, StoreError> {
    Ok(clock::Entity::find()
        .filter(clock::Column::CaseId.eq(case_id))
        .filter(clock::Column::Status.eq(redline_rules::clock::ClockStatus::Running.as_str()))
        .filter(clock::Column::Kind.eq(ClockKind::D4R.code()))
        .one(txn)
        .await?)
}

/// The platform's staff answer the open request and its clock stops.
pub async fn answer(store: &Store, actor: &Actor, case_no: &str, text: &str) -> Result<rr::Model, StoreError> {
    let text = redline_rules::records::answer_text(text).map_err(StoreError::Field)?;
    let now = store.now();
    let today = crate::time::china_date(now);
    let txn = store.db.begin().await?;
    let c = crate::case::access::case_by_no(&txn, case_no).await?;
    if !actor.platform_ids.contains(&c.platform_id) {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    let Some(open) = for_case(&txn, c.id).await?.into_iter().find(|r| r.answered_at.is_none()) else {
        return Err(StoreError::field("form", "没有待答复的调取申请", "No request is waiting for an answer"));
    };
    let id = open.id;
    let mut a: rr::ActiveModel = open.into();
    a.answered_at = Set(Some(now));
    a.answered_by = Set(Some(actor.user_id));
    a.answer = Set(Some(text.clone()));
    let row = a.update(&txn).await?;
    apply_clock(&txn, &c, ClockEffect::Stop(ClockKind::D4R), today, now, Some(actor.user_id), &serde_json::json!({}))
        .await?;
    let payload = serde_json::json!({ "request_id": id, "late": row.overdue });
    chain::append(&txn, NewEvent::record(&c, "RECORDS_SUPPLIED", Role::Platform, Some(actor.user_id), &payload, now))
        .await?;
    let link = format!("/cases/{}", c.case_no);
    compose::insert(
        &txn,
        &Recipient::User(c.consumer_id),
        Kind::RecordsSupplied,
        &c.case_no,
        &link,
        None,
        &format!("records-supplied:{id}"),
        now,
    )
    .await?;
    refresh_next_due(&txn, c.id).await?;
    txn.commit().await?;
    Ok(row)
}

/// Called by the sweep after it claimed an expired D4R clock: flags the
/// request and the case for market supervision (no state change: Art. 18
/// gives none); the platform's webhooks hear of it.
pub async fn mark_overdue(txn: &DatabaseTransaction, case_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let c = complaint::Entity::find_by_id(case_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    chain::lock_case(txn, c.id).await?;
    rr::Entity::update_many()
        .col_expr(rr::Column::Overdue, Expr::value(true))
        .filter(rr::Column::CaseId.eq(case_id))
        .filter(rr::Column::AnsweredAt.is_null())
        .exec(txn)
        .await?;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::RecordsOverdue, Expr::value(true))
        .filter(complaint::Column::Id.eq(case_id))
        .exec(txn)
        .await?;
    let payload = serde_json::json!({ "clock": "D4R", "basis": "Order 117 Arts. 18, 55" });
    chain::append(txn, NewEvent::record(&c, "RECORDS_OVERDUE", Role::System, None, &payload, now)).await?;
    let mut missed = Announce::of_case(&c, CASE_OVERDUE, serde_json::json!({ "clock": "D4R" }));
    missed.operator_id = None;
    crate::api::webhooks::enqueue(txn, &[missed], now).await?;
    refresh_next_due(txn, case_id).await?;
    Ok(())
}
