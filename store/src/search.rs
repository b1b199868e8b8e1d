//! Full-text search over the cases a reader may see: narratives, products,
//! rooms, parties and case numbers, in Chinese without spaces.
//!
//! Each case has one `case_search` row, written with the case: its text
//! folded, and its terms (`rules::search::terms`: character pairs and Latin
//! words). SQLite finds candidates through an FTS5 table over the terms
//! (kept by triggers); PostgreSQL through a GIN index over the term array.
//! Pairs serve the two-character queries a trigram index cannot; the folded
//! text then checks the query as typed. Candidates are the newest
//! `CANDIDATES` matches the reader may see, ranked by how often the query
//! occurs, then by recency: bounded work however many cases match.
use crate::actor::Actor;
use crate::entity::{complaint, live_room, platform};
use crate::{Store, StoreError};
use redline_rules::jurisdiction::RespondentKind;
use redline_rules::search::{fold, terms, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement};
use std::collections::HashMap;

/// Matches ranked per query: the newest this many the reader may see.
pub const CANDIDATES: u64 = 200;
/// Hits per page.
pub const PAGE: usize = 20;
/// A reader who may see fewer cases than this may be searched from their
/// cases (`Store::search_narrow`; tests set 0 to take the index's path).
pub const NARROW: u64 = 10_000;

/// The cases a reader may see, as far as choosing a search path needs: how
/// many (counted up to the cap), and the oldest and newest case numbers among them.
#[derive(Debug, Clone, Copy)]
pub struct Own {
    pub visible: u64,
    pub oldest: u64,
    pub newest: u64,
}

/// Whether to search a reader's own cases rather than walk the index's
/// matches newest first. The walk passes every match newer than the reader's
/// newest case, then meets theirs at their density, stopping after
/// `CANDIDATES` of them: at worst (every case matching) about
/// `(cases − newest) + CANDIDATES × span / visible` entries, `span` the range
/// of numbers their cases cover. Reading their own costs `visible`. (A
/// platform holding 9,000 of 10,000 cases read all 9,000 for each search:
/// 22 ms, 200 ms at 8 connections; an agency holding 9,000 old ones among
/// 400,000 would walk 390,000 newer matches.)
pub fn from_own_cases(own: Own, cases: u64, cap: u64) -> bool {
    let Own { visible, oldest, newest } = own;
    if visible == 0 {
        return true;
    }
    let span = newest.saturating_sub(oldest) + 1;
    // visible < walk, multiplied through by `visible` to stay in integers.
    let (v, newer, span) = (visible as u128, cases.saturating_sub(newest) as u128, span as u128);
    visible < cap && v * v < v * newer + CANDIDATES as u128 * span
}

/// Whether `actor`'s search reads their own cases: they are counted (up to
/// `store.search_narrow`) with their oldest and newest numbers and the newest
/// case filed, in one statement (deleted cases keep their numbers: estimates
/// from above).
async fn narrow(store: &Store, actor: &Actor) -> Result<bool, StoreError> {
    let limit = store.search_narrow;
    if limit == 0 {
        return Ok(false);
    }
    let sql = format!(
        "SELECT COUNT(*) AS visible, COALESCE(MIN(t.id), 0) AS oldest, COALESCE(MAX(t.id), 0) AS newest, \
         (SELECT COALESCE(MAX(id), 0) FROM complaints) AS cases \
         FROM (SELECT c.id FROM complaints c WHERE {} LIMIT {limit}) t",
        visible(actor)
    );
    let backend = store.read.get_database_backend();
    let Some(row) = store.read.query_one_raw(Statement::from_string(backend, sql)).await? else {
        return Ok(true);
    };
    let n = |c: &str| row.try_get::<i64>("", c).map(|v| v.max(0) as u64);
    let own = Own { visible: n("visible")?, oldest: n("oldest")?, newest: n("newest")? };
    Ok(from_own_cases(own, n("cases")?, limit))
}

