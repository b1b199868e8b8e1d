//! Rebuilds the desk's rows (`desk_weeks`, `desk_facets`) from the last year
//! of cases: three grouped reads (cases, their watched clocks, the resolved
//! cases' dates), folded in Rust into a row per week, place and platform and a
//! row per offered period, place and room, written in one transaction. Run by
//! the `desk` job at most every `fresh`, by one process at a time.
use crate::entity::typed::states_sql;
use crate::entity::{desk_facet, desk_run, desk_week};
use crate::jurisdiction::Jurisdiction;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use redline_rules::calendar::Calendar;
use redline_rules::case::CaseState;
use redline_rules::clock::{ClockKind, ClockStatus};
use redline_rules::desk::{holder, working_days, Kept, Tally, PERIODS, RESOLVED, WATCHED};
use redline_rules::intake::Category;
use redline_rules::rating::{facet as rating_facet, Axis, Handler};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryResult, Set, Statement,
    TransactionTrait,
};
use std::collections::HashMap;

/// A desk row's key: the week, the case's place, the platform, operator and room.
type Key = (NaiveDate, String, i64, i64, i64);

/// SQL for the Beijing date of a timestamp column, as 'YYYY-MM-DD' text; and
/// for the Monday of its week.
fn china_day(b: DatabaseBackend, col: &str) -> String {
    match b {
        DatabaseBackend::Postgres => format!("to_char({col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"),
        _ => format!("date({col}, '+8 hours')"),
    }
}
/// SQL for the Beijing date of a timestamp column, as a date (to compare with a date column).
pub(crate) fn china_date(b: DatabaseBackend, col: &str) -> String {
    match b {
        DatabaseBackend::Postgres => format!("(({col}) AT TIME ZONE 'Asia/Shanghai')::date"),
        _ => format!("date({col}, '+8 hours')"),
    }
}
fn china_week(b: DatabaseBackend, col: &str) -> String {
    match b {
        DatabaseBackend::Postgres => {
            format!("to_char(date_trunc('week', {col} AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')")
        }
        // 'weekday 0' moves to the coming Sunday (or stays on one): six days back is Monday.
        _ => format!("date({col}, '+8 hours', 'weekday 0', '-6 days')"),
    }
}

fn day(r: &QueryResult, i: usize) -> Result<NaiveDate, StoreError> {
    let s: String = r.try_get_by_index(i)?;
    s.parse().map_err(|_| StoreError::Corrupt(format!("desk: a date reads {s:?}")))
}

/// Where a case counts: the region of the agency handling it once it reached
/// market supervision (so a case moved under Order 121 Art. 41 counts where it
/// is handled, as the agency's list shows it), else the first place of
/// jurisdiction recorded at filing ("" when none). The column holds either a
/// region code or the recorded JSON.
fn place(cache: &mut HashMap<String, String>, code_or_json: &str) -> String {
    if code_or_json.len() == 6 && code_or_json.bytes().all(|b| b.is_ascii_digit()) {
        return code_or_json.to_owned();
    }
    cache
        .entry(code_or_json.to_owned())
        .or_insert_with(|| {
            serde_json::from_str::<Vec<Jurisdiction>>(code_or_json)
                .ok()
                .and_then(|v| v.into_iter().next())
                .map(|j| j.region)
                .unwrap_or_default()
        })
        .clone()
}

/// The row key a grouped read starts with: week, place, platform, operator, room.
fn key_of(r: &QueryResult, places: &mut HashMap<String, String>) -> Result<Key, StoreError> {
    Ok((
        day(r, 0)?,
        place(places, &r.try_get_by_index::<String>(1)?),
        r.try_get_by_index(2)?,
        r.try_get_by_index(3)?,
        r.try_get_by_index(4)?,
    ))
}

/// Claims this run: true for the one process that moves `desk_runs` on (or
/// writes its first row); false while the rows are fresh or another process
/// claimed the run.
async fn claim(store: &Store, now: DateTime<Utc>, fresh: Duration) -> Result<bool, StoreError> {
    let moved = desk_run::Entity::update_many()
        .col_expr(desk_run::Column::ComputedAt, sea_orm::sea_query::Expr::value(now))
        .filter(desk_run::Column::Id.eq(1))
        .filter(desk_run::Column::ComputedAt.lte(now - fresh))
        .exec(&store.db)
        .await?;
    if moved.rows_affected == 1 {
        return Ok(true);
    }
    let first = desk_run::Entity::insert(desk_run::ActiveModel { id: Set(1), computed_at: Set(now) })
        .on_conflict(sea_orm::sea_query::OnConflict::column(desk_run::Column::Id).do_nothing().to_owned())
        .exec_without_returning(&store.db)
        .await?;
    Ok(first == 1)
}

