//! Links sent to an email address. Opening one proves control of the address,
//! which is what both a registration and a staff invitation need:
//! - registering answers the same whether or not the address has an account
//!   (no enumeration): a new address gets a link that creates the account, a
//!   registered one a note saying so;
//! - staff access reaches only the person who opens the invitation sent to the
//!   address. If an account with that address exists, the administrator is
//!   told, and taking the invitation sets a new password and ends every session
//!   of that account, so whoever registered the address beforehand is shut out.
use crate::account::auth::{hash_blocking, normalize_email};
use crate::actor::{Actor, ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM, ROLE_ADMIN, ROLE_STAFF};
use crate::entity::{email_link as el, membership, session, user};
use crate::notices::{self, Recipient};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use redline_rules::notify::Kind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use sha2::{Digest, Sha256};

pub const REGISTER: &str = "REGISTER";
pub const INVITE: &str = "INVITE";
/// The site's administrator, made from the command line (`admin create`).
pub const SITE_ADMIN: &str = "SITE_ADMIN";

const REGISTER_HOURS: i64 = 24;
const INVITE_DAYS: i64 = 7;
/// Registration mails one address may receive an hour (no mail bombing).
const MAILS_PER_ADDRESS_HOUR: i32 = 3;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(format!("email-link:{token}").as_bytes()))
}

fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

pub fn link_path(token: &str) -> String {
    format!("/welcome/{token}")
}

