//! Tips (举报), domain.md §6.7. Anyone may file one; the reporter's identity and
//! contact stay with Redline and the agency (Order 121 Art. 37): nothing this
//! module returns to a platform or operator carries them. A tip goes to the
//! platform's report queue (Order 117 Art. 12) and to the competent agency's
//! tip queue under D9; repeats are linked and new facts merged (Art. 35).
use crate::actor::{Actor, ORG_AGENCY, ORG_PLATFORM};
use crate::cases::find_room;
use crate::entity::{agency, operator, platform, tip, tip_event, tip_evidence};
use crate::evidence::Stored;
use crate::notices::{self, Recipient};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::calendar::{Calendar, CalendarKind};
use redline_rules::chain::{next_link, verify_with_head, ChainReport, EventContent, Link, StoredLink};
use redline_rules::intake::Category;
use redline_rules::jurisdiction::{tip_candidates, RegionCode, TipFacts};
use redline_rules::notify::Kind;
use redline_rules::tip::{self as rtip, Decision, Measure, PlatformStatus, RegulatorStatus, Repeat, TipKey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A tip as parsed from the public form.
#[derive(Clone, Debug)]
pub struct NewTip {
    pub platform_id: i64,
    pub room: String,
    /// Offsets or clock times, as typed ("00:42:10", "2026-11-20 20:15").
    pub moments: Vec<String>,
    pub description: String,
    pub categories: Vec<Category>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    pub locale: String,
}

#[derive(Debug)]
pub enum TipError {
    Field(&'static str, &'static str, &'static str),
    Store(StoreError),
}
impl From<StoreError> for TipError {
    fn from(e: StoreError) -> Self {
        TipError::Store(e)
    }
}
impl From<sea_orm::DbErr> for TipError {
    fn from(e: sea_orm::DbErr) -> Self {
        TipError::Store(e.into())
    }
}

pub struct Filed {
    pub tip: tip::Model,
    /// Shown once to the reporter; only its hash is stored.
    pub receipt: String,
    pub repeat: Repeat,
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A receipt code: 100 random bits in five groups of Crockford base32.
fn new_receipt() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes: [u8; 20] = rand::random();
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(*b & 31) as usize] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Normalises a typed receipt (case, spaces, dashes) before hashing.
pub fn receipt_hash(receipt: &str) -> String {
    let norm: String = receipt.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    sha(&format!("receipt:{norm}"))
}

/// The same person across tips: only a signed-in account proves it. A typed
/// contact is unverified: matching on it would let anyone test whether an
/// address reported a room (and restart that person's clock), so anonymous
/// tips are never repeats.
fn fingerprint(reporter: Option<&Actor>) -> Option<String> {
    reporter.map(|a| sha(&format!("user:{}", a.user_id)))
}

fn d9_due(start: NaiveDate, extended: bool) -> NaiveDate {
    let days = rtip::D9_DAYS + if extended { rtip::D9_EXTENSION } else { 0 };
    Calendar::official().deadline(start, days, CalendarKind::Working).due
}

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
async fn record(
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

/// Files a tip in its own transaction.
pub async fn file_tip(
    store: &Store,
    reporter: Option<&Actor>,
    input: NewTip,
    files: &[Stored],
) -> Result<Filed, TipError> {
    let txn = store.db.begin().await?;
    let filed = file_tip_in_txn(&txn, store.now(), reporter, input, files, None).await?;
    txn.commit().await?;
    Ok(filed)
}

/// Files a tip inside a caller's transaction (the Art. 9 tip of a complaint).
pub async fn file_tip_in_txn(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    reporter: Option<&Actor>,
    input: NewTip,
    files: &[Stored],
    linked_complaint: Option<i64>,
) -> Result<Filed, TipError> {
    let Some(plat) = platform::Entity::find_by_id(input.platform_id).one(txn).await? else {
        return Err(TipError::Field("platform", "请选择平台", "Choose a platform"));
    };
    let Some(room) = find_room(txn, plat.id, &input.room).await? else {
        return Err(TipError::Field(
            "room",
            "在该平台上未找到此直播间（请填写直播间ID或链接）",
            "No such live room on this platform (give its room ID or URL)",
        ));
    };
    let op = operator::Entity::find_by_id(room.operator_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let who = fingerprint(reporter);
    let key = TipKey::new(who.clone(), room.id, &input.description, &input.categories, &input.moments);
    let open: Vec<(i64, TipKey)> = match &who {
        Some(w) => tip::Entity::find()
            .filter(tip::Column::ReporterFingerprint.eq(w.as_str()))
            .filter(tip::Column::LiveRoomId.eq(room.id))
            .filter(tip::Column::LinkedTipId.is_null())
            .filter(
                Condition::any()
                    .add(tip::Column::RegulatorStatus.eq(RegulatorStatus::Verifying.as_str()))
                    .add(tip::Column::PlatformStatus.eq(PlatformStatus::Reviewing.as_str())),
            )
            .all(txn)
            .await?
            .into_iter()
            .map(|t| {
                (t.id, TipKey { reporter: t.reporter_fingerprint.clone(), room_id: t.live_room_id, facts: t.facts_key })
            })
            .collect(),
        None => vec![],
    };
    let repeat = rtip::classify(&key, &open);
    let today = crate::time::china_date(now);
    let facts = TipFacts {
        platform_domicile: RegionCode::parse(&plat.domicile_region).map_err(|e| StoreError::Invalid(e.to_string()))?,
        operator_business: op.business_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
        operator_domicile: op.domicile_region.as_deref().and_then(|r| RegionCode::parse(r).ok()),
    };
    let cands: Vec<crate::cases::Jurisdiction> = tip_candidates(&facts)
        .into_iter()
        .map(|c| crate::cases::Jurisdiction {
            region: c.region.as_str().to_owned(),
            basis: c.basis.to_owned(),
            basis_zh: c.basis_zh.to_owned(),
        })
        .collect();
    let mut agency_id = None;
    for c in &cands {
        if let Some(a) =
            agency::Entity::find().filter(agency::Column::RegionCode.eq(c.region.as_str())).one(txn).await?
        {
            agency_id = Some(a.id);
            break;
        }
    }
    let (pstatus, rstatus, linked) = match repeat {
        // The Art. 9 tip of a complaint: the platform already has the complaint;
        // a copy of its narrative in the report queue would name the complainant.
        Repeat::New if linked_complaint.is_some() => (
            PlatformStatus::Linked,
            if agency_id.is_some() { RegulatorStatus::Verifying } else { RegulatorStatus::NoAgency },
            None,
        ),
        Repeat::New => (
            PlatformStatus::Reviewing,
            if agency_id.is_some() { RegulatorStatus::Verifying } else { RegulatorStatus::NoAgency },
            None,
        ),
        Repeat::Same(id) | Repeat::NewFacts(id) => (PlatformStatus::Linked, RegulatorStatus::Linked, Some(id)),
    };
    let verifying = rstatus == RegulatorStatus::Verifying;
    let receipt = new_receipt();
    let t = tip::ActiveModel {
        tip_no: Set(format!("tmp-{}", sha(&receipt))),
        receipt_hash: Set(receipt_hash(&receipt)),
        reporter_user_id: Set(reporter.map(|a| a.user_id)),
        reporter_name: Set(input.reporter_name.clone()),
        reporter_contact: Set(input.reporter_contact.clone()),
        reporter_fingerprint: Set(who.clone()),
        reporter_locale: Set(input.locale.clone()),
        platform_id: Set(plat.id),
        live_room_id: Set(room.id),
        moments_json: Set(serde_json::to_string(&input.moments).unwrap()),
        description: Set(input.description.clone()),
        categories_json: Set(serde_json::to_string(&input.categories).unwrap()),
        facts_key: Set(key.facts.clone()),
        cac_listed: Set(rtip::cac_listed(&input.categories)),
        platform_status: Set(pstatus.as_str().to_owned()),
        platform_measure: Set(None),
        platform_note: Set(None),
        agency_id: Set(if linked.is_some() { None } else { agency_id }),
        jurisdiction_json: Set(serde_json::to_string(&cands).unwrap()),
        regulator_status: Set(rstatus.as_str().to_owned()),
        d9_start_on: Set(verifying.then_some(today)),
        d9_due_on: Set(verifying.then(|| d9_due(today, false))),
        d9_extended: Set(false),
        d9_extension_reason: Set(None),
        d9_overdue: Set(false),
        d9_reminded_for: Set(None),
        decision: Set(None),
        regulator_note: Set(None),
        linked_tip_id: Set(linked),
        linked_complaint_id: Set(linked_complaint),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let year = crate::time::china_date(now).format("%Y");
    let mut a: tip::ActiveModel = t.into();
    a.tip_no = Set(format!("LT-{year}-{:06}", a.id.clone().unwrap()));
    let t = a.update(txn).await?;
    // Files sent with a repeat or new facts join the tip that is being handled.
    for f in files {
        tip_evidence::ActiveModel {
            tip_id: Set(linked.unwrap_or(t.id)),
            sha256: Set(f.sha256.clone()),
            kind: Set(f.kind.as_str().to_owned()),
            mime: Set(f.mime.to_owned()),
            size_bytes: Set(f.size as i64),
            file_name: Set(f.file_name.clone()),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    record(
        txn,
        t.id,
        "REPORTER",
        reporter.map(|a| a.user_id),
        "SUBMITTED",
        serde_json::json!({ "files": files.len() }),
        now,
    )
    .await?;
    let routed = match repeat {
        Repeat::New => Some(t.clone()),
        Repeat::Same(orig) => {
            // Art. 35: not handled again; the original notes it.
            record(txn, orig, "SYSTEM", None, "REPEAT_RECEIVED", serde_json::json!({ "tip_no": t.tip_no }), now)
                .await?;
            None
        }
        Repeat::NewFacts(orig) => {
            // Art. 35: merged, and the time limit restarts from this report.
            let o = tip::Entity::find_by_id(orig).one(txn).await?.ok_or(StoreError::NotFound)?;
            let mut oa: tip::ActiveModel = o.clone().into();
            if o.regulator_status == RegulatorStatus::Verifying.as_str() {
                oa.d9_start_on = Set(Some(today));
                oa.d9_due_on = Set(Some(d9_due(today, o.d9_extended)));
                oa.d9_overdue = Set(false);
            }
            oa.updated_at = Set(now);
            let o = oa.update(txn).await?;
            record(
                txn,
                orig,
                "SYSTEM",
                None,
                "NEW_FACTS_MERGED",
                serde_json::json!({ "tip_no": t.tip_no, "description": input.description, "moments": input.moments, "d9_due_on": o.d9_due_on }),
                now,
            )
            .await?;
            Some(o)
        }
    };
    if let Some(r) = &routed {
        let payload = serde_json::json!({ "agency_id": r.agency_id, "cac_listed": r.cac_listed, "repeat": format!("{repeat:?}") });
        record(txn, r.id, "SYSTEM", None, "ROUTED", payload, now).await?;
        let link = format!("/staff/tips/{}", r.tip_no);
        if r.linked_complaint_id.is_none() {
            notices::to_org(txn, ORG_PLATFORM, r.platform_id, Kind::TipRouted, &r.tip_no, &link, None, now).await?;
        }
        if let Some(ag) = r.agency_id {
            notices::to_org(txn, ORG_AGENCY, ag, Kind::TipRouted, &r.tip_no, &link, None, now).await?;
        }
    }
    notify_reporter(txn, &t, "RECEIVED", now).await?;
    Ok(Filed { tip: t, receipt, repeat })
}

/// Tells the reporter (account, or an email given as contact) of progress.
async fn notify_reporter(
    txn: &DatabaseTransaction,
    t: &tip::Model,
    stage: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let to = match (t.reporter_user_id, &t.reporter_contact) {
        (Some(u), _) => Some(Recipient::User(u)),
        (None, Some(c)) if validator::ValidateEmail::validate_email(&c.as_str()) => {
            Some(Recipient::Email(c.clone(), t.reporter_locale.clone()))
        }
        _ => None,
    };
    if let Some(to) = to {
        let link = if t.reporter_user_id.is_some() { "/me/tips".to_owned() } else { "/tips/status".to_owned() };
        notices::insert(
            txn,
            &to,
            Kind::TipStatus,
            &t.tip_no,
            &link,
            Some(stage),
            &format!("tip:{}:{stage}", t.id),
            now,
        )
        .await?;
    }
    Ok(())
}

/// What a reporter may see (Order 121 Art. 36): stages, not the handling details.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReporterView {
    pub tip_no: String,
    pub filed_at: DateTime<Utc>,
    /// RECEIVED, LINKED, VERIFYING, CONCLUDED, NO_AGENCY
    pub stage: String,
    pub linked_to: Option<String>,
    pub platform_reviewed: bool,
}

fn reporter_view(t: &tip::Model, linked: Option<&tip::Model>) -> ReporterView {
    let subject = linked.unwrap_or(t);
    let rs: RegulatorStatus = subject.regulator_status.parse().unwrap_or(RegulatorStatus::Verifying);
    let stage = match rs {
        RegulatorStatus::NoAgency => "NO_AGENCY",
        s if s.is_final() => "CONCLUDED",
        RegulatorStatus::CaseFiled | RegulatorStatus::Verifying => "VERIFYING",
        _ => "RECEIVED",
    };
    ReporterView {
        tip_no: t.tip_no.clone(),
        filed_at: t.created_at,
        stage: stage.to_owned(),
        linked_to: linked.map(|l| l.tip_no.clone()),
        platform_reviewed: subject.platform_status != PlatformStatus::Reviewing.as_str(),
    }
}

/// Status by receipt code (no account needed).
pub async fn status_by_receipt(store: &Store, receipt: &str) -> Result<Option<ReporterView>, StoreError> {
    let Some(t) = tip::Entity::find().filter(tip::Column::ReceiptHash.eq(receipt_hash(receipt))).one(&store.db).await?
    else {
        return Ok(None);
    };
    let linked = match t.linked_tip_id {
        Some(id) => tip::Entity::find_by_id(id).one(&store.db).await?,
        None => None,
    };
    Ok(Some(reporter_view(&t, linked.as_ref())))
}

/// A signed-in reporter's own tips.
pub async fn mine(store: &Store, actor: &Actor) -> Result<Vec<ReporterView>, StoreError> {
    let tips = tip::Entity::find()
        .filter(tip::Column::ReporterUserId.eq(actor.user_id))
        .order_by_desc(tip::Column::Id)
        .limit(100)
        .all(&store.db)
        .await?;
    let mut out = Vec::new();
    for t in &tips {
        let linked = match t.linked_tip_id {
            Some(id) => tip::Entity::find_by_id(id).one(&store.db).await?,
            None => None,
        };
        out.push(reporter_view(t, linked.as_ref()));
    }
    Ok(out)
}

/// A tip as staff see it. Reporter fields are filled only for the agency.
#[derive(Clone, Debug)]
pub struct StaffTip {
    pub tip: tip::Model,
    pub as_platform: bool,
    pub as_regulator: bool,
    pub events: Vec<tip_event::Model>,
    pub evidence: Vec<tip_evidence::Model>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The history's hash chain, checked before anything is hidden from the viewer.
    pub chain: ChainReport,
}

/// Removes what the platform must not see (Order 121 Art. 37).
fn for_platform(mut t: tip::Model) -> tip::Model {
    t.reporter_user_id = None;
    t.reporter_name = None;
    t.reporter_contact = None;
    t.reporter_fingerprint = None;
    t.receipt_hash = String::new();
    t.linked_complaint_id = None;
    t
}

pub async fn staff_view(store: &Store, actor: &Actor, tip_no: &str) -> Result<StaffTip, StoreError> {
    let t =
        tip::Entity::find().filter(tip::Column::TipNo.eq(tip_no)).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let as_regulator = t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a));
    let as_platform = actor.platform_ids.contains(&t.platform_id) && t.linked_complaint_id.is_none();
    if !as_regulator && !as_platform {
        return Err(StoreError::Forbidden);
    }
    let events = tip_event::Entity::find()
        .filter(tip_event::Column::TipId.eq(t.id))
        .order_by_asc(tip_event::Column::Seq)
        .all(&store.db)
        .await?;
    let chain = verify_tip(&t, &events);
    // Only the agency sees the reporter's files: they may show who took them.
    let evidence = if as_regulator {
        tip_evidence::Entity::find().filter(tip_evidence::Column::TipId.eq(t.id)).all(&store.db).await?
    } else {
        vec![]
    };
    let (reporter_name, reporter_contact) =
        if as_regulator { (t.reporter_name.clone(), t.reporter_contact.clone()) } else { (None, None) };
    let events = if as_regulator {
        events
    } else {
        events.into_iter().filter(|e| e.actor_role != "REGULATOR").map(strip_event).collect()
    };
    let tip = if as_regulator { t } else { for_platform(t) };
    Ok(StaffTip { tip, as_platform, as_regulator, events, evidence, reporter_name, reporter_contact, chain })
}

fn strip_event(mut e: tip_event::Model) -> tip_event::Model {
    e.actor_user_id = None;
    if e.actor_role == "REPORTER" {
        e.payload_json = "{}".into();
    }
    e
}

/// The platform's report queue, newest first; reporter fields removed.
pub async fn platform_queue(store: &Store, actor: &Actor) -> Result<Vec<tip::Model>, StoreError> {
    Ok(tip::Entity::find()
        .filter(tip::Column::PlatformId.is_in(actor.platform_ids.clone()))
        .filter(tip::Column::LinkedTipId.is_null())
        .filter(tip::Column::LinkedComplaintId.is_null())
        .order_by_desc(tip::Column::Id)
        .limit(100)
        .all(&store.db)
        .await?
        .into_iter()
        .map(for_platform)
        .collect())
}

/// The agency's tip queue by D9 due date; `cac` lists only Art. 46 referrals.
pub async fn regulator_queue(store: &Store, actor: &Actor, cac: bool) -> Result<Vec<tip::Model>, StoreError> {
    let mut q = tip::Entity::find().filter(tip::Column::AgencyId.is_in(actor.agency_ids.clone()));
    if cac {
        q = q.filter(tip::Column::CacListed.eq(true));
    }
    Ok(q.order_by_asc(tip::Column::D9DueOn).order_by_asc(tip::Column::Id).limit(200).all(&store.db).await?)
}

/// The platform's answer (Order 117 Art. 12): a measure, or no action with a reason.
#[derive(Clone, Debug, PartialEq)]
pub enum PlatformAnswer {
    Measure(Measure, String),
    NoAction(String),
}

/// The agency's steps on D9 and after.
#[derive(Clone, Debug, PartialEq)]
pub enum RegulatorAct {
    /// Once, with a recorded reason (Penalty Procedure Rules Art. 18).
    Extend(String),
    FileCase(String),
    NotFile(String),
    Decide(Decision, String),
}

fn invalid(zh: &str, en: &str) -> StoreError {
    StoreError::Invalid(format!("{zh} / {en}"))
}

async fn load_for_update(txn: &DatabaseTransaction, tip_no: &str) -> Result<tip::Model, StoreError> {
    tip::Entity::find().filter(tip::Column::TipNo.eq(tip_no)).one(txn).await?.ok_or(StoreError::NotFound)
}

pub async fn platform_answer(
    store: &Store,
    actor: &Actor,
    tip_no: &str,
    ans: PlatformAnswer,
) -> Result<(), StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let t = load_for_update(&txn, tip_no).await?;
    if !actor.platform_ids.contains(&t.platform_id) {
        return Err(StoreError::Forbidden);
    }
    if t.platform_status != PlatformStatus::Reviewing.as_str() {
        return Err(invalid("平台已处理该举报", "The platform has already answered this tip"));
    }
    let mut a: tip::ActiveModel = t.clone().into();
    let payload = match &ans {
        PlatformAnswer::Measure(m, note) => {
            a.platform_status = Set(PlatformStatus::ActionTaken.as_str().to_owned());
            a.platform_measure = Set(Some(m.as_str().to_owned()));
            a.platform_note = Set(Some(note.clone()));
            serde_json::json!({ "measure": m.as_str(), "message": note })
        }
        PlatformAnswer::NoAction(reason) => {
            a.platform_status = Set(PlatformStatus::NoAction.as_str().to_owned());
            a.platform_note = Set(Some(reason.clone()));
            serde_json::json!({ "message": reason })
        }
    };
    a.updated_at = Set(now);
    let res = tip::Entity::update_many()
        .set(a)
        .filter(tip::Column::Id.eq(t.id))
        .filter(tip::Column::PlatformStatus.eq(PlatformStatus::Reviewing.as_str()))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    record(&txn, t.id, "PLATFORM", Some(actor.user_id), "PLATFORM_ANSWERED", payload, now).await?;
    // The agency learns of the measure (Order 117 Art. 12: report measures to the regulator).
    if let Some(ag) = t.agency_id {
        let link = format!("/staff/tips/{}", t.tip_no);
        notices::to_org(&txn, ORG_AGENCY, ag, Kind::TipStatus, &t.tip_no, &link, Some("PLATFORM_ANSWERED"), now)
            .await?;
    }
    let t = tip::Entity::find_by_id(t.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    notify_reporter(&txn, &t, "PLATFORM_REVIEWED", now).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn regulator_act(store: &Store, actor: &Actor, tip_no: &str, act: RegulatorAct) -> Result<(), StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let t = load_for_update(&txn, tip_no).await?;
    if !t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)) {
        return Err(StoreError::Forbidden);
    }
    let status: RegulatorStatus = t.regulator_status.parse().map_err(|_| StoreError::Invalid("status".into()))?;
    let mut a: tip::ActiveModel = t.clone().into();
    let (event, payload, stage) = match (&act, status) {
        (RegulatorAct::Extend(reason), RegulatorStatus::Verifying) => {
            if t.d9_extended {
                return Err(invalid("D9 只能延长一次", "D9 can be extended only once"));
            }
            let start = t.d9_start_on.unwrap_or_else(|| crate::time::china_date(now));
            let due = d9_due(start, true);
            a.d9_extended = Set(true);
            a.d9_extension_reason = Set(Some(reason.clone()));
            a.d9_due_on = Set(Some(due));
            a.d9_overdue = Set(due < crate::time::china_date(now));
            ("D9_EXTENDED", serde_json::json!({ "message": reason, "d9_due_on": due }), None)
        }
        (RegulatorAct::FileCase(note), RegulatorStatus::Verifying) => {
            a.regulator_status = Set(RegulatorStatus::CaseFiled.as_str().to_owned());
            a.regulator_note = Set(Some(note.clone()));
            ("CASE_FILED", serde_json::json!({ "message": note }), Some("VERIFYING"))
        }
        (RegulatorAct::NotFile(reason), RegulatorStatus::Verifying) => {
            a.regulator_status = Set(RegulatorStatus::NotFiled.as_str().to_owned());
            a.regulator_note = Set(Some(reason.clone()));
            ("NOT_FILED", serde_json::json!({ "message": reason }), Some("CONCLUDED"))
        }
        (RegulatorAct::Decide(d, note), RegulatorStatus::CaseFiled) => {
            a.regulator_status = Set(RegulatorStatus::Decided.as_str().to_owned());
            a.decision = Set(Some(d.as_str().to_owned()));
            a.regulator_note = Set(Some(note.clone()));
            ("DECIDED", serde_json::json!({ "decision": d.as_str(), "message": note }), Some("CONCLUDED"))
        }
        _ => {
            return Err(invalid("当前阶段不能执行该操作", "That step is not open at this stage"));
        }
    };
    a.updated_at = Set(now);
    let res = tip::Entity::update_many()
        .set(a)
        .filter(tip::Column::Id.eq(t.id))
        .filter(tip::Column::RegulatorStatus.eq(t.regulator_status.as_str()))
        .filter(tip::Column::D9Extended.eq(t.d9_extended))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    record(&txn, t.id, "REGULATOR", Some(actor.user_id), event, payload, now).await?;
    if let Some(stage) = stage {
        let t = tip::Entity::find_by_id(t.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        notify_reporter(&txn, &t, stage, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Flags tips whose D9 has passed (no automatic effect), once each, and tells the agency.
pub async fn flag_overdue(store: &Store) -> Result<usize, StoreError> {
    let now = store.now();
    let today = store.today();
    let due = tip::Entity::find()
        .filter(tip::Column::RegulatorStatus.eq(RegulatorStatus::Verifying.as_str()))
        .filter(tip::Column::D9Overdue.eq(false))
        .filter(tip::Column::D9DueOn.lt(today))
        .limit(200)
        .all(&store.db)
        .await?;
    let mut n = 0;
    for t in due {
        let txn = store.db.begin().await?;
        let claimed = tip::Entity::update_many()
            .col_expr(tip::Column::D9Overdue, sea_orm::sea_query::Expr::value(true))
            .filter(tip::Column::Id.eq(t.id))
            .filter(tip::Column::D9Overdue.eq(false))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            record(&txn, t.id, "SYSTEM", None, "D9_OVERDUE", serde_json::json!({ "d9_due_on": t.d9_due_on }), now)
                .await?;
            if let Some(ag) = t.agency_id {
                let link = format!("/staff/tips/{}", t.tip_no);
                notices::to_org(&txn, ORG_AGENCY, ag, Kind::ClockOverdue, &t.tip_no, &link, Some("D9"), now).await?;
            }
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}

/// A reporter's file, for the agency handling the tip only (never respondents).
pub async fn open_evidence(
    store: &Store,
    vault: &crate::evidence::Vault,
    actor: &Actor,
    id: i64,
) -> Result<(tip_evidence::Model, Vec<u8>), StoreError> {
    let e = tip_evidence::Entity::find_by_id(id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let t = tip::Entity::find_by_id(e.tip_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    if !t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)) {
        return Err(StoreError::Forbidden);
    }
    let bytes = vault
        .blobs
        .get(&e.sha256)
        .await
        .map_err(|err| StoreError::Invalid(format!("evidence vault: {}", err.kind())))?
        .ok_or(StoreError::NotFound)?;
    Ok((e, bytes))
}
