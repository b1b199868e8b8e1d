//! The clocks of a case (时限): started, stopped, paused and resumed by
//! transitions, and the case's nearest due date kept on its row for the queues.
use crate::actor::Actor;
use crate::entity::{clock, clock_pause, complaint, platform};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::calendar::Calendar;
use redline_rules::case::ClockEffect;
use redline_rules::clock::{self as rclock, ClockKind, ClockPolicy, ClockStatus};
use redline_rules::field::FieldError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};

/// A due date far away, for cases without a running clock (keeps keyset order total).
pub fn no_due() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
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

/// A case's running clocks, nearest due first: one seek on
/// `ix_clocks_case_status_due` (its plan is checked by a test on both backends).
pub fn running_clocks_of(case_id: i64) -> sea_orm::Select<clock::Entity> {
    clock::Entity::find()
        .filter(clock::Column::CaseId.eq(case_id))
        .filter(clock::Column::Status.eq(ClockStatus::Running.as_str()))
        .order_by_asc(clock::Column::DueOn)
}

/// The case's nearest due date on the clock of whoever holds it (`no_due`
/// without one): the queues' order. D4 and D4R are left out (see
/// `holds_the_case`), so a closed case with its replay still to confirm or a
/// records request open does not sort first.
pub async fn next_due(txn: &DatabaseTransaction, case_id: i64) -> Result<NaiveDate, StoreError> {
    let beside: Vec<&str> = ClockKind::ALL.iter().filter(|k| !k.holds_the_case()).map(|k| k.as_str()).collect();
    let c = running_clocks_of(case_id).filter(clock::Column::Kind.is_not_in(beside)).one(txn).await?;
    Ok(c.map_or_else(no_due, |c| c.due_on))
}

/// The platform's own lengths for the policy clocks (Order 117 Art. 20).
pub fn platform_policy(p: &platform::Model) -> Result<ClockPolicy, StoreError> {
    crate::entity::typed::stored_json("platforms.policy_json", &p.policy_json)
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
            // Every clock that can be held under T24 (D1–D3) starts through
            // `CaseWrite::start`, which holds it on a suspect case; the kinds
            // started here (D4R) run regardless.
            started(c.id, kind, &platform_policy(&plat)?, today, now).insert(txn).await?;
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
                let d = rclock::due(kind, k.start_on, &platform_policy(&plat)?, rclock::paused_days(paused), cal);
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

/// A clock started today, as it will be written.
pub fn started(
    case_id: i64,
    kind: ClockKind,
    policy: &ClockPolicy,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> clock::ActiveModel {
    let d = rclock::due(kind, today, policy, 0, Calendar::official());
    clock::ActiveModel {
        case_id: Set(case_id),
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

/// Sets a platform's own lengths for the policy clocks D1–D3 (Order 117 Art. 20:
/// the platform states its time limits). Legal clocks cannot be changed here.
/// Applies to clocks started from now on.
pub async fn set_policy(store: &Store, actor: &Actor, platform_id: i64, policy: ClockPolicy) -> Result<(), StoreError> {
    if !actor.platform_ids.contains(&platform_id) {
        return Err(StoreError::Forbidden);
    }
    policy.validate().map_err(|e| StoreError::Field(FieldError::form(e.zh(), e.to_string())))?;
    let p = platform::Entity::find_by_id(platform_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let mut a: platform::ActiveModel = p.into();
    a.policy_json = Set(serde_json::to_string(&policy).unwrap());
    a.update(&store.db).await?;
    Ok(())
}

/// Running clocks past their due date, by kind (for monitoring): a range on
/// `ix_clocks_status_due_id`, as long as the overdue are few.
pub async fn overdue_by_kind(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    use sea_orm::QuerySelect;
    Ok(clock::Entity::find()
        .select_only()
        .column(clock::Column::Kind)
        .column_as(clock::Column::Id.count(), "n")
        .filter(clock::Column::Status.eq(ClockStatus::Running.as_str()))
        .filter(clock::Column::DueOn.lt(store.today()))
        .group_by(clock::Column::Kind)
        .into_tuple()
        .all(&store.read)
        .await?)
}
