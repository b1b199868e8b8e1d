//! Administration: who belongs to which organisation. Only admins may do this.
use crate::actor::{Actor, ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM};
use crate::auth::normalize_email;
use crate::entity::{agency, membership, operator, platform, user};
use crate::{Store, StoreError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};

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
    for o in operator::Entity::find().order_by_asc(operator::Column::Id).all(&store.db).await? {
        out.push(Org { kind: ORG_OPERATOR, id: o.id, name: o.name });
    }
    for a in agency::Entity::find().order_by_asc(agency::Column::Id).all(&store.db).await? {
        out.push(Org { kind: ORG_AGENCY, id: a.id, name: format!("{} ({})", a.name, a.region_code) });
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

/// Adds `email` to an organisation, creating the account if it does not exist
/// (then `name` and `password` are required). Idempotent for an existing membership.
pub async fn grant(
    store: &Store,
    actor: &Actor,
    email: &str,
    name: &str,
    password: &str,
    kind: &str,
    org_id: i64,
) -> Result<(), StoreError> {
    if !actor.is_admin {
        return Err(StoreError::Forbidden);
    }
    let kind = [ORG_PLATFORM, ORG_OPERATOR, ORG_AGENCY]
        .into_iter()
        .find(|k| *k == kind)
        .ok_or_else(|| StoreError::Invalid("org".into()))?;
    let exists = match kind {
        ORG_PLATFORM => platform::Entity::find_by_id(org_id).one(&store.db).await?.is_some(),
        ORG_OPERATOR => operator::Entity::find_by_id(org_id).one(&store.db).await?.is_some(),
        _ => agency::Entity::find_by_id(org_id).one(&store.db).await?.is_some(),
    };
    if !exists {
        return Err(StoreError::Invalid("org".into()));
    }
    // Hash before the transaction: it must not hold the connection while hashing.
    let hash = if password.chars().count() >= 10 { Some(crate::auth::hash_blocking(password).await) } else { None };
    let txn = store.db.begin().await?;
    let email = normalize_email(email);
    let u = match user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(&txn).await? {
        Some(u) => u,
        None => {
            let Some(hash) = hash.filter(|_| !name.trim().is_empty()) else {
                return Err(StoreError::Invalid("new-account".into()));
            };
            user::ActiveModel {
                email: Set(email),
                display_name: Set(name.trim().to_owned()),
                password_hash: Set(hash),
                locale: Set("zh".into()),
                is_admin: Set(false),
                created_at: Set(store.now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let has = membership::Entity::find()
        .filter(membership::Column::UserId.eq(u.id))
        .filter(membership::Column::OrgKind.eq(kind))
        .filter(membership::Column::OrgId.eq(org_id))
        .one(&txn)
        .await?
        .is_some();
    if !has {
        membership::ActiveModel {
            user_id: Set(u.id),
            org_kind: Set(kind.into()),
            org_id: Set(org_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
