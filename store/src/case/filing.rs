//! Filing a complaint (投诉, Order 121 Art. 10): the one coordinator from a
//! parsed form to a case routed to the live-room operator, in one transaction.
//! It reads top-down: where (room, session, product) → who may handle it
//! (jurisdiction) → the case row → T1–T3 → replay preservation → the Art. 9
//! tip → evidence.
use crate::actor::Actor;
use crate::api::idempotency::FormToken;
use crate::batch::Batch;
use crate::case::clocks::{no_due, platform_policy};
use crate::case::place::{locate, Place};
use crate::case::transition::apply_in_txn;
use crate::case::write::CaseWrite;
use crate::entity::complaint;
use crate::entity::{cluster_alert, preservation_request};
use crate::jurisdiction::{self, Jurisdiction};
use crate::notices::compose::CaseContacts;
use crate::vault::intake::{EvidenceError, Limits, Stored};
use crate::web::ratelimit::Hit;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::case::{CaseEvent, CaseState, Role};
use redline_rules::clock::ClockPolicy;
use redline_rules::cluster::ClusterPolicy;
use redline_rules::intake::complaint::MarketerRef;
use redline_rules::intake::{NewComplaint, NewTip, RoomRef};
use redline_rules::lang::Lang;
use sea_orm::ActiveValue::NotSet;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryTrait};
use std::sync::Arc;

/// Files a complaint: T1 submit → T2 triage → T3 route to the operator, atomically.
/// Files already written to the vault (see [`crate::vault::intake::store_file`])
/// are recorded on the new case in the same transaction, and so is the
/// consumer's filing counted against their limit (`hit`), and so is the
/// form's one-time token (`once`) with where the case is.
#[allow(clippy::too_many_arguments)]
pub async fn file_complaint(
    store: &Store,
    consumer: &Actor,
    input: NewComplaint,
    evidence: &[Stored],
    limits: Limits,
    hit: Option<Hit>,
    once: Option<FormToken>,
) -> Result<complaint::Model, StoreError> {
    let now = store.now();
    // The place is reference data, read before the write transaction so the
    // one writer holds it for as few statements as possible.
    let place = locate(&store.read, &input).await?;
    let candidates =
        jurisdiction::for_complaint(&place.platform, &place.operator, input.respondent, place.mcn.as_ref())?;
    let cluster = store.cluster;
    let filing = Arc::new((consumer.clone(), input, place, candidates, evidence.to_vec(), hit, once));
    // Committed with the filings that arrive together (`crate::writer`).
    store
        .writer
        .write(move |txn| {
            let filing = filing.clone();
            Box::pin(async move {
                let (consumer, input, place, candidates, evidence, hit, once) = &*filing;
                let (hit, once) = (hit.as_ref(), once.as_ref());
                let at = Filing { consumer, input, place, candidates, evidence, hit, once, cluster, limits, now };
                file_in_txn(txn, at).await
            })
        })
        .await
}

/// What one filing's write works from.
struct Filing<'a> {
    consumer: &'a Actor,
    input: &'a NewComplaint,
    place: &'a Place,
    candidates: &'a [Jurisdiction],
    evidence: &'a [Stored],
    /// The consumer's filing counted against their limit.
    hit: Option<&'a Hit>,
    /// The form's one-time token, recorded with the case.
    once: Option<&'a FormToken>,
    cluster: ClusterPolicy,
    limits: Limits,
    now: DateTime<Utc>,
}

