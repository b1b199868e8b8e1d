//! Replay preservation requests (回放保全, Order 117 Art. 16): filing a
//! complaint about a moment in a stream asks the platform to keep the replay
//! segment around it, under the D4 clock. The platform confirms with a replay
//! reference and a retention date at least three years out, or says why not.
use crate::actor::Actor;
use crate::api::webhooks::{Announce, CASE_OVERDUE};
use crate::case::clocks::{apply_clock, refresh_next_due};
use crate::case::write::CaseWrite;
use crate::chain::{self, NewEvent};
use crate::entity::{complaint, preservation_request, stream_session};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use redline_rules::case::{ClockEffect, Role};
use redline_rules::clock::ClockKind;
use redline_rules::clock::ClockPolicy;
use redline_rules::evidence::ClipRange;
use redline_rules::field::FieldError;
use redline_rules::retention::min_retain_for_transaction;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, Set, Statement,
    TransactionTrait,
};

pub const PENDING: &str = "PENDING";
pub const CONFIRMED: &str = "CONFIRMED";
pub const DECLINED: &str = "DECLINED";

/// The platform's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Confirm { replay_ref: String, retain_until: NaiveDate },
    Decline { reason: String },
}

/// The request row of a case being filed, as a statement for the filing's
/// first batch (`crate::batch`), so it costs no round trip of its own. The
/// case's id is not known until its insert has run: the row takes it from the
/// case's unique placeholder number, by a select in the same statement.
pub(crate) fn request_statement(
    backend: DatabaseBackend,
    to_be: &complaint::Model,
    policy: &ClockPolicy,
    session: Option<&stream_session::Model>,
    now: DateTime<Utc>,
) -> Statement {
    use preservation_request::Column as P;
    let margin = policy.preserve_margin_secs();
    let range = to_be.stream_offset_s.map(|o| ClipRange::around(o, margin));
    let (from_at, to_at) = match (session, range, to_be.stream_clock_at) {
        (Some(s), Some(r), _) => {
            (Some(s.started_at + Duration::seconds(r.start_s)), Some(s.started_at + Duration::seconds(r.end_s)))
        }
        (_, _, Some(t)) => (Some(t - Duration::seconds(margin)), Some(t + Duration::seconds(margin))),
        _ => (None, None),
    };
    let values: [Expr; 9] = [
        Expr::val(to_be.platform_id),
        Expr::val(session.map(|s| s.id)),
        Expr::val(range.map(|r| r.start_s)),
        Expr::val(range.map(|r| r.end_s)),
        Expr::val(from_at),
        Expr::val(to_at),
        Expr::val(PENDING),
        Expr::val(false),
        Expr::val(now),
    ];
    let case = Query::select()
        .column(complaint::Column::Id)
        .exprs(values)
        .from(complaint::Entity)
        .and_where(complaint::Column::CaseNo.eq(to_be.case_no.as_str()))
        .to_owned();
    let columns = [
        P::CaseId,
        P::PlatformId,
        P::SessionId,
        P::FromOffsetS,
        P::ToOffsetS,
        P::FromAt,
        P::ToAt,
        P::Status,
        P::Overdue,
        P::RequestedAt,
    ];
    let mut insert = Query::insert();
    insert
        .into_table(preservation_request::Entity)
        .columns(columns)
        .select_from(case)
        .expect("as many values as columns")
        .returning_all();
    backend.build(&insert)
}

/// The request is written (see [`request_statement`]): its D4 clock, event
/// and notices go with the filing's other writes.
pub(crate) async fn opened(
    txn: &DatabaseTransaction,
    w: &mut CaseWrite,
    req: preservation_request::Model,
    now: DateTime<Utc>,
) -> Result<preservation_request::Model, StoreError> {
    let today = crate::time::china_date(now);
    w.clock(txn, ClockEffect::Start(ClockKind::D4), today, now, None, &serde_json::json!({})).await?;
    w.announce(
        crate::api::webhooks::PRESERVATION_REQUESTED,
        serde_json::json!({ "preservation_id": req.id, "from_at": req.from_at, "to_at": req.to_at }),
    );
    let payload = serde_json::json!({
        "preservation_id": req.id,
        "session_id": req.session_id,
        "from_offset_s": req.from_offset_s,
        "to_offset_s": req.to_offset_s,
        "from_at": req.from_at.map(|t| t.to_rfc3339()),
        "to_at": req.to_at.map(|t| t.to_rfc3339()),
    });
    let c = w.case.clone();
    w.event(NewEvent::record(&c, "PRESERVATION_REQUESTED", Role::System, None, &payload, now));
    let link = format!("/cases/{}", w.case.case_no);
    // The platform's people, read with the case's other audiences (T3 told the operator).
    let people = w.contacts(txn).await?;
    let rows = crate::notices::compose::org_rows_for(
        people.of(redline_rules::notify::Audience::Platform),
        redline_rules::notify::Kind::PreservationRequested,
        &w.case.case_no,
        &link,
        Some("D4"),
        now,
    );
    w.notify(rows);
    Ok(req)
}

async fn record(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    event_type: &str,
    role: Role,
    actor: Option<i64>,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    chain::append(txn, NewEvent::record(c, event_type, role, actor, &payload, now)).await?;
    Ok(())
}

