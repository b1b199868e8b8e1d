//! The retention dates of records closed before retention existed (m022):
//! each closed case gets its case file's day from its last change (its
//! closing), its evidence the same day (the stream ended before the closure
//! in every case Redline filed); each tip whose two branches have ended gets
//! its day by `rules::retention::tip_until`. Written a chunk of ids at a time,
//! grouped by day. Without it, nothing closed earlier would ever be deleted.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use redline_rules::case::CaseState;
use redline_rules::retention::{case_file_until, tip_until};
use redline_rules::tip::{PlatformStatus, RegulatorStatus};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use std::collections::BTreeMap;

fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8")).date_naive()
}

#[derive(FromQueryResult)]
struct CaseRow {
    id: i64,
    updated_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
struct TipRow {
    id: i64,
    updated_at: DateTime<Utc>,
    platform_status: String,
    regulator_status: String,
    d10_start_on: Option<NaiveDate>,
    linked_complaint_id: Option<i64>,
}

async fn write(
    m: &SchemaManager<'_>,
    table: &str,
    days: BTreeMap<(NaiveDate, Option<&str>), Vec<i64>>,
) -> Result<(), DbErr> {
    let db = m.get_connection();
    for ((day, rule), ids) in days {
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            let rule = rule.map(|r| format!(", retain_rule = '{r}'")).unwrap_or_default();
            db.execute_unprepared(&format!("UPDATE {table} SET retain_until = '{day}'{rule} WHERE id IN ({list})"))
                .await?;
            if table == "complaints" {
                db.execute_unprepared(&format!("UPDATE evidence SET retain_until = '{day}' WHERE case_id IN ({list})"))
                    .await?;
            }
        }
    }
    Ok(())
}

pub async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let b = db.get_database_backend();
    let closed: Vec<String> =
        CaseState::ALL.iter().filter(|s| s.is_terminal()).map(|s| format!("'{}'", s.as_str())).collect();
    let sql = format!(
        "SELECT id, updated_at FROM complaints WHERE retain_until IS NULL AND state IN ({})",
        closed.join(", ")
    );
    let mut days: BTreeMap<(NaiveDate, Option<&str>), Vec<i64>> = BTreeMap::new();
    for r in CaseRow::find_by_statement(Statement::from_string(b, sql)).all(db).await? {
        days.entry((case_file_until(beijing_date(r.updated_at)), None)).or_default().push(r.id);
    }
    write(m, "complaints", days).await?;
    let sql = "SELECT id, updated_at, platform_status, regulator_status, d10_start_on, linked_complaint_id \
               FROM tips WHERE retain_until IS NULL";
    let mut days: BTreeMap<(NaiveDate, Option<&str>), Vec<i64>> = BTreeMap::new();
    for t in TipRow::find_by_statement(Statement::from_string(b, sql)).all(db).await? {
        let platform_done = t.platform_status != PlatformStatus::Reviewing.as_str();
        let agency_done = t.regulator_status.parse::<RegulatorStatus>().is_ok_and(|s| s.is_final());
        if platform_done && agency_done {
            let with_case = t.d10_start_on.is_some() || t.linked_complaint_id.is_some();
            let (until, rule) = tip_until(beijing_date(t.updated_at), with_case);
            days.entry((until, Some(rule.as_str()))).or_default().push(t.id);
        }
    }
    write(m, "tips", days).await
}