/// Asks to register `email`. The outcome the caller sees is the same whether
/// or not the address is taken; returns the link written to the outbox (or
/// `None`), for a demo installation without mail to print.
pub async fn request_registration(
    store: &Store,
    email: &str,
    name: &str,
    password: &str,
    locale: &str,
) -> Result<Option<String>, StoreError> {
    let email = normalize_email(email);
    // Hash in both cases: the answer takes as long either way.
    let hash = hash_blocking(password).await;
    if crate::web::ratelimit::hit(store, &format!("register-mail:{email}"), MAILS_PER_ADDRESS_HOUR, Duration::hours(1))
        .await?
        .is_err()
    {
        return Ok(None);
    }
    let now = store.now();
    let txn = store.db.begin().await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(&txn).await?;
    let to = Recipient::Email(email.clone(), locale.to_owned());
    let link = match existing {
        Some(u) => {
            let dedup = format!("already-registered:{}:{}", u.id, now.timestamp());
            notices::insert(&txn, &to, Kind::AlreadyRegistered, &email, "/login", None, &dedup, now).await?;
            None
        }
        None => {
            let token = new_token();
            let row = el::ActiveModel {
                token_hash: Set(token_hash(&token)),
                purpose: Set(REGISTER.into()),
                email: Set(email.clone()),
                name: Set(name.trim().to_owned()),
                password_hash: Set(Some(hash)),
                locale: Set(locale.to_owned()),
                org_kind: Set(None),
                org_id: Set(None),
                invited_by: Set(None),
                created_at: Set(now),
                expires_at: Set(now + Duration::hours(REGISTER_HOURS)),
                used_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let path = link_path(&token);
            let detail = if locale == "en" {
                "Open the link within 24 hours to finish registering"
            } else {
                "请在24小时内打开链接完成注册"
            };
            notices::insert(
                &txn,
                &to,
                Kind::AccountLink,
                &email,
                &path,
                Some(detail),
                &format!("link:{}", row.id),
                now,
            )
            .await?;
            Some(path)
        }
    };
    txn.commit().await?;
    Ok(link)
}

/// An invitation as the administrator sees it.
#[derive(Clone, Debug)]
pub struct Invited {
    pub link: String,
    /// When the address already has an account: when it was created.
    pub existing_since: Option<DateTime<Utc>>,
}

/// Invites `email` to an organisation as `role` (ADMIN or STAFF): the site's
/// administrator may invite to any, an organisation's administrator to their
/// own. Nothing is granted until the invitation is taken through the link
/// mailed to the address.
pub async fn invite(
    store: &Store,
    admin: &Actor,
    email: &str,
    name: &str,
    (kind, org_id): (&str, i64),
    role: &str,
) -> Result<Invited, StoreError> {
    if !admin.may_manage(kind, org_id) {
        return Err(StoreError::Forbidden);
    }
    let role = [ROLE_ADMIN, ROLE_STAFF]
        .into_iter()
        .find(|r| *r == role)
        .ok_or_else(|| StoreError::field("role", "请选择角色", "Choose a role"))?;
    let kind = [ORG_PLATFORM, ORG_OPERATOR, ORG_AGENCY]
        .into_iter()
        .find(|k| *k == kind)
        .ok_or_else(|| StoreError::field("org", "请选择机构", "Choose an organisation"))?;
    if !crate::account::admin::org_exists(store, kind, org_id).await? {
        return Err(StoreError::field("org", "请选择机构", "Choose an organisation"));
    }
    let email = normalize_email(email);
    let now = store.now();
    let txn = store.db.begin().await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(email.clone())).one(&txn).await?;
    let token = new_token();
    let locale = existing.as_ref().map_or("zh".to_owned(), |u| u.locale.clone());
    let row = el::ActiveModel {
        token_hash: Set(token_hash(&token)),
        purpose: Set(INVITE.into()),
        email: Set(email.clone()),
        name: Set(name.trim().to_owned()),
        password_hash: Set(None),
        locale: Set(locale.clone()),
        org_kind: Set(Some(kind.to_owned())),
        org_id: Set(Some(org_id)),
        role: Set(Some(role.to_owned())),
        invited_by: Set(Some(admin.user_id)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITE_DAYS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = link_path(&token);
    let detail = if locale == "en" {
        "You are invited to work on Redline; open the link within 7 days to accept"
    } else {
        "您被邀请加入 Redline 工作台，请在7天内打开链接接受邀请"
    };
    let to = Recipient::Email(email.clone(), locale);
    notices::insert(&txn, &to, Kind::AccountLink, &email, &link, Some(detail), &format!("link:{}", row.id), now)
        .await?;
    txn.commit().await?;
    Ok(Invited { link, existing_since: existing.map(|u| u.created_at) })
}

/// Why the command line would not make an administrator.
#[derive(Debug)]
pub enum SiteAdminError {
    /// One exists already (the command needs `--force` to add another).
    Exists(String),
    Store(StoreError),
}

impl From<sea_orm::DbErr> for SiteAdminError {
    fn from(e: sea_orm::DbErr) -> Self {
        SiteAdminError::Store(e.into())
    }
}

impl From<StoreError> for SiteAdminError {
    fn from(e: StoreError) -> Self {
        SiteAdminError::Store(e)
    }
}

/// Makes a one-time link that makes `email` the site's administrator once
/// opened (password chosen there), and puts it in the outbox for the mail
/// sender. The first administrator has nobody to invite them: this comes
/// from whoever runs the server. Refused while an administrator exists,
/// unless `force` (a second one, or a lost password).
pub async fn invite_site_admin(store: &Store, email: &str, name: &str, force: bool) -> Result<String, SiteAdminError> {
    let email = normalize_email(email);
    if !email.contains('@') || email.len() > 254 {
        return Err(SiteAdminError::Store(StoreError::field("email", "请输入邮箱地址", "Enter an email address")));
    }
    let now = store.now();
    let txn = store.db.begin().await?;
    if !force {
        if let Some(a) = user::Entity::find().filter(user::Column::IsAdmin.eq(true)).one(&txn).await? {
            return Err(SiteAdminError::Exists(a.email));
        }
    }
    let token = new_token();
    let row = el::ActiveModel {
        token_hash: Set(token_hash(&token)),
        purpose: Set(SITE_ADMIN.into()),
        email: Set(email.clone()),
        name: Set(name.trim().to_owned()),
        password_hash: Set(None),
        locale: Set("zh".into()),
        org_kind: Set(None),
        org_id: Set(None),
        role: Set(None),
        invited_by: Set(None),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(REGISTER_HOURS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = link_path(&token);
    let to = Recipient::Email(email.clone(), "zh".into());
    let detail = "您被设为 Redline 系统管理员，请在24小时内打开链接设置密码 · You are Redline's administrator: open the link within 24 hours to choose a password";
    notices::insert(&txn, &to, Kind::AccountLink, &email, &link, Some(detail), &format!("link:{}", row.id), now)
        .await?;
    txn.commit().await?;
    Ok(link)
}

/// Invitations not yet taken, newest first (the admin page).
pub async fn pending_invitations(store: &Store, admin: &Actor) -> Result<Vec<(el::Model, bool)>, StoreError> {
    if !admin.is_admin {
        return Err(StoreError::Forbidden);
    }
    let rows = el::Entity::find()
        .filter(el::Column::Purpose.eq(INVITE))
        .filter(el::Column::UsedAt.is_null())
        .filter(el::Column::ExpiresAt.gt(store.now()))
        .order_by_desc(el::Column::Id)
        .all(&store.db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let exists =
            user::Entity::find().filter(user::Column::Email.eq(r.email.clone())).one(&store.db).await?.is_some();
        out.push((r, exists));
    }
    Ok(out)
}

/// A link that can still be used, for the page that asks to confirm it.
pub async fn open(store: &Store, token: &str) -> Result<Option<(el::Model, bool)>, StoreError> {
    let Some(l) = el::Entity::find().filter(el::Column::TokenHash.eq(token_hash(token))).one(&store.db).await? else {
        return Ok(None);
    };
    if l.used_at.is_some() || l.expires_at <= store.now() {
        return Ok(None);
    }
    let exists = user::Entity::find().filter(user::Column::Email.eq(l.email.clone())).one(&store.db).await?.is_some();
    Ok(Some((l, exists)))
}

#[derive(Debug)]
pub enum AcceptError {
    /// Unknown, used or expired.
    Invalid,
    /// An invitation needs a password of 10+ characters (and a name for a new account).
    Password,
    Name,
    Store(StoreError),
}

impl From<sea_orm::DbErr> for AcceptError {
    fn from(e: sea_orm::DbErr) -> Self {
        AcceptError::Store(e.into())
    }
}

/// Takes a link: creates the account (registration), or adds the membership
/// and sets the password (invitation). Returns the account to sign in.
pub async fn accept(store: &Store, token: &str, name: &str, password: &str) -> Result<i64, AcceptError> {
    let Some((l, exists)) = open(store, token).await.map_err(AcceptError::Store)? else {
        return Err(AcceptError::Invalid);
    };
    let new_hash = if l.purpose == INVITE || l.purpose == SITE_ADMIN {
        if password.chars().count() < 10 || password.len() > 256 {
            return Err(AcceptError::Password);
        }
        let name = if name.trim().is_empty() { l.name.as_str() } else { name.trim() };
        if !exists && (name.is_empty() || name.chars().count() > 60) {
            return Err(AcceptError::Name);
        }
        Some(hash_blocking(password).await)
    } else {
        None
    };
    let now = store.now();
    let txn = store.db.begin().await?;
    // Used once: the conditional update decides between two racing takers.
    let taken = el::Entity::update_many()
        .col_expr(el::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(el::Column::Id.eq(l.id))
        .filter(el::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(AcceptError::Invalid);
    }
    let existing = user::Entity::find().filter(user::Column::Email.eq(l.email.clone())).one(&txn).await?;
    let user_id = match (existing, l.purpose.as_str()) {
        // Registered meanwhile: nothing to create.
        (Some(_), REGISTER) => return Err(AcceptError::Invalid),
        (Some(u), _) => {
            // Whoever held this account before loses it: new password, no sessions.
            session::Entity::delete_many().filter(session::Column::UserId.eq(u.id)).exec(&txn).await?;
            let id = u.id;
            let mut a: user::ActiveModel = u.into();
            a.password_hash = Set(new_hash.clone().unwrap_or_default());
            if l.purpose == SITE_ADMIN {
                a.is_admin = Set(true);
            }
            a.update(&txn).await?;
            id
        }
        (None, purpose) => {
            let hash = if purpose == REGISTER { l.password_hash.clone() } else { new_hash.clone() };
            let display =
                if name.trim().is_empty() || purpose == REGISTER { l.name.clone() } else { name.trim().to_owned() };
            user::ActiveModel {
                email: Set(l.email.clone()),
                display_name: Set(display),
                password_hash: Set(hash.unwrap_or_default()),
                locale: Set(l.locale.clone()),
                is_admin: Set(purpose == SITE_ADMIN),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    if let (Some(kind), Some(org_id)) = (&l.org_kind, l.org_id) {
        let role = l.role.clone().unwrap_or_else(|| ROLE_STAFF.to_owned());
        let has = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::OrgKind.eq(kind.clone()))
            .filter(membership::Column::OrgId.eq(org_id))
            .one(&txn)
            .await?;
        match has {
            // A second invitation to the same organisation grants its role.
            Some(m) if m.role != role => {
                let mut a: membership::ActiveModel = m.into();
                a.role = Set(role);
                a.update(&txn).await?;
            }
            Some(_) => {}
            None => {
                membership::ActiveModel {
                    user_id: Set(user_id),
                    org_kind: Set(kind.clone()),
                    org_id: Set(org_id),
                    role: Set(role),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(user_id)
}

/// Deletes links used or expired a week ago (housekeeping).
pub async fn purge(store: &Store) -> Result<u64, StoreError> {
    Ok(el::Entity::delete_many()
        .filter(el::Column::ExpiresAt.lt(store.now() - Duration::days(7)))
        .exec(&store.db)
        .await?
        .rows_affected)
}