pub async fn for_case<C: sea_orm::ConnectionTrait>(
    db: &C,
    case_id: i64,
) -> Result<Option<preservation_request::Model>, StoreError> {
    Ok(preservation_request::Entity::find().filter(preservation_request::Column::CaseId.eq(case_id)).one(db).await?)
}

/// The earliest day a replay of this complaint's transaction may be kept to:
/// three years after the later of the order and the end of the stream
/// (Order 117 Art. 16), the filing day when neither is known.
pub async fn min_retain<C: sea_orm::ConnectionTrait>(
    db: &C,
    c: &complaint::Model,
    session_id: Option<i64>,
) -> Result<NaiveDate, StoreError> {
    min_retain_with(db, c, session_id, None).await
}

/// [`min_retain`], with a session already read (the case page's): read
/// again only when the request names another.
pub async fn min_retain_with<C: sea_orm::ConnectionTrait>(
    db: &C,
    c: &complaint::Model,
    session_id: Option<i64>,
    known: Option<&stream_session::Model>,
) -> Result<NaiveDate, StoreError> {
    let ended = match session_id.or(c.stream_session_id) {
        Some(id) if known.is_some_and(|s| s.id == id) => known.and_then(|s| s.ended_at),
        Some(id) => stream_session::Entity::find_by_id(id).one(db).await?.and_then(|s| s.ended_at),
        None => None,
    };
    Ok(min_retain_for_transaction(
        c.ordered_on,
        ended.map(crate::time::china_date),
        crate::time::china_date(c.created_at),
    ))
}

/// Who answers: a platform staff member, or the platform itself over the API.
pub enum Answerer<'a> {
    Staff(&'a Actor),
    Platform(i64),
}

/// Records the platform's answer and stops D4.
pub async fn answer(
    store: &Store,
    case_no: &str,
    by: Answerer<'_>,
    answer: Answer,
) -> Result<preservation_request::Model, StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let c = crate::case::access::case_by_no(&txn, case_no).await?;
    let (allowed, actor_id) = match by {
        Answerer::Staff(a) => (a.platform_ids.contains(&c.platform_id), Some(a.user_id)),
        Answerer::Platform(p) => (p == c.platform_id, None),
    };
    if !allowed {
        return Err(StoreError::Forbidden);
    }
    chain::lock_case(&txn, c.id).await?;
    let req = for_case(&txn, c.id).await?.ok_or(StoreError::NotFound)?;
    if req.status != PENDING {
        return Err(StoreError::field(
            "form",
            "该保全请求已答复",
            "This preservation request has already been answered",
        ));
    }
    let session_id = req.session_id;
    let mut a: preservation_request::ActiveModel = req.into();
    let payload = match &answer {
        Answer::Confirm { replay_ref, retain_until } => {
            let min = min_retain(&txn, &c, session_id).await?;
            if *retain_until < min {
                return Err(StoreError::Field(FieldError::new(
                    "retain_until",
                    format!("保存期限须不早于 {min}（交易完成后至少三年，办法第十六条）"),
                    format!("Keep it until {min} or later (at least three years after the transaction, Art. 16)"),
                )));
            }
            a.status = Set(CONFIRMED.to_owned());
            a.replay_ref = Set(Some(replay_ref.clone()));
            a.retain_until = Set(Some(*retain_until));
            serde_json::json!({ "replay_ref": replay_ref, "retain_until": retain_until.to_string() })
        }
        Answer::Decline { reason } => {
            a.status = Set(DECLINED.to_owned());
            a.answer = Set(Some(reason.clone()));
            serde_json::json!({ "message": reason })
        }
    };
    a.answered_at = Set(Some(now));
    a.answered_by = Set(actor_id);
    let req = a.update(&txn).await?;
    let today = crate::time::china_date(now);
    apply_clock(&txn, &c, ClockEffect::Stop(ClockKind::D4), today, now, actor_id, &serde_json::json!({})).await?;
    let event = if req.status == CONFIRMED { "PRESERVATION_CONFIRMED" } else { "PRESERVATION_DECLINED" };
    record(&txn, &c, event, Role::Platform, actor_id, payload, now).await?;
    refresh_next_due(&txn, c.id).await?;
    txn.commit().await?;
    Ok(req)
}

/// Called by the sweep after it claimed an expired D4 clock: flags the request
/// and the case for the regulator's view (no state change: the law gives none).
pub async fn mark_overdue(txn: &DatabaseTransaction, case_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let c = complaint::Entity::find_by_id(case_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    chain::lock_case(txn, c.id).await?;
    preservation_request::Entity::update_many()
        .col_expr(preservation_request::Column::Overdue, sea_orm::sea_query::Expr::value(true))
        .filter(preservation_request::Column::CaseId.eq(case_id))
        .filter(preservation_request::Column::Status.eq(PENDING))
        .exec(txn)
        .await?;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::PreservationOverdue, sea_orm::sea_query::Expr::value(true))
        .filter(complaint::Column::Id.eq(case_id))
        .exec(txn)
        .await?;
    record(txn, &c, "PRESERVATION_OVERDUE", Role::System, None, serde_json::json!({ "clock": "D4" }), now).await?;
    // The replay is the platform's to keep (Order 117 Art. 16): its webhooks hear of it.
    let mut missed = Announce::of_case(&c, CASE_OVERDUE, serde_json::json!({ "clock": "D4" }));
    missed.operator_id = None;
    crate::api::webhooks::enqueue(txn, &[missed], now).await?;
    refresh_next_due(txn, case_id).await?;
    Ok(())
}
