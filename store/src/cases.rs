//! Case commands. Every state change goes through [`apply`]: one database
//! transaction that checks who may act, runs the pure transition table, appends
//! the case event, starts/stops/pauses clocks and follows system follow-ups.
use crate::actor::Actor;
use crate::entity::{agency, clock, clock_pause, complaint, live_room, platform, stream_product, stream_session};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::calendar::Calendar;
use redline_rules::case::{self, CaseContext, CaseEvent, CaseState, ClockEffect, OfferKind, Role, Transition};
use redline_rules::clock::{self as rclock, ClockKind, ClockPolicy, ClockStatus};
use redline_rules::jurisdiction::{self, ComplaintFacts, RegionCode, RespondentKind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// A due date far away, for cases without a running clock (keeps keyset order total).
pub fn no_due() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
}

/// The moment in the stream the complaint is about (Order 117 Art. 16: lets the
/// platform cut the replay).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub enum Moment {
    Offset(i64),
    Clock(DateTime<Utc>),
}

/// A complaint as parsed from the consumer's form (domain.md §6.3).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewComplaint {
    pub platform_id: i64,
    pub room: String,
    pub moment: Moment,
    pub product_name: String,
    pub order_no: Option<String>,
    pub amount_fen: i64,
    pub categories: Vec<String>,
    pub demands: Vec<String>,
    pub narrative: String,
    pub harm_known_on: NaiveDate,
    /// The session the consumer picked (from the room's page), if any.
    pub session_id: Option<i64>,
    /// The product picked from that session's list, if any.
    pub product_id: Option<i64>,
}

/// Errors of filing that belong to one form field.
#[derive(Debug)]
pub enum FileError {
    Field(&'static str, &'static str, &'static str),
    Store(StoreError),
}

impl From<StoreError> for FileError {
    fn from(e: StoreError) -> Self {
        FileError::Store(e)
    }
}
impl From<sea_orm::DbErr> for FileError {
    fn from(e: sea_orm::DbErr) -> Self {
        FileError::Store(e.into())
    }
}

/// Finds a live room by its platform ID or its URL (with or without query string).
pub async fn find_room<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    room: &str,
) -> Result<Option<live_room::Model>, sea_orm::DbErr> {
    let room = room.trim();
    let base = room.split(['?', '#']).next().unwrap_or(room).trim_end_matches('/');
    live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(platform_id))
        .filter(
            sea_orm::Condition::any()
                .add(live_room::Column::PlatformRoomId.eq(room))
                .add(live_room::Column::Url.eq(room))
                .add(live_room::Column::Url.eq(base)),
        )
        .one(db)
        .await
}

