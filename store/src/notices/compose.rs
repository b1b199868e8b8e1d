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
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait, Set, Statement,
};

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
            // Chinese readers get the clock's name; English ones its code too.
            Ok(k) => {
                if zh {
                    k.name_zh().to_owned()
                } else {
                    format!("{} {}", k.code(), k.name_en())
                }
            }
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
    if let Some((g_zh, g_en)) = redline_rules::notify::guidance(kind) {
        body.push_str(&format!("\n{}\n", if zh { g_zh } else { g_en }));
    }
    body.push_str(&if zh {
        format!("\n请登录 Redline 查看：{link}\n\n——Redline 直播电商投诉与纠纷处理平台（系统邮件，请勿直接回复）\n")
    } else {
        format!("\nSee it on Redline: {link}\n\n— Redline, live-commerce complaints (automatic message; please do not reply)\n")
    });
    (subject, body)
}

/// Where a notification goes, and how its recipient takes mail.
#[derive(Clone, Debug)]
pub struct Contact {
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub locale: String,
    pub email_mode: String,
}

impl From<user::Model> for Contact {
    fn from(u: user::Model) -> Self {
        Contact { user_id: Some(u.id), email: Some(u.email), locale: u.locale, email_mode: u.email_mode }
    }
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
    let contact = match to {
        Recipient::User(id) => match user::Entity::find_by_id(*id).one(db).await? {
            Some(u) => Contact::from(u),
            None => return Ok(()),
        },
        Recipient::Email(e, l) => {
            Contact { user_id: None, email: Some(e.clone()), locale: l.clone(), email_mode: IMMEDIATE.to_owned() }
        }
    };
    write(db, vec![row(&contact, kind, subject_ref, link, detail, dedup, now)]).await
}

/// One notification as it will be written, with its email status.
pub fn row(
    to: &Contact,
    kind: Kind,
    subject_ref: &str,
    link: &str,
    detail: Option<&str>,
    dedup: &str,
    now: DateTime<Utc>,
) -> notification::ActiveModel {
    let (subject, body) = render(kind, Lang::parse(&to.locale), subject_ref, detail, link);
    let status = match &to.email {
        None => NONE,
        Some(_) if to.email_mode == DAILY_DIGEST && kind != Kind::ClockOverdue => DIGEST,
        Some(_) => PENDING,
    };
    let next = if kind.is_reminder() { next_working_utc(now) } else { now };
    notification::ActiveModel {
        user_id: Set(to.user_id),
        email: Set(to.email.clone()),
        locale: Set(to.locale.clone()),
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
    }
}

/// Writes notifications in one statement; one whose dedup key exists is skipped.
pub async fn write<C: ConnectionTrait>(db: &C, rows: Vec<notification::ActiveModel>) -> Result<(), StoreError> {
    if let Some(s) = insert_rows(db.get_database_backend(), rows) {
        db.execute_raw(s).await?;
    }
    Ok(())
}

/// The statement [`write`] runs, for a batch (`crate::batch`); `None` for no rows.
pub fn insert_rows(backend: DatabaseBackend, rows: Vec<notification::ActiveModel>) -> Option<Statement> {
    (!rows.is_empty()).then(|| {
        notification::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(notification::Column::DedupKey).do_nothing().to_owned())
            .build(backend)
    })
}

/// The next moment inside working hours (09:00–18:00 Beijing, working days).
pub fn next_working_utc(now: DateTime<Utc>) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let local = now.with_timezone(&tz).naive_local();
    let next = notify::next_working_moment(local, Calendar::official());
    tz.from_local_datetime(&next).single().map_or(now, |t| t.with_timezone(&Utc))
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
    write(txn, org_rows(txn, org_kind, org_id, kind, subject_ref, link, detail, now).await?).await
}

