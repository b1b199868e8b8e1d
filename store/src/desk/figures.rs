//! What a desk shows (`rules::desk`), read from the weekly rows: three grouped
//! reads over the scope's weeks, whatever the number of cases. A regulator's
//! scope is its region's places; a platform's, its own rooms.
use crate::actor::Actor;
use crate::entity::{agency, desk_run, live_room, operator, platform};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::desk::{median, By, Kept, Line, Period, Tally};
use redline_rules::intake::Category;
use redline_rules::jurisdiction::region::Region;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement, Value};
use std::collections::{BTreeMap, HashMap};

/// Whose cases a desk counts.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// The places a regulator's agencies cover, as ranges of region codes
    /// (no upper end: the country).
    Region(Vec<(String, Option<String>)>),
    /// A platform's own rooms.
    Platforms(Vec<i64>),
}

/// The desk a signed-in person may open: market supervision's region first;
/// None for anyone else.
pub async fn scope_of(store: &Store, actor: &Actor) -> Result<Option<Scope>, StoreError> {
    if !actor.agency_ids.is_empty() {
        let agencies =
            agency::Entity::find().filter(agency::Column::Id.is_in(actor.agency_ids.clone())).all(&store.read).await?;
        let ranges =
            agencies.iter().filter_map(|a| Region::parse(&a.region_code).ok()).map(|r| r.covered_codes()).collect();
        return Ok(Some(Scope::Region(ranges)));
    }
    if !actor.platform_ids.is_empty() {
        return Ok(Some(Scope::Platforms(actor.platform_ids.clone())));
    }
    Ok(None)
}

/// A narrower view inside the scope: one platform, or one operator.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Narrow {
    pub platform: Option<i64>,
    pub operator: Option<i64>,
}

pub struct Desk {
    pub period: Period,
    pub first_week: NaiveDate,
    pub total: Tally,
    pub median_days: Option<i64>,
    /// Every week of the period, oldest first, zeros where nothing was filed.
    pub weeks: Vec<(NaiveDate, Tally)>,
    /// By platform, most complaints first.
    pub platforms: Vec<Line>,
    /// By the chosen breakdown (the same as `platforms` for `By::Platform`), at most `LINES`.
    pub lines: Vec<Line>,
    /// Categories, most named first (a case may name several).
    pub categories: Vec<(Category, i64)>,
    pub computed_at: Option<DateTime<Utc>>,
    /// The name of the operator narrowed to, if any.
    pub operator_name: Option<String>,
    /// The consumers' ratings (T7) of each party that handled cases, in `Handler::ALL` order.
    pub ratings: Vec<Rated>,
}

/// One party's ratings in the scope and period: average stars per axis
/// (attitude, speed, outcome) and how many cases rated it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rated {
    pub handler: redline_rules::rating::Handler,
    pub averages: [Option<f64>; 3],
    pub cases: i64,
}

/// Lines a table shows at most; the CSV has the same.
pub const LINES: u64 = 200;

const SUMS: [&str; 16] = [
    "received",
    "to_platform",
    "to_regulator",
    "open_operator",
    "open_platform",
    "open_regulator",
    "closed",
    "resolved",
    "d1_ended",
    "d1_in_time",
    "d3_ended",
    "d3_in_time",
    "d5_ended",
    "d5_in_time",
    "d6_ended",
    "d6_in_time",
];

fn sums() -> String {
    SUMS.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT)")).collect::<Vec<_>>().join(", ")
}

/// The counts from column `at` on, in the order of `SUMS`.
fn tally(r: &sea_orm::QueryResult, at: usize) -> Result<Tally, StoreError> {
    let n = |i: usize| r.try_get_by_index::<Option<i64>>(at + i).map(|v| v.unwrap_or(0));
    let kept = |i: usize| -> Result<Kept, StoreError> { Ok(Kept { ended: n(i)?, in_time: n(i + 1)? }) };
    Ok(Tally {
        received: n(0)?,
        to_platform: n(1)?,
        to_regulator: n(2)?,
        open: [n(3)?, n(4)?, n(5)?],
        closed: n(6)?,
        resolved: n(7)?,
        kept: [kept(8)?, kept(10)?, kept(12)?, kept(14)?],
    })
}

/// The WHERE clause of a scope, period and narrowing, with its values.
struct Where {
    sql: String,
    values: Vec<Value>,
    backend: DatabaseBackend,
}