/// What a case is found by.
pub struct Indexed<'a> {
    pub case_no: &'a str,
    pub narrative: &'a str,
    pub product: &'a str,
    pub room: &'a str,
    pub platform: &'a str,
    pub operator: &'a str,
    pub marketer: Option<&'a str>,
    pub mcn: Option<&'a str>,
    pub seller: Option<&'a str>,
}

impl Indexed<'_> {
    fn text(&self) -> String {
        let mut t = vec![self.case_no, self.product, self.room, self.platform, self.operator];
        t.extend(self.marketer);
        t.extend(self.mcn);
        t.extend(self.seller);
        t.push(self.narrative);
        t.join("\n")
    }
}

/// A PostgreSQL array literal of terms. Terms are Chinese pairs or ASCII
/// letters and digits, so quoting each is enough (and keeps "null" a word).
fn pg_array(terms: &[String]) -> String {
    format!("{{{}}}", terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(","))
}

/// Writes (or rewrites) a case's search row, in the caller's transaction.
pub async fn index_case<C: ConnectionTrait>(db: &C, case_id: i64, what: &Indexed<'_>) -> Result<(), StoreError> {
    db.execute_raw(index_statement(db.get_database_backend(), case_id, what)).await?;
    Ok(())
}

/// The statement [`index_case`] runs (a filing runs it with the case's own).
pub fn index_statement(backend: DatabaseBackend, case_id: i64, what: &Indexed<'_>) -> Statement {
    let text = what.text();
    let (folded, t) = (fold(&text), terms(&text));
    match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "INSERT INTO case_search (case_id, folded, terms) VALUES ($1, $2, $3::text[]) \
             ON CONFLICT (case_id) DO UPDATE SET folded = EXCLUDED.folded, terms = EXCLUDED.terms",
            [case_id.into(), folded.into(), pg_array(&t).into()],
        ),
        _ => Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "INSERT INTO case_search (case_id, folded, terms) VALUES (?, ?, ?) \
             ON CONFLICT (case_id) DO UPDATE SET folded = excluded.folded, terms = excluded.terms",
            [case_id.into(), folded.into(), t.join(" ").into()],
        ),
    }
}

/// Cases filed before search existed get their rows, a batch at a time
/// (idempotent: only cases without one). Returns how many were written.
pub async fn index_missing(store: &Store, batch: u64) -> Result<u64, StoreError> {
    let mut written = 0;
    loop {
        let sql = format!(
            "SELECT c.id FROM complaints c LEFT JOIN case_search s ON s.case_id = c.id \
             WHERE s.case_id IS NULL ORDER BY c.id LIMIT {batch}"
        );
        let ids: Vec<i64> = store
            .db
            .query_all_raw(Statement::from_string(store.db.get_database_backend(), sql))
            .await?
            .iter()
            .filter_map(|r| r.try_get_by_index::<i64>(0).ok())
            .collect();
        if ids.is_empty() {
            return Ok(written);
        }
        let cases = complaint::Entity::find().filter(complaint::Column::Id.is_in(ids.clone())).all(&store.db).await?;
        for c in cases {
            let room = live_room::Entity::find_by_id(c.live_room_id).one(&store.db).await?;
            let plat = platform::Entity::find_by_id(c.platform_id).one(&store.db).await?;
            let op = crate::entity::operator::Entity::find_by_id(c.operator_id).one(&store.db).await?;
            let mcn = match c.mcn_id {
                Some(id) => crate::entity::mcn::Entity::find_by_id(id).one(&store.db).await?.map(|m| m.name),
                None => None,
            };
            let what = Indexed {
                case_no: &c.case_no,
                narrative: &c.narrative,
                product: &c.product_name,
                room: room.as_ref().map_or("", |r| r.display_name.as_str()),
                platform: plat.as_ref().map_or("", |p| p.name.as_str()),
                operator: op.as_ref().map_or("", |o| o.name.as_str()),
                marketer: c.marketer_name.as_deref(),
                mcn: mcn.as_deref(),
                seller: c.seller_name.as_deref(),
            };
            index_case(&store.db, c.id, &what).await?;
            written += 1;
        }
    }
}

