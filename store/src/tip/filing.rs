//! Tips (举报), domain.md §6.7. Anyone may file one; the reporter's identity and
//! contact stay with Redline and the agency (Order 121 Art. 37): nothing this
//! module returns to a platform or operator carries them. A tip goes to the
//! platform's report queue (Order 117 Art. 12) and to the competent agency's
//! tip queue under D9; repeats are linked and new facts merged (Art. 35).
use crate::actor::{Actor, ORG_AGENCY, ORG_PLATFORM};
use crate::chain::record_tip_event;
use crate::entity::{agency, operator, platform, tip, tip_evidence};
use crate::notices;
use crate::streams::find_room;
use crate::tip::reporter::{fingerprint, new_receipt, notify_reporter, receipt_hash, sha};
use crate::vault::intake::Stored;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::intake::Category;
use redline_rules::jurisdiction::{tip_candidates, RegionCode, TipFacts};
use redline_rules::notify::Kind;
use redline_rules::tip::{self as rtip, d9_due, PlatformStatus, RegulatorStatus, Repeat, TipKey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// A tip as parsed from the public form.

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
    let cands: Vec<crate::jurisdiction::Jurisdiction> = tip_candidates(&facts)
        .into_iter()
        .map(|c| crate::jurisdiction::Jurisdiction {
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
    record_tip_event(
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
            record_tip_event(
                txn,
                orig,
                "SYSTEM",
                None,
                "REPEAT_RECEIVED",
                serde_json::json!({ "tip_no": t.tip_no }),
                now,
            )
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
            record_tip_event(
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
        record_tip_event(txn, r.id, "SYSTEM", None, "ROUTED", payload, now).await?;
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
