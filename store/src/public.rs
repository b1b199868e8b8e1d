//! What anyone may see of how rooms, operators and platforms answer
//! complaints (`rules::public`): the last twelve months' counts per room,
//! rebuilt by the `stats` job into `room_stats` (one grouped read of the
//! period's cases, at most hourly), summed per operator and platform on
//! reading; and a room's public case list: dates, categories, how far each
//! went and how it ended, never a person's data.
use crate::entity::typed::states_sql;
use crate::entity::{complaint, live_room, room_stat};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use redline_rules::case::CaseState;
use redline_rules::public::{Counts, PERIOD_DAYS};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    TransactionTrait,
};

/// Rebuilds `room_stats` unless it was rebuilt within `fresh`: the rooms
/// written, or None when it was fresh.
pub async fn rebuild(store: &Store, fresh: Duration) -> Result<Option<u64>, StoreError> {
    let now = store.now();
    let last: Option<DateTime<Utc>> = room_stat::Entity::find()
        .select_only()
        .column_as(room_stat::Column::ComputedAt.max(), "m")
        .into_tuple()
        .one(&store.read)
        .await?
        .flatten();
    if last.is_some_and(|t| t > now - fresh) {
        return Ok(None);
    }
    use CaseState::*;
    let waiting = states_sql([Draft, Submitted, Triaged, RoutedToOperator]);
    let closed = states_sql(CaseState::ALL.into_iter().filter(|s| s.is_terminal()));
    let resolved = states_sql(redline_rules::desk::RESOLVED);
    let backend = store.db.get_database_backend();
    let sql = format!(
        // A row per room, under the room's operator now: a platform's report
        // may have moved the room since some of its cases were filed.
        "SELECT c.live_room_id, r.platform_id, r.operator_id, COUNT(*), \
           SUM(CASE WHEN c.state NOT IN ({waiting}) THEN 1 ELSE 0 END), \
           SUM(CASE WHEN c.state NOT IN ({waiting}) AND NOT c.operator_untimely AND NOT c.platform_untimely THEN 1 ELSE 0 END), \
           SUM(CASE WHEN c.state IN ({closed}) THEN 1 ELSE 0 END), \
           SUM(CASE WHEN c.state IN ({resolved}) THEN 1 ELSE 0 END), \
           SUM(CASE WHEN c.agency_id IS NOT NULL THEN 1 ELSE 0 END) \
         FROM complaints c JOIN live_rooms r ON r.id = c.live_room_id \
         WHERE c.created_at >= {} GROUP BY c.live_room_id, r.platform_id, r.operator_id",
        if backend == sea_orm::DatabaseBackend::Postgres { "$1" } else { "?" }
    );
    let since = now - Duration::days(PERIOD_DAYS);
    let rows = store.read.query_all_raw(Statement::from_sql_and_values(backend, sql, [since.into()])).await?;
    let n = |r: &sea_orm::QueryResult, i: usize| r.try_get_by_index::<i64>(i).unwrap_or(0);
    let stats: Vec<room_stat::ActiveModel> = rows
        .iter()
        .map(|r| room_stat::ActiveModel {
            live_room_id: Set(n(r, 0)),
            platform_id: Set(n(r, 1)),
            operator_id: Set(n(r, 2)),
            received: Set(n(r, 3)),
            answered: Set(n(r, 4)),
            timely: Set(n(r, 5)),
            closed: Set(n(r, 6)),
            resolved: Set(n(r, 7)),
            escalated: Set(n(r, 8)),
            computed_at: Set(now),
        })
        .collect();
    let written = stats.len() as u64;
    let txn = store.db.begin().await?;
    room_stat::Entity::delete_many().exec(&txn).await?;
    for chunk in stats.chunks(500) {
        room_stat::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(Some(written))
}

fn counts(s: &room_stat::Model) -> Counts {
    Counts {
        received: s.received,
        answered: s.answered,
        timely: s.timely,
        closed: s.closed,
        resolved: s.resolved,
        escalated: s.escalated,
    }
}

/// A room's figures, and its operator's and platform's (summed over their rooms).
pub struct Figures {
    pub room: Counts,
    pub operator: Counts,
    pub platform: Counts,
    pub computed_at: Option<DateTime<Utc>>,
}

pub async fn figures(store: &Store, room: &live_room::Model) -> Result<Figures, StoreError> {
    let sum = |rows: Vec<room_stat::Model>| rows.iter().map(counts).fold(Counts::default(), |a, b| a + b);
    // The platform's rooms and the operator's (on any platform) in one read.
    let rows = room_stat::Entity::find()
        .filter(
            Condition::any()
                .add(room_stat::Column::PlatformId.eq(room.platform_id))
                .add(room_stat::Column::OperatorId.eq(room.operator_id)),
        )
        .all(&store.read)
        .await?;
    let own = rows.iter().find(|r| r.live_room_id == room.id).cloned();
    let of = |keep: &dyn Fn(&room_stat::Model) -> bool| rows.iter().filter(|r| keep(r)).cloned().collect::<Vec<_>>();
    let operator = of(&|r| r.operator_id == room.operator_id);
    let platform = of(&|r| r.platform_id == room.platform_id);
    Ok(Figures {
        room: own.as_ref().map(counts).unwrap_or_default(),
        computed_at: own.map(|s| s.computed_at),
        operator: sum(operator),
        platform: sum(platform),
    })
}

/// The room's cases as the public sees them, newest first: (filed on,
/// categories, state). Cases refused under Order 121 Art. 16 are not listed.
pub async fn room_cases(store: &Store, room_id: i64, limit: u64) -> Result<Vec<complaint::Model>, StoreError> {
    let refused = [CaseState::RegulatorRejected.as_str(), CaseState::ClosedRejected.as_str()];
    Ok(complaint::Entity::find()
        .filter(complaint::Column::LiveRoomId.eq(room_id))
        .filter(complaint::Column::State.is_not_in(refused))
        .order_by_desc(complaint::Column::CreatedAt)
        .limit(limit)
        .all(&store.read)
        .await?)
}
