//! The day a closed record may go (`rules::retention`), written in the
//! transaction that closes it: a case's file and evidence when it reaches a
//! terminal state (`case::write`), a tip once both its branches have ended.
use crate::entity::{evidence, stream_session, tip};
use crate::StoreError;
use chrono::NaiveDate;
use redline_rules::retention::{case_file_until, evidence_until, tip_until};
use redline_rules::tip::{PlatformStatus, RegulatorStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// A case closed on `closed_on`: its evidence is kept until three years after
/// the later of the stream's end and the closure; the case file's own day is returned.
pub async fn case_closed<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
    stream_session_id: Option<i64>,
    closed_on: NaiveDate,
) -> Result<NaiveDate, StoreError> {
    let ended = match stream_session_id {
        Some(id) => stream_session::Entity::find_by_id(id).one(db).await?.and_then(|s| s.ended_at),
        None => None,
    };
    let until = evidence_until(closed_on, ended.map(crate::time::china_date));
    evidence::Entity::update_many()
        .col_expr(evidence::Column::RetainUntil, Expr::value(until))
        .filter(evidence::Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    Ok(case_file_until(closed_on))
}

/// Once the platform has answered a tip and the agency has ended its branch,
/// the tip is closed: kept one year, or three when the agency opened a case
/// on it or it belongs to a complaint. Idempotent: a date once set stays.
pub async fn tip_settled<C: ConnectionTrait>(db: &C, tip_id: i64, today: NaiveDate) -> Result<(), StoreError> {
    let t = tip::Entity::find_by_id(tip_id).one(db).await?.ok_or(StoreError::NotFound)?;
    let platform_done = t.platform_status != PlatformStatus::Reviewing.as_str();
    let agency_done = t.regulator_status.parse::<RegulatorStatus>().is_ok_and(|s| s.is_final());
    if t.retain_until.is_some() || !platform_done || !agency_done {
        return Ok(());
    }
    let with_case = t.d10_start_on.is_some() || t.linked_complaint_id.is_some();
    let (until, rule) = tip_until(today, with_case);
    tip::Entity::update_many()
        .col_expr(tip::Column::RetainUntil, Expr::value(until))
        .col_expr(tip::Column::RetainRule, Expr::value(rule.as_str()))
        .filter(tip::Column::Id.eq(tip_id))
        .filter(tip::Column::RetainUntil.is_null())
        .exec(db)
        .await?;
    Ok(())
}