async fn file_in_txn(txn: &DatabaseTransaction, f: Filing<'_>) -> Result<complaint::Model, StoreError> {
    let Filing { consumer, input, place, candidates, evidence, hit, once, cluster, limits, now } = f;
    let policy = platform_policy(&place.platform)?;
    let (c, people, open, preservation) = insert_case(txn, consumer, input, place, candidates, &policy, now).await?;
    let mut w = CaseWrite::new(c).with_policy(policy).with_contacts(people);
    // Numbered from the row id, so two filings never race for a number.
    w.case.case_no = format!("LC-{}-{:06}", crate::time::china_date(now).format("%Y"), w.case.id);
    apply_in_txn(txn, &mut w, CaseEvent::Submit, Role::Consumer, Some(consumer.user_id), snapshot(place), now).await?;
    crate::case::preservation::opened(txn, &mut w, preservation, now).await?;
    // Order 117 Art. 20: a room's complaints bunching raise one alert.
    for join in crate::alerts::on_filing(txn, &w.case, &open, &cluster, now).await? {
        w.also(join);
    }
    let backend = txn.get_database_backend();
    let c = &w.case;
    let found_by = crate::search::Indexed {
        case_no: &c.case_no,
        narrative: &c.narrative,
        product: &c.product_name,
        room: &place.room.display_name,
        platform: &place.platform.name,
        operator: &place.operator.name,
        marketer: c.marketer_name.as_deref(),
        mcn: place.mcn.as_ref().map(|m| m.name.as_str()),
        seller: c.seller_name.as_deref(),
    };
    let search = crate::search::index_statement(backend, c.id, &found_by);
    // Its search row and the count go with the case's writes: on SQLite one
    // round trip (`crate::batch`); over the limit, all of it is rolled back.
    w.also(search);
    if let Some(hit) = hit {
        w.also(hit.statement(backend));
    }
    if let Some(once) = once {
        let to = format!("/cases/{}", w.case.case_no);
        w.also(once.statement(backend, &to, now));
    }
    let (c, ran) = w.finish_with(txn).await?;
    if let Some(once) = once {
        once.check(&ran)?;
    }
    if let Some(hit) = hit {
        hit.check(&ran, now)?;
    }
    if input.asks_for_punishment() {
        file_the_art9_tip(txn, consumer, input, place, &c, now).await?;
    }
    if evidence.is_empty() {
        return Ok(c);
    }
    crate::case::evidence::record_in_txn(
        txn,
        &c,
        evidence,
        &Default::default(),
        Some(consumer.user_id),
        Role::Consumer,
        now,
        limits,
    )
    .await
    .map_err(|e| match e {
        EvidenceError::Store(s) => s,
        EvidenceError::File(..) | EvidenceError::CaseClosed => {
            StoreError::field("evidence", "证据总量超过本案上限", "The evidence exceeds this case's limit")
        }
    })?;
    // Evidence moved the chain head: the case as stored.
    complaint::Entity::find_by_id(c.id).one(txn).await?.ok_or(StoreError::NotFound)
}

/// What the filing's first round trip returns: the case, its audiences, its
/// subjects' open alerts and its replay preservation request.
type Inserted = (complaint::Model, Arc<CaseContacts>, Vec<cluster_alert::Model>, preservation_request::Model);

/// Inserts the case and its replay preservation request (Order 117 Art. 16)
/// and reads, in the same round trip (`crate::batch`), what its write needs of
/// others: its audiences and its subjects' open alerts.
async fn insert_case(
    txn: &DatabaseTransaction,
    consumer: &Actor,
    input: &NewComplaint,
    place: &Place,
    candidates: &[Jurisdiction],
    policy: &ClockPolicy,
    now: DateTime<Utc>,
) -> Result<Inserted, StoreError> {
    let backend = txn.get_database_backend();
    let to_be = new_case(consumer, input, place, candidates, now);
    let mut row = to_be.clone().into_active_model().reset_all();
    row.id = NotSet;
    let mut insert = complaint::Entity::insert(row);
    insert.query().returning_all();
    let mut batch = Batch::default();
    // Before its subjects' open alerts are read (PostgreSQL; nothing on SQLite).
    batch.extend(crate::alerts::subject_locks(backend, &to_be));
    batch.push(insert.build(backend));
    let session = place.session.as_ref();
    batch.push(crate::case::preservation::request_statement(backend, &to_be, policy, session, now));
    batch.push(crate::notices::compose::contacts_statement(backend, &to_be));
    batch.push(crate::alerts::open_statement(backend, &to_be));
    let ran = batch.run(txn).await?;
    let c = ran.models::<complaint::Model>("case_no")?.pop().ok_or(StoreError::NotFound)?;
    let people = crate::notices::compose::contacts_from(ran.rows_with("audience"), c.agency_id)?;
    // `replay_ref` is a column of the request alone.
    let preservation = ran.models("replay_ref")?.pop().ok_or(StoreError::NotFound)?;
    Ok((c, Arc::new(people), ran.models("case_ids_json")?, preservation))
}

