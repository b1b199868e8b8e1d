//! Live sessions (直播场次) and the products shown in them, as platforms report
//! them (in the app, or over the API with a per-platform key), and finding the
//! session a complained-of moment falls in.
use crate::entity::{live_room, stream_product, stream_session};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// A product as shown in the room (Order 117 Art. 32: the displayed price and
/// the reference price or discount basis behind any "was/now" claim).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProductReport {
    pub sku: String,
    pub name: String,
    pub displayed_price_fen: i64,
    pub reference_price_fen: Option<i64>,
    pub discount_basis: Option<String>,
    pub claims: Option<String>,
}

/// A session report, validated by the transport layer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionReport {
    /// The room's platform ID.
    pub room: String,
    pub platform_session_id: Option<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub replay_ref: Option<String>,
    pub products: Vec<ProductReport>,
    /// The platform's IDs of the marketers who appeared (Order 117 Art. 28:
    /// the operator reports them before every stream).
    #[serde(default)]
    pub marketers: Vec<String>,
}

pub struct Reported {
    pub session: stream_session::Model,
    pub created: bool,
}

/// Records or updates a session of a room of `platform_id`. A report naming
/// the same platform session ID again updates it (safe to retry); products are
/// upserted by SKU and never removed, since complaints may point at them.
pub async fn report_session(
    store: &Store,
    platform_id: i64,
    r: &SessionReport,
    by: &str,
) -> Result<Reported, StoreError> {
    let txn = store.db.begin().await?;
    let room = live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(platform_id))
        .filter(live_room::Column::PlatformRoomId.eq(r.room.trim()))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            StoreError::field("room", "本平台没有这个直播间号", "No live room with this ID on this platform")
        })?;
    let existing = match &r.platform_session_id {
        Some(pid) => {
            stream_session::Entity::find()
                .filter(stream_session::Column::LiveRoomId.eq(room.id))
                .filter(stream_session::Column::PlatformSessionId.eq(pid.as_str()))
                .one(&txn)
                .await?
        }
        None => None,
    };
    let created = existing.is_none();
    let session = match existing {
        Some(s) => {
            let mut a: stream_session::ActiveModel = s.into();
            a.started_at = Set(r.started_at);
            a.ended_at = Set(r.ended_at);
            if r.replay_ref.is_some() {
                a.replay_ref = Set(r.replay_ref.clone());
            }
            a.update(&txn).await?
        }
        None => {
            stream_session::ActiveModel {
                live_room_id: Set(room.id),
                started_at: Set(r.started_at),
                ended_at: Set(r.ended_at),
                replay_ref: Set(r.replay_ref.clone()),
                platform_session_id: Set(r.platform_session_id.clone()),
                reported_by: Set(by.to_owned()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    for p in &r.products {
        let row = stream_product::ActiveModel {
            session_id: Set(session.id),
            sku: Set(p.sku.clone()),
            name: Set(p.name.clone()),
            displayed_price_fen: Set(p.displayed_price_fen),
            reference_price_fen: Set(p.reference_price_fen),
            discount_basis: Set(p.discount_basis.clone()),
            claims: Set(p.claims.clone()),
            ..Default::default()
        };
        stream_product::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([stream_product::Column::SessionId, stream_product::Column::Sku])
                    .update_columns([
                        stream_product::Column::Name,
                        stream_product::Column::DisplayedPriceFen,
                        stream_product::Column::ReferencePriceFen,
                        stream_product::Column::DiscountBasis,
                        stream_product::Column::Claims,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
    }
    crate::parties::sessions::set_session_marketers(&txn, platform_id, session.id, &r.marketers).await?;
    txn.commit().await?;
    Ok(Reported { session, created })
}

pub struct SessionWithProducts {
    pub session: stream_session::Model,
    pub products: Vec<stream_product::Model>,
}

/// A room's most recent sessions, newest first, with their products.
pub async fn room_sessions<C: ConnectionTrait>(
    db: &C,
    room_id: i64,
    limit: u64,
) -> Result<Vec<SessionWithProducts>, StoreError> {
    let sessions = stream_session::Entity::find()
        .filter(stream_session::Column::LiveRoomId.eq(room_id))
        .order_by_desc(stream_session::Column::StartedAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut products = stream_product::Entity::find()
        .filter(stream_product::Column::SessionId.is_in(sessions.iter().map(|s| s.id)))
        .order_by_asc(stream_product::Column::Id)
        .all(db)
        .await?;
    Ok(sessions
        .into_iter()
        .map(|s| {
            let mine = products.iter().filter(|p| p.session_id == s.id).cloned().collect();
            products.retain(|p| p.session_id != s.id);
            SessionWithProducts { session: s, products: mine }
        })
        .collect())
}

/// The session of a room that a clock time falls in (an open session counts
/// as still running).
pub async fn session_at<C: ConnectionTrait>(
    db: &C,
    room_id: i64,
    t: DateTime<Utc>,
) -> Result<Option<stream_session::Model>, StoreError> {
    Ok(stream_session::Entity::find()
        .filter(stream_session::Column::LiveRoomId.eq(room_id))
        .filter(stream_session::Column::StartedAt.lte(t))
        .order_by_desc(stream_session::Column::StartedAt)
        .one(db)
        .await?
        .filter(|s| s.ended_at.is_none_or(|e| e >= t)))
}

/// The room's session nearest a moment no session covers: the one that
/// ended closest before it or starts closest after it. None when the room
/// has reported none.
pub async fn session_near<C: ConnectionTrait>(
    db: &C,
    room_id: i64,
    t: DateTime<Utc>,
) -> Result<Option<stream_session::Model>, StoreError> {
    let of_room = || stream_session::Entity::find().filter(stream_session::Column::LiveRoomId.eq(room_id));
    let before = of_room()
        .filter(stream_session::Column::StartedAt.lte(t))
        .order_by_desc(stream_session::Column::StartedAt)
        .one(db)
        .await?;
    let after = of_room()
        .filter(stream_session::Column::StartedAt.gt(t))
        .order_by_asc(stream_session::Column::StartedAt)
        .one(db)
        .await?;
    Ok(match (before, after) {
        (Some(b), Some(a)) => {
            let gap_before = t - b.ended_at.unwrap_or(t);
            if a.started_at - t < gap_before {
                Some(a)
            } else {
                Some(b)
            }
        }
        (b, a) => b.or(a),
    })
}

/// Rooms of a platform, for the staff's session form.
pub async fn platform_rooms(store: &Store, platform_id: i64) -> Result<Vec<live_room::Model>, StoreError> {
    Ok(live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(platform_id))
        .order_by_asc(live_room::Column::Id)
        .all(&store.db)
        .await?)
}

/// Finds a live room by its platform ID or its URL (with or without query string).
pub async fn find_room<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    room: &str,
) -> Result<Option<live_room::Model>, sea_orm::DbErr> {
    let room = room.trim();
    // By ID, then by URL: each an index search (an OR of the two would read
    // every room of the platform, and platforms sync rooms by the ten thousand).
    let by_id = live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(platform_id))
        .filter(live_room::Column::PlatformRoomId.eq(room))
        .one(db)
        .await?;
    if by_id.is_some() {
        return Ok(by_id);
    }
    let base = room.split(['?', '#']).next().unwrap_or(room).trim_end_matches('/');
    live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(platform_id))
        .filter(live_room::Column::Url.is_in([room, base]))
        .one(db)
        .await
}

/// The refusal for a room reference that names no room of the platform.
pub fn no_such_room() -> StoreError {
    StoreError::field(
        "room",
        "在该平台上未找到此直播间（请填写直播间号或链接）",
        "No such live room on this platform (give its room ID or URL)",
    )
}