/// Rebuilds the desk's rows unless they were rebuilt within `fresh` (or
/// another process is rebuilding them): the rows written, or None.
pub async fn rebuild(store: &Store, fresh: Duration) -> Result<Option<u64>, StoreError> {
    let now = store.now();
    if !claim(store, now, fresh).await? {
        return Ok(None);
    }
    let b = store.read.get_database_backend();
    let p = |i: usize| if b == DatabaseBackend::Postgres { format!("${i}") } else { "?".to_owned() };
    let today = store.today();
    let first = PERIODS.iter().map(|p| p.first_week(today)).min().unwrap_or(today);
    let since = crate::time::china_midnight(first);
    let week = china_week(b, "c.created_at");
    let mut places = HashMap::new();
    let mut rows: HashMap<Key, Tally> = HashMap::new();
    let mut facets: HashMap<(NaiveDate, String, i64, &'static str, String), i64> = HashMap::new();

    // 1. The cases, grouped by what the desk tells apart.
    let sql = format!(
        "SELECT {week}, COALESCE(ag.region_code, c.jurisdiction_json), c.platform_id, c.operator_id, c.live_room_id, c.state, \
           CAST(CASE WHEN c.agency_id IS NOT NULL THEN 1 ELSE 0 END AS BIGINT), \
           CAST(CASE WHEN EXISTS (SELECT 1 FROM clocks k WHERE k.case_id = c.id AND k.kind = 'D3') THEN 1 ELSE 0 END AS BIGINT), \
           c.categories_json, COUNT(*) \
         FROM complaints c LEFT JOIN agencies ag ON ag.id = c.agency_id \
         WHERE c.created_at >= {} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
        p(1)
    );
    for r in store.read.query_all_raw(Statement::from_sql_and_values(b, sql, [since.into()])).await? {
        let key = key_of(&r, &mut places)?;
        let state: String = r.try_get_by_index(5)?;
        let state: CaseState = state.parse().map_err(|_| StoreError::Corrupt(format!("desk: state {state:?}")))?;
        let (regulator, platform): (i64, i64) = (r.try_get_by_index(6)?, r.try_get_by_index(7)?);
        let n: i64 = r.try_get_by_index(9)?;
        let t = rows.entry(key.clone()).or_default();
        t.received += n;
        t.to_regulator += regulator * n;
        t.to_platform += (regulator | platform) * n;
        match holder(state) {
            Some(i) => t.open[i] += n,
            None => t.closed += n,
        }
        if RESOLVED.contains(&state) {
            t.resolved += n;
        }
        let cats: Vec<Category> = serde_json::from_str(&r.try_get_by_index::<String>(8)?).unwrap_or_default();
        for c in cats {
            *facets.entry((key.0, key.1.clone(), key.2, "category", c.as_str().to_owned())).or_default() += n;
        }
    }

    // 2. The watched clocks: ended when stopped, expired by the sweep (D1, D3)
    // or running past the due day; in time when stopped on or before it in
    // Beijing (D5 and D6 have no automatic effect, so a late one is stopped late).
    let kinds = WATCHED.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ");
    let (expired, running, stopped) =
        (ClockStatus::Expired.as_str(), ClockStatus::Running.as_str(), ClockStatus::Stopped.as_str());
    let sql = format!(
        "SELECT {week}, COALESCE(ag.region_code, c.jurisdiction_json), c.platform_id, c.operator_id, c.live_room_id, k.kind, \
           SUM(CASE WHEN k.status = '{stopped}' OR k.status = '{expired}' \
                      OR (k.status = '{running}' AND k.due_on < {today}) THEN 1 ELSE 0 END), \
           SUM(CASE WHEN k.status = '{stopped}' AND {stopped_on} <= k.due_on THEN 1 ELSE 0 END) \
         FROM clocks k JOIN complaints c ON c.id = k.case_id LEFT JOIN agencies ag ON ag.id = c.agency_id \
         WHERE c.created_at >= {since} AND k.kind IN ({kinds}) GROUP BY 1, 2, 3, 4, 5, 6",
        today = p(1),
        since = p(2),
        stopped_on = china_date(b, "k.stopped_at"),
    );
    let values = [today.into(), since.into()];
    for r in store.read.query_all_raw(Statement::from_sql_and_values(b, sql, values)).await? {
        let key = key_of(&r, &mut places)?;
        let kind: String = r.try_get_by_index(5)?;
        let Some(i) = kind.parse::<ClockKind>().ok().and_then(|k| WATCHED.iter().position(|w| *w == k)) else {
            continue;
        };
        let kept = Kept { ended: r.try_get_by_index(6)?, in_time: r.try_get_by_index(7)? };
        let t = rows.entry(key).or_default();
        t.kept[i].ended += kept.ended;
        t.kept[i].in_time += kept.in_time;
    }

    // 3. How many working days the resolved cases took, from filing to closing
    // (a closed case changes no more: its last change is its closing).
    let sql = format!(
        "SELECT {week}, COALESCE(ag.region_code, c.jurisdiction_json), c.platform_id, {}, {}, COUNT(*) FROM complaints c \
         LEFT JOIN agencies ag ON ag.id = c.agency_id WHERE c.created_at >= {} AND c.state IN ({}) GROUP BY 1, 2, 3, 4, 5",
        china_day(b, "c.created_at"),
        china_day(b, "c.updated_at"),
        p(1),
        states_sql(RESOLVED)
    );
    let cal = Calendar::official();
    for r in store.read.query_all_raw(Statement::from_sql_and_values(b, sql, [since.into()])).await? {
        let (w, place, platform) =
            (day(&r, 0)?, place(&mut places, &r.try_get_by_index::<String>(1)?), r.try_get_by_index(2)?);
        let took = working_days(cal, day(&r, 3)?, day(&r, 4)?);
        *facets.entry((w, place, platform, "days", took.to_string())).or_default() += r.try_get_by_index::<i64>(5)?;
    }

    // 4. The consumers' ratings (T7): stars per party and axis, by the case's week and place.
    let sql = format!(
        "SELECT {week}, COALESCE(ag.region_code, c.jurisdiction_json), c.platform_id, r.handler, \
           r.attitude, r.speed, r.outcome, COUNT(*) FROM ratings r JOIN complaints c ON c.id = r.case_id \
         LEFT JOIN agencies ag ON ag.id = c.agency_id WHERE c.created_at >= {} GROUP BY 1, 2, 3, 4, 5, 6, 7",
        p(1)
    );
    for r in store.read.query_all_raw(Statement::from_sql_and_values(b, sql, [since.into()])).await? {
        let (w, place, platform) =
            (day(&r, 0)?, place(&mut places, &r.try_get_by_index::<String>(1)?), r.try_get_by_index(2)?);
        let Ok(h) = r.try_get_by_index::<String>(3)?.parse::<Handler>() else { continue };
        let n: i64 = r.try_get_by_index(7)?;
        for (i, a) in Axis::ALL.iter().enumerate() {
            let stars: i16 = r.try_get_by_index(4 + i)?;
            let value = format!("{}:{stars}", a.as_str());
            *facets.entry((w, place.clone(), platform, rating_facet(h), value)).or_default() += n;
        }
    }

    // A week's row per place and platform, and each period's row per place and room.
    let mut folded: HashMap<(i32, NaiveDate, String, i64, i64, i64), Tally> = HashMap::new();
    let periods: Vec<(i32, NaiveDate)> = PERIODS.iter().map(|p| (p.weeks() as i32, p.first_week(today))).collect();
    for ((week, place, platform, operator, room), t) in rows {
        *folded.entry((0, week, place.clone(), platform, 0, 0)).or_default() += t;
        for (p, first) in &periods {
            if week >= *first {
                *folded.entry((*p, *first, place.clone(), platform, operator, room)).or_default() += t;
            }
        }
    }
    let weeks: Vec<desk_week::ActiveModel> = folded
        .into_iter()
        .map(|((period, week, place, platform, operator, room), t)| desk_week::ActiveModel {
            id: Default::default(),
            period: Set(period),
            week: Set(week),
            place: Set(place),
            platform_id: Set(platform),
            operator_id: Set(operator),
            live_room_id: Set(room),
            received: Set(t.received),
            to_platform: Set(t.to_platform),
            to_regulator: Set(t.to_regulator),
            open_operator: Set(t.open[0]),
            open_platform: Set(t.open[1]),
            open_regulator: Set(t.open[2]),
            closed: Set(t.closed),
            resolved: Set(t.resolved),
            d1_ended: Set(t.kept[0].ended),
            d1_in_time: Set(t.kept[0].in_time),
            d3_ended: Set(t.kept[1].ended),
            d3_in_time: Set(t.kept[1].in_time),
            d5_ended: Set(t.kept[2].ended),
            d5_in_time: Set(t.kept[2].in_time),
            d6_ended: Set(t.kept[3].ended),
            d6_in_time: Set(t.kept[3].in_time),
        })
        .collect();
    let facets: Vec<desk_facet::ActiveModel> = facets
        .into_iter()
        .map(|((week, place, platform, facet, value), n)| desk_facet::ActiveModel {
            id: Default::default(),
            week: Set(week),
            place: Set(place),
            platform_id: Set(platform),
            facet: Set(facet.to_owned()),
            value: Set(value),
            n: Set(n),
        })
        .collect();
    let written = weeks.len() as u64;
    let txn = store.db.begin().await?;
    desk_week::Entity::delete_many().exec(&txn).await?;
    desk_facet::Entity::delete_many().exec(&txn).await?;
    for chunk in weeks.chunks(500) {
        desk_week::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    for chunk in facets.chunks(500) {
        desk_facet::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(Some(written))
}