/// Which rows a statement reads.
#[derive(Clone, Copy)]
enum Rows {
    /// A week's rows (`desk_weeks` period 0, or `desk_facets`) from this Monday on.
    Weeks(NaiveDate),
    /// One period's rows per room (`desk_weeks` period 4, 13 or 52).
    Period(Period, NaiveDate),
}

impl Where {
    /// `narrow.operator` applies to period rows only: week rows and facets
    /// are kept per platform.
    fn new(backend: DatabaseBackend, scope: &Scope, rows: Rows, narrow: Narrow, facets: bool) -> Where {
        let mut w = Where { sql: String::new(), values: Vec::new(), backend };
        w.sql = match rows {
            Rows::Weeks(first) => {
                let week = w.bind(first.into());
                if facets {
                    format!("week >= {week}")
                } else {
                    format!("period = 0 AND week >= {week}")
                }
            }
            Rows::Period(p, first) => {
                let (n, week) = (w.bind((p.weeks() as i32).into()), w.bind(first.into()));
                format!("period = {n} AND week = {week}")
            }
        };
        match scope {
            Scope::Region(ranges) => {
                let mut any = Vec::new();
                for (lo, hi) in ranges {
                    let lo = w.bind(lo.clone().into());
                    match hi {
                        Some(hi) => {
                            let hi = w.bind(hi.clone().into());
                            any.push(format!("(place >= {lo} AND place < {hi})"));
                        }
                        None => any.push(format!("place >= {lo}")),
                    }
                }
                // No covered region: nothing at all.
                let any = if any.is_empty() { "1 = 0".to_owned() } else { any.join(" OR ") };
                w.sql += &format!(" AND ({any})");
            }
            Scope::Platforms(ids) => {
                let ids = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
                w.sql += &format!(" AND platform_id IN ({})", if ids.is_empty() { "-1".to_owned() } else { ids });
            }
        }
        if let Some(p) = narrow.platform {
            let p = w.bind(p.into());
            w.sql += &format!(" AND platform_id = {p}");
        }
        if let (Some(o), Rows::Period(..)) = (narrow.operator, rows) {
            let o = w.bind(o.into());
            w.sql += &format!(" AND operator_id = {o}");
        }
        w
    }
    fn bind(&mut self, v: Value) -> String {
        self.values.push(v);
        if self.backend == DatabaseBackend::Postgres {
            format!("${}", self.values.len())
        } else {
            "?".to_owned()
        }
    }
    fn statement(&self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values.clone())
    }
}

fn date(r: &sea_orm::QueryResult, i: usize) -> Result<NaiveDate, StoreError> {
    Ok(r.try_get_by_index::<NaiveDate>(i)?)
}

