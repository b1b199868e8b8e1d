//! T23: a violation the mediating agency found in a case (Order 121 Art. 27)
//! becomes a lead in its own tip queue, linked to the case: no reporter, not
//! in the platform's report queue (it is the agency's own finding, handled
//! beside the complaint), verified by that agency under D8, which runs as
//! D9 does (15 working days, once 15 more; `rules::tip::Origin`).
use crate::chain::record_tip_event;
use crate::entity::{complaint, live_room, mcn, operator, platform, tip};
use crate::jurisdiction;
use crate::tip::reporter::{new_receipt, receipt_hash};
use crate::StoreError;
use chrono::{DateTime, Utc};
use redline_rules::intake::Category;
use redline_rules::tip::{self as rtip, d9_due, Origin, PlatformStatus, RegulatorStatus, TipKey};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, Set};

/// Files the lead in the caller's transaction; the agency is the case's.
pub async fn found_in_mediation(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    c: &complaint::Model,
    agency_id: i64,
    actor_id: i64,
    description: &str,
    categories: &[Category],
) -> Result<tip::Model, StoreError> {
    let plat = platform::Entity::find_by_id(c.platform_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let room = live_room::Entity::find_by_id(c.live_room_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let op = operator::Entity::find_by_id(c.operator_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let m = match c.mcn_id {
        Some(id) => mcn::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    let target = c.respondent()?;
    // Where the violation would be enforced (Order 117 Art. 47), kept for the record.
    let cands = jurisdiction::for_tip(&plat, &op, target, m.as_ref())?;
    let moments: Vec<String> = match (c.stream_offset_s, c.stream_clock_at) {
        (Some(o), _) => vec![redline_rules::evidence::hms(o)],
        (None, Some(t)) => vec![crate::time::china_time(t)],
        _ => Vec::new(),
    };
    let key = TipKey::new(None, room.id, description, categories, &moments);
    let today = crate::time::china_date(now);
    let t = tip::ActiveModel {
        tip_no: Set(format!("tmp-{}", receipt_hash(&new_receipt()))),
        // Nobody holds a receipt: the agency follows its own lead.
        receipt_hash: Set(receipt_hash(&new_receipt())),
        reporter_locale: Set("zh".to_owned()),
        platform_id: Set(plat.id),
        live_room_id: Set(room.id),
        moments_json: Set(serde_json::to_string(&moments).expect("moments serialize")),
        description: Set(description.to_owned()),
        categories_json: Set(serde_json::to_string(categories).expect("categories serialize")),
        facts_key: Set(key.facts),
        cac_listed: Set(rtip::cac_listed(categories)),
        platform_status: Set(PlatformStatus::Linked.as_str().to_owned()),
        agency_id: Set(Some(agency_id)),
        jurisdiction_json: Set(serde_json::to_string(&cands).expect("jurisdiction serializes")),
        regulator_status: Set(RegulatorStatus::Verifying.as_str().to_owned()),
        d9_start_on: Set(Some(today)),
        d9_due_on: Set(Some(d9_due(today, false))),
        d9_extended: Set(false),
        d9_overdue: Set(false),
        linked_complaint_id: Set(Some(c.id)),
        created_at: Set(now),
        updated_at: Set(now),
        target_kind: Set(target.as_str().to_owned()),
        marketer_name: Set(c.marketer_name.clone()),
        mcn_id: Set(c.mcn_id),
        origin: Set(Origin::Mediation.as_str().to_owned()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut a: tip::ActiveModel = t.clone().into();
    a.tip_no = Set(format!("LT-{}-{:06}", today.format("%Y"), t.id));
    let t = a.update(txn).await?;
    let payload = serde_json::json!({ "case_no": c.case_no, "basis": Origin::Mediation.article() });
    record_tip_event(txn, t.id, "REGULATOR", Some(actor_id), "FOUND_IN_MEDIATION", payload, now).await?;
    Ok(t)
}
