//! What each reader may see of a tip. The reporter sees stages by receipt
//! (Order 121 Art. 36); the platform sees the report without the reporter's
//! name, contact or files; the handling agency sees all (Art. 37).
use crate::actor::Actor;
use crate::chain::verify_tip;
use crate::entity::{tip, tip_event, tip_evidence};
use crate::tip::reporter::receipt_hash;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::chain::ChainReport;
use redline_rules::tip::{PlatformStatus, RegulatorStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

/// What a reporter may see (Order 121 Art. 36): stages, not the handling details.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReporterView {
    pub tip_no: String,
    pub filed_at: DateTime<Utc>,
    /// RECEIVED, LINKED, VERIFYING, CONCLUDED, NO_AGENCY
    pub stage: String,
    pub linked_to: Option<String>,
    pub platform_reviewed: bool,
    /// While the agency verifies: the day its time limit ends (Order 121 Art. 30).
    pub due_on: Option<chrono::NaiveDate>,
}

fn reporter_view(t: &tip::Model, linked: Option<&tip::Model>) -> Result<ReporterView, StoreError> {
    let subject = linked.unwrap_or(t);
    let rs = subject.regulator()?;
    let stage = match rs {
        RegulatorStatus::NoAgency => "NO_AGENCY",
        s if s.is_final() => "CONCLUDED",
        RegulatorStatus::CaseFiled | RegulatorStatus::Verifying => "VERIFYING",
        _ => "RECEIVED",
    };
    Ok(ReporterView {
        tip_no: t.tip_no.clone(),
        filed_at: t.created_at,
        stage: stage.to_owned(),
        linked_to: linked.map(|l| l.tip_no.clone()),
        platform_reviewed: subject.platform()? != PlatformStatus::Reviewing,
        due_on: (stage == "VERIFYING").then_some(subject.d9_due_on).flatten(),
    })
}

/// Status by receipt code (no account needed).
pub async fn status_by_receipt(store: &Store, receipt: &str) -> Result<Option<ReporterView>, StoreError> {
    let Some(t) =
        tip::Entity::find().filter(tip::Column::ReceiptHash.eq(receipt_hash(receipt))).one(&store.read).await?
    else {
        return Ok(None);
    };
    let linked = match t.linked_tip_id {
        Some(id) => tip::Entity::find_by_id(id).one(&store.read).await?,
        None => None,
    };
    Ok(Some(reporter_view(&t, linked.as_ref())?))
}

/// A signed-in reporter's own tips.
pub async fn mine(store: &Store, actor: &Actor) -> Result<Vec<ReporterView>, StoreError> {
    let tips = tip::Entity::find()
        .filter(tip::Column::ReporterUserId.eq(actor.user_id))
        .order_by_desc(tip::Column::Id)
        .limit(100)
        .all(&store.read)
        .await?;
    let mut out = Vec::new();
    for t in &tips {
        let linked = match t.linked_tip_id {
            Some(id) => tip::Entity::find_by_id(id).one(&store.read).await?,
            None => None,
        };
        out.push(reporter_view(t, linked.as_ref())?);
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

/// A tip as a platform may see it (the API's list).
pub fn platform_copy(t: tip::Model) -> tip::Model {
    for_platform(t)
}

/// Removes what the platform must not see (Order 121 Art. 37).
fn for_platform(mut t: tip::Model) -> tip::Model {
    t.reporter_user_id = None;
    t.reporter_name = None;
    t.reporter_contact = None;
    t.reporter_fingerprint = None;
    t.receipt_hash = String::new();
    t.linked_complaint_id = None;
    t.legal_hold_reason = None;
    t
}

pub async fn staff_view(store: &Store, actor: &Actor, tip_no: &str) -> Result<StaffTip, StoreError> {
    let t = tip::Entity::find()
        .filter(tip::Column::TipNo.eq(tip_no))
        .one(&store.read)
        .await?
        .ok_or(StoreError::NotFound)?;
    let as_regulator = t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a));
    let as_platform = actor.platform_ids.contains(&t.platform_id) && t.linked_complaint_id.is_none();
    if !as_regulator && !as_platform {
        return Err(StoreError::Forbidden);
    }
    let events = tip_event::Entity::find()
        .filter(tip_event::Column::TipId.eq(t.id))
        .order_by_asc(tip_event::Column::Seq)
        .all(&store.read)
        .await?;
    let chain = verify_tip(&t, &events);
    // Only the agency sees the reporter's files: they may show who took them.
    let evidence = if as_regulator {
        tip_evidence::Entity::find().filter(tip_evidence::Column::TipId.eq(t.id)).all(&store.read).await?
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
        .all(&store.read)
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
    Ok(q.order_by_asc(tip::Column::D9DueOn).order_by_asc(tip::Column::Id).limit(200).all(&store.read).await?)
}

/// A reporter's file, for the agency handling the tip only (never respondents).
pub async fn open_evidence(
    store: &Store,
    vault: &crate::vault::intake::Vault,
    actor: &Actor,
    id: i64,
) -> Result<(tip_evidence::Model, Vec<u8>), StoreError> {
    let e = tip_evidence::Entity::find_by_id(id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let t = tip::Entity::find_by_id(e.tip_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    if !t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)) {
        return Err(StoreError::Forbidden);
    }
    let bytes = vault
        .blobs
        .get(&e.sha256)
        .await
        .map_err(|err| StoreError::Vault(err.kind().to_string()))?
        .ok_or(StoreError::NotFound)?;
    Ok((e, bytes))
}

/// The leads opened on a case in its mediation (T23, Order 121 Art. 27),
/// oldest first, of every agency.
pub async fn leads_of_case(store: &Store, case_id: i64) -> Result<Vec<tip::Model>, StoreError> {
    leads_of(store, case_id, None).await
}

/// Those of `agencies` only: what the case page shows an agency (a case moved
/// on does not show its new agency the old one's leads).
pub async fn leads_of_case_for(store: &Store, case_id: i64, agencies: &[i64]) -> Result<Vec<tip::Model>, StoreError> {
    leads_of(store, case_id, Some(agencies)).await
}

async fn leads_of(store: &Store, case_id: i64, agencies: Option<&[i64]>) -> Result<Vec<tip::Model>, StoreError> {
    let mut q = tip::Entity::find().filter(tip::Column::LinkedComplaintId.eq(case_id));
    if let Some(a) = agencies {
        q = q.filter(tip::Column::AgencyId.is_in(a.to_vec()));
    }
    Ok(q.filter(tip::Column::Origin.eq(redline_rules::tip::Origin::Mediation.as_str()))
        .order_by_asc(tip::Column::Id)
        .all(&store.read)
        .await?)
}

/// The number of the case a tip belongs to (an Art. 9 tip or a T23 lead).
pub async fn case_no_of(store: &Store, case_id: i64) -> Result<Option<String>, StoreError> {
    Ok(crate::entity::complaint::Entity::find_by_id(case_id).one(&store.read).await?.map(|c| c.case_no))
}
