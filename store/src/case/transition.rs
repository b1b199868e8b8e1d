//! Case commands. Every state change goes through [`apply`]: one database
//! transaction that checks who may act, runs the pure transition table, appends
//! the case event, starts/stops/pauses clocks and follows system follow-ups.
use crate::actor::Actor;
use crate::case::access::may_act;
use crate::case::write::CaseWrite;
use crate::entity::{agency, complaint};
use crate::jurisdiction::{self, first_agency};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::{self, CaseEvent, OfferKind, Role, Transition};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

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
    let (case_no, actor) = (case_no.to_owned(), actor.clone());
    // Committed with the writes that arrive together (`crate::writer`).
    store
        .writer
        .write(move |txn| {
            let (case_no, actor, payload) = (case_no.clone(), actor.clone(), payload.clone());
            Box::pin(async move { act_in_txn(txn, &case_no, event, role, &actor, payload, seen_version, now).await })
        })
        .await
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn act_in_txn(
    txn: &DatabaseTransaction,
    case_no: &str,
    event: CaseEvent,
    role: Role,
    actor: &Actor,
    payload: serde_json::Value,
    seen_version: Option<i32>,
    now: DateTime<Utc>,
) -> Result<complaint::Model, StoreError> {
    let c = crate::case::access::case_by_no(txn, case_no).await?;
    if !may_act(txn, actor, role, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if seen_version.is_some_and(|v| v != c.version) {
        return Err(StoreError::Stale);
    }
    let mut payload = payload;
    // Moving a case (T15) names an agency that covers its place and is below
    // the handling one (Order 121 Art. 41) or above it (Art. 13, last paragraph).
    if let CaseEvent::Dispatch = event {
        let choose = || StoreError::field("agency_id", "请选择监管部门", "Choose an agency");
        let to = payload.get("agency_id").and_then(|v| v.as_i64()).ok_or_else(choose)?;
        let to = agency::Entity::find_by_id(to).one(txn).await?.ok_or_else(choose)?;
        let from = agency::Entity::find_by_id(c.agency_id.ok_or(StoreError::NoAgency)?)
            .one(txn)
            .await?
            .ok_or(StoreError::NoAgency)?;
        let (places, from, to) = (jurisdiction::of_case(&c)?, jurisdiction::seat(&from)?, jurisdiction::seat(&to)?);
        let basis = jurisdiction::may_move_case(&places, &from, &to).map_err(|e| {
            StoreError::Field(redline_rules::field::FieldError::new("agency_id", e.message_zh(), e.to_string()))
        })?;
        payload["from_agency_id"] = serde_json::json!(c.agency_id);
        payload["basis"] = serde_json::json!(basis.article());
    }
    let mut w = CaseWrite::new(c);
    apply_in_txn(txn, &mut w, event, role, Some(actor.user_id), payload, now).await?;
    w.finish(txn).await
}

/// The state machine inside a transaction; follows system follow-ups to the end.
/// What it writes is gathered in `w` and written by [`CaseWrite::finish`].
#[allow(clippy::too_many_arguments)]
pub async fn apply_in_txn(
    txn: &DatabaseTransaction,
    w: &mut CaseWrite,
    event: CaseEvent,
    role: Role,
    actor_id: Option<i64>,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut next = Some((event, role, actor_id, payload));
    while let Some((event, role, actor_id, payload)) = next.take() {
        let state = w.case.case_state()?;
        let today = crate::time::china_date(now);
        let ctx = w.case.context(today)?;
        let t: Transition = case::transition(state, &event, role, &ctx)?;
        for eff in &t.clocks {
            w.clock(txn, *eff, today, now, actor_id, &payload).await?;
        }
        let agency = match &event {
            CaseEvent::ConfirmEscalation => Some(first_agency(txn, &w.case).await?.ok_or(StoreError::NoAgency)?),
            CaseEvent::Dispatch => payload.get("agency_id").and_then(|v| v.as_i64()),
            _ => w.case.agency_id,
        };
        let c = &mut w.case;
        c.state = t.to.as_str().to_owned();
        c.agency_id = agency;
        match &event {
            CaseEvent::OperatorRespond { offer } => c.last_offer = Some(offer.as_str().to_owned()),
            CaseEvent::PlatformDecide { offer, .. } => {
                c.last_offer = Some(offer.as_str().to_owned());
                c.platform_decided = true;
            }
            _ => {}
        }
        for f in &t.flags {
            match f {
                case::CaseFlag::OperatorUntimely => c.operator_untimely = true,
                case::CaseFlag::PlatformUntimely => c.platform_untimely = true,
            }
        }
        c.updated_at = now;
        c.version += 1;
        let mut body = serde_json::to_value(event).unwrap_or_default();
        if let (Some(obj), serde_json::Value::Object(extra)) = (body.as_object_mut(), &payload) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        w.event(crate::chain::NewEvent {
            case_id: w.case.id,
            at: now,
            actor_user_id: actor_id,
            actor_role: role.as_str(),
            event_type: event.name(),
            transition_id: t.id,
            from_state: t.from.as_str(),
            to_state: t.to.as_str(),
            payload_json: body.to_string(),
        });
        // Notifications are written with the event: none is lost, none without its event.
        let people = w.contacts(txn).await?;
        let rows = crate::notices::for_case_event(&people, &w.case, event.name(), t.to, now);
        w.notify(rows);
        // The case file, evidence included, is kept three years after closure
        // (a policy term: no law fixes one for the portal's case file; it matches the three
        // years of Order 117 Art. 16); a deletion job must also honour `legal_hold`.
        if t.to.is_terminal() {
            let until = redline_rules::retention::min_retain_until(today);
            crate::entity::evidence::Entity::update_many()
                .col_expr(crate::entity::evidence::Column::RetainUntil, Expr::value(Some(until)))
                .filter(crate::entity::evidence::Column::CaseId.eq(w.case.id))
                .exec(txn)
                .await?;
        }
        next = t.follow_up.map(|e| (e, Role::System, None, serde_json::json!({})));
    }
    Ok(())
}

/// Parses an offer kind from a form value.
pub fn parse_offer(s: &str) -> Option<OfferKind> {
    s.parse().ok()
}
