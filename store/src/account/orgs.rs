//! Organisations and their staff: the administrator creates platforms and
//! agencies; an organisation's own administrators (role ADMIN) manage who
//! works for it. Staff join only by invitation (`email_links`).
use crate::actor::{Actor, ROLE_ADMIN, ROLE_STAFF};
use crate::entity::{agency, membership, platform, user};
use crate::{Store, StoreError};
use redline_rules::intake::org::{NewAgency, NewPlatform};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

pub async fn create_platform(store: &Store, admin: &Actor, p: &NewPlatform) -> Result<platform::Model, StoreError> {
    if !admin.is_admin {
        return Err(StoreError::Forbidden);
    }
    let txn = store.db.begin().await?;
    let taken = |col: platform::Column, v: &str| platform::Entity::find().filter(col.eq(v.to_owned())).count(&txn);
    if taken(platform::Column::Code, &p.code).await? > 0 {
        return Err(StoreError::field("code", "该代号已被使用", "This handle is taken"));
    }
    if taken(platform::Column::Uscc, p.credit_code.as_str()).await? > 0 {
        return Err(StoreError::field(
            "credit_code",
            "该信用代码的平台已存在",
            "A platform with this credit code exists",
        ));
    }
    let row = platform::ActiveModel {
        code: Set(p.code.clone()),
        name: Set(p.name.clone()),
        name_en: Set(p.name_en.clone()),
        uscc: Set(p.credit_code.as_str().to_owned()),
        domicile_address: Set(p.domicile_address.clone()),
        domicile_region: Set(p.domicile_region.to_string()),
        policy_json: Set("{}".into()),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn create_agency(store: &Store, admin: &Actor, a: &NewAgency) -> Result<agency::Model, StoreError> {
    if !admin.is_admin {
        return Err(StoreError::Forbidden);
    }
    let txn = store.db.begin().await?;
    // One agency a division (the schema's unique key): a second kind in the
    // same division waits for that key to include the kind.
    let exists = agency::Entity::find().filter(agency::Column::RegionCode.eq(a.region.as_str())).count(&txn).await? > 0;
    if exists {
        return Err(StoreError::field("region", "该行政区划已有机构", "An agency for this division exists"));
    }
    let row = agency::ActiveModel {
        name: Set(a.name.clone()),
        name_en: Set(a.name_en.clone()),
        region_code: Set(a.region.as_str().to_owned()),
        level: Set(a.level().as_str().to_owned()),
        kind: Set(a.kind.as_str().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// A member of an organisation, as its administrators see them.
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
}

pub async fn members(store: &Store, actor: &Actor, kind: &str, org_id: i64) -> Result<Vec<Member>, StoreError> {
    if !actor.may_manage(kind, org_id) {
        return Err(StoreError::Forbidden);
    }
    let ms = membership::Entity::find()
        .filter(membership::Column::OrgKind.eq(kind))
        .filter(membership::Column::OrgId.eq(org_id))
        .order_by_asc(membership::Column::Id)
        .all(&store.read)
        .await?;
    let users =
        user::Entity::find().filter(user::Column::Id.is_in(ms.iter().map(|m| m.user_id))).all(&store.read).await?;
    Ok(ms
        .into_iter()
        .filter_map(|m| {
            let u = users.iter().find(|u| u.id == m.user_id)?;
            Some(Member { user_id: u.id, email: u.email.clone(), name: u.display_name.clone(), role: m.role })
        })
        .collect())
}

/// Changes a member's role, or removes them (`role` = None). Nobody changes
/// their own membership, so an organisation's administrator cannot lock
/// themselves out by mistake.
pub async fn set_member(
    store: &Store,
    actor: &Actor,
    (kind, org_id): (&str, i64),
    user_id: i64,
    role: Option<&str>,
) -> Result<(), StoreError> {
    if !actor.may_manage(kind, org_id) {
        return Err(StoreError::Forbidden);
    }
    if user_id == actor.user_id {
        return Err(StoreError::field("role", "不能更改自己的角色", "You cannot change your own role"));
    }
    let txn = store.db.begin().await?;
    let m = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::OrgKind.eq(kind))
        .filter(membership::Column::OrgId.eq(org_id))
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    match role {
        Some(r) if r == ROLE_ADMIN || r == ROLE_STAFF => {
            let mut a: membership::ActiveModel = m.into();
            a.role = Set(r.to_owned());
            a.update(&txn).await?;
        }
        Some(_) => return Err(StoreError::field("role", "请选择角色", "Choose a role")),
        None => {
            membership::Entity::delete_by_id(m.id).exec(&txn).await?;
            // Sessions carry no memberships: the next request sees the change.
        }
    }
    txn.commit().await?;
    Ok(())
}
