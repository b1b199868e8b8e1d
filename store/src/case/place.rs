//! Where a complaint points (Order 117 Art. 16: the room, its operator, the
//! session and the moment, the product and the marketer), read and checked
//! before a filing writes anything.
use crate::entity::{live_room, marketer, mcn, operator, platform, stream_product, stream_session};
use crate::streams::find_room;
use crate::StoreError;
use chrono::{DateTime, Utc};
use redline_rules::field::FieldError;
use redline_rules::intake::complaint::MarketerRef;
use redline_rules::intake::{Moment, NewComplaint};
use redline_rules::jurisdiction::RespondentKind;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryResult};

/// Where the complaint points: the room and its operator, and the session and
/// product it is about when they are known.
pub(crate) struct Place {
    pub platform: platform::Model,
    pub room: live_room::Model,
    pub operator: operator::Model,
    pub session: Option<stream_session::Model>,
    /// Seconds from the session's start, and the clock time, where known.
    pub offset: Option<i64>,
    pub clock_at: Option<DateTime<Utc>>,
    pub product: Option<stream_product::Model>,
    /// The marketer the consumer picked from the platform's reports, and their MCN.
    pub marketer: Option<marketer::Model>,
    pub mcn: Option<mcn::Model>,
}

/// A session's start and end as a reader sees them: (start, end in zh, end in en).
fn times(sess: &stream_session::Model) -> (String, String, String) {
    let at = crate::time::china_time;
    let to = sess.ended_at.map(at);
    (
        at(sess.started_at),
        to.clone().unwrap_or_else(|| "仍在直播".to_owned()),
        to.unwrap_or_else(|| "still live".to_owned()),
    )
}

/// The moment is not within the session the consumer picked: said with the
/// session's own times, so the reader can correct the moment or the session.
fn outside(sess: &stream_session::Model) -> StoreError {
    let (from, to_zh, to_en) = times(sess);
    StoreError::Field(FieldError::new(
        "moment",
        format!("该时刻不在所选场次内（开播 {from}，下播 {to_zh}）。请核对时刻，或改选场次"),
        format!("That moment is outside the session you picked (started {from}, ended {to_en}); check the moment or pick another session"),
    ))
}

fn unmatched(near: &stream_session::Model) -> StoreError {
    let (from, to_zh, to_en) = times(near);
    // A key of its own: the form offers the confirmation for this warning only.
    StoreError::Field(FieldError::new(
        "moment_unmatched",
        format!("该时刻不在平台报送的本直播间任何场次内（最近一场：开播 {from}，下播 {to_zh}）。请核对时刻；确认无误请勾选“时刻无误”后再次提交"),
        format!("No session the platform reported for this room covers that moment (nearest: started {from}, ended {to_en}). Check it; if it is right, tick \"The moment is right\" and submit again"),
    ))
}

/// Where a complaint points, checked without writing: a filing with files
/// asks this before they are stored, so a refusal costs no upload.
pub async fn check_place(db: &impl ConnectionTrait, input: &NewComplaint) -> Result<(), StoreError> {
    locate(db, input).await.map(|_| ())
}

