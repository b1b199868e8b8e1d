//! API keys: each belongs to one platform, or to one of its live-room
//! operators, and carries scopes. A key is shown once and stored as its
//! SHA-256; rotating issues a new key and lets the old one work for a day, so
//! a platform can deploy the new one without an outage.
use crate::actor::{Actor, ORG_OPERATOR, ORG_PLATFORM};
use crate::entity::{operator, platform_api_key as key};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};

/// What a key may do. A request outside its scopes is refused with 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    CasesRead,
    CasesWrite,
    SessionsWrite,
    PartiesWrite,
    TipsRead,
    TipsWrite,
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::CasesRead,
        Scope::CasesWrite,
        Scope::SessionsWrite,
        Scope::PartiesWrite,
        Scope::TipsRead,
        Scope::TipsWrite,
        Scope::WebhooksManage,
    ];
    /// What an operator's key may hold: its own rooms' cases and webhooks.
    pub const OPERATOR: [Scope; 3] = [Scope::CasesRead, Scope::CasesWrite, Scope::WebhooksManage];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CasesRead => "cases:read",
            Scope::CasesWrite => "cases:write",
            Scope::SessionsWrite => "sessions:write",
            Scope::PartiesWrite => "parties:write",
            Scope::TipsRead => "tips:read",
            Scope::TipsWrite => "tips:write",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }
    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The organisation a key acts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrg {
    Platform(i64),
    Operator(i64),
}

impl KeyOrg {
    pub fn kind(self) -> &'static str {
        match self {
            KeyOrg::Platform(_) => ORG_PLATFORM,
            KeyOrg::Operator(_) => ORG_OPERATOR,
        }
    }
    pub fn id(self) -> i64 {
        match self {
            KeyOrg::Platform(id) | KeyOrg::Operator(id) => id,
        }
    }
}

/// A request authenticated by a key: who it acts as, and what it may do.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub key_id: i64,
    pub org: KeyOrg,
    pub platform_id: i64,
    pub scopes: Vec<Scope>,
    /// The key acting as a member of its organisation, recorded on events as
    /// the person who issued it.
    pub actor: Actor,
}

impl ApiCaller {
    pub fn may(&self, s: Scope) -> bool {
        self.scopes.contains(&s)
    }
}

pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.trim().as_bytes()))
}

fn parse_scopes(s: &str) -> Vec<Scope> {
    s.split_whitespace().filter_map(Scope::parse).collect()
}

fn scopes_str(s: &[Scope]) -> String {
    Scope::ALL.iter().filter(|x| s.contains(x)).map(|x| x.as_str()).collect::<Vec<_>>().join(" ")
}

/// A new key for an organisation the actor administers: `(id, key)`; the key is
/// shown once. An operator's key holds operator scopes only.
pub async fn issue(
    store: &Store,
    actor: &Actor,
    org: KeyOrg,
    name: &str,
    scopes: &[Scope],
) -> Result<(i64, String), StoreError> {
    let platform_id = owner_platform(store, actor, org).await?;
    let name = name.trim();
    if name.chars().count() > 60 {
        return Err(StoreError::field("name", "名称不超过60个字", "The name is at most 60 characters"));
    }
    let scopes: Vec<Scope> = match org {
        KeyOrg::Platform(_) => scopes.to_vec(),
        KeyOrg::Operator(_) => scopes.iter().copied().filter(|s| Scope::OPERATOR.contains(s)).collect(),
    };
    if scopes.is_empty() {
        return Err(StoreError::field("scopes", "请至少选择一项权限", "Choose at least one scope"));
    }
    let key = new_key();
    let id = insert(&store.db, platform_id, org, name, &scopes, &key, Some(actor.user_id), store.now()).await?;
    Ok((id, key))
}

fn new_key() -> String {
    format!("rk_{}", hex::encode(rand::random::<[u8; 24]>()))
}

