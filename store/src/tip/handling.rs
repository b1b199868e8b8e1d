//! Handling a tip: the platform's answer (a measure under Order 117 Art. 12,
//! or no action with its reason) and the agency's steps on D9 (extend once,
//! file a case, not file, decide); and flagging tips whose D9 has run out.
use crate::actor::{Actor, ORG_AGENCY};
use crate::chain::record_tip_event;
use crate::entity::{agency, platform, tip};
use crate::notices;
use crate::tip::reporter::notify_reporter;
use crate::{Store, StoreError};
use redline_rules::jurisdiction::region::Region;
use redline_rules::notify::Kind;
use redline_rules::tip::{d10_due, d9_due_paused, Decision, Measure, PlatformStatus, RegulatorStatus};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};

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
    /// Testing, inspection or appraisal holds the verification (its days do
    /// not count toward D9), and its end.
    Pause(String),
    Resume(String),
    /// D10 extended by 30 days, with the recorded approval (Penalty Procedure Rules Art. 64).
    ExtendDecision(String),
    FileCase(String),
    NotFile(String),
    Decide(Decision, String),
}

fn invalid(zh: &'static str, en: &'static str) -> StoreError {
    StoreError::field("form", zh, en)
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
    record_tip_event(&txn, t.id, "PLATFORM", Some(actor.user_id), "PLATFORM_ANSWERED", payload, now).await?;
    let link = format!("/staff/tips/{}", t.tip_no);
    // The agency handling the tip sees the platform's answer.
    if let Some(ag) = t.agency_id {
        notices::to_org(&txn, ORG_AGENCY, ag, Kind::TipStatus, &t.tip_no, &link, Some("PLATFORM_ANSWERED"), now)
            .await?;
    }
    // A measure is reported where the platform is domiciled (Order 117 Art. 12),
    // whichever agency handles the tip; the record names who was told.
    if let PlatformAnswer::Measure(m, _) = &ans {
        let to = measure_recipients(&txn, t.platform_id, m.reported_to_province()).await?;
        for ag in &to {
            let subject = format!("{} · {}", t.tip_no, m.label_zh());
            notices::to_org(&txn, ORG_AGENCY, *ag, Kind::MeasureReport, &subject, &link, None, now).await?;
        }
        let payload = serde_json::json!({ "measure": m.as_str(), "agencies": to });
        record_tip_event(&txn, t.id, "PLATFORM", Some(actor.user_id), "MEASURE_REPORTED", payload, now).await?;
    }
    let t = tip::Entity::find_by_id(t.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    notify_reporter(&txn, &t, "PLATFORM_REVIEWED", now).await?;
    crate::retention::closure::tip_settled(&txn, t.id, crate::time::china_date(now)).await?;
    txn.commit().await?;
    Ok(())
}

/// The agencies a platform's measure is reported to (`rules::jurisdiction::region::measure_recipients`).
async fn measure_recipients(
    txn: &DatabaseTransaction,
    platform_id: i64,
    provincial: bool,
) -> Result<Vec<i64>, StoreError> {
    let p = platform::Entity::find_by_id(platform_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let domicile = Region::parse(&p.domicile_region)
        .map_err(|_| StoreError::Corrupt(format!("platform {platform_id}: domicile {:?}", p.domicile_region)))?;
    // Agencies are a handful of rows a person adds by hand.
    let seats: Vec<(i64, redline_rules::jurisdiction::region::Seat)> = agency::Entity::find()
        .all(txn)
        .await?
        .iter()
        .map(|a| Ok((a.id, crate::jurisdiction::seat(a)?)))
        .collect::<Result<_, StoreError>>()?;
    Ok(redline_rules::jurisdiction::region::measure_recipients(&domicile, &seats, provincial))
}

pub async fn regulator_act(store: &Store, actor: &Actor, tip_no: &str, act: RegulatorAct) -> Result<(), StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let t = load_for_update(&txn, tip_no).await?;
    if !t.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)) {
        return Err(StoreError::Forbidden);
    }
    let status = t.regulator()?;
    let mut a: tip::ActiveModel = t.clone().into();
    let (event, payload, stage) = match (&act, status) {
        (RegulatorAct::Extend(reason), RegulatorStatus::Verifying) => {
            if t.d9_extended {
                return Err(invalid("核查期限只能延长一次", "Verification can be extended only once"));
            }
            let start = t.d9_start_on.unwrap_or_else(|| crate::time::china_date(now));
            let due = d9_due_paused(start, true, t.d9_paused_days.max(0) as u32);
            a.d9_extended = Set(true);
            a.d9_extension_reason = Set(Some(reason.clone()));
            a.d9_due_on = Set(Some(due));
            a.d9_overdue = Set(due < crate::time::china_date(now));
            ("D9_EXTENDED", serde_json::json!({ "message": reason, "d9_due_on": due }), None)
        }
        (RegulatorAct::Pause(reason), RegulatorStatus::Verifying) if t.d9_paused_at.is_none() => {
            a.d9_paused_at = Set(Some(now));
            ("D9_PAUSED", serde_json::json!({ "message": reason }), None)
        }
        (RegulatorAct::Resume(note), RegulatorStatus::Verifying) if t.d9_paused_at.is_some() => {
            let held = redline_rules::clock::paused_days((now - t.d9_paused_at.unwrap_or(now)).num_seconds());
            let total = t.d9_paused_days.max(0) as u32 + held;
            let start = t.d9_start_on.unwrap_or_else(|| crate::time::china_date(now));
            let due = d9_due_paused(start, t.d9_extended, total);
            a.d9_paused_at = Set(None);
            a.d9_paused_days = Set(total as i32);
            a.d9_due_on = Set(Some(due));
            a.d9_overdue = Set(due < crate::time::china_date(now));
            ("D9_RESUMED", serde_json::json!({ "message": note, "held_days": held, "d9_due_on": due }), None)
        }
        (RegulatorAct::FileCase(note), RegulatorStatus::Verifying) => {
            let today = crate::time::china_date(now);
            let due = d10_due(today, false);
            a.regulator_status = Set(RegulatorStatus::CaseFiled.as_str().to_owned());
            a.regulator_note = Set(Some(note.clone()));
            a.d9_paused_at = Set(None);
            a.d10_start_on = Set(Some(today));
            a.d10_due_on = Set(Some(due));
            ("CASE_FILED", serde_json::json!({ "message": note, "d10_due_on": due }), Some("VERIFYING"))
        }
        (RegulatorAct::ExtendDecision(approval), RegulatorStatus::CaseFiled) => {
            if t.d10_extended {
                return Err(invalid("处理期限只能延长一次", "The decision period can be extended only once"));
            }
            let start = t.d10_start_on.unwrap_or_else(|| crate::time::china_date(now));
            let due = d10_due(start, true);
            a.d10_extended = Set(true);
            a.d10_approval = Set(Some(approval.clone()));
            a.d10_due_on = Set(Some(due));
            a.d10_overdue = Set(due < crate::time::china_date(now));
            ("D10_EXTENDED", serde_json::json!({ "message": approval, "d10_due_on": due }), None)
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
        .filter(tip::Column::D10Extended.eq(t.d10_extended))
        .filter(match t.d9_paused_at {
            None => tip::Column::D9PausedAt.is_null(),
            Some(_) => tip::Column::D9PausedAt.is_not_null(),
        })
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    record_tip_event(&txn, t.id, "REGULATOR", Some(actor.user_id), event, payload, now).await?;
    if let Some(stage) = stage {
        let t = tip::Entity::find_by_id(t.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        notify_reporter(&txn, &t, stage, now).await?;
    }
    crate::retention::closure::tip_settled(&txn, t.id, crate::time::china_date(now)).await?;
    txn.commit().await?;
    Ok(())
}

/// Flags tips whose D9 (verification, not while held for testing) or D10
/// (decision on a case opened) has passed: no automatic effect, once each,
/// and tells the agency.
pub async fn flag_overdue(store: &Store) -> Result<usize, StoreError> {
    let today = store.today();
    let d9 = tip::Entity::find()
        .filter(tip::Column::RegulatorStatus.eq(RegulatorStatus::Verifying.as_str()))
        .filter(tip::Column::D9Overdue.eq(false))
        .filter(tip::Column::D9PausedAt.is_null())
        .filter(tip::Column::D9DueOn.lt(today))
        .limit(200)
        .all(&store.db)
        .await?;
    let d10 = tip::Entity::find()
        .filter(tip::Column::RegulatorStatus.eq(RegulatorStatus::CaseFiled.as_str()))
        .filter(tip::Column::D10Overdue.eq(false))
        .filter(tip::Column::D10DueOn.lt(today))
        .limit(200)
        .all(&store.db)
        .await?;
    let mut n = 0;
    for t in d9 {
        n += flag_one(store, &t, tip::Column::D9Overdue, "D9").await?;
    }
    for t in d10 {
        n += flag_one(store, &t, tip::Column::D10Overdue, "D10").await?;
    }
    Ok(n)
}

/// Claims one tip's overdue flag (a conditional update: once, whoever runs
/// the job), records it in the tip's chain and tells the agency.
async fn flag_one(store: &Store, t: &tip::Model, flag: tip::Column, clock: &str) -> Result<usize, StoreError> {
    let now = store.now();
    let txn = store.db.begin().await?;
    // Claimed only if still as read: not held, not re-dated, not moved on meanwhile.
    let (status, due_col, due) = if clock == "D9" {
        (RegulatorStatus::Verifying, tip::Column::D9DueOn, t.d9_due_on)
    } else {
        (RegulatorStatus::CaseFiled, tip::Column::D10DueOn, t.d10_due_on)
    };
    let mut claim = tip::Entity::update_many()
        .col_expr(flag, sea_orm::sea_query::Expr::value(true))
        .filter(tip::Column::Id.eq(t.id))
        .filter(flag.eq(false))
        .filter(tip::Column::RegulatorStatus.eq(status.as_str()))
        .filter(due_col.eq(due));
    if clock == "D9" {
        claim = claim.filter(tip::Column::D9PausedAt.is_null());
    }
    let claimed = claim.exec(&txn).await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(0);
    }
    // A lead found in mediation is verified under D8 (Order 121 Art. 27) on the same dates.
    let clock = match t.origin.parse::<redline_rules::tip::Origin>() {
        Ok(o) if clock == "D9" => o.clock(),
        _ => clock,
    };
    let payload = serde_json::json!({ "clock": clock, "due_on": due });
    record_tip_event(&txn, t.id, "SYSTEM", None, &format!("{clock}_OVERDUE"), payload, now).await?;
    if let Some(ag) = t.agency_id {
        let link = format!("/staff/tips/{}", t.tip_no);
        notices::to_org(&txn, ORG_AGENCY, ag, Kind::ClockOverdue, &t.tip_no, &link, Some(clock), now).await?;
    }
    txn.commit().await?;
    Ok(1)
}
