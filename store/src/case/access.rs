//! Who is a party to a case, and in which roles (authorization for every case
//! command and view).
use crate::actor::Actor;
use crate::entity::{complaint, live_room};
use crate::{Store, StoreError};
use redline_rules::case::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Whether `actor` acting as `role` is a party to this case (authorization).
pub async fn may_act<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    role: Role,
    c: &complaint::Model,
) -> Result<bool, sea_orm::DbErr> {
    let room = match role {
        Role::Operator => room_to_check(db, actor, c).await?,
        _ => None,
    };
    Ok(party_as(actor, role, c, room.as_ref()))
}

/// The case's room, read only when the operator's answer could be this actor's.
async fn room_to_check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    c: &complaint::Model,
) -> Result<Option<live_room::Model>, sea_orm::DbErr> {
    match answers_as_operator(actor, c) {
        true => live_room::Entity::find_by_id(c.live_room_id).one(db).await,
        false => Ok(None),
    }
}

/// Whether the operator's answer is this actor's to give, if they run the
/// room: a complaint against the platform itself or an MCN is not the
/// operator's to answer (an unknown respondent kind grants nothing). Only
/// then is the room read.
fn answers_as_operator(actor: &Actor, c: &complaint::Model) -> bool {
    !actor.operator_ids.is_empty() && c.respondent().is_ok_and(|r| !r.answered_by_platform())
}

/// [`may_act`] with the case's room read (`None`: not read, or gone).
fn party_as(actor: &Actor, role: Role, c: &complaint::Model, room: Option<&live_room::Model>) -> bool {
    match role {
        Role::Consumer => c.consumer_id == actor.user_id,
        Role::Operator => {
            answers_as_operator(actor, c) && room.is_some_and(|r| actor.operator_ids.contains(&r.operator_id))
        }
        Role::Platform => actor.platform_ids.contains(&c.platform_id),
        Role::Regulator => c.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)),
        Role::System | Role::Admin => false,
    }
}

/// The roles through which `actor` is a party to `c` (read on the readers:
/// a page's check never waits for the writer).
pub async fn viewer_roles(store: &Store, actor: &Actor, c: &complaint::Model) -> Result<Vec<Role>, StoreError> {
    let room = room_to_check(&store.read, actor, c).await?;
    Ok(roles_with_room(actor, c, room.as_ref()))
}

/// [`viewer_roles`] with the case's room already read (the dossier reads it).
pub fn roles_with_room(actor: &Actor, c: &complaint::Model, room: Option<&live_room::Model>) -> Vec<Role> {
    let parties = [Role::Consumer, Role::Operator, Role::Platform, Role::Regulator];
    parties.into_iter().filter(|r| party_as(actor, *r, c, room)).collect()
}

/// The case with this number, or `NotFound`.
pub async fn case_by_no<C: ConnectionTrait>(db: &C, case_no: &str) -> Result<complaint::Model, StoreError> {
    complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).one(db).await?.ok_or(StoreError::NotFound)
}