/// The case as it is inserted (the database gives its id).
fn new_case(
    consumer: &Actor,
    input: &NewComplaint,
    place: &Place,
    candidates: &[Jurisdiction],
    now: DateTime<Utc>,
) -> complaint::Model {
    let product_name = match (&place.product, input.product_name.trim()) {
        (Some(p), "") => p.name.clone(),
        (_, n) => n.to_owned(),
    };
    complaint::Model {
        id: 0,
        // A unique placeholder until the row id gives the number.
        case_no: format!("tmp-{:016x}", rand::random::<u64>()),
        consumer_id: consumer.user_id,
        platform_id: place.platform.id,
        live_room_id: place.room.id,
        operator_id: place.room.operator_id,
        stream_session_id: place.session.as_ref().map(|s| s.id),
        stream_offset_s: place.offset,
        stream_clock_at: place.clock_at,
        product_name,
        order_no: input.order_no.as_ref().map(|o| o.as_str().to_owned()),
        ordered_on: input.ordered_on,
        amount_fen: input.amount.0,
        categories_json: serde_json::to_string(&input.categories).expect("categories serialize"),
        demands_json: serde_json::to_string(&input.demands).expect("demands serialize"),
        narrative: input.narrative.as_str().to_owned(),
        harm_known_on: input.harm_known_on,
        state: CaseState::Draft.as_str().to_owned(),
        platform_decided: false,
        last_offer: None,
        operator_untimely: false,
        platform_untimely: false,
        agency_id: None,
        jurisdiction_json: serde_json::to_string(candidates).expect("jurisdiction serializes"),
        next_due_on: no_due(),
        version: 0,
        created_at: now,
        updated_at: now,
        product_id: place.product.as_ref().map(|p| p.id),
        preservation_overdue: false,
        records_overdue: false,
        fraud_suspected: false,
        fraud_reason: None,
        retain_until: None,
        legal_hold: false,
        legal_hold_reason: None,
        chain_seq: 0,
        chain_head: None,
        log_pending: false,
        respondent_kind: input.respondent.as_str().to_owned(),
        marketer_id: place.marketer.as_ref().map(|m| m.id),
        marketer_name: match (&place.marketer, &input.marketer) {
            (Some(m), _) => Some(m.stage_name.clone()),
            (None, Some(MarketerRef::Named(n))) => Some(n.clone()),
            _ => None,
        },
        seller_name: input.seller_name.clone(),
        mcn_id: place.mcn.as_ref().map(|m| m.id),
    }
}

/// What the room disclosed and showed at filing, for the chained record: a
/// later re-report of the session or its products cannot change what was
/// complained of.
fn snapshot(place: &Place) -> serde_json::Value {
    serde_json::json!({
        "snapshot": place.room.disclosed_json,
        "session": place.session.as_ref().map(|s| serde_json::json!({
            "id": s.id, "started_at": s.started_at.to_rfc3339(), "ended_at": s.ended_at.map(|t| t.to_rfc3339()),
        })),
        "product": place.product.as_ref().map(|p| serde_json::json!({
            "sku": p.sku, "name": p.name, "displayed_price_fen": p.displayed_price_fen,
            "reference_price_fen": p.reference_price_fen, "discount_basis": p.discount_basis, "claims": p.claims,
        })),
    })
}

/// Order 121 Art. 9: a demand to punish is also a tip, handled on its own track.
async fn file_the_art9_tip(
    txn: &DatabaseTransaction,
    consumer: &Actor,
    input: &NewComplaint,
    place: &Place,
    c: &complaint::Model,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let tip = NewTip {
        platform_id: place.platform.id,
        room: RoomRef::known(&place.room.platform_room_id),
        moments: vec![match (&c.stream_offset_s, &c.stream_clock_at) {
            (Some(o), _) => redline_rules::evidence::hms(*o),
            (None, Some(t)) => crate::time::china_time(*t),
            _ => String::new(),
        }],
        description: c.narrative.clone(),
        categories: input.categories.clone(),
        reporter_name: None,
        reporter_contact: None,
        lang: Lang::parse(&consumer.locale),
        // The complaint's respondent is the tip's target (Order 117 Art. 47).
        target: input.respondent,
        marketer_name: c.marketer_name.clone(),
        mcn_name: place.mcn.as_ref().map(|m| m.name.clone()),
    };
    crate::tip::filing::file_tip_in_txn(txn, now, Some(consumer), tip, &[], Some(c.id)).await?;
    Ok(())
}
