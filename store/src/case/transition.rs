//! Case commands. Every state change goes through [`apply`]: one database
//! transaction that checks who may act, runs the pure transition table, appends
//! the case event, starts/stops/pauses clocks and follows system follow-ups.
use crate::actor::Actor;
use crate::case::access::may_act;
use crate::case::clocks::{apply_clock, next_due};
use crate::entity::{agency, complaint};
use crate::jurisdiction::first_agency;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::{self, CaseContext, CaseEvent, OfferKind, Role, Transition};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait, TryIntoModel};

/// Applies one event by a signed-in actor, with authorization, in one transaction.
/// `seen_version` is the case version the actor's page showed: if the case
/// has changed since, the action is refused rather than applied to a newer offer.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    store: &Store,
    case_no: &str,
    event: CaseEvent,
    role: Role,
    actor: &Actor,
    payload: serde_json::Value,
    seen_version: Option<i32>,
) -> Result<complaint::Model, StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let c = crate::case::access::case_by_no(&txn, case_no).await?;
    if !may_act(&txn, actor, role, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if seen_version.is_some_and(|v| v != c.version) {
        return Err(StoreError::Conflict);
    }
    let mut payload = payload;
    // Reassignment (Order 121 Art. 41 / Art. 13 last ¶) names an existing agency.
    if let CaseEvent::Dispatch = event {
        let to = payload
            .get("agency_id")
            .and_then(|v| v.as_i64())
            .ok_or_else(|| StoreError::field("agency_id", "请选择监管部门", "Choose an agency"))?;
        if agency::Entity::find_by_id(to).one(&txn).await?.is_none() {
            return Err(StoreError::field("agency_id", "请选择监管部门", "Choose an agency"));
        }
        payload["from_agency_id"] = serde_json::json!(c.agency_id);
    }
    let c = apply_in_txn(&txn, c, event, role, Some(actor.user_id), payload, now).await?;
    txn.commit().await?;
    Ok(c)
}

/// The state machine inside a transaction; follows system follow-ups to the end.
#[allow(clippy::too_many_arguments)]
pub async fn apply_in_txn(
    txn: &DatabaseTransaction,
    mut c: complaint::Model,
    event: CaseEvent,
    role: Role,
    actor_id: Option<i64>,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<complaint::Model, StoreError> {
    let mut next = Some((event, role, actor_id, payload));
    while let Some((event, role, actor_id, payload)) = next.take() {
        let state = c.case_state()?;
        let ctx = CaseContext { platform_decided: c.platform_decided, last_offer: c.offer()? };
        let t: Transition = case::transition(state, &event, role, &ctx)?;
        let today = crate::time::china_date(now);
        for eff in &t.clocks {
            apply_clock(txn, &c, *eff, today, now, actor_id, &payload).await?;
        }
        let mut a: complaint::ActiveModel = c.clone().into();
        a.state = Set(t.to.as_str().to_owned());
        match &event {
            CaseEvent::OperatorRespond { offer } => a.last_offer = Set(Some(offer.as_str().to_owned())),
            CaseEvent::PlatformDecide { offer, .. } => {
                a.last_offer = Set(Some(offer.as_str().to_owned()));
                a.platform_decided = Set(true);
            }
            CaseEvent::ConfirmEscalation => {
                a.agency_id = Set(Some(first_agency(txn, &c).await?.ok_or(StoreError::NoAgency)?))
            }
            CaseEvent::Dispatch => a.agency_id = Set(payload.get("agency_id").and_then(|v| v.as_i64())),
            _ => {}
        }
        for f in &t.flags {
            match f {
                case::CaseFlag::OperatorUntimely => a.operator_untimely = Set(true),
                case::CaseFlag::PlatformUntimely => a.platform_untimely = Set(true),
            }
        }
        // The nearest deadline moves only when a clock does.
        if !t.clocks.is_empty() {
            a.next_due_on = Set(next_due(txn, c.id).await?);
        }
        a.updated_at = Set(now);
        a.version = Set(c.version + 1);
        let mut body = serde_json::to_value(event).unwrap_or_default();
        if let (Some(obj), serde_json::Value::Object(extra)) = (body.as_object_mut(), &payload) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        let e = crate::chain::NewEvent {
            case_id: c.id,
            at: now,
            actor_user_id: actor_id,
            actor_role: role.as_str(),
            event_type: event.name(),
            transition_id: t.id,
            from_state: t.from.as_str(),
            to_state: t.to.as_str(),
            payload_json: body.to_string(),
        };
        // The event links to the head stored on the case; the state and the
        // new head are written in one update.
        let link = crate::chain::next_case_link(&e, c.chain_head.as_deref().map(|h| (c.chain_seq, h)));
        a.chain_seq = Set(link.seq);
        a.chain_head = Set(Some(link.hash.clone()));
        // Optimistic lock: a concurrent state change or event on the case
        // (version, chain head) makes this fail.
        let res = complaint::Entity::update_many()
            .set(a.clone())
            .filter(complaint::Column::Id.eq(c.id))
            .filter(complaint::Column::Version.eq(c.version))
            .filter(complaint::Column::ChainSeq.eq(c.chain_seq))
            .exec(txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::Conflict);
        }
        crate::chain::insert_case_event(txn, e, link).await?;
        // What was written, without reading it back.
        c = a.try_into_model()?;
        // Notifications are written with the event: none is lost, none without its event.
        crate::notices::for_case_event(txn, &c, event.name(), t.to, now).await?;
        // The case file, evidence included, is kept three years after closure
        // (a policy term: no law fixes one for the portal's case file; it matches the three
        // years of Order 117 Art. 16); a deletion job must also honour `legal_hold`.
        if t.to.is_terminal() {
            let until = redline_rules::retention::min_retain_until(today);
            crate::entity::evidence::Entity::update_many()
                .col_expr(crate::entity::evidence::Column::RetainUntil, Expr::value(Some(until)))
                .filter(crate::entity::evidence::Column::CaseId.eq(c.id))
                .exec(txn)
                .await?;
        }
        next = t.follow_up.map(|e| (e, Role::System, None, serde_json::json!({})));
    }
    Ok(c)
}

/// Parses an offer kind from a form value.
pub fn parse_offer(s: &str) -> Option<OfferKind> {
    s.parse().ok()
}
