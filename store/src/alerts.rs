//! Cluster alerts (Order 117 Art. 20 monitoring): complaints about one live
//! room, one product or one marketer bunching in time raise one alert for the
//! platform and for the agency covering the room, once per cluster (`rules::cluster`). Raised or
//! joined in the filing's own transaction; acknowledged with a note, closed.
use crate::actor::{Actor, ORG_AGENCY, ORG_PLATFORM};
use crate::entity::{cluster_alert as alert, complaint, live_room};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use redline_rules::cluster::{on_complaint, step, AlertState, ClusterPolicy, OnComplaint, Subject};
use redline_rules::notify::Kind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, Statement, TransactionTrait,
};

/// An alert lists at most this many cases (the count goes on).
pub const MAX_CASES: usize = 200;

fn ids(a: &alert::Model) -> Vec<i64> {
    serde_json::from_str(&a.case_ids_json).unwrap_or_default()
}

/// What a case is about that can bunch: its room, and its product and
/// marketer when it names them.
fn subjects(c: &complaint::Model) -> Vec<(Subject, i64)> {
    [
        Some((Subject::Room, c.live_room_id)),
        c.product_id.map(|p| (Subject::Product, p)),
        c.marketer_id.map(|m| (Subject::Marketer, m)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Locks for the whole transaction, one per subject, taken in one order
/// before a filing reads its subjects' open alerts. On PostgreSQL each filing
/// is its own transaction: filings about one room at the same moment all read
/// no open alert and counted only their own case in the window, so a bunch
/// raised none, or two (a probe: three open alerts for one room after 4 s of
/// 16 connections), and two joins rewrote one list, one case dropping out.
/// Locked, they decide one after another, as under SQLite's one writer (none
/// there); in one order, so no two filings wait on each other.
pub fn subject_locks(backend: DatabaseBackend, c: &complaint::Model) -> Vec<Statement> {
    if backend != DatabaseBackend::Postgres {
        return Vec::new();
    }
    let mut keys: Vec<i64> = subjects(c).into_iter().map(|(s, id)| lock_key(s, id)).collect();
    keys.sort_unstable();
    let sql = "SELECT 1 AS subject_locked FROM pg_advisory_xact_lock($1)";
    keys.into_iter().map(|k| Statement::from_sql_and_values(backend, sql, [k.into()])).collect()
}

/// The subject's kind in the top bits, clear of `db`'s own lock keys (whose
/// top 16 bits are zero); two ids alike in their low 48 bits only share a lock.
fn lock_key(subject: Subject, id: i64) -> i64 {
    let kind: i64 = match subject {
        Subject::Room => 1,
        Subject::Product => 2,
        Subject::Marketer => 3,
    };
    (kind << 48) | (id & 0xFFFF_FFFF_FFFF)
}

/// The open alerts of a case's subjects, in one read (a filing runs it in
/// the batch that inserts the case: `c` is the case about to be inserted).
pub fn open_statement(backend: DatabaseBackend, c: &complaint::Model) -> Statement {
    let mut which = Condition::any();
    for (subject, id) in subjects(c) {
        which = which.add(
            Condition::all().add(alert::Column::Subject.eq(subject.as_str())).add(alert::Column::SubjectId.eq(id)),
        );
    }
    alert::Entity::find()
        .filter(which)
        .filter(alert::Column::State.is_in([AlertState::Open.as_str(), AlertState::Acknowledged.as_str()]))
        .build(backend)
}

/// After `c` is inserted, given its subjects' `open` alerts
/// ([`open_statement`]): for each subject, raise its alert when the window
/// holds enough complaints, or add `c` to the alert still open. Joining one
/// is a statement returned for the caller to run with the case's own writes
/// (`CaseWrite::also`).
pub async fn on_filing(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    open: &[alert::Model],
    policy: &ClusterPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<Statement>, StoreError> {
    let mut joins = Vec::new();
    for (subject, id) in subjects(c) {
        let mine = open.iter().find(|a| a.subject == subject.as_str() && a.subject_id == id).cloned();
        joins.extend(on_subject(txn, c, subject, id, mine, policy, now).await?);
    }
    Ok(joins)
}

/// The complaints' column a subject is found by.
fn column_of(subject: Subject) -> complaint::Column {
    match subject {
        Subject::Room => complaint::Column::LiveRoomId,
        Subject::Product => complaint::Column::ProductId,
        Subject::Marketer => complaint::Column::MarketerId,
    }
}

async fn on_subject(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    subject: Subject,
    subject_id: i64,
    open: Option<alert::Model>,
    policy: &ClusterPolicy,
    now: DateTime<Utc>,
) -> Result<Option<Statement>, StoreError> {
    let since = now - chrono::Duration::hours(i64::from(policy.window_hours));
    // Counted up to the threshold only: bounded work in a busy room.
    let window: Vec<i64> = if open.is_some() {
        Vec::new()
    } else {
        complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .filter(column_of(subject).eq(subject_id))
            .filter(complaint::Column::CreatedAt.gt(since))
            .order_by_asc(complaint::Column::CreatedAt)
            .limit(MAX_CASES as u64)
            .into_tuple()
            .all(txn)
            .await?
    };
    match (on_complaint(policy, subject, window.len() as u64, open.is_some()), open) {
        (OnComplaint::Join, Some(a)) => {
            let mut list = ids(&a);
            if list.len() < MAX_CASES && !list.contains(&c.id) {
                list.push(c.id);
            }
            let join = alert::Entity::update_many()
                .col_expr(alert::Column::CaseIdsJson, Expr::value(serde_json::to_string(&list).unwrap_or_default()))
                .col_expr(alert::Column::LastAt, Expr::value(now))
                .col_expr(alert::Column::UpdatedAt, Expr::value(now))
                .filter(alert::Column::Id.eq(a.id))
                .build(txn.get_database_backend());
            return Ok(Some(join));
        }
        (OnComplaint::Raise, _) => {
            let first = complaint::Entity::find_by_id(window[0]).one(txn).await?.map_or(now, |f| f.created_at);
            // The agency covering the room: the case's, or the first its places name
            // (before escalation a case has none of its own). A marketer's cluster
            // spans rooms in other agencies' regions: the platform alone is told,
            // and agencies follow a marketer through their own lists' filter.
            let agency = match (subject, c.agency_id) {
                (Subject::Marketer, _) => None,
                (_, Some(a)) => Some(a),
                (_, None) => crate::jurisdiction::first_agency(txn, c).await?,
            };
            let a = alert::ActiveModel {
                live_room_id: Set(c.live_room_id),
                platform_id: Set(c.platform_id),
                agency_id: Set(agency),
                state: Set(AlertState::Open.as_str().to_owned()),
                case_ids_json: Set(serde_json::to_string(&window).unwrap_or_default()),
                first_at: Set(first),
                last_at: Set(now),
                note: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                subject: Set(subject.as_str().to_owned()),
                subject_id: Set(subject_id),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            // "优选好物直播间 ×5", "商品：胶原蛋白饮品 ×3": what the complaints share, and how many.
            let name = match subject {
                Subject::Room => live_room::Entity::find_by_id(c.live_room_id).one(txn).await?.map(|r| r.display_name),
                Subject::Product => Some(format!("{}{}", subject.label_zh(), "：") + &c.product_name),
                Subject::Marketer => c.marketer_name.clone().map(|m| format!("{}：{m}", subject.label_zh())),
            };
            let subject_line = format!("{} ×{}", name.unwrap_or_default(), window.len());
            let link = format!("/alerts/{}", a.id);
            crate::notices::to_org(
                txn,
                ORG_PLATFORM,
                c.platform_id,
                Kind::ClusterAlert,
                &subject_line,
                &link,
                None,
                now,
            )
            .await?;
            if let Some(ag) = agency {
                crate::notices::to_org(txn, ORG_AGENCY, ag, Kind::ClusterAlert, &subject_line, &link, None, now)
                    .await?;
            }
        }
        _ => {}
    }
    Ok(None)
}

/// Whether `actor` may see alert `a`: the room's platform, or the agency.
fn may_see(actor: &Actor, a: &alert::Model) -> bool {
    actor.platform_ids.contains(&a.platform_id) || a.agency_id.is_some_and(|g| actor.agency_ids.contains(&g))
}

/// An alert with its room and cases (filing order), for its page.
pub struct AlertView {
    pub alert: alert::Model,
    pub room: live_room::Model,
    pub cases: Vec<complaint::Model>,
}

/// The alerts `actor` may see, newest first (at most `limit`).
pub async fn list(store: &Store, actor: &Actor, limit: u64) -> Result<Vec<(alert::Model, String)>, StoreError> {
    let mut found = Vec::new();
    if !actor.platform_ids.is_empty() {
        found.extend(
            alert::Entity::find()
                .filter(alert::Column::PlatformId.is_in(actor.platform_ids.clone()))
                .order_by_desc(alert::Column::Id)
                .limit(limit)
                .all(&store.read)
                .await?,
        );
    }
    if !actor.agency_ids.is_empty() {
        found.extend(
            alert::Entity::find()
                .filter(alert::Column::AgencyId.is_in(actor.agency_ids.clone()))
                .order_by_desc(alert::Column::Id)
                .limit(limit)
                .all(&store.read)
                .await?,
        );
    }
    found.sort_by_key(|a| std::cmp::Reverse(a.id));
    found.dedup_by_key(|a| a.id);
    found.truncate(limit as usize);
    let rooms: std::collections::HashMap<i64, String> = live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(found.iter().map(|a| a.live_room_id).collect::<Vec<_>>()))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, r.display_name))
        .collect();
    Ok(found.into_iter().map(|a| (a.clone(), rooms.get(&a.live_room_id).cloned().unwrap_or_default())).collect())
}

/// One alert with its cases, for a reader who may see it.
pub async fn one(store: &Store, actor: &Actor, id: i64) -> Result<AlertView, StoreError> {
    let a = alert::Entity::find_by_id(id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    if !may_see(actor, &a) {
        return Err(StoreError::NotFound);
    }
    let room = live_room::Entity::find_by_id(a.live_room_id).one(&store.read).await?.ok_or(StoreError::NotFound)?;
    let order = ids(&a);
    let mut cases =
        complaint::Entity::find().filter(complaint::Column::Id.is_in(order.clone())).all(&store.read).await?;
    cases.sort_by_key(|c| order.iter().position(|i| *i == c.id));
    Ok(AlertView { alert: a, room, cases })
}

/// Acknowledges (with a note) or closes an alert.
pub async fn act(store: &Store, actor: &Actor, id: i64, to: AlertState, note: &str) -> Result<(), StoreError> {
    let txn = store.db.begin().await?;
    let a = alert::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
    if !may_see(actor, &a) {
        return Err(StoreError::NotFound);
    }
    let from = a.state.parse::<AlertState>().map_err(|_| StoreError::Corrupt(format!("alert state {}", a.state)))?;
    let Some(next) = step(from, to) else {
        return Err(StoreError::field("form", "该提醒已处理", "This alert was already handled"));
    };
    let note = note.trim();
    if to == AlertState::Acknowledged && note.is_empty() {
        return Err(StoreError::field("note", "请写明已采取或将采取的措施", "Say what was or will be done"));
    }
    let now = store.now();
    let mut m: alert::ActiveModel = a.into();
    m.state = Set(next.as_str().to_owned());
    if !note.is_empty() {
        m.note = Set(Some(note.chars().take(1000).collect()));
    }
    m.updated_at = Set(now);
    m.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}