/// Who may see a case, as SQL over `complaints c` (ids are numbers the
/// store holds, written out; nothing typed reaches the statement text).
fn visible(actor: &Actor) -> String {
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut any = vec![format!("c.consumer_id = {}", actor.user_id)];
    if !actor.platform_ids.is_empty() {
        any.push(format!("c.platform_id IN ({})", list(&actor.platform_ids)));
    }
    if !actor.operator_ids.is_empty() {
        // The platform answers these (see `case::access`).
        any.push(format!(
            "(c.operator_id IN ({}) AND c.respondent_kind NOT IN ('{}', '{}'))",
            list(&actor.operator_ids),
            RespondentKind::PlatformItself.as_str(),
            RespondentKind::Mcn.as_str()
        ));
    }
    if !actor.agency_ids.is_empty() {
        any.push(format!("c.agency_id IN ({})", list(&actor.agency_ids)));
    }
    format!("({})", any.join(" OR "))
}

/// One found case, with the text around the match cut into (piece, is a match).
#[derive(Debug, Clone)]
pub struct Hit {
    pub case: complaint::Model,
    pub room: String,
    pub snippet: Vec<(String, bool)>,
}

pub struct Found {
    pub hits: Vec<Hit>,
    /// Matches ranked (at most `CANDIDATES`); `capped` when there may be more.
    pub total: usize,
    pub capped: bool,
}

/// The reader's cases matching `q`, ranked; `page` counts from 1.
pub async fn search(store: &Store, actor: &Actor, q: &Query, page: usize) -> Result<Found, StoreError> {
    let backend = store.read.get_database_backend();
    let parts = q.parts();
    let (sql, values): (String, Vec<sea_orm::Value>) = match backend {
        // A reader who sees few cases (a consumer, an agency before much is
        // escalated to it) is searched from those cases: walking the index's
        // matches to find theirs would read every match (found by the scale
        // bench: 11 s for an agency among a million matches).
        _ if narrow(store, actor).await? => {
            // SQLite: CROSS JOIN keeps the reader's cases outermost.
            let join = if backend == DatabaseBackend::Postgres { "JOIN" } else { "CROSS JOIN" };
            let mut sql = format!(
                "SELECT c.id, s.folded FROM complaints c {join} case_search s ON s.case_id = c.id WHERE {}",
                visible(actor)
            );
            let mut v: Vec<sea_orm::Value> = Vec::new();
            for p in &parts {
                v.push((*p).to_owned().into());
                sql.push_str(&format!(" AND {}(s.folded, {}) > 0", instr(backend), ph(backend, v.len())));
            }
            // The newest first: a sort of at most `NARROW` matches.
            sql.push_str(&format!(" ORDER BY c.id DESC LIMIT {CANDIDATES}"));
            (sql, v)
        }
        DatabaseBackend::Postgres => {
            let mut sql = format!(
                "SELECT c.id, s.folded FROM case_search s JOIN complaints c ON c.id = s.case_id \
                 WHERE s.terms @> $1::text[] AND {}",
                visible(actor)
            );
            let mut v: Vec<sea_orm::Value> = vec![pg_array(&q.terms).into()];
            for p in &parts {
                v.push((*p).to_owned().into());
                sql.push_str(&format!(" AND strpos(s.folded, ${}) > 0", v.len()));
            }
            sql.push_str(&format!(" ORDER BY s.case_id DESC LIMIT {CANDIDATES}"));
            (sql, v)
        }
        _ => {
            let matching = q.terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" ");
            let mut sql = format!(
                // CROSS JOIN keeps the FTS table outermost, so it yields its
                // matches newest first and the LIMIT stops the walk (no sort).
                "SELECT c.id, s.folded FROM case_search_fts f CROSS JOIN case_search s ON s.case_id = f.rowid \
                 CROSS JOIN complaints c ON c.id = f.rowid WHERE case_search_fts MATCH ? AND {}",
                visible(actor)
            );
            let mut v: Vec<sea_orm::Value> = vec![matching.into()];
            for p in &parts {
                v.push((*p).to_owned().into());
                sql.push_str(" AND instr(s.folded, ?) > 0");
            }
            sql.push_str(&format!(" ORDER BY f.rowid DESC LIMIT {CANDIDATES}"));
            (sql, v)
        }
    };
    let rows = store.read.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    let mut ranked: Vec<(i64, usize)> = rows
        .iter()
        .filter_map(|r| {
            let id = r.try_get_by_index::<i64>(0).ok()?;
            let folded = r.try_get_by_index::<String>(1).ok()?;
            Some((id, q.occurrences(&folded)))
        })
        .collect();
    let total = ranked.len();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let ids: Vec<i64> = ranked.iter().skip(PAGE * page.saturating_sub(1)).take(PAGE).map(|r| r.0).collect();
    let cases: HashMap<i64, complaint::Model> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(ids.clone()))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let rooms: HashMap<i64, String> = live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(cases.values().map(|c| c.live_room_id).collect::<Vec<_>>()))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, r.display_name))
        .collect();
    let hits = ids
        .iter()
        .filter_map(|id| cases.get(id))
        .map(|c| {
            let room = rooms.get(&c.live_room_id).cloned().unwrap_or_default();
            // The snippet from where the query is: the narrative, else the product, room or number.
            let source = [c.narrative.as_str(), c.product_name.as_str(), room.as_str(), c.case_no.as_str()]
                .into_iter()
                .find(|t| q.matches(t))
                .unwrap_or(c.narrative.as_str());
            Hit { snippet: q.highlight(source, 80), room: room.clone(), case: c.clone() }
        })
        .collect();
    Ok(Found { hits, total, capped: total as u64 >= CANDIDATES })
}

