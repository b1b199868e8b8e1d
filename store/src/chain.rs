//! Appending to and verifying a case's hash-chained history (防篡改记录; our design for
//! keeping records unaltered, E-Commerce Law Art. 62; Order 117 Art. 16).
//! Every event row goes through [`append`], which numbers it, links it to the
//! previous event's hash and hashes its own content.
use crate::entity::{case_event, complaint, tip, tip_event};
use crate::StoreError;
use chrono::{DateTime, SubsecRound, Utc};
use redline_rules::case::Role;
use redline_rules::chain::{self, next_link, verify_with_head, ChainReport, EventContent, Link, StoredLink};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// An event to record on a case.
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_role: &'a str,
    pub event_type: &'a str,
    /// "T1"…"T22" for state changes; "—" for records that change no state.
    pub transition_id: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub payload_json: String,
}

impl<'a> NewEvent<'a> {
    /// A record on the case that changes no state (evidence added, a
    /// preservation step), by `role`.
    pub fn record(
        c: &'a complaint::Model,
        event_type: &'a str,
        role: Role,
        actor_user_id: Option<i64>,
        payload: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> NewEvent<'a> {
        NewEvent {
            case_id: c.id,
            at,
            actor_user_id,
            actor_role: role.as_str(),
            event_type,
            transition_id: NO_TRANSITION,
            from_state: &c.state,
            to_state: &c.state,
            payload_json: payload.to_string(),
        }
    }
}

