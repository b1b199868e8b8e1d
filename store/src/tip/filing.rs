//! Filing a tip (举报, Order 121 Arts. 28–31). Anyone may file one; the
//! reporter's identity and contact stay with Redline and the agency (Order 121
//! Art. 37): nothing this module returns to a platform or operator carries
//! them. A tip goes to the platform's report queue (Order 117 Art. 12) and to
//! the competent agency's tip queue under D9; repeats are linked and new facts
//! merged (Order 121 Art. 35).
use crate::actor::{Actor, ORG_AGENCY, ORG_PLATFORM};
use crate::chain::record_tip_event;
use crate::entity::{live_room, mcn, operator, platform, tip, tip_evidence};
use crate::jurisdiction::{self, Jurisdiction};
use crate::notices;
use crate::streams::find_room;
use crate::tip::reporter::{fingerprint, new_receipt, notify_reporter, receipt_hash, sha};
use crate::vault::intake::Stored;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::intake::NewTip;
use redline_rules::jurisdiction::RespondentKind;
use redline_rules::notify::Kind;
use redline_rules::tip::{self as rtip, d9_due, PlatformStatus, RegulatorStatus, Repeat, TipKey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait,
};

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
) -> Result<Filed, StoreError> {
    let txn = store.db.begin().await?;
    let filed = file_tip_in_txn(&txn, store.now(), reporter, input, files, None).await?;
    txn.commit().await?;
    Ok(filed)
}

/// Files a tip inside a caller's transaction (also the Order 121 Art. 9 tip of
/// a complaint, `linked_complaint`).
pub async fn file_tip_in_txn(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    reporter: Option<&Actor>,
    input: NewTip,
    files: &[Stored],
    linked_complaint: Option<i64>,
) -> Result<Filed, StoreError> {
    let (plat, room, op) = locate(txn, &input).await?;
    let who = fingerprint(reporter);
    let key = TipKey::new(who.clone(), room.id, &input.description, &input.categories, &input.moments);
    let since = now - chrono::Duration::days(rtip::REPEAT_WINDOW_DAYS);
    let (open, closed) = earlier_tips_of(txn, who.as_deref(), room.id, since).await?;
    let repeat = rtip::classify(&key, &open, &closed);
    // An MCN is known by the name the platform reported it under.
    let mcn = match (&input.target, &input.mcn_name) {
        (RespondentKind::Mcn, Some(name)) => {
            mcn::Entity::find()
                .filter(mcn::Column::PlatformId.eq(plat.id))
                .filter(mcn::Column::Name.eq(name.clone()))
                .one(txn)
                .await?
        }
        _ => None,
    };
    let cands = jurisdiction::for_tip(&plat, &op, input.target, mcn.as_ref())?;
    let agency_id = jurisdiction::first_agency_of(txn, &cands).await?;
    let today = crate::time::china_date(now);
    let receipt = new_receipt();
    let target = (input.target, mcn.as_ref().map(|m| m.id));
    let t = insert_tip(txn, &input, target, reporter, &key, &cands, agency_id, repeat, linked_complaint, &receipt, now)
        .await?;
    // Files join the tip that is handled: a closed one is not reopened.
    let holder = match repeat {
        Repeat::Same(orig) | Repeat::NewFacts(orig) => orig,
        Repeat::New | Repeat::RepeatOfClosed(_) => t.id,
    };
    attach_files(txn, holder, files, now).await?;
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
        Repeat::NewFacts(orig) => Some(merge_new_facts(txn, orig, &t, &input, today, now).await?),
        Repeat::RepeatOfClosed(orig) => {
            // Art. 35: handled and closed within the year; the new tip says so,
            // where its reporter follows it.
            let orig_no = tip::Entity::find_by_id(orig).one(txn).await?.map(|o| o.tip_no).unwrap_or_default();
            record_tip_event(
                txn,
                t.id,
                "SYSTEM",
                None,
                "REPEAT_OF_CLOSED",
                serde_json::json!({ "tip_no": orig_no }),
                now,
            )
            .await?;
            None
        }
    };
    if let Some(r) = &routed {
        route(txn, r, repeat, &t.tip_no, now).await?;
    }
    // A tip closed on arrival (a repeat or new facts handled on another tip, an
    // Art. 9 tip no agency covers) starts its retention now.
    crate::retention::closure::tip_settled(txn, t.id, today).await?;
    notify_reporter(txn, &t, "RECEIVED", now).await?;
    Ok(Filed { tip: t, receipt, repeat })
}