/// Files a complaint: T1 submit → T2 triage → T3 route to the operator, atomically.
/// Files already written to the vault (see [`crate::evidence::store_file`]) are
/// recorded on the new case in the same transaction.
pub async fn file_complaint(
    store: &Store,
    consumer: &Actor,
    input: NewComplaint,
    evidence: &[crate::evidence::Stored],
    limits: crate::evidence::Limits,
) -> Result<complaint::Model, FileError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let Some(plat) = platform::Entity::find_by_id(input.platform_id).one(&txn).await? else {
        return Err(FileError::Field("platform", "请选择平台", "Choose a platform"));
    };
    let Some(room) = find_room(&txn, plat.id, &input.room).await? else {
        return Err(FileError::Field(
            "room",
            "在该平台上未找到此直播间（请填写直播间ID或链接）",
            "No such live room on this platform (give its room ID or URL)",
        ));
    };
    let op =
        crate::entity::operator::Entity::find_by_id(room.operator_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    let chosen =
        match input.session_id {
            Some(id) => Some(
                stream_session::Entity::find_by_id(id).one(&txn).await?.filter(|s| s.live_room_id == room.id).ok_or(
                    FileError::Field("session", "该场次不属于此直播间", "That session is not of this live room"),
                )?,
            ),
            None => None,
        };
    // Order 117 Art. 16: pin the moment to a known session where one matches;
    // a moment outside every known session is kept and shown as "session unknown".
    let (session, offset, clock_at) = match &input.moment {
        Moment::Offset(s) => match chosen {
            Some(sess) => {
                let t = sess.started_at + chrono::Duration::seconds(*s);
                if sess.ended_at.is_none_or(|e| t <= e) {
                    (Some(sess), Some(*s), Some(t))
                } else {
                    (None, Some(*s), None)
                }
            }
            None => (None, Some(*s), None),
        },
        Moment::Clock(t) => match crate::streams::session_at(&txn, room.id, *t).await? {
            Some(sess) => {
                let off = (*t - sess.started_at).num_seconds();
                (Some(sess), Some(off), Some(*t))
            }
            None => (None, None, Some(*t)),
        },
    };
    let product = match input.product_id {
        Some(pid) => {
            let p = stream_product::Entity::find_by_id(pid).one(&txn).await?;
            let from_session = |p: &stream_product::Model| {
                session.as_ref().is_some_and(|s| s.id == p.session_id) || input.session_id == Some(p.session_id)
            };
            Some(p.filter(from_session).ok_or(FileError::Field(
                "product",
                "所选商品不属于该场次",
                "That product was not shown in this session",
            ))?)
        }
        None => None,
    };
    let product_name = match (&product, input.product_name.trim()) {
        (Some(p), "") => p.name.clone(),
        (_, n) => n.to_owned(),
    };
    let facts = ComplaintFacts {
        respondent: RespondentKind::InPlatformOperator,
        platform_domicile: RegionCode::parse(&plat.domicile_region).map_err(|e| StoreError::Invalid(e.to_string()))?,
        operator_displayed: op.displayed_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
        operator_reachable: op.reachable,
        operator_domicile: op.domicile_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
    };
    let candidates: Vec<Jurisdiction> = jurisdiction::complaint_candidates(&facts)
        .into_iter()
        .map(|c| Jurisdiction {
            region: c.region.as_str().to_owned(),
            basis: c.basis.to_owned(),
            basis_zh: c.basis_zh.to_owned(),
        })
        .collect();
    let placeholder = format!("tmp-{}", rand_suffix());
    let c = complaint::ActiveModel {
        case_no: Set(placeholder),
        consumer_id: Set(consumer.user_id),
        platform_id: Set(plat.id),
        live_room_id: Set(room.id),
        stream_session_id: Set(session.as_ref().map(|s| s.id)),
        stream_offset_s: Set(offset),
        stream_clock_at: Set(clock_at),
        product_name: Set(product_name),
        order_no: Set(input.order_no.clone()),
        amount_fen: Set(input.amount_fen),
        categories_json: Set(serde_json::to_string(&input.categories).unwrap()),
        demands_json: Set(serde_json::to_string(&input.demands).unwrap()),
        narrative: Set(input.narrative.trim().to_owned()),
        harm_known_on: Set(input.harm_known_on),
        state: Set(CaseState::Draft.as_str().to_owned()),
        platform_decided: Set(false),
        last_offer: Set(None),
        operator_untimely: Set(false),
        platform_untimely: Set(false),
        agency_id: Set(None),
        jurisdiction_json: Set(serde_json::to_string(&candidates).unwrap()),
        next_due_on: Set(no_due()),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        product_id: Set(product.as_ref().map(|p| p.id)),
        preservation_overdue: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let year = crate::time::china_date(now).format("%Y");
    let mut a: complaint::ActiveModel = c.into();
    a.case_no = Set(format!("LC-{year}-{:06}", a.id.clone().unwrap()));
    let c = a.update(&txn).await?;
    // What the room disclosed and showed at filing, in the chained record: a later
    // re-report of the session or its products cannot change what was complained of.
    let payload = serde_json::json!({
        "snapshot": room.disclosed_json,
        "session": session.as_ref().map(|s| serde_json::json!({
            "id": s.id, "started_at": s.started_at.to_rfc3339(), "ended_at": s.ended_at.map(|t| t.to_rfc3339()),
        })),
        "product": product.as_ref().map(|p| serde_json::json!({
            "sku": p.sku, "name": p.name, "displayed_price_fen": p.displayed_price_fen,
            "reference_price_fen": p.reference_price_fen, "discount_basis": p.discount_basis, "claims": p.claims,
        })),
    });
    let c = apply_in_txn(&txn, c, CaseEvent::Submit, Role::Consumer, Some(consumer.user_id), payload, now).await?;
    crate::preservation::open_in_txn(&txn, &c, session.as_ref(), now).await?;
    // Order 121 Art. 9: a demand to punish is also a tip, handled on its own track.
    if input.demands.iter().any(|d| d == "PUNISH") {
        let tip = crate::tips::NewTip {
            platform_id: plat.id,
            room: room.platform_room_id.clone(),
            moments: vec![match (&c.stream_offset_s, &c.stream_clock_at) {
                (Some(o), _) => redline_rules::evidence::hms(*o),
                (None, Some(t)) => crate::time::china_time(*t),
                _ => String::new(),
            }],
            description: c.narrative.clone(),
            categories: input.categories.iter().filter_map(|s| s.parse().ok()).collect(),
            reporter_name: None,
            reporter_contact: None,
            locale: consumer.locale.clone(),
        };
        crate::tips::file_tip_in_txn(&txn, now, Some(consumer), tip, &[], Some(c.id)).await.map_err(|e| match e {
            crate::tips::TipError::Field(f, z, en) => FileError::Field(f, z, en),
            crate::tips::TipError::Store(s) => FileError::Store(s),
        })?;
    }
    refresh_next_due(&txn, c.id).await?;
    if !evidence.is_empty() {
        let desc = crate::evidence::Description::default();
        crate::evidence::record_in_txn(&txn, &c, evidence, &desc, Some(consumer.user_id), Role::Consumer, now, limits)
            .await
            .map_err(|e| match e {
                crate::evidence::EvidenceError::Store(s) => FileError::Store(s),
                crate::evidence::EvidenceError::File(..) | crate::evidence::EvidenceError::CaseClosed => {
                    FileError::Field("evidence", "证据总量超过本案上限", "The evidence exceeds this case's limit")
                }
            })?;
    }
    let c = complaint::Entity::find_by_id(c.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    txn.commit().await?;
    Ok(c)
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}

/// A candidate agency region with its legal basis (Order 121 Art. 13).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Jurisdiction {
    pub region: String,
    pub basis: String,
    pub basis_zh: String,
}

/// Whether `actor` acting as `role` is a party to this case (authorization).
pub async fn may_act<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    role: Role,
    c: &complaint::Model,
) -> Result<bool, sea_orm::DbErr> {
    Ok(match role {
        Role::Consumer => c.consumer_id == actor.user_id,
        Role::Operator => {
            let room = live_room::Entity::find_by_id(c.live_room_id).one(db).await?;
            room.is_some_and(|r| actor.operator_ids.contains(&r.operator_id))
        }
        Role::Platform => actor.platform_ids.contains(&c.platform_id),
        Role::Regulator => c.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)),
        Role::System | Role::Admin => false,
    })
}

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
    let c = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(case_no))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if !may_act(&txn, actor, role, &c).await? {
        return Err(StoreError::Forbidden);
    }
    if seen_version.is_some_and(|v| v != c.version) {
        return Err(StoreError::Conflict);
    }
    let mut payload = payload;
    // Reassignment (Order 121 Art. 41 / Art. 13 last ¶) names an existing agency.
    if let CaseEvent::Dispatch = event {
        let to =
            payload.get("agency_id").and_then(|v| v.as_i64()).ok_or_else(|| StoreError::Invalid("agency".into()))?;
        if agency::Entity::find_by_id(to).one(&txn).await?.is_none() {
            return Err(StoreError::Invalid("agency".into()));
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
        let state: CaseState = c.state.parse().map_err(|_| StoreError::Invalid(format!("state {}", c.state)))?;
        let ctx = CaseContext {
            platform_decided: c.platform_decided,
            last_offer: c.last_offer.as_deref().and_then(|o| o.parse().ok()),
        };
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
        a.next_due_on = Set(next_due(txn, c.id).await?);
        a.updated_at = Set(now);
        a.version = Set(c.version + 1);
        // Optimistic lock: a concurrent writer on the same case makes this fail.
        let res = complaint::Entity::update_many()
            .set(a)
            .filter(complaint::Column::Id.eq(c.id))
            .filter(complaint::Column::Version.eq(c.version))
            .exec(txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::Conflict);
        }
        let mut body = serde_json::to_value(event).unwrap_or_default();
        if let (Some(obj), serde_json::Value::Object(extra)) = (body.as_object_mut(), &payload) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        crate::chain::append(
            txn,
            crate::chain::NewEvent {
                case_id: c.id,
                at: now,
                actor_user_id: actor_id,
                actor_role: role.as_str(),
                event_type: event.name(),
                transition_id: t.id,
                from_state: t.from.as_str(),
                to_state: t.to.as_str(),
                payload_json: body.to_string(),
            },
        )
        .await?;
        c = complaint::Entity::find_by_id(c.id).one(txn).await?.ok_or(StoreError::NotFound)?;
        // Notifications are written with the event: none is lost, none without its event.
        crate::notices::for_case_event(txn, &c, event.name(), t.to, now).await?;
        // The case file, evidence included, is kept three years after closure
        // (domain.md §6.9); a deletion job must also honour `legal_hold`.
        if t.to.is_terminal() {
            let until = crate::preservation::min_retain_until(today);
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

/// Art. 14: the first candidate agency Redline knows receives the case.
async fn first_agency(txn: &DatabaseTransaction, c: &complaint::Model) -> Result<Option<i64>, StoreError> {
    let cands: Vec<Jurisdiction> = serde_json::from_str(&c.jurisdiction_json).unwrap_or_default();
    for j in cands {
        if let Some(a) = agency::Entity::find().filter(agency::Column::RegionCode.eq(j.region)).one(txn).await? {
            return Ok(Some(a.id));
        }
    }
    Ok(None)
}

/// Re-reads the case's nearest due date after a clock changed outside a transition.
pub async fn refresh_next_due(txn: &DatabaseTransaction, case_id: i64) -> Result<(), StoreError> {
    let due = next_due(txn, case_id).await?;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::NextDueOn, Expr::value(due))
        .filter(complaint::Column::Id.eq(case_id))
        .exec(txn)
        .await?;
    Ok(())
}

pub async fn next_due(txn: &DatabaseTransaction, case_id: i64) -> Result<NaiveDate, StoreError> {
    let c = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(case_id))
        .filter(clock::Column::Status.eq(ClockStatus::Running.as_str()))
        .order_by_asc(clock::Column::DueOn)
        .one(txn)
        .await?;
    Ok(c.map_or_else(no_due, |c| c.due_on))
}