pub(crate) async fn locate(txn: &impl ConnectionTrait, input: &NewComplaint) -> Result<Place, StoreError> {
    let (platform, room, operator, chosen) = match joined(txn, input).await? {
        Some(found) => found,
        None => one_by_one(txn, input).await?,
    };
    let chosen = match (input.session_id, chosen) {
        (Some(_), None) => return Err(not_of_this_room()),
        (_, chosen) => chosen,
    };
    // Order 117 Art. 16: pin the moment to a known session where one matches.
    // A moment outside the session the consumer picked is a mistake to correct
    // (said at once, nothing typed lost); without a picked session, a moment
    // outside every session the room reported is said once and, confirmed,
    // kept as "session unknown".
    let (session, offset, clock_at) = match (&input.moment, chosen) {
        (Moment::Offset(s), Some(sess)) => {
            let t = sess.started_at + chrono::Duration::seconds(*s);
            if sess.ended_at.is_some_and(|e| t > e) {
                return Err(outside(&sess));
            }
            (Some(sess), Some(*s), Some(t))
        }
        (Moment::Offset(s), None) => (None, Some(*s), None),
        (Moment::Clock(t), Some(sess)) => {
            if *t < sess.started_at || sess.ended_at.is_some_and(|e| *t > e) {
                return Err(outside(&sess));
            }
            (Some(sess.clone()), Some((*t - sess.started_at).num_seconds()), Some(*t))
        }
        (Moment::Clock(t), None) => match crate::streams::session_at(txn, room.id, *t).await? {
            Some(sess) => {
                let off = (*t - sess.started_at).num_seconds();
                (Some(sess), Some(off), Some(*t))
            }
            // The room reported sessions and none covers the moment: most
            // likely a mistyped time, so say so once; a confirmed one is kept.
            None if !input.moment_confirmed => match crate::streams::session_near(txn, room.id, *t).await? {
                Some(near) => return Err(unmatched(&near)),
                None => (None, None, Some(*t)),
            },
            None => (None, None, Some(*t)),
        },
    };
    let product = match input.product_id {
        Some(pid) => {
            let p = stream_product::Entity::find_by_id(pid).one(txn).await?;
            let from_session = |p: &stream_product::Model| {
                session.as_ref().is_some_and(|s| s.id == p.session_id) || input.session_id == Some(p.session_id)
            };
            Some(p.filter(from_session).ok_or(StoreError::field(
                "product",
                "所选商品不属于该场次",
                "That product was not shown in this session",
            ))?)
        }
        None => None,
    };
    let marketer = match &input.marketer {
        Some(MarketerRef::Reported(id)) => {
            Some(marketer::Entity::find_by_id(*id).one(txn).await?.filter(|m| m.platform_id == platform.id).ok_or(
                StoreError::field("marketer_id", "该主播不属于此平台", "That marketer is not on this platform"),
            )?)
        }
        _ => None,
    };
    let mcn = match marketer.as_ref().and_then(|m| m.mcn_id) {
        Some(id) => mcn::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    if input.respondent == RespondentKind::Mcn && mcn.is_none() {
        return Err(StoreError::field(
            "marketer_id",
            "平台未报送该主播所属的机构",
            "The platform has not reported an MCN for this marketer",
        ));
    }
    Ok(Place { platform, room, operator, session, offset, clock_at, product, marketer, mcn })
}

/// The platform, the room and its operator, and the picked session.
type Found = (platform::Model, live_room::Model, operator::Model, Option<stream_session::Model>);

/// The usual form (a room by its ID on the platform, perhaps a session of it)
/// in one statement: the platform, the room, its operator and the session
/// joined. Nothing found sends the caller to [`one_by_one`], which says what
/// is wrong or finds the room by its address.
async fn joined(db: &impl ConnectionTrait, input: &NewComplaint) -> Result<Option<Found>, DbErr> {
    let mut q = Query::select();
    prefixed::<platform::Entity>(&mut q, "p_");
    prefixed::<live_room::Entity>(&mut q, "r_");
    prefixed::<operator::Entity>(&mut q, "o_");
    q.from(live_room::Entity)
        .inner_join(
            platform::Entity,
            Expr::col((platform::Entity, platform::Column::Id))
                .equals((live_room::Entity, live_room::Column::PlatformId)),
        )
        .inner_join(
            operator::Entity,
            Expr::col((operator::Entity, operator::Column::Id))
                .equals((live_room::Entity, live_room::Column::OperatorId)),
        )
        .and_where(Expr::col((live_room::Entity, live_room::Column::PlatformId)).eq(input.platform_id))
        .and_where(Expr::col((live_room::Entity, live_room::Column::PlatformRoomId)).eq(input.room.as_str().trim()));
    if let Some(id) = input.session_id {
        prefixed::<stream_session::Entity>(&mut q, "s_");
        q.left_join(
            stream_session::Entity,
            Condition::all().add(stream_session::Column::Id.eq(id)).add(
                Expr::col((stream_session::Entity, stream_session::Column::LiveRoomId))
                    .equals((live_room::Entity, live_room::Column::Id)),
            ),
        );
    }
    let Some(row) = db.query_one(&q).await? else {
        return Ok(None);
    };
    let session = match input.session_id {
        Some(_) => session_of(&row)?,
        None => None,
    };
    Ok(Some((
        platform::Model::from_query_result(&row, "p_")?,
        live_room::Model::from_query_result(&row, "r_")?,
        operator::Model::from_query_result(&row, "o_")?,
        session,
    )))
}

/// The left-joined session, absent when it is not of the room (or not at all).
fn session_of(row: &QueryResult) -> Result<Option<stream_session::Model>, DbErr> {
    match row.try_get::<Option<i64>>("s_", "id")? {
        Some(_) => stream_session::Model::from_query_result(row, "s_").map(Some),
        None => Ok(None),
    }
}

/// Every column of `E`, named with `prefix` (as `Model::from_query_result` reads them).
fn prefixed<E: EntityTrait>(q: &mut SelectStatement, prefix: &str) {
    for c in E::Column::iter() {
        q.expr_as(Expr::col((E::default(), c)), Alias::new(format!("{prefix}{}", c.as_str())));
    }
}

/// The same, a statement at a time, for what the joined read did not find:
/// which of the platform, the room or the session is wrong, or the room
/// named by its address.
async fn one_by_one(db: &impl ConnectionTrait, input: &NewComplaint) -> Result<Found, StoreError> {
    let Some(platform) = platform::Entity::find_by_id(input.platform_id).one(db).await? else {
        return Err(StoreError::field("platform", "请选择平台", "Choose a platform"));
    };
    let Some(room) = find_room(db, platform.id, input.room.as_str()).await? else {
        return Err(crate::streams::no_such_room());
    };
    let operator = operator::Entity::find_by_id(room.operator_id).one(db).await?.ok_or(StoreError::NotFound)?;
    let session = match input.session_id {
        Some(id) => stream_session::Entity::find_by_id(id).one(db).await?.filter(|s| s.live_room_id == room.id),
        None => None,
    };
    Ok((platform, room, operator, session))
}

fn not_of_this_room() -> StoreError {
    StoreError::field("session", "该场次不属于此直播间", "That session is not of this live room")
}
