//! Narratives a consumer chose to publish on the room's public page
//! (`rules::public`): masked when asked for (`rules::masking::scrub`), approved
//! or rejected by a Redline administrator, withdrawable by the consumer at any
//! time, and shown only once the respondent answered or fifteen working days
//! passed. The original narrative never leaves the case.
use crate::actor::Actor;
use crate::entity::{complaint, live_room, public_narrative as narrative};
use crate::{Store, StoreError};
use redline_rules::calendar::Calendar;
use redline_rules::case::CaseState;
use redline_rules::field::FieldError;
use redline_rules::public::{narrative_may_appear, NarrativeStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

fn status(n: &narrative::Model) -> Result<NarrativeStatus, StoreError> {
    n.status.parse().map_err(|_| StoreError::Corrupt(format!("public_narratives.status {:?}", n.status)))
}

async fn own_case(store: &Store, actor: &Actor, case_no: &str) -> Result<complaint::Model, StoreError> {
    let c = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(case_no))
        .one(&store.db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if c.consumer_id != actor.user_id {
        return Err(StoreError::Forbidden);
    }
    Ok(c)
}

/// The case's narrative request, if any.
pub async fn of_case(store: &Store, case_id: i64) -> Result<Option<narrative::Model>, StoreError> {
    Ok(narrative::Entity::find().filter(narrative::Column::CaseId.eq(case_id)).one(&store.read).await?)
}

/// The consumer asks to publish (again, after a withdrawal or a rejection):
/// the narrative is masked now and waits for a moderator.
pub async fn opt_in(store: &Store, actor: &Actor, case_no: &str, consent: bool) -> Result<(), StoreError> {
    if !consent {
        return Err(StoreError::Field(FieldError::new(
            "consent",
            "请勾选同意公开（公开的是遮盖个人信息后的文字）",
            "Tick the box to agree to publish (the masked text is what is published)",
        )));
    }
    let c = own_case(store, actor, case_no).await?;
    if c.state == CaseState::Draft.as_str() {
        return Err(StoreError::Field(FieldError::form("草稿不能公开", "A draft cannot be published")));
    }
    let masked = redline_rules::masking::scrub(&c.narrative);
    let now = store.now();
    match narrative::Entity::find().filter(narrative::Column::CaseId.eq(c.id)).one(&store.db).await? {
        Some(n) if status(&n)? == NarrativeStatus::Approved || status(&n)? == NarrativeStatus::Pending => Ok(()),
        Some(n) => {
            let mut a: narrative::ActiveModel = n.into();
            a.masked = Set(masked);
            a.status = Set(NarrativeStatus::Pending.as_str().to_owned());
            a.requested_at = Set(now);
            a.decided_at = Set(None);
            a.decided_by = Set(None);
            a.reason = Set(None);
            a.update(&store.db).await?;
            Ok(())
        }
        None => {
            narrative::ActiveModel {
                case_id: Set(c.id),
                live_room_id: Set(c.live_room_id),
                masked: Set(masked),
                status: Set(NarrativeStatus::Pending.as_str().to_owned()),
                requested_at: Set(now),
                ..Default::default()
            }
            .insert(&store.db)
            .await?;
            Ok(())
        }
    }
}

/// The consumer withdraws consent: the narrative leaves the public page at once.
pub async fn withdraw(store: &Store, actor: &Actor, case_no: &str) -> Result<(), StoreError> {
    let c = own_case(store, actor, case_no).await?;
    let n = narrative::Entity::find()
        .filter(narrative::Column::CaseId.eq(c.id))
        .one(&store.db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut a: narrative::ActiveModel = n.into();
    a.status = Set(NarrativeStatus::Withdrawn.as_str().to_owned());
    a.decided_at = Set(Some(store.now()));
    a.update(&store.db).await?;
    Ok(())
}

/// What a moderator reviews: the masked text, the case number and the room.
pub struct Review {
    pub narrative: narrative::Model,
    pub case_no: String,
    pub room: String,
}

/// Narratives awaiting review, oldest first (administrators only).
pub async fn pending(store: &Store, actor: &Actor, limit: u64) -> Result<Vec<Review>, StoreError> {
    if !actor.is_admin {
        return Err(StoreError::Forbidden);
    }
    let rows = narrative::Entity::find()
        .filter(narrative::Column::Status.eq(NarrativeStatus::Pending.as_str()))
        .order_by_asc(narrative::Column::RequestedAt)
        .order_by_asc(narrative::Column::Id)
        .limit(limit)
        .all(&store.read)
        .await?;
    let cases: std::collections::HashMap<i64, String> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(rows.iter().map(|n| n.case_id)))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|c| (c.id, c.case_no))
        .collect();
    let rooms: std::collections::HashMap<i64, String> = live_room::Entity::find()
        .filter(live_room::Column::Id.is_in(rows.iter().map(|n| n.live_room_id)))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|r| (r.id, r.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|n| Review {
            case_no: cases.get(&n.case_id).cloned().unwrap_or_default(),
            room: rooms.get(&n.live_room_id).cloned().unwrap_or_default(),
            narrative: n,
        })
        .collect())
}

/// A moderator approves or rejects a pending narrative; a rejection gives its reason.
pub async fn decide(store: &Store, actor: &Actor, id: i64, approve: bool, reason: &str) -> Result<(), StoreError> {
    if !actor.is_admin {
        return Err(StoreError::Forbidden);
    }
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(StoreError::Field(FieldError::new("reason", "请说明未通过的原因", "Say why it is rejected")));
    }
    narrative::Entity::find_by_id(id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let to = if approve { NarrativeStatus::Approved } else { NarrativeStatus::Rejected };
    let reason: Option<String> = (!approve).then(|| reason.chars().take(500).collect());
    // Only what still waits, in one statement: a withdrawal meanwhile wins.
    let done = narrative::Entity::update_many()
        .col_expr(narrative::Column::Status, Expr::value(to.as_str()))
        .col_expr(narrative::Column::DecidedAt, Expr::value(Some(store.now())))
        .col_expr(narrative::Column::DecidedBy, Expr::value(Some(actor.user_id)))
        .col_expr(narrative::Column::Reason, Expr::value(reason))
        .filter(narrative::Column::Id.eq(id))
        .filter(narrative::Column::Status.eq(NarrativeStatus::Pending.as_str()))
        .exec(&store.db)
        .await?;
    if done.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// A room's published narratives, newest first: approved, and the case
/// answered or fifteen working days old. (filed on, masked text).
pub async fn published(
    store: &Store,
    room_id: i64,
    limit: u64,
) -> Result<Vec<(chrono::NaiveDate, String)>, StoreError> {
    let rows = narrative::Entity::find()
        .filter(narrative::Column::LiveRoomId.eq(room_id))
        .filter(narrative::Column::Status.eq(NarrativeStatus::Approved.as_str()))
        .order_by_desc(narrative::Column::RequestedAt)
        .limit(limit)
        .all(&store.read)
        .await?;
    let cases: std::collections::HashMap<i64, complaint::Model> = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(rows.iter().map(|n| n.case_id)))
        .all(&store.read)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let (today, cal) = (store.today(), Calendar::official());
    let mut out = Vec::new();
    for n in rows {
        let Some(c) = cases.get(&n.case_id) else { continue };
        let state: CaseState = c.state.parse().map_err(|_| StoreError::Corrupt(format!("case state {:?}", c.state)))?;
        let filed_on = crate::time::china_date(c.created_at);
        if narrative_may_appear(state, filed_on, today, cal) {
            out.push((filed_on, n.masked));
        }
    }
    Ok(out)
}