async fn locate(
    txn: &DatabaseTransaction,
    input: &NewTip,
) -> Result<(platform::Model, live_room::Model, operator::Model), StoreError> {
    let Some(plat) = platform::Entity::find_by_id(input.platform_id).one(txn).await? else {
        return Err(StoreError::field("platform", "请选择平台", "Choose a platform"));
    };
    let Some(room) = find_room(txn, plat.id, input.room.as_str()).await? else {
        return Err(crate::streams::no_such_room());
    };
    let op = operator::Entity::find_by_id(room.operator_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    Ok((plat, room, op))
}

/// The reporter's earlier tips about this room that Art. 35 compares with, in
/// one read: (those still being handled, those closed since `since`: not
/// filed as a case, or decided). Only a signed-in reporter has a fingerprint;
/// anonymous tips are never repeats.
async fn earlier_tips_of(
    txn: &DatabaseTransaction,
    who: Option<&str>,
    room_id: i64,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<(i64, TipKey)>, Vec<(i64, TipKey)>), StoreError> {
    let Some(w) = who else { return Ok((vec![], vec![])) };
    let open = || {
        Condition::any()
            .add(tip::Column::RegulatorStatus.eq(RegulatorStatus::Verifying.as_str()))
            .add(tip::Column::PlatformStatus.eq(PlatformStatus::Reviewing.as_str()))
    };
    let closed = [RegulatorStatus::NotFiled.as_str(), RegulatorStatus::Decided.as_str()];
    let tips = tip::Entity::find()
        .filter(tip::Column::ReporterFingerprint.eq(w))
        .filter(tip::Column::LiveRoomId.eq(room_id))
        .filter(tip::Column::LinkedTipId.is_null())
        .filter(Condition::any().add(open()).add(
            Condition::all().add(tip::Column::RegulatorStatus.is_in(closed)).add(tip::Column::UpdatedAt.gte(since)),
        ))
        .all(txn)
        .await?;
    let (open, closed): (Vec<_>, Vec<_>) = tips.into_iter().partition(|t| {
        t.regulator_status == RegulatorStatus::Verifying.as_str()
            || t.platform_status == PlatformStatus::Reviewing.as_str()
    });
    let keys = |tips: Vec<tip::Model>| {
        tips.into_iter()
            .map(|t| (t.id, TipKey { reporter: t.reporter_fingerprint, room_id: t.live_room_id, facts: t.facts_key }))
            .collect()
    };
    Ok((keys(open), keys(closed)))
}

#[allow(clippy::too_many_arguments)]
async fn insert_tip(
    txn: &DatabaseTransaction,
    input: &NewTip,
    (target, mcn_id): (RespondentKind, Option<i64>),
    reporter: Option<&Actor>,
    key: &TipKey,
    cands: &[Jurisdiction],
    agency_id: Option<i64>,
    repeat: Repeat,
    linked_complaint: Option<i64>,
    receipt: &str,
    now: DateTime<Utc>,
) -> Result<tip::Model, StoreError> {
    let (pstatus, rstatus) = rtip::statuses_on_filing(repeat, linked_complaint.is_some(), agency_id.is_some());
    let linked = repeat.linked();
    let verifying = rstatus == RegulatorStatus::Verifying;
    let today = crate::time::china_date(now);
    let t = tip::ActiveModel {
        tip_no: Set(format!("tmp-{}", sha(receipt))),
        receipt_hash: Set(receipt_hash(receipt)),
        reporter_user_id: Set(reporter.map(|a| a.user_id)),
        reporter_name: Set(input.reporter_name.clone()),
        reporter_contact: Set(input.reporter_contact.clone()),
        reporter_fingerprint: Set(key.reporter.clone()),
        reporter_locale: Set(input.lang.code().to_owned()),
        platform_id: Set(input.platform_id),
        live_room_id: Set(key.room_id),
        moments_json: Set(serde_json::to_string(&input.moments).expect("moments serialize")),
        description: Set(input.description.clone()),
        categories_json: Set(serde_json::to_string(&input.categories).expect("categories serialize")),
        facts_key: Set(key.facts.clone()),
        cac_listed: Set(rtip::cac_listed(&input.categories)),
        platform_status: Set(pstatus.as_str().to_owned()),
        platform_measure: Set(None),
        platform_note: Set(None),
        agency_id: Set(if linked.is_some() { None } else { agency_id }),
        jurisdiction_json: Set(serde_json::to_string(cands).expect("jurisdiction serializes")),
        regulator_status: Set(rstatus.as_str().to_owned()),
        d9_start_on: Set(verifying.then_some(today)),
        d9_due_on: Set(verifying.then(|| d9_due(today, false))),
        d9_extended: Set(false),
        d9_extension_reason: Set(None),
        d9_overdue: Set(false),
        d9_reminded_for: Set(None),
        d9_paused_at: Set(None),
        d9_paused_days: Set(0),
        d10_start_on: Set(None),
        d10_due_on: Set(None),
        d10_extended: Set(false),
        d10_approval: Set(None),
        d10_overdue: Set(false),
        decision: Set(None),
        regulator_note: Set(None),
        linked_tip_id: Set(linked),
        linked_complaint_id: Set(linked_complaint),
        created_at: Set(now),
        updated_at: Set(now),
        target_kind: Set(target.as_str().to_owned()),
        marketer_name: Set(input.marketer_name.clone()),
        mcn_id: Set(mcn_id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let year = today.format("%Y");
    let mut a: tip::ActiveModel = t.into();
    a.tip_no = Set(format!("LT-{year}-{:06}", a.id.clone().unwrap()));
    Ok(a.update(txn).await?)
}

/// Files sent with a repeat or new facts join the tip that is being handled.
async fn attach_files(
    txn: &DatabaseTransaction,
    tip_id: i64,
    files: &[Stored],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for f in files {
        tip_evidence::ActiveModel {
            tip_id: Set(tip_id),
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
    Ok(())
}

/// Art. 35: new facts are merged into the tip being handled, and its time
/// limit restarts from this report.
async fn merge_new_facts(
    txn: &DatabaseTransaction,
    orig: i64,
    t: &tip::Model,
    input: &NewTip,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<tip::Model, StoreError> {
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
    Ok(o)
}

/// Tells the platform (unless the tip is a complaint's own, which it already
/// has) and the agency that a tip is theirs; for new facts merged into a tip
/// being handled (`new_no` the tip that brought them), that its limit restarts.
async fn route(
    txn: &DatabaseTransaction,
    r: &tip::Model,
    repeat: Repeat,
    new_no: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let payload =
        serde_json::json!({ "agency_id": r.agency_id, "cac_listed": r.cac_listed, "repeat": format!("{repeat:?}") });
    record_tip_event(txn, r.id, "SYSTEM", None, "ROUTED", payload, now).await?;
    let link = format!("/staff/tips/{}", r.tip_no);
    // Each merge is news of its own: its detail (and so its dedup key) is the
    // tip that brought the facts, so a second merge is not skipped as a repeat.
    let (kind, detail) = match repeat {
        Repeat::NewFacts(_) => (Kind::TipNewFacts, Some(new_no)),
        _ => (Kind::TipRouted, None),
    };
    if r.linked_complaint_id.is_none() {
        notices::to_org(txn, ORG_PLATFORM, r.platform_id, kind, &r.tip_no, &link, detail, now).await?;
    }
    // Webhooks announce a tip once, when it first arrives.
    if r.linked_complaint_id.is_none() && repeat == Repeat::New {
        // Thin: the tip's number and what it is about; never who sent it.
        let a = crate::api::webhooks::Announce {
            platform_id: r.platform_id,
            operator_id: None,
            event_type: crate::api::webhooks::TIP_RECEIVED,
            subject: r.tip_no.clone(),
            data: serde_json::json!({
                "tip_no": r.tip_no,
                "live_room_id": r.live_room_id,
                "categories": serde_json::from_str::<serde_json::Value>(&r.categories_json).unwrap_or_default(),
                "platform_status": r.platform_status,
            }),
        };
        crate::api::webhooks::enqueue(txn, &[a], now).await?;
    }
    if let Some(ag) = r.agency_id {
        notices::to_org(txn, ORG_AGENCY, ag, kind, &r.tip_no, &link, detail, now).await?;
    }
    Ok(())
}
