//! What each reader sees of the reported parties: the public room page (the
//! operator's disclosure, masked for natural persons, and the marketers seen
//! in recent sessions), a platform's own overview, and the regulator's list
//! of late reports (Order 117 Art. 15).
use crate::entity::{live_room, marketer, mcn, operator, party_change, platform, stream_session};
use crate::parties::sessions::marketers_of_sessions;
use crate::{Store, StoreError};
use redline_rules::parties::{public_operator, OperatorKind, OperatorRecord, PublicOperator};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// The public face of a room: its operator's disclosure and the marketers of
/// its recent sessions, newest session first, each once.
pub struct RoomParties {
    pub operator: PublicOperator,
    pub marketers: Vec<marketer::Model>,
    /// The MCNs of those marketers, by id.
    pub mcns: BTreeMap<i64, String>,
}

pub async fn room_parties(store: &Store, room: &live_room::Model) -> Result<RoomParties, StoreError> {
    let db = &store.read;
    let op = operator::Entity::find_by_id(room.operator_id).one(db).await?.ok_or(StoreError::NotFound)?;
    let kind = op.kind.parse::<OperatorKind>().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let city = op.business_region.as_deref().or(op.displayed_region.as_deref());
    let licences = crate::entity::typed::stored_json("operators.licences_json", &op.licences_json)?;
    let public = public_operator(OperatorRecord {
        kind,
        name: &op.name,
        account_name: &room.display_name,
        credit_code: op.uscc.as_deref(),
        displayed_address: op.displayed_address.as_deref(),
        region: city,
        licences,
    });
    let sessions: Vec<i64> = stream_session::Entity::find()
        .select_only()
        .column(stream_session::Column::Id)
        .filter(stream_session::Column::LiveRoomId.eq(room.id))
        .order_by_desc(stream_session::Column::StartedAt)
        .limit(10)
        .into_tuple()
        .all(db)
        .await?;
    let by_session = marketers_of_sessions(db, &sessions).await?;
    let mut marketers: Vec<marketer::Model> = Vec::new();
    for s in &sessions {
        for m in by_session.get(s).into_iter().flatten() {
            if !marketers.iter().any(|x| x.id == m.id) {
                marketers.push(m.clone());
            }
        }
    }
    let mcn_ids: Vec<i64> = marketers.iter().filter_map(|m| m.mcn_id).collect();
    let mcns = if mcn_ids.is_empty() {
        BTreeMap::new()
    } else {
        mcn::Entity::find()
            .filter(mcn::Column::Id.is_in(mcn_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect()
    };
    Ok(RoomParties { operator: public, marketers, mcns })
}

/// A platform's own view: how many of each party it has reported, and its
/// newest recorded changes.
pub struct Overview {
    pub operators: u64,
    pub rooms: u64,
    pub marketers: u64,
    pub mcns: u64,
    pub changes: Vec<party_change::Model>,
}

pub async fn overview(store: &Store, platform_id: i64) -> Result<Overview, StoreError> {
    let db = &store.read;
    Ok(Overview {
        operators: operator::Entity::find().filter(operator::Column::PlatformId.eq(platform_id)).count(db).await?,
        rooms: live_room::Entity::find().filter(live_room::Column::PlatformId.eq(platform_id)).count(db).await?,
        marketers: marketer::Entity::find().filter(marketer::Column::PlatformId.eq(platform_id)).count(db).await?,
        mcns: mcn::Entity::find().filter(mcn::Column::PlatformId.eq(platform_id)).count(db).await?,
        changes: party_change::Entity::find()
            .filter(party_change::Column::PlatformId.eq(platform_id))
            .order_by_desc(party_change::Column::Id)
            .limit(20)
            .all(db)
            .await?,
    })
}

/// Reports that came after the Order 117 Art. 15 period, newest first, with
/// the platform's name: for market supervision staff.
pub async fn late_reports(store: &Store, limit: u64) -> Result<Vec<(party_change::Model, String)>, StoreError> {
    let db = &store.read;
    let rows = party_change::Entity::find()
        .filter(party_change::Column::Late.eq(true))
        .order_by_desc(party_change::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = platform::Entity::find()
        .filter(platform::Column::Id.is_in(rows.iter().map(|r| r.platform_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.get(&r.platform_id).cloned().unwrap_or_default();
            (r, n)
        })
        .collect())
}

/// The marketers of one session, for a complaint form's choice.
pub async fn marketers_of_session(store: &Store, session_id: i64) -> Result<Vec<marketer::Model>, StoreError> {
    Ok(marketers_of_sessions(&store.read, &[session_id]).await?.remove(&session_id).unwrap_or_default())
}