/// The time an event is recorded at: both databases keep microseconds, so
/// the hash covers what will be read back.
pub fn stamp(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// Marks events that record something without changing the case state.
pub const NO_TRANSITION: &str = "—";

/// Takes the case row's write lock so appends to one case run one at a time
/// (PostgreSQL row lock; SQLite serialises writers anyway).
pub async fn lock_case(txn: &DatabaseTransaction, case_id: i64) -> Result<(), StoreError> {
    complaint::Entity::update_many()
        .col_expr(complaint::Column::Id, Expr::col(complaint::Column::Id))
        .filter(complaint::Column::Id.eq(case_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Appends one event to its case's chain. The caller holds the case lock
/// (a state change's versioned update, or [`lock_case`]).
pub async fn append(txn: &DatabaseTransaction, e: NewEvent<'_>) -> Result<case_event::Model, StoreError> {
    let last = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(e.case_id))
        .order_by_desc(case_event::Column::Seq)
        .one(txn)
        .await?;
    let last = last.and_then(|l| l.hash.map(|h| (l.seq, h)));
    let link = next_case_link(&e, last.as_ref().map(|(s, h)| (*s, h.as_str())));
    complaint::Entity::update_many()
        .col_expr(complaint::Column::ChainSeq, Expr::value(link.seq))
        .col_expr(complaint::Column::ChainHead, Expr::value(Some(link.hash.clone())))
        .col_expr(complaint::Column::LogPending, Expr::value(true))
        .filter(complaint::Column::Id.eq(e.case_id))
        .exec(txn)
        .await?;
    insert_case_event(txn, e, link).await
}

/// The link an event gets after `last` (the case's head: sequence and hash).
pub fn next_case_link(e: &NewEvent<'_>, last: Option<(i32, &str)>) -> Link {
    let at = stamp(e.at);
    chain::next_link(last, |seq| EventContent {
        case_id: e.case_id,
        seq,
        at_micros: at.timestamp_micros(),
        actor_user_id: e.actor_user_id,
        actor_role: e.actor_role,
        event_type: e.event_type,
        transition_id: e.transition_id,
        from_state: e.from_state,
        to_state: e.to_state,
        payload_json: &e.payload_json,
    })
}

/// Writes an event whose link the caller computed and whose head it stored
/// on the case itself.
pub async fn insert_case_event(
    txn: &DatabaseTransaction,
    e: NewEvent<'_>,
    link: Link,
) -> Result<case_event::Model, StoreError> {
    Ok(event_row(e, link).insert(txn).await?)
}

/// An event row as it will be written, with its link.
pub fn event_row(e: NewEvent<'_>, link: Link) -> case_event::ActiveModel {
    let Link { seq, prev_hash: prev, hash } = link;
    case_event::ActiveModel {
        case_id: Set(e.case_id),
        seq: Set(seq),
        at: Set(stamp(e.at)),
        actor_user_id: Set(e.actor_user_id),
        actor_role: Set(e.actor_role.to_owned()),
        event_type: Set(e.event_type.to_owned()),
        transition_id: Set(e.transition_id.to_owned()),
        from_state: Set(e.from_state.to_owned()),
        to_state: Set(e.to_state.to_owned()),
        payload_json: Set(e.payload_json),
        prev_hash: Set(Some(prev)),
        hash: Set(Some(hash)),
        ..Default::default()
    }
}

fn link(e: &case_event::Model) -> StoredLink<'_> {
    StoredLink {
        content: EventContent {
            case_id: e.case_id,
            seq: e.seq,
            at_micros: e.at.timestamp_micros(),
            actor_user_id: e.actor_user_id,
            actor_role: &e.actor_role,
            event_type: &e.event_type,
            transition_id: &e.transition_id,
            from_state: &e.from_state,
            to_state: &e.to_state,
            payload_json: &e.payload_json,
        },
        prev_hash: e.prev_hash.as_deref().unwrap_or(""),
        hash: e.hash.as_deref().unwrap_or(""),
    }
}

/// The exact text an event's hash covers (after its previous hash): what a
/// case package carries so that anyone can recompute the chain.
pub fn canonical_content(e: &case_event::Model) -> String {
    serde_json::to_string(&link(e).content).unwrap_or_default()
}

/// Verifies a case's events, loaded in sequence order, against its recorded head.
pub fn verify_events(c: &complaint::Model, events: &[case_event::Model]) -> ChainReport {
    let links: Vec<StoredLink<'_>> = events.iter().map(link).collect();
    chain::verify_with_head(&links, c.chain_head.as_deref().map(|h| (c.chain_seq, h)))
}

/// Loads and verifies one case's chain.
pub async fn verify_case<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<ChainReport, StoreError> {
    let c = complaint::Entity::find_by_id(case_id).one(db).await?.ok_or(StoreError::NotFound)?;
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_asc(case_event::Column::Seq)
        .all(db)
        .await?;
    Ok(verify_events(&c, &events))
}

// Tips (举报) are chained the same way as case events.

fn tip_link(e: &tip_event::Model) -> StoredLink<'_> {
    StoredLink {
        content: EventContent {
            case_id: e.tip_id,
            seq: e.seq,
            at_micros: e.at.timestamp_micros(),
            actor_user_id: e.actor_user_id,
            actor_role: &e.actor_role,
            event_type: &e.event_type,
            transition_id: TIP_EVENT,
            from_state: "",
            to_state: "",
            payload_json: &e.payload_json,
        },
        prev_hash: &e.prev_hash,
        hash: &e.hash,
    }
}

/// Tip events are chained like case events; this marks them apart in the hash.
const TIP_EVENT: &str = "TIP";

/// Appends a chained tip event and moves the tip's recorded head. The caller's
/// transaction has written the tip row first (its row lock orders appends).
pub async fn record_tip_event(
    txn: &DatabaseTransaction,
    tip_id: i64,
    role: &str,
    actor: Option<i64>,
    event: &str,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let last = tip_event::Entity::find()
        .filter(tip_event::Column::TipId.eq(tip_id))
        .order_by_desc(tip_event::Column::Seq)
        .one(txn)
        .await?;
    let at = crate::chain::stamp(now);
    let payload_json = payload.to_string();
    let Link { seq, prev_hash: prev, hash } =
        next_link(last.as_ref().map(|e| (e.seq, e.hash.as_str())), |seq| EventContent {
            case_id: tip_id,
            seq,
            at_micros: at.timestamp_micros(),
            actor_user_id: actor,
            actor_role: role,
            event_type: event,
            transition_id: TIP_EVENT,
            from_state: "",
            to_state: "",
            payload_json: &payload_json,
        });
    tip_event::ActiveModel {
        tip_id: Set(tip_id),
        seq: Set(seq),
        at: Set(at),
        actor_user_id: Set(actor),
        actor_role: Set(role.to_owned()),
        event_type: Set(event.to_owned()),
        payload_json: Set(payload_json),
        prev_hash: Set(prev),
        hash: Set(hash.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    tip::Entity::update_many()
        .col_expr(tip::Column::ChainSeq, sea_orm::sea_query::Expr::value(seq))
        .col_expr(tip::Column::ChainHead, sea_orm::sea_query::Expr::value(Some(hash)))
        .col_expr(tip::Column::LogPending, sea_orm::sea_query::Expr::value(true))
        .filter(tip::Column::Id.eq(tip_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Verifies a tip's history against its recorded head.
pub fn verify_tip(t: &tip::Model, events: &[tip_event::Model]) -> ChainReport {
    let links: Vec<StoredLink<'_>> = events.iter().map(tip_link).collect();
    verify_with_head(&links, t.chain_head.as_deref().map(|h| (t.chain_seq, h)))
}