/// The notifications to every member of an organisation, to be written.
#[allow(clippy::too_many_arguments)]
pub async fn org_rows<C: ConnectionTrait>(
    db: &C,
    org_kind: &str,
    org_id: i64,
    kind: Kind,
    subject_ref: &str,
    link: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<notification::ActiveModel>, StoreError> {
    let people = org_contacts(db, org_kind, org_id).await?;
    Ok(org_rows_for(&people, kind, subject_ref, link, detail, now))
}

/// The notifications to these members of an organisation (as [`org_rows`]).
pub fn org_rows_for(
    people: &[Contact],
    kind: Kind,
    subject_ref: &str,
    link: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> Vec<notification::ActiveModel> {
    people
        .iter()
        .map(|p| {
            let dedup =
                format!("{subject_ref}:{}:{}:u{}", kind.as_str(), detail.unwrap_or("-"), p.user_id.unwrap_or_default());
            row(p, kind, subject_ref, link, detail, &dedup, now)
        })
        .collect()
}

/// The members of an organisation, with their contacts, in one statement.
pub(crate) async fn org_contacts<C: ConnectionTrait>(
    db: &C,
    org_kind: &str,
    org_id: i64,
) -> Result<Vec<Contact>, StoreError> {
    contacts(db, user::Column::Id.in_subquery(members_of(org_kind, org_id.into()))).await
}

/// The user ids of an organisation's members (`org` a value or a subquery).
fn members_of(org_kind: &str, org: SimpleExpr) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(membership::Column::UserId)
        .from(membership::Entity)
        .and_where(Expr::col(membership::Column::OrgKind).eq(org_kind))
        .and_where(Expr::col(membership::Column::OrgId).eq(org))
        .to_owned()
}

/// The people a condition on users selects, with their contacts, in id order.
async fn contacts<C: ConnectionTrait>(db: &C, people: SimpleExpr) -> Result<Vec<Contact>, StoreError> {
    let users = user::Entity::find().filter(people).order_by_asc(user::Column::Id).all(db).await?;
    Ok(users.into_iter().map(Contact::from).collect())
}

/// The people of an audience of a case, with their contacts, in one statement.
pub(crate) async fn audience_contacts<C: ConnectionTrait>(
    db: &C,
    c: &complaint::Model,
    a: Audience,
) -> Result<Vec<Contact>, StoreError> {
    match audience_of(c, a) {
        Some(people) => contacts(db, people).await,
        None => Ok(vec![]),
    }
}

/// Who an audience of a case is, as a condition on users (none: a regulator
/// before the case reached one). The operator is the room's present one, as
/// for who may act (`case::access`).
fn audience_of(c: &complaint::Model, a: Audience) -> Option<SimpleExpr> {
    Some(match a {
        Audience::Consumer => user::Column::Id.eq(c.consumer_id),
        Audience::Operator => {
            let operator = Query::select()
                .column(live_room::Column::OperatorId)
                .from(live_room::Entity)
                .and_where(Expr::col(live_room::Column::Id).eq(c.live_room_id))
                .to_owned();
            user::Column::Id
                .in_subquery(members_of(ORG_OPERATOR, SimpleExpr::SubQuery(None, Box::new(operator.into()))))
        }
        Audience::Platform => user::Column::Id.in_subquery(members_of(ORG_PLATFORM, c.platform_id.into())),
        Audience::Regulator => user::Column::Id.in_subquery(members_of(ORG_AGENCY, c.agency_id?.into())),
    })
}

/// Every audience of a case with their contacts, read once for a write that
/// notifies several (a filing tells the operator and the platform).
pub struct CaseContacts {
    /// The handling agency they were read for: a new one is read again.
    pub agency_id: Option<i64>,
    by: Vec<(Audience, Vec<Contact>)>,
}

impl CaseContacts {
    pub fn of(&self, a: Audience) -> &[Contact] {
        self.by.iter().find(|(x, _)| *x == a).map_or(&[], |(_, p)| p.as_slice())
    }
}

const AUDIENCES: [Audience; 4] = [Audience::Consumer, Audience::Operator, Audience::Platform, Audience::Regulator];

/// The people of every audience of a case, in one statement (a union, each
/// row tagged with its audience), each audience in id order.
pub(crate) async fn case_contacts<C: ConnectionTrait>(
    db: &C,
    c: &complaint::Model,
) -> Result<CaseContacts, StoreError> {
    let rows = db.query_all_raw(contacts_statement(db.get_database_backend(), c)).await?;
    contacts_from(rows.iter(), c.agency_id)
}

/// The statement [`case_contacts`] runs (a filing runs it in a batch, before
/// the case row exists: `c` is the case about to be inserted). Its rows carry
/// an `audience` column.
pub(crate) fn contacts_statement(backend: DatabaseBackend, c: &complaint::Model) -> Statement {
    use sea_orm::sea_query::{Alias, UnionType};
    use sea_orm::Iterable;
    let part = |tag: usize, people: SimpleExpr| {
        let mut q = Query::select();
        q.columns(user::Column::iter().map(|col| (user::Entity, col)))
            .expr_as(Expr::val(tag as i32), Alias::new("audience"))
            .from(user::Entity)
            .and_where(people);
        q
    };
    let mut parts = AUDIENCES.iter().enumerate().filter_map(|(i, a)| Some(part(i, audience_of(c, *a)?)));
    let mut q = parts.next().expect("the consumer is an audience");
    for p in parts {
        q.union(UnionType::All, p);
    }
    backend.build(&q)
}

/// The audiences from the rows of [`contacts_statement`], read for `agency_id`.
pub(crate) fn contacts_from<'r>(
    rows: impl Iterator<Item = &'r sea_orm::QueryResult>,
    agency_id: Option<i64>,
) -> Result<CaseContacts, StoreError> {
    use sea_orm::FromQueryResult;
    let mut by: Vec<(Audience, Vec<Contact>)> = AUDIENCES.iter().map(|a| (*a, Vec::new())).collect();
    for r in rows {
        let tag: i32 = r.try_get("", "audience")?;
        let u = user::Model::from_query_result(r, "")?;
        if let Some((_, people)) = by.get_mut(tag as usize) {
            people.push(Contact::from(u));
        }
    }
    for (_, people) in &mut by {
        people.sort_by_key(|p| p.user_id);
    }
    Ok(CaseContacts { agency_id, by })
}

/// The notifications of one state change (`c` as updated), to be written with its event.
pub fn for_case_event(
    people: &CaseContacts,
    c: &complaint::Model,
    event: &str,
    to: CaseState,
    now: DateTime<Utc>,
) -> Vec<notification::ActiveModel> {
    let link = format!("/cases/{}", c.case_no);
    let mut rows = Vec::new();
    for (aud, kind) in notify::for_transition(event, to) {
        for p in people.of(aud) {
            let dedup = format!("case:{}:v{}:{}:u{}", c.id, c.version, kind.as_str(), p.user_id.unwrap_or_default());
            rows.push(row(p, kind, &c.case_no, &link, Some(to.as_str()), &dedup, now));
        }
    }
    rows
}