/// The platform an actor may issue keys for, or `Forbidden`.
async fn owner_platform(store: &Store, actor: &Actor, org: KeyOrg) -> Result<i64, StoreError> {
    match org {
        KeyOrg::Platform(p) if actor.may_manage(ORG_PLATFORM, p) => Ok(p),
        KeyOrg::Operator(o) if actor.may_manage(ORG_OPERATOR, o) => {
            operator::Entity::find_by_id(o).one(&store.db).await?.and_then(|op| op.platform_id).ok_or(
                StoreError::field(
                    "form",
                    "该经营者尚未由平台报送，暂不能签发密钥",
                    "This operator has not been reported by a platform yet; no key can be issued",
                ),
            )
        }
        _ => Err(StoreError::Forbidden),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    org: KeyOrg,
    name: &str,
    scopes: &[Scope],
    key: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = key::ActiveModel {
        platform_id: Set(platform_id),
        operator_id: Set(match org {
            KeyOrg::Operator(o) => Some(o),
            KeyOrg::Platform(_) => None,
        }),
        key_hash: Set(hash(key)),
        prefix: Set(key.chars().take(10).collect()),
        name: Set(name.to_owned()),
        scopes: Set(scopes_str(scopes)),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// A key the actor may manage (one of the organisations they administer).
async fn managed(store: &Store, actor: &Actor, key_id: i64) -> Result<key::Model, StoreError> {
    let k = key::Entity::find_by_id(key_id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let mine = match k.operator_id {
        Some(o) => actor.may_manage(ORG_OPERATOR, o),
        None => actor.may_manage(ORG_PLATFORM, k.platform_id),
    };
    if !mine {
        return Err(StoreError::NotFound);
    }
    Ok(k)
}

/// A new key with the old one's name and scopes; the old one works for 24 more hours.
pub async fn rotate(store: &Store, actor: &Actor, key_id: i64) -> Result<(i64, String), StoreError> {
    let old = managed(store, actor, key_id).await?;
    if old.revoked_at.is_some() || old.expires_at.is_some() {
        return Err(StoreError::field("form", "该密钥已吊销或正在轮换", "This key is revoked or already rotating"));
    }
    let now = store.now();
    let org = old.operator_id.map(KeyOrg::Operator).unwrap_or(KeyOrg::Platform(old.platform_id));
    let key = new_key();
    let txn = sea_orm::TransactionTrait::begin(&store.db).await?;
    let id = insert(&txn, old.platform_id, org, &old.name, &parse_scopes(&old.scopes), &key, Some(actor.user_id), now)
        .await?;
    key::Entity::update_many()
        .col_expr(key::Column::ExpiresAt, Expr::value(now + Duration::hours(24)))
        .filter(key::Column::Id.eq(old.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok((id, key))
}

/// Revokes a key at once.
pub async fn revoke(store: &Store, actor: &Actor, key_id: i64) -> Result<(), StoreError> {
    let k = managed(store, actor, key_id).await?;
    key::Entity::update_many()
        .col_expr(key::Column::RevokedAt, Expr::value(store.now()))
        .filter(key::Column::Id.eq(k.id))
        .filter(key::Column::RevokedAt.is_null())
        .exec(&store.db)
        .await?;
    Ok(())
}

/// An organisation's keys, newest first, revoked ones included (for the record).
pub async fn list(store: &Store, org: KeyOrg) -> Result<Vec<key::Model>, StoreError> {
    let sel = match org {
        KeyOrg::Platform(p) => {
            key::Entity::find().filter(key::Column::PlatformId.eq(p)).filter(key::Column::OperatorId.is_null())
        }
        KeyOrg::Operator(o) => key::Entity::find().filter(key::Column::OperatorId.eq(o)),
    };
    Ok(sel.order_by_desc(key::Column::Id).all(&store.read).await?)
}

pub fn scopes_of(k: &key::Model) -> Vec<Scope> {
    parse_scopes(&k.scopes)
}

/// Whom a presented key authenticates; `None` for an unknown, revoked or
/// expired key. Last use is written at most once a minute per key.
pub async fn authenticate(store: &Store, presented: &str) -> Result<Option<ApiCaller>, StoreError> {
    let now = store.now();
    let Some(k) = key::Entity::find()
        .filter(key::Column::KeyHash.eq(hash(presented)))
        .filter(key::Column::RevokedAt.is_null())
        .filter(Condition::any().add(key::Column::ExpiresAt.is_null()).add(key::Column::ExpiresAt.gt(now)))
        .one(&store.read)
        .await?
    else {
        return Ok(None);
    };
    if k.last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
        key::Entity::update_many()
            .col_expr(key::Column::LastUsedAt, Expr::value(now))
            .filter(key::Column::Id.eq(k.id))
            .exec(&store.db)
            .await?;
    }
    let org = k.operator_id.map(KeyOrg::Operator).unwrap_or(KeyOrg::Platform(k.platform_id));
    let actor = Actor {
        user_id: k.created_by.unwrap_or_default(),
        email: String::new(),
        display_name: format!("API {}", k.prefix),
        locale: "zh-CN".into(),
        is_admin: false,
        operator_ids: k.operator_id.into_iter().collect(),
        platform_ids: if k.operator_id.is_none() { vec![k.platform_id] } else { Vec::new() },
        agency_ids: Vec::new(),
        manages: Vec::new(),
    };
    Ok(Some(ApiCaller { key_id: k.id, org, platform_id: k.platform_id, scopes: parse_scopes(&k.scopes), actor }))
}