pub fn platform_policy(p: &platform::Model) -> ClockPolicy {
    serde_json::from_str(&p.policy_json).unwrap_or_default()
}

/// Starts, stops, pauses or resumes a clock of a case.
pub(crate) async fn apply_clock(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    eff: ClockEffect,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor_id: Option<i64>,
    payload: &serde_json::Value,
) -> Result<(), StoreError> {
    let cal = Calendar::official();
    let live = |kind: ClockKind| {
        clock::Entity::find()
            .filter(clock::Column::CaseId.eq(c.id))
            .filter(clock::Column::Kind.eq(kind.code()))
            .filter(clock::Column::Status.is_in([ClockStatus::Running.as_str(), ClockStatus::Paused.as_str()]))
    };
    match eff {
        ClockEffect::Start(kind) => {
            let plat = platform::Entity::find_by_id(c.platform_id).one(txn).await?.ok_or(StoreError::NotFound)?;
            let d = rclock::due(kind, today, &platform_policy(&plat), 0, cal);
            clock::ActiveModel {
                case_id: Set(c.id),
                kind: Set(kind.code().to_owned()),
                basis: Set(kind.basis().to_owned()),
                legal: Set(kind.is_legal()),
                calendar: Set(calendar_str(&d.kind).to_owned()),
                days: Set(d.days as i32),
                start_on: Set(today),
                started_at: Set(now),
                due_on: Set(d.due),
                paused_secs: Set(0),
                paused_at: Set(None),
                status: Set(ClockStatus::Running.as_str().to_owned()),
                provisional: Set(d.provisional),
                explanation_json: Set(serde_json::to_string(&d).unwrap()),
                stopped_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        ClockEffect::Stop(kind) => {
            for k in live(kind).all(txn).await? {
                // A clock stopped while paused: close the pause and count it.
                let total = end_pause(txn, &k, now).await?;
                let mut a: clock::ActiveModel = k.into();
                a.paused_at = Set(None);
                a.paused_secs = Set(total);
                a.status = Set(ClockStatus::Stopped.as_str().to_owned());
                a.stopped_at = Set(Some(now));
                a.update(txn).await?;
            }
        }
        ClockEffect::Pause(kind) => {
            for k in live(kind).filter(clock::Column::Status.eq(ClockStatus::Running.as_str())).all(txn).await? {
                let reason = payload.get("reason").and_then(|r| r.as_str()).unwrap_or("TESTING").to_owned();
                clock_pause::ActiveModel {
                    clock_id: Set(k.id),
                    reason: Set(reason),
                    paused_at: Set(now),
                    resumed_at: Set(None),
                    actor_user_id: Set(actor_id),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                let mut a: clock::ActiveModel = k.into();
                a.status = Set(ClockStatus::Paused.as_str().to_owned());
                a.paused_at = Set(Some(now));
                a.update(txn).await?;
            }
        }
        ClockEffect::Resume(kind) => {
            for k in live(kind).filter(clock::Column::Status.eq(ClockStatus::Paused.as_str())).all(txn).await? {
                let paused = end_pause(txn, &k, now).await?;
                let plat = platform::Entity::find_by_id(c.platform_id).one(txn).await?.ok_or(StoreError::NotFound)?;
                let d = rclock::due(kind, k.start_on, &platform_policy(&plat), rclock::paused_days(paused), cal);
                let mut a: clock::ActiveModel = k.into();
                a.status = Set(ClockStatus::Running.as_str().to_owned());
                a.paused_at = Set(None);
                a.paused_secs = Set(paused);
                a.due_on = Set(d.due);
                a.provisional = Set(d.provisional);
                a.explanation_json = Set(serde_json::to_string(&d).unwrap());
                a.update(txn).await?;
            }
        }
    }
    Ok(())
}

/// Closes a clock's open pause, if any; returns its total paused seconds.
async fn end_pause(txn: &DatabaseTransaction, k: &clock::Model, now: DateTime<Utc>) -> Result<i64, StoreError> {
    let Some(since) = k.paused_at else { return Ok(k.paused_secs) };
    clock_pause::Entity::update_many()
        .col_expr(clock_pause::Column::ResumedAt, Expr::value(now))
        .filter(clock_pause::Column::ClockId.eq(k.id))
        .filter(clock_pause::Column::ResumedAt.is_null())
        .exec(txn)
        .await?;
    Ok(k.paused_secs + (now - since).num_seconds().max(0))
}

pub fn calendar_str(k: &redline_rules::calendar::CalendarKind) -> &'static str {
    match k {
        redline_rules::calendar::CalendarKind::Working => "working",
        redline_rules::calendar::CalendarKind::Natural => "natural",
    }
}

/// Parses an offer kind from a form value.
pub fn parse_offer(s: &str) -> Option<OfferKind> {
    s.parse().ok()
}

/// Sets a platform's own lengths for the policy clocks D1–D3 (Order 117 Art. 20:
/// the platform states its time limits). Legal clocks cannot be changed here.
/// Applies to clocks started from now on.
pub async fn set_policy(store: &Store, actor: &Actor, platform_id: i64, policy: ClockPolicy) -> Result<(), StoreError> {
    if !actor.platform_ids.contains(&platform_id) {
        return Err(StoreError::Forbidden);
    }
    policy.validate().map_err(|e| StoreError::Invalid(e.to_string()))?;
    let p = platform::Entity::find_by_id(platform_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let mut a: platform::ActiveModel = p.into();
    a.policy_json = Set(serde_json::to_string(&policy).unwrap());
    a.update(&store.db).await?;
    Ok(())
}
