//! The overdue sweep: applies missed-deadline transitions (D1 → T5,
//! D2 → T9, D3 → T11) and flags missed replay preservation (D4) and records
//! requests (D4R), each exactly
//! once. Each clock is claimed by a conditional update (`RUNNING` → `EXPIRED`) inside the same transaction as the case transition, so a
//! second sweeper (another process, or a re-run after a crash) finds nothing to do.
use crate::case::write::CaseWrite;
use crate::case::{preservation, records, transition};
use crate::entity::{clock, complaint};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use redline_rules::case::{CaseEvent, Role};
use redline_rules::clock::{ClockKind, ClockStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, TransactionTrait};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct SweepReport {
    pub expired: usize,
    pub transitions: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// The event a missed clock fires; clocks without one only show as overdue
/// (D5–D7: no automatic effect; the agency acts itself, accepting under Order 121 Art. 15,
/// terminating under Art. 23(5) once D6 runs out, giving notice under Art. 23 ¶2).
fn expiry_event(kind: ClockKind) -> Option<CaseEvent> {
    match kind {
        ClockKind::D1 => Some(CaseEvent::D1Expired),
        ClockKind::D2 => Some(CaseEvent::D2Expired),
        ClockKind::D3 => Some(CaseEvent::D3Expired),
        _ => None,
    }
}

pub async fn sweep(store: &Store, batch: u64) -> Result<SweepReport, StoreError> {
    sweep_after(store, None, batch).await.map(|(r, _)| r)
}

/// Where a batch ended: the last clock's due date and id.
pub type After = Option<(NaiveDate, i64)>;

/// One batch of due clocks past `after`; returns where it ended so a caller
/// can page past clocks that failed instead of retrying them forever.
pub async fn sweep_after(store: &Store, after: After, batch: u64) -> Result<(SweepReport, After), StoreError> {
    let due = due_clocks(store, after, batch).await?;
    let last = due.last().map(|k| (k.due_on, k.id));
    Ok((fire(store, due).await?, last))
}

/// Running clocks with an effect that were due before `today`, past `after`,
/// in due order: the order of `ix_clocks_status_due_id`, so a batch reads
/// what is due and stops (ordered by id alone, PostgreSQL's generic plan
/// walked every clock by its key).
pub fn due_query(today: NaiveDate, after: After, batch: u64) -> Select<clock::Entity> {
    let kinds =
        [ClockKind::D1.code(), ClockKind::D2.code(), ClockKind::D3.code(), ClockKind::D4.code(), ClockKind::D4R.code()];
    let mut q = clock::Entity::find()
        .filter(clock::Column::Status.eq(ClockStatus::Running.as_str()))
        .filter(clock::Column::DueOn.lt(today))
        .filter(clock::Column::Kind.is_in(kinds));
    if let Some((due, id)) = after {
        let due_id = Expr::tuple([Expr::col(clock::Column::DueOn), Expr::col(clock::Column::Id)]);
        q = q.filter(due_id.gt(Expr::tuple([due.into(), id.into()])));
    }
    q.order_by_asc(clock::Column::DueOn).order_by_asc(clock::Column::Id).limit(batch)
}

/// The due clocks of [`due_query`]. The list may be stale by the time it is
/// fired: another sweeper may have claimed some of them meanwhile.
pub async fn due_clocks(store: &Store, after: After, batch: u64) -> Result<Vec<clock::Model>, StoreError> {
    Ok(due_query(store.today(), after, batch).all(&store.db).await?)
}

/// Fires listed clocks, each claimed in its own transaction; a clock someone
/// else claimed since it was listed is skipped.
pub async fn fire(store: &Store, due: Vec<clock::Model>) -> Result<SweepReport, StoreError> {
    let now = store.now();
    let mut report = SweepReport::default();
    for k in due {
        // A kind this code does not know is reported, not skipped in silence.
        let kind = match k.clock_kind() {
            Ok(kind) => kind,
            Err(e) => {
                tracing::error!(clock = k.id, error = %e, "sweep: clock not understood");
                report.failed += 1;
                continue;
            }
        };
        let event = expiry_event(kind);
        if event.is_none() && !matches!(kind, ClockKind::D4 | ClockKind::D4R) {
            continue;
        }
        let txn = store.db.begin().await?;
        let claimed = clock::Entity::update_many()
            .col_expr(clock::Column::Status, Expr::value(ClockStatus::Expired.as_str()))
            .col_expr(clock::Column::StoppedAt, Expr::value(now))
            .filter(clock::Column::Id.eq(k.id))
            .filter(clock::Column::Status.eq(ClockStatus::Running.as_str()))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            report.skipped += 1;
            continue;
        }
        // `expired` counts committed claims only: a rolled-back one is tried again.
        let Some(event) = event else {
            // D4, D4R: a flag for the regulator, no state change (Order 117 Arts. 16, 18).
            let flagged = if kind == ClockKind::D4 {
                preservation::mark_overdue(&txn, k.case_id, now).await
            } else {
                records::mark_overdue(&txn, k.case_id, now).await
            };
            match flagged {
                Ok(()) => {
                    txn.commit().await?;
                    report.expired += 1;
                }
                Err(e) => {
                    tracing::error!(clock = k.id, error = %e, "flagging a missed D4/D4R clock failed");
                    txn.rollback().await?;
                    report.failed += 1;
                }
            }
            continue;
        };
        let c = complaint::Entity::find_by_id(k.case_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let payload = serde_json::json!({ "clock": k.kind, "due_on": k.due_on.to_string() });
        // The claim above changed a clock: the nearest due date is read again.
        let mut w = CaseWrite::new(c);
        w.clocks_changed();
        let applied = match transition::apply_in_txn(&txn, &mut w, event, Role::System, None, payload, now).await {
            Ok(()) => w.finish(&txn).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match applied {
            Ok(()) => report.transitions += 1,
            // The case moved on by other means; the clock stays expired and the
            // case's queue position follows its remaining clocks.
            Err(StoreError::Transition(e)) => {
                tracing::warn!(clock = k.id, error = %e, "expired clock fired no transition");
                let due = crate::case::clocks::next_due(&txn, k.case_id).await?;
                complaint::Entity::update_many()
                    .col_expr(complaint::Column::NextDueOn, Expr::value(due))
                    .filter(complaint::Column::Id.eq(k.case_id))
                    .exec(&txn)
                    .await?;
            }
            // One broken case must not stall every later clock: leave it for the next run.
            Err(e) => {
                tracing::error!(clock = k.id, error = %e, "overdue transition failed");
                txn.rollback().await?;
                report.failed += 1;
                continue;
            }
        }
        txn.commit().await?;
        report.expired += 1;
    }
    Ok(report)
}
