//! Administration: who belongs to which organisation. Only admins may do this;
//! memberships are offered by invitation (`email_links`).
use crate::actor::{Actor, ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM};
use crate::entity::{agency, membership, operator, platform, user};
use crate::{Store, StoreError};
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

/// An organisation a staff member can belong to.
#[derive(Clone, Debug, PartialEq)]
pub struct Org {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
}

pub async fn organisations(store: &Store) -> Result<Vec<Org>, StoreError> {
    let mut out = Vec::new();
    for p in platform::Entity::find().order_by_asc(platform::Column::Id).all(&store.db).await? {
        out.push(Org { kind: ORG_PLATFORM, id: p.id, name: p.name });
    }
    // Platforms report operators by the thousand; the first few hundred are
    // offered here, and platforms onboard the rest of their operators' staff.
    for o in operator::Entity::find().order_by_asc(operator::Column::Id).limit(300).all(&store.db).await? {
        out.push(Org { kind: ORG_OPERATOR, id: o.id, name: o.name });
    }
    for a in agency::Entity::find().order_by_asc(agency::Column::Id).all(&store.db).await? {
        out.push(Org { kind: ORG_AGENCY, id: a.id, name: format!("{} ({} {})", a.name, a.region_code, a.level) });
    }
    Ok(out)
}

pub struct UserRow {
    pub user: user::Model,
    pub orgs: Vec<(String, i64)>,
}

pub async fn users(store: &Store, actor: &Actor) -> Result<Vec<UserRow>, StoreError> {
    if !actor.is_admin {
        return Err(StoreError::Forbidden);
    }
    let ms = membership::Entity::find().all(&store.db).await?;
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(&store.db)
        .await?
        .into_iter()
        .map(|u| {
            let orgs = ms.iter().filter(|m| m.user_id == u.id).map(|m| (m.org_kind.clone(), m.org_id)).collect();
            UserRow { user: u, orgs }
        })
        .collect())
}

/// The name of an organisation of `kind`, if it exists (one row read).
pub async fn org_name(store: &Store, kind: &str, org_id: i64) -> Result<Option<String>, StoreError> {
    Ok(match kind {
        ORG_PLATFORM => platform::Entity::find_by_id(org_id).one(&store.db).await?.map(|p| p.name),
        ORG_OPERATOR => operator::Entity::find_by_id(org_id).one(&store.db).await?.map(|o| o.name),
        ORG_AGENCY => agency::Entity::find_by_id(org_id)
            .one(&store.db)
            .await?
            .map(|a| format!("{} ({} {})", a.name, a.region_code, a.level)),
        _ => None,
    })
}

/// Whether an organisation of `kind` with this id exists.
pub async fn org_exists(store: &Store, kind: &str, org_id: i64) -> Result<bool, StoreError> {
    Ok(org_name(store, kind, org_id).await?.is_some())
}
