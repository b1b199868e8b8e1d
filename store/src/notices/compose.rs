//! Writing notifications: a row per recipient, in the transaction of the event
//! it reports, with its email status (sent now, in a digest, or in-app only).
use crate::actor::{ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM};
use crate::entity::{complaint, live_room, membership, notification, user};
use crate::StoreError;
use chrono::{DateTime, TimeZone, Utc};
use redline_rules::calendar::Calendar;
use redline_rules::case::CaseState;
use redline_rules::clock::ClockKind;
use redline_rules::lang::Lang;
use redline_rules::notify::{self, Audience, Kind};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set};

pub const PENDING: &str = "PENDING";
pub const SENDING: &str = "SENDING";
pub const SENT: &str = "SENT";
pub const FAILED: &str = "FAILED";
/// Waits for the recipient's daily digest.
pub const DIGEST: &str = "DIGEST";
pub const DIGESTED: &str = "DIGESTED";
/// No email address: in the app only.
pub const NONE: &str = "NONE";

pub const IMMEDIATE: &str = "IMMEDIATE";
pub const DAILY_DIGEST: &str = "DAILY_DIGEST";

#[derive(Clone, Debug)]
pub enum Recipient {
    User(i64),
    /// A reporter without an account: (email, locale).
    Email(String, String),
}

/// Subject and plain-text body in the recipient's language.
pub fn render(kind: Kind, lang: Lang, subject_ref: &str, detail: Option<&str>, link: &str) -> (String, String) {
    let zh = lang.is_zh();
    let label = if zh { kind.label_zh() } else { kind.label_en() };
    let detail = detail.map(|d| match d.parse::<CaseState>() {
        Ok(s) => (if zh { s.label_zh() } else { s.label_en() }).to_owned(),
        Err(_) => match d.parse::<ClockKind>() {
            Ok(k) => format!("{} {}", k.code(), if zh { k.name_zh() } else { k.name_en() }),
            Err(_) => d.to_owned(),
        },
    });
    let subject = format!("[Redline] {label} · {subject_ref}");
    let mut body = if zh {
        format!("您好：\n\n{label}：{subject_ref}\n")
    } else {
        format!("Hello,\n\n{label}: {subject_ref}\n")
    };
    if let Some(d) = detail {
        body.push_str(&if zh { format!("详情：{d}\n") } else { format!("Details: {d}\n") });
    }
    body.push_str(&if zh {
        format!("\n请登录 Redline 查看：{link}\n\n——Redline 直播电商投诉与纠纷处理平台（系统邮件，请勿直接回复）\n")
    } else {
        format!("\nSee it on Redline: {link}\n\n— Redline, live-commerce complaints (automatic message; please do not reply)\n")
    });
    (subject, body)
}

/// Writes one notification (idempotent by `dedup`).
#[allow(clippy::too_many_arguments)]
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    to: &Recipient,
    kind: Kind,
    subject_ref: &str,
    link: &str,
    detail: Option<&str>,
    dedup: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (user_id, email, locale, mode) = match to {
        Recipient::User(id) => {
            let Some(u) = user::Entity::find_by_id(*id).one(db).await? else { return Ok(()) };
            (Some(u.id), Some(u.email), u.locale, u.email_mode)
        }
        Recipient::Email(e, l) => (None, Some(e.clone()), l.clone(), IMMEDIATE.to_owned()),
    };
    let (subject, body) = render(kind, Lang::parse(&locale), subject_ref, detail, link);
    let status = match &email {
        None => NONE,
        Some(_) if mode == DAILY_DIGEST && kind != Kind::ClockOverdue => DIGEST,
        Some(_) => PENDING,
    };
    let next = if kind.is_reminder() { next_working_utc(now) } else { now };
    let row = notification::ActiveModel {
        user_id: Set(user_id),
        email: Set(email),
        locale: Set(locale),
        kind: Set(kind.as_str().to_owned()),
        subject: Set(subject),
        body: Set(body),
        link: Set(link.to_owned()),
        dedup_key: Set(dedup.to_owned()),
        created_at: Set(now),
        read_at: Set(None),
        email_status: Set(status.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(next),
        lease_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        digest_id: Set(None),
        ..Default::default()
    };
    notification::Entity::insert(row).on_conflict_do_nothing_on([notification::Column::DedupKey]).exec(db).await?;
    Ok(())
}

/// The next moment inside working hours (09:00–18:00 Beijing, working days).
pub fn next_working_utc(now: DateTime<Utc>) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let local = now.with_timezone(&tz).naive_local();
    let next = notify::next_working_moment(local, Calendar::official());
    tz.from_local_datetime(&next).single().map_or(now, |t| t.with_timezone(&Utc))
}

/// Members of an organisation.
pub(crate) async fn members<C: ConnectionTrait>(db: &C, org_kind: &str, org_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::OrgKind.eq(org_kind))
        .filter(membership::Column::OrgId.eq(org_id))
        .select_only()
        .column(membership::Column::UserId)
        .into_tuple()
        .all(db)
        .await?)
}

/// Notifies every member of an organisation.
#[allow(clippy::too_many_arguments)]
pub async fn to_org(
    txn: &DatabaseTransaction,
    org_kind: &str,
    org_id: i64,
    kind: Kind,
    subject_ref: &str,
    link: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for u in members(txn, org_kind, org_id).await? {
        let dedup = format!("{subject_ref}:{}:{}:u{u}", kind.as_str(), detail.unwrap_or("-"));
        insert(txn, &Recipient::User(u), kind, subject_ref, link, detail, &dedup, now).await?;
    }
    Ok(())
}

pub(crate) async fn audience<C: ConnectionTrait>(
    db: &C,
    c: &complaint::Model,
    a: Audience,
) -> Result<Vec<i64>, StoreError> {
    Ok(match a {
        Audience::Consumer => vec![c.consumer_id],
        Audience::Operator => match live_room::Entity::find_by_id(c.live_room_id).one(db).await? {
            Some(r) => members(db, ORG_OPERATOR, r.operator_id).await?,
            None => vec![],
        },
        Audience::Platform => members(db, ORG_PLATFORM, c.platform_id).await?,
        Audience::Regulator => match c.agency_id {
            Some(ag) => members(db, ORG_AGENCY, ag).await?,
            None => vec![],
        },
    })
}

/// The notifications of one state change, in its transaction (`c` as updated).
pub async fn for_case_event(
    txn: &DatabaseTransaction,
    c: &complaint::Model,
    event: &str,
    to: CaseState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let link = format!("/cases/{}", c.case_no);
    for (aud, kind) in notify::for_transition(event, to) {
        for u in audience(txn, c, aud).await? {
            let dedup = format!("case:{}:v{}:{}:u{u}", c.id, c.version, kind.as_str());
            insert(txn, &Recipient::User(u), kind, &c.case_no, &link, Some(to.as_str()), &dedup, now).await?;
        }
    }
    Ok(())
}