pub async fn desk(store: &Store, scope: &Scope, period: Period, by: By, narrow: Narrow) -> Result<Desk, StoreError> {
    let b = store.read.get_database_backend();
    let first_week = period.first_week(store.today());
    let computed_at: Option<DateTime<Utc>> =
        desk_run::Entity::find_by_id(1).one(&store.read).await?.map(|r| r.computed_at);

    // 1. By platform and week: the totals, the weekly chart and the platforms'
    // lines (a platform's, when narrowed to one of its operators).
    let w = Where::new(b, scope, Rows::Weeks(first_week), narrow, false);
    let sql =
        format!("SELECT platform_id, week, {} FROM desk_weeks WHERE {} GROUP BY platform_id, week", sums(), w.sql);
    let mut total = Tally::default();
    let mut weeks: BTreeMap<NaiveDate, Tally> =
        period.mondays(store.today()).into_iter().map(|d| (d, Tally::default())).collect();
    let mut per_platform: HashMap<i64, Tally> = HashMap::new();
    for r in store.read.query_all_raw(w.statement(sql)).await? {
        let t = tally(&r, 2)?;
        total += t;
        *weeks.entry(date(&r, 1)?).or_default() += t;
        *per_platform.entry(r.try_get_by_index(0)?).or_default() += t;
    }

    // 2. Categories and days to resolution, per platform.
    let f = Where::new(b, scope, Rows::Weeks(first_week), narrow, true);
    let sql = format!(
        "SELECT platform_id, facet, value, CAST(SUM(n) AS BIGINT) FROM desk_facets WHERE {} GROUP BY platform_id, facet, value",
        f.sql
    );
    let mut categories: HashMap<Category, i64> = HashMap::new();
    let mut days: Vec<(i64, i64)> = Vec::new();
    let mut platform_days: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    // Per party, per axis: (stars × cases, cases).
    let mut stars_of: HashMap<redline_rules::rating::Handler, [(i64, i64); 3]> = HashMap::new();
    for r in store.read.query_all_raw(f.statement(sql)).await? {
        let (platform, facet, value, n): (i64, String, String, i64) =
            (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?, r.try_get_by_index(3)?);
        match facet.as_str() {
            "category" => {
                if let Ok(c) = value.parse::<Category>() {
                    *categories.entry(c).or_default() += n;
                }
            }
            "days" => {
                let d: i64 = value.parse().map_err(|_| StoreError::Corrupt(format!("desk: days {value:?}")))?;
                days.push((d, n));
                platform_days.entry(platform).or_default().push((d, n));
            }
            f if f.starts_with("rating:") => {
                let handler = f["rating:".len()..].parse::<redline_rules::rating::Handler>();
                let (axis, stars) = value.split_once(':').unwrap_or_default();
                let axis = redline_rules::rating::Axis::ALL.iter().position(|a| a.as_str() == axis);
                if let (Ok(h), Some(i), Ok(stars)) = (handler, axis, stars.parse::<i64>()) {
                    let e = stars_of.entry(h).or_default();
                    e[i].0 += stars * n;
                    e[i].1 += n;
                }
            }
            _ => {}
        }
    }
    let ratings: Vec<Rated> = redline_rules::rating::Handler::ALL
        .iter()
        .filter_map(|h| {
            let s = stars_of.get(h)?;
            let averages = [0, 1, 2].map(|i| redline_rules::rating::average(s[i].0, s[i].1));
            Some(Rated { handler: *h, averages, cases: s[0].1 })
        })
        .collect();
    let names: HashMap<i64, String> = platform::Entity::find()
        .filter(platform::Column::Id.is_in(per_platform.keys().copied().collect::<Vec<_>>()))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut platforms: Vec<Line> = per_platform
        .into_iter()
        .map(|(id, tally)| Line {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
            tally,
            median_days: platform_days.get(&id).and_then(|h| median(h)),
        })
        .collect();
    platforms.sort_by(|a, b| b.tally.received.cmp(&a.tally.received).then(a.id.cmp(&b.id)));

    // 3. By operator or room, the busiest first: the period's rows, one per room.
    let pw = Where::new(b, scope, Rows::Period(period, first_week), narrow, false);
    let lines = match by {
        By::Platform => platforms.iter().take(LINES as usize).cloned().collect(),
        By::Operator | By::Room => {
            let key = if by == By::Room { "live_room_id" } else { "operator_id" };
            let sql = format!(
                "SELECT {key}, {} FROM desk_weeks WHERE {} GROUP BY {key} ORDER BY SUM(received) DESC, {key} LIMIT {LINES}",
                sums(),
                pw.sql
            );
            let rows = store.read.query_all_raw(pw.statement(sql)).await?;
            let mut lines = Vec::new();
            for r in rows {
                lines.push(Line {
                    id: r.try_get_by_index(0)?,
                    name: String::new(),
                    tally: tally(&r, 1)?,
                    median_days: None,
                });
            }
            let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
            let names: HashMap<i64, String> = if by == By::Room {
                live_room::Entity::find()
                    .filter(live_room::Column::Id.is_in(ids))
                    .all(&store.read)
                    .await?
                    .into_iter()
                    .map(|r| (r.id, r.display_name))
                    .collect()
            } else {
                operator::Entity::find()
                    .filter(operator::Column::Id.is_in(ids))
                    .all(&store.read)
                    .await?
                    .into_iter()
                    .map(|o| (o.id, o.name))
                    .collect()
            };
            for l in &mut lines {
                l.name = names.get(&l.id).cloned().unwrap_or_default();
            }
            lines
        }
    };
    // Narrowed to an operator, the total is the operator's (its rooms' period rows);
    // the weekly chart and the facets stay its platform's (the page says so).
    if narrow.operator.is_some() {
        let sql = format!("SELECT {} FROM desk_weeks WHERE {}", sums(), pw.sql);
        if let Some(r) = store.read.query_one_raw(pw.statement(sql)).await? {
            total = tally(&r, 0)?;
        }
    }
    let operator_name = match narrow.operator {
        Some(o) => operator::Entity::find_by_id(o).one(&store.read).await?.map(|op| op.name),
        None => None,
    };
    let mut categories: Vec<(Category, i64)> = categories.into_iter().collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
    Ok(Desk {
        period,
        first_week,
        total,
        median_days: median(&days),
        weeks: weeks.into_iter().collect(),
        platforms,
        lines,
        categories,
        computed_at,
        operator_name,
        ratings,
    })
}
