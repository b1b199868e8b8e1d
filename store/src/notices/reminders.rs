//! Reminders at 75 % of a clock and notices once it is overdue.
use super::compose::{audience_contacts, org_contacts, row, write};
use crate::actor::ORG_AGENCY;
use crate::api::webhooks::{Announce, CASE_DEADLINE_APPROACHING};
use crate::entity::{clock, complaint, tip};
use crate::{Store, StoreError};
use chrono::Duration;
use redline_rules::calendar::Calendar;
use redline_rules::clock as rclock;
use redline_rules::notify::{self, Kind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

/// Reminders at 75 % of a clock and notices once it is overdue, for running
/// case clocks and tips under D9. Each clock is claimed once per stage by a
/// conditional update in the transaction that writes its notifications, so a
/// run (or another process) does no work for clocks already handled.
pub async fn remind_clocks(store: &Store) -> Result<usize, StoreError> {
    const REMINDED: i32 = 1;
    const OVERDUE: i32 = 2;
    let now = store.now();
    let today = store.today();
    let cal = Calendar::official();
    let mut n = 0;
    // 75 % of the longest clock (D6, 60 days) is reached within 15 days of its due date.
    let clocks = clock::Entity::find()
        .filter(clock::Column::Status.eq("RUNNING"))
        .filter(clock::Column::Notified.lt(OVERDUE))
        .filter(clock::Column::DueOn.lte(today + Duration::days(16)))
        .order_by_asc(clock::Column::DueOn)
        .limit(1000)
        .all(&store.db)
        .await?;
    for k in clocks {
        let kind = match k.clock_kind() {
            Ok(kind) => kind,
            Err(e) => {
                tracing::error!(clock = k.id, error = %e, "reminders: clock not understood");
                continue;
            }
        };
        let remaining = if k.calendar == "working" {
            rclock::remaining_working_days(cal, today, k.due_on)
        } else {
            rclock::remaining_natural_days(today, k.due_on)
        };
        let (stage, notice) = if rclock::is_overdue(today, k.due_on) {
            (OVERDUE, Kind::ClockOverdue)
        } else if notify::reminder_due(k.days as u32, remaining) {
            (REMINDED, Kind::ClockReminder)
        } else {
            continue;
        };
        if stage <= k.notified {
            continue;
        }
        let txn = store.db.begin().await?;
        let claimed = clock::Entity::update_many()
            .col_expr(clock::Column::Notified, Expr::value(stage))
            .filter(clock::Column::Id.eq(k.id))
            .filter(clock::Column::Notified.lt(stage))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(c) = complaint::Entity::find_by_id(k.case_id).one(&txn).await? else { continue };
        let detail = format!("{} · {}", kind.code(), k.due_on);
        let link = format!("/cases/{}", c.case_no);
        let rows: Vec<_> = audience_contacts(&txn, &c, notify::bound_party(kind))
            .await?
            .iter()
            .map(|p| {
                let dedup = format!("clock:{}:{}:u{}", k.id, notice.as_str(), p.user_id.unwrap_or_default());
                row(p, notice, &c.case_no, &link, Some(&detail), &dedup, now)
            })
            .collect();
        // D5 missed: the consumer is told where to follow it up (Order 121 Art. 15).
        let also = match notify::also_told_when_overdue(kind) {
            Some((audience, also_kind)) if stage == OVERDUE => audience_contacts(&txn, &c, audience)
                .await?
                .iter()
                .map(|p| {
                    let dedup = format!("clock:{}:{}:u{}", k.id, also_kind.as_str(), p.user_id.unwrap_or_default());
                    row(p, also_kind, &c.case_no, &link, Some(&detail), &dedup, now)
                })
                .collect(),
            _ => Vec::new(),
        };
        let rows: Vec<_> = rows.into_iter().chain(also).collect();
        n += rows.len();
        write(&txn, rows).await?;
        // A platform's (or operator's) own clock nearing its end: their systems hear of it in working hours.
        if stage == REMINDED && matches!(kind, rclock::ClockKind::D1 | rclock::ClockKind::D3 | rclock::ClockKind::D4) {
            let data = serde_json::json!({ "clock": kind.code(), "due_on": k.due_on, "days_left": remaining });
            let mut a = Announce::of_case(&c, CASE_DEADLINE_APPROACHING, data);
            if kind != rclock::ClockKind::D1 {
                a.operator_id = None;
            }
            crate::api::webhooks::enqueue_from(&txn, &[a], now, super::compose::next_working_utc(now)).await?;
        }
        txn.commit().await?;
    }
    // D9: the 75 % reminder, once per due date (a restart or an extension moves it);
    // missed D9s are flagged by `tips::flag_overdue`.
    let tips = tip::Entity::find()
        .filter(tip::Column::RegulatorStatus.eq("VERIFYING"))
        .filter(tip::Column::D9DueOn.gte(today))
        .filter(tip::Column::D9DueOn.lte(today + Duration::days(45)))
        .limit(1000)
        .all(&store.db)
        .await?;
    for t in tips {
        let (Some(due), Some(ag)) = (t.d9_due_on, t.agency_id) else { continue };
        let days = redline_rules::tip::D9_DAYS + if t.d9_extended { redline_rules::tip::D9_EXTENSION } else { 0 };
        if t.d9_reminded_for == Some(due)
            || !notify::reminder_due(days, rclock::remaining_working_days(cal, today, due))
        {
            continue;
        }
        let txn = store.db.begin().await?;
        let claimed = tip::Entity::update_many()
            .col_expr(tip::Column::D9RemindedFor, Expr::value(Some(due)))
            .filter(tip::Column::Id.eq(t.id))
            .filter(tip::Column::D9DueOn.eq(due))
            .filter(
                sea_orm::Condition::any()
                    .add(tip::Column::D9RemindedFor.is_null())
                    .add(tip::Column::D9RemindedFor.ne(due)),
            )
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let link = format!("/staff/tips/{}", t.tip_no);
        let detail = format!("D9 · {due}");
        let rows: Vec<_> = org_contacts(&txn, ORG_AGENCY, ag)
            .await?
            .iter()
            .map(|p| {
                let dedup = format!("tip:{}:d9:{}:75:u{}", t.id, due, p.user_id.unwrap_or_default());
                row(p, Kind::ClockReminder, &t.tip_no, &link, Some(&detail), &dedup, now)
            })
            .collect();
        n += rows.len();
        write(&txn, rows).await?;
        txn.commit().await?;
    }
    Ok(n)
}
