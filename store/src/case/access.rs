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
    Ok(match role {
        Role::Consumer => c.consumer_id == actor.user_id,
        // A complaint against the platform itself or an MCN is not the operator's
        // to answer (an unknown respondent kind grants nothing).
        Role::Operator if !c.respondent().is_ok_and(|r| !r.answered_by_platform()) => false,
        Role::Operator => {
            let room = live_room::Entity::find_by_id(c.live_room_id).one(db).await?;
            room.is_some_and(|r| actor.operator_ids.contains(&r.operator_id))
        }
        Role::Platform => actor.platform_ids.contains(&c.platform_id),
        Role::Regulator => c.agency_id.is_some_and(|a| actor.agency_ids.contains(&a)),
        Role::System | Role::Admin => false,
    })
}

/// The roles through which `actor` is a party to `c`.
pub async fn viewer_roles(store: &Store, actor: &Actor, c: &complaint::Model) -> Result<Vec<Role>, StoreError> {
    let mut roles = Vec::new();
    for r in [Role::Consumer, Role::Operator, Role::Platform, Role::Regulator] {
        if may_act(&store.db, actor, r, c).await? {
            roles.push(r);
        }
    }
    Ok(roles)
}

/// The case with this number, or `NotFound`.
pub async fn case_by_no<C: ConnectionTrait>(db: &C, case_no: &str) -> Result<complaint::Model, StoreError> {
    complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).one(db).await?.ok_or(StoreError::NotFound)
}
