//! Notifications (通知) and the mail outbox. A notification row is written in
//! the same transaction as the event it reports, with its email status; the
//! mail worker (server) sends pending rows and never loses one. Reminders wait
//! for working hours unless the clock is already overdue.
use crate::actor::{ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM};
use crate::entity::{clock, complaint, live_room, membership, notification, tip, user};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};
use redline_rules::calendar::Calendar;
use redline_rules::case::CaseState;
use redline_rules::clock::{self as rclock, ClockKind};
use redline_rules::notify::{self, Audience, Kind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
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
pub fn render(kind: Kind, zh: bool, subject_ref: &str, detail: Option<&str>, link: &str) -> (String, String) {
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
    let zh = locale != "en";
    let (subject, body) = render(kind, zh, subject_ref, detail, link);
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
async fn members<C: ConnectionTrait>(db: &C, org_kind: &str, org_id: i64) -> Result<Vec<i64>, StoreError> {
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

async fn audience<C: ConnectionTrait>(db: &C, c: &complaint::Model, a: Audience) -> Result<Vec<i64>, StoreError> {
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

/// Reminders at 75 % of a clock and notices once it is overdue, for running
/// case clocks and tips under D9. Each clock is claimed once per stage by a
/// conditional update in the transaction that writes its notifications, so a
/// run (or another process) does no work for clocks already handled.
pub async fn remind_clocks(store: &Store) -> Result<usize, StoreError> {
    const REMINDED: i32 = 1;
    const OVERDUE: i32 = 2;
    let now = store.now();
    let today = store.today();
    let cal = Calendar::official();
    let mut n = 0;
    // 75 % of the longest clock (D6, 60 days) is reached within 15 days of its due date.
    let clocks = clock::Entity::find()
        .filter(clock::Column::Status.eq("RUNNING"))
        .filter(clock::Column::Notified.lt(OVERDUE))
        .filter(clock::Column::DueOn.lte(today + Duration::days(16)))
        .order_by_asc(clock::Column::DueOn)
        .limit(1000)
        .all(&store.db)
        .await?;
    for k in clocks {
        let Ok(kind) = k.kind.parse::<ClockKind>() else { continue };
        let remaining = if k.calendar == "working" {
            rclock::remaining_working_days(cal, today, k.due_on)
        } else {
            rclock::remaining_natural_days(today, k.due_on)
        };
        let (stage, notice) = if rclock::is_overdue(today, k.due_on) {
            (OVERDUE, Kind::ClockOverdue)
        } else if notify::reminder_due(k.days as u32, remaining) {
            (REMINDED, Kind::ClockReminder)
        } else {
            continue;
        };
        if stage <= k.notified {
            continue;
        }
        let txn = store.db.begin().await?;
        let claimed = clock::Entity::update_many()
            .col_expr(clock::Column::Notified, Expr::value(stage))
            .filter(clock::Column::Id.eq(k.id))
            .filter(clock::Column::Notified.lt(stage))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(c) = complaint::Entity::find_by_id(k.case_id).one(&txn).await? else { continue };
        let detail = format!("{} · {}", kind.code(), k.due_on);
        let link = format!("/cases/{}", c.case_no);
        for u in audience(&txn, &c, notify::bound_party(kind)).await? {
            let dedup = format!("clock:{}:{}:u{u}", k.id, notice.as_str());
            insert(&txn, &Recipient::User(u), notice, &c.case_no, &link, Some(&detail), &dedup, now).await?;
            n += 1;
        }
        txn.commit().await?;
    }
    // D9: the 75 % reminder, once per due date (a restart or an extension moves it);
    // missed D9s are flagged by `tips::flag_overdue`.
    let tips = tip::Entity::find()
        .filter(tip::Column::RegulatorStatus.eq("VERIFYING"))
        .filter(tip::Column::D9DueOn.gte(today))
        .filter(tip::Column::D9DueOn.lte(today + Duration::days(45)))
        .limit(1000)
        .all(&store.db)
        .await?;
    for t in tips {
        let (Some(due), Some(ag)) = (t.d9_due_on, t.agency_id) else { continue };
        let days = redline_rules::tip::D9_DAYS + if t.d9_extended { redline_rules::tip::D9_EXTENSION } else { 0 };
        if t.d9_reminded_for == Some(due)
            || !notify::reminder_due(days, rclock::remaining_working_days(cal, today, due))
        {
            continue;
        }
        let txn = store.db.begin().await?;
        let claimed = tip::Entity::update_many()
            .col_expr(tip::Column::D9RemindedFor, Expr::value(Some(due)))
            .filter(tip::Column::Id.eq(t.id))
            .filter(tip::Column::D9DueOn.eq(due))
            .filter(
                sea_orm::Condition::any()
                    .add(tip::Column::D9RemindedFor.is_null())
                    .add(tip::Column::D9RemindedFor.ne(due)),
            )
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let link = format!("/staff/tips/{}", t.tip_no);
        let detail = format!("D9 · {due}");
        for u in members(&txn, ORG_AGENCY, ag).await? {
            let dedup = format!("tip:{}:d9:{}:75:u{u}", t.id, due);
            insert(&txn, &Recipient::User(u), Kind::ClockReminder, &t.tip_no, &link, Some(&detail), &dedup, now)
                .await?;
            n += 1;
        }
        txn.commit().await?;
    }
    Ok(n)
}

/// Gathers waiting digest items into one message per person, once a day, from
/// 09:00 on working days.
pub async fn build_digests(store: &Store) -> Result<usize, StoreError> {
    let now = store.now();
    if next_working_utc(now) != now {
        return Ok(0);
    }
    let users: Vec<Option<i64>> = notification::Entity::find()
        .filter(notification::Column::EmailStatus.eq(DIGEST))
        .select_only()
        .column(notification::Column::UserId)
        .distinct()
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut n = 0;
    for uid in users.into_iter().flatten() {
        let txn = store.db.begin().await?;
        let items = notification::Entity::find()
            .filter(notification::Column::UserId.eq(uid))
            .filter(notification::Column::EmailStatus.eq(DIGEST))
            .order_by_asc(notification::Column::Id)
            .all(&txn)
            .await?;
        let Some(u) = user::Entity::find_by_id(uid).one(&txn).await? else { continue };
        let zh = u.locale != "en";
        let date = store.today();
        // Once a day: later items wait for tomorrow's digest.
        let key = format!("digest:u{uid}:{date}");
        if notification::Entity::find()
            .filter(notification::Column::DedupKey.eq(key.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            continue;
        }
        let mut body = if zh {
            format!("您好：\n\n{date} 待办汇总（{} 项）：\n\n", items.len())
        } else {
            format!("Hello,\n\nDigest for {date} ({} items):\n\n", items.len())
        };
        for i in &items {
            body.push_str(&format!("- {}\n  {}\n", i.subject.trim_start_matches("[Redline] "), i.link));
        }
        let subject =
            if zh { format!("[Redline] 待办汇总 · {date}") } else { format!("[Redline] Digest · {date}") };
        let digest = notification::ActiveModel {
            user_id: Set(Some(uid)),
            email: Set(Some(u.email.clone())),
            locale: Set(u.locale.clone()),
            kind: Set(Kind::Digest.as_str().to_owned()),
            subject: Set(subject),
            body: Set(body),
            link: Set("/notifications".into()),
            dedup_key: Set(key),
            created_at: Set(now),
            read_at: Set(Some(now)),
            email_status: Set(PENDING.into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            sent_at: Set(None),
            last_error: Set(None),
            digest_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        notification::Entity::update_many()
            .col_expr(notification::Column::EmailStatus, Expr::value(DIGESTED))
            .col_expr(notification::Column::DigestId, Expr::value(digest.id))
            .filter(notification::Column::Id.is_in(items.iter().map(|i| i.id)))
            .filter(notification::Column::EmailStatus.eq(DIGEST))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// Rows a sender may take: pending and due, or claimed by a sender whose
/// lease has run out (it crashed, or hangs).
fn claimable(now: DateTime<Utc>) -> sea_orm::Condition {
    use sea_orm::Condition;
    Condition::any()
        .add(
            Condition::all()
                .add(notification::Column::EmailStatus.eq(PENDING))
                .add(notification::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(notification::Column::EmailStatus.eq(SENDING))
                .add(notification::Column::LeaseUntil.lt(now)),
        )
}

/// Claims one outbox row for sending (PENDING and due, or SENDING with an
/// expired lease after a crash); returns it with its attempt counted.
pub async fn claim(store: &Store, id: i64, lease: Duration) -> Result<Option<notification::Model>, StoreError> {
    let now = store.now();
    let res = notification::Entity::update_many()
        .col_expr(notification::Column::EmailStatus, Expr::value(SENDING))
        .col_expr(notification::Column::LeaseUntil, Expr::value(now + lease))
        .col_expr(notification::Column::Attempts, {
            use sea_orm::sea_query::ExprTrait;
            Expr::col(notification::Column::Attempts).add(1)
        })
        .filter(notification::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(&store.db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    Ok(notification::Entity::find_by_id(id).one(&store.db).await?)
}

/// Outbox rows that may be claimed now, oldest first.
pub async fn due_for_sending(store: &Store, limit: u64) -> Result<Vec<i64>, StoreError> {
    let now = store.now();
    Ok(notification::Entity::find()
        .filter(claimable(now))
        .order_by_asc(notification::Column::NextAttemptAt)
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .select_only()
        .column(notification::Column::Id)
        .into_tuple()
        .all(&store.db)
        .await?)
}

/// Why a send did not go through.
#[derive(Debug, Clone)]
pub enum SendError {
    /// The server or network may recover: retried, with backoff capped at an hour, for ever.
    Temporary(String),
    /// The message can never be delivered (a malformed address, a 5xx for the mailbox).
    Permanent(String),
}

/// Records a delivery or a failure. Only the worker still holding the claim
/// (same attempt count, still SENDING) may record it.
pub async fn finish(store: &Store, n: &notification::Model, result: Result<(), SendError>) -> Result<(), StoreError> {
    let now = store.now();
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(notification::Column::Id.eq(n.id))
        .filter(notification::Column::EmailStatus.eq(SENDING))
        .filter(notification::Column::Attempts.eq(n.attempts));
    q = match result {
        Ok(()) => q
            .col_expr(notification::Column::EmailStatus, Expr::value(SENT))
            .col_expr(notification::Column::SentAt, Expr::value(Some(now)))
            .col_expr(notification::Column::LastError, Expr::value(Option::<String>::None)),
        Err(SendError::Temporary(e)) => {
            let backoff = Duration::seconds((15i64 << n.attempts.clamp(0, 8)).min(3600));
            q.col_expr(notification::Column::EmailStatus, Expr::value(PENDING))
                .col_expr(notification::Column::NextAttemptAt, Expr::value(now + backoff))
                .col_expr(notification::Column::LastError, Expr::value(Some(e.chars().take(300).collect::<String>())))
        }
        Err(SendError::Permanent(e)) => q
            .col_expr(notification::Column::EmailStatus, Expr::value(FAILED))
            .col_expr(notification::Column::LastError, Expr::value(Some(e.chars().take(300).collect::<String>()))),
    };
    q.exec(&store.db).await?;
    Ok(())
}

/// A person's notifications, newest first.
pub async fn for_user(store: &Store, user_id: i64, limit: u64) -> Result<Vec<notification::Model>, StoreError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::Kind.ne(Kind::Digest.as_str()))
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(&store.db)
        .await?)
}

pub async fn unread(store: &Store, user_id: i64) -> Result<u64, StoreError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(&store.db)
        .await?)
}

/// Marks one (or, with `None`, every) notification of the person read.
pub async fn mark_read(store: &Store, user_id: i64, id: Option<i64>) -> Result<u64, StoreError> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(store.now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(&store.db).await?.rows_affected)
}

pub async fn set_mode(store: &Store, user_id: i64, mode: &str) -> Result<(), StoreError> {
    if mode != IMMEDIATE && mode != DAILY_DIGEST {
        return Err(StoreError::Invalid("mode".into()));
    }
    user::Entity::update_many()
        .col_expr(user::Column::EmailMode, Expr::value(mode))
        .filter(user::Column::Id.eq(user_id))
        .exec(&store.db)
        .await?;
    Ok(())
}