/// The `n`th parameter as each backend writes it.
fn ph(backend: DatabaseBackend, n: usize) -> String {
    if backend == DatabaseBackend::Postgres {
        format!("${n}")
    } else {
        "?".to_owned()
    }
}

fn instr(backend: DatabaseBackend) -> &'static str {
    if backend == DatabaseBackend::Postgres {
        "strpos"
    } else {
        "instr"
    }
}

#[cfg(test)]
mod tests {
    use super::{from_own_cases, Own, NARROW};

    fn own(visible: u64, oldest: u64, newest: u64) -> Own {
        Own { visible, oldest, newest }
    }

    #[test]
    fn a_reader_is_searched_from_their_cases_only_while_walking_the_index_would_read_more() {
        // A consumer with three of five cases; an agency with 500 spread over a million.
        assert!(from_own_cases(own(3, 1, 5), 5, NARROW));
        assert!(from_own_cases(own(500, 1_000, 999_000), 1_000_000, NARROW));
        // A platform with 9,000 of 10,000: most matches are its own.
        assert!(!from_own_cases(own(9_000, 1, 10_000), 10_000, NARROW));
        // The balance among the newest: 1,414² < 200 × 10,000 < 1,415².
        assert!(from_own_cases(own(1_414, 1, 10_000), 10_000, NARROW));
        assert!(!from_own_cases(own(1_415, 1, 10_000), 10_000, NARROW));
        // 9,000 old cases among 400,000: the walk would pass 390,000 newer matches.
        assert!(from_own_cases(own(9_000, 1, 10_000), 400_000, NARROW));
        // The newest 2,000 are all theirs: the walk finds 200 at once.
        assert!(!from_own_cases(own(2_000, 8_001, 10_000), 10_000, NARROW));
        // Nothing to read; and never past the cap, however many cases there are.
        assert!(from_own_cases(own(0, 0, 0), 1_000_000, NARROW));
        assert!(!from_own_cases(own(NARROW, 1, 1_000), 1_000_000_000, NARROW));
    }
}
