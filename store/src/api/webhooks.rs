//! Webhook endpoints and what they are told. An organisation registers URLs
//! with the event types it wants; every announced event becomes one delivery
//! per matching endpoint, written in the transaction of the change it
//! announces (the outbox pattern, as for mail), so nothing is announced that
//! did not happen and nothing that happened goes unannounced. Payloads are
//! thin (numbers, states, dates): the receiver reads the rest with its key,
//! under the same visibility rules as the pages. Signing follows the Standard
//! Webhooks scheme; `deliveries` sends them.
use crate::actor::{ORG_OPERATOR, ORG_PLATFORM};
use crate::entity::{webhook_delivery as delivery, webhook_endpoint as endpoint};
use crate::{Store, StoreError};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, Set,
    Statement,
};
use serde_json::json;

pub const CASE_CREATED: &str = "case.created";
pub const CASE_STATE_CHANGED: &str = "case.state_changed";
pub const CASE_DEADLINE_APPROACHING: &str = "case.deadline_approaching";
pub const CASE_OVERDUE: &str = "case.overdue";
pub const CASE_ESCALATED: &str = "case.escalated";
pub const PRESERVATION_REQUESTED: &str = "preservation.requested";
pub const TIP_RECEIVED: &str = "tip.received";
pub const WEBHOOK_TEST: &str = "webhook.test";

pub const EVENT_TYPES: [&str; 8] = [
    CASE_CREATED,
    CASE_STATE_CHANGED,
    CASE_DEADLINE_APPROACHING,
    CASE_OVERDUE,
    CASE_ESCALATED,
    PRESERVATION_REQUESTED,
    TIP_RECEIVED,
    WEBHOOK_TEST,
];

/// A delivery's states: waiting (or retrying), done, or every attempt failed.
pub const PENDING: &str = "PENDING";
pub const DELIVERED: &str = "DELIVERED";
pub const FAILED: &str = "FAILED";

/// After a secret rotation the old secret signs too, this long.
pub const OLD_SECRET_GRACE: i64 = 24;

impl Announce {
    /// An event of a case, to its platform and, when the operator answers
    /// it, to the live-room operator.
    pub fn of_case(c: &crate::entity::complaint::Model, event_type: &'static str, data: serde_json::Value) -> Announce {
        let operator_answers = !matches!(c.respondent_kind.as_str(), "PLATFORM_ITSELF" | "MCN");
        let mut d = json!({ "case_no": c.case_no, "state": c.state, "version": c.version });
        if let (Some(d), Some(extra)) = (d.as_object_mut(), data.as_object()) {
            d.extend(extra.clone());
        }
        Announce {
            platform_id: c.platform_id,
            operator_id: operator_answers.then_some(c.operator_id),
            event_type,
            subject: c.case_no.clone(),
            data: d,
        }
    }
}

/// An endpoint's owner: a platform, or one of its live-room operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub kind: &'static str,
    pub id: i64,
}

impl Owner {
    pub fn platform(id: i64) -> Owner {
        Owner { kind: ORG_PLATFORM, id }
    }
    pub fn operator(id: i64) -> Owner {
        Owner { kind: ORG_OPERATOR, id }
    }
}

/// One event to announce to the endpoints of a platform and, for a case it
/// answers, the live-room operator.
#[derive(Clone, Debug)]
pub struct Announce {
    pub platform_id: i64,
    pub operator_id: Option<i64>,
    pub event_type: &'static str,
    /// The case or tip number: deliveries of one subject keep their order.
    pub subject: String,
    pub data: serde_json::Value,
}

fn new_secret() -> String {
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 24]>()))
}

pub fn new_msg_id() -> String {
    format!("msg_{}", hex::encode(rand::random::<[u8; 12]>()))
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (Standard Webhooks), keyed
/// by the base64-decoded part of the secret after `whsec_`.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> String {
    let raw = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = base64::engine::general_purpose::STANDARD.decode(raw).unwrap_or_else(|_| raw.as_bytes().to_vec());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `webhook-signature` header: the current secret's signature, and during
/// a rotation's grace the old one's too, space-separated.
pub fn signatures(ep: &endpoint::Model, msg_id: &str, timestamp: i64, body: &str, now: DateTime<Utc>) -> String {
    let mut out = sign(&ep.secret, msg_id, timestamp, body);
    if let (Some(old), Some(until)) = (&ep.previous_secret, ep.previous_until) {
        if now < until {
            out.push(' ');
            out.push_str(&sign(old, msg_id, timestamp, body));
        }
    }
    out
}

/// Checks an endpoint URL: https (http only where the installation allows it,
/// as in tests), a host, no spaces, at most 500 characters.
pub fn check_url(url: &str, allow_http: bool) -> Result<String, StoreError> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://").filter(|_| allow_http));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default()).unwrap_or_default();
    if rest.is_none()
        || host.is_empty()
        || host.contains('@')
        || url.len() > 500
        || url.chars().any(char::is_whitespace)
    {
        return Err(StoreError::field(
            "url",
            "请填写以 https:// 开头的完整地址，如 https://cs.example.com/redline/hooks",
            "Give a full https:// address, e.g. https://cs.example.com/redline/hooks",
        ));
    }
    Ok(url.to_owned())
}

/// Checks the event types asked for: known ones, at least one; `*` is all.
pub fn check_events(asked: &[String]) -> Result<String, StoreError> {
    let asked: Vec<&str> = asked.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    // Every entry is checked, even beside `*`: a misspelt type is refused, not swallowed.
    if asked.is_empty() || asked.iter().any(|e| *e != "*" && !EVENT_TYPES.contains(e)) {
        return Err(StoreError::field(
            "events",
            "请选择至少一种已知的事件类型",
            "Choose at least one known event type",
        ));
    }
    if asked.contains(&"*") {
        return Ok("*".into());
    }
    Ok(EVENT_TYPES.iter().filter(|e| asked.contains(e)).copied().collect::<Vec<_>>().join(" "))
}

/// Registers an endpoint; returns it with its secret (shown to its owner).
pub async fn create(
    store: &Store,
    owner: Owner,
    url: &str,
    events: &[String],
    allow_http: bool,
) -> Result<endpoint::Model, StoreError> {
    let (url, events) = (check_url(url, allow_http), check_events(events));
    let (url, events) = match (url, events) {
        (Ok(u), Ok(e)) => (u, e),
        (u, e) => {
            let mut all = redline_rules::field::FieldErrors::default();
            for e in [u.err(), e.err()].into_iter().flatten() {
                all.0.extend(redline_rules::field::FieldErrors::from(e).0);
            }
            return Err(StoreError::Fields(all));
        }
    };
    Ok(endpoint::ActiveModel {
        org_kind: Set(owner.kind.to_owned()),
        org_id: Set(owner.id),
        url: Set(url),
        event_types: Set(events),
        secret: Set(new_secret()),
        enabled: Set(true),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await?)
}

/// The owner of an endpoint, if `actor` administers it (for the page's buttons).
pub async fn owner_for(store: &Store, actor: &crate::Actor, id: i64) -> Result<Owner, StoreError> {
    let ep = endpoint::Entity::find_by_id(id).one(&store.db).await?.ok_or(StoreError::NotFound)?;
    let owner = match ep.org_kind.as_str() {
        ORG_PLATFORM => Owner::platform(ep.org_id),
        _ => Owner::operator(ep.org_id),
    };
    if !actor.may_manage(owner.kind, owner.id) {
        return Err(StoreError::NotFound);
    }
    Ok(owner)
}

/// An endpoint of this owner; another's answers as if it did not exist.
pub async fn owned(store: &Store, owner: Owner, id: i64) -> Result<endpoint::Model, StoreError> {
    endpoint::Entity::find_by_id(id)
        .filter(endpoint::Column::OrgKind.eq(owner.kind))
        .filter(endpoint::Column::OrgId.eq(owner.id))
        .one(&store.db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn list(store: &Store, owner: Owner) -> Result<Vec<endpoint::Model>, StoreError> {
    Ok(endpoint::Entity::find()
        .filter(endpoint::Column::OrgKind.eq(owner.kind))
        .filter(endpoint::Column::OrgId.eq(owner.id))
        .order_by_asc(endpoint::Column::Id)
        .all(&store.read)
        .await?)
}

/// A new secret; the old one keeps signing for [`OLD_SECRET_GRACE`] hours.
pub async fn rotate_secret(store: &Store, owner: Owner, id: i64) -> Result<endpoint::Model, StoreError> {
    let ep = owned(store, owner, id).await?;
    let now = store.now();
    let mut a: endpoint::ActiveModel = ep.clone().into();
    a.previous_secret = Set(Some(ep.secret));
    a.previous_until = Set(Some(now + Duration::hours(OLD_SECRET_GRACE)));
    a.secret = Set(new_secret());
    Ok(a.update(&store.db).await?)
}

/// Switches an endpoint on (clearing its failure record) or off.
pub async fn set_enabled(store: &Store, owner: Owner, id: i64, on: bool) -> Result<(), StoreError> {
    let ep = owned(store, owner, id).await?;
    let now = store.now();
    endpoint::Entity::update_many()
        .col_expr(endpoint::Column::Enabled, Expr::value(on))
        .col_expr(endpoint::Column::DisabledAt, Expr::value(if on { None } else { Some(now) }))
        .col_expr(endpoint::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(endpoint::Column::Id.eq(ep.id))
        .exec(&store.db)
        .await?;
    Ok(())
}

/// Removes an endpoint and its delivery record.
pub async fn delete(store: &Store, owner: Owner, id: i64) -> Result<(), StoreError> {
    let ep = owned(store, owner, id).await?;
    let txn = sea_orm::TransactionTrait::begin(&store.db).await?;
    let ids = delivery::Entity::find().filter(delivery::Column::EndpointId.eq(ep.id)).all(&txn).await?;
    let ids: Vec<i64> = ids.into_iter().map(|d| d.id).collect();
    for chunk in ids.chunks(500) {
        crate::entity::webhook_attempt::Entity::delete_many()
            .filter(crate::entity::webhook_attempt::Column::DeliveryId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    delivery::Entity::delete_many().filter(delivery::Column::EndpointId.eq(ep.id)).exec(&txn).await?;
    endpoint::Entity::delete_by_id(ep.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// A `webhook.test` delivery to one endpoint.
pub async fn send_test(store: &Store, owner: Owner, id: i64) -> Result<String, StoreError> {
    let ep = owned(store, owner, id).await?;
    let now = store.now();
    let msg_id = new_msg_id();
    delivery::Entity::insert(row(&ep, WEBHOOK_TEST, "test", json!({ "endpoint_id": ep.id }), &msg_id, now))
        .exec_without_returning(&store.db)
        .await?;
    Ok(msg_id)
}

/// What a receiver gets: the event's type, when, and its thin data.
fn payload(event_type: &str, data: &serde_json::Value, now: DateTime<Utc>) -> String {
    json!({ "type": event_type, "timestamp": now.to_rfc3339(), "data": data }).to_string()
}

fn row(
    ep: &endpoint::Model,
    event_type: &str,
    subject: &str,
    data: serde_json::Value,
    msg_id: &str,
    now: DateTime<Utc>,
) -> delivery::ActiveModel {
    delivery::ActiveModel {
        endpoint_id: Set(ep.id),
        msg_id: Set(msg_id.to_owned()),
        event_type: Set(event_type.to_owned()),
        subject: Set(subject.to_owned()),
        payload: Set(payload(event_type, &data, now)),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Writes the deliveries of these events to every enabled endpoint that
/// wants them, in the caller's transaction ([`deliveries`]).
pub async fn enqueue<C: ConnectionTrait>(db: &C, events: &[Announce], now: DateTime<Utc>) -> Result<(), StoreError> {
    enqueue_from(db, events, now, now).await
}

/// As [`enqueue`], sent no earlier than `send_at` (reminders wait for working hours).
pub async fn enqueue_from<C: ConnectionTrait>(
    db: &C,
    events: &[Announce],
    now: DateTime<Utc>,
    send_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(s) = deliveries(db.get_database_backend(), events, now, send_at) {
        db.execute_raw(s).await?;
    }
    Ok(())
}

/// One statement that writes a delivery of each event to every enabled
/// endpoint of its platform (and operator) that asked for its type (or for
/// all, `*`; a test is sent to one endpoint by [`send_test`]): the endpoints are
/// matched in the database, not read first, so announcing costs one statement
/// (and none of its own in a [`crate::batch::Batch`]). `None` when there is
/// nothing to announce.
pub fn deliveries(
    backend: DatabaseBackend,
    events: &[Announce],
    now: DateTime<Utc>,
    send_at: DateTime<Utc>,
) -> Option<Statement> {
    if events.is_empty() {
        return None;
    }
    let pg = backend == DatabaseBackend::Postgres;
    // Placeholders are made in the order they appear in the text: SQLite's
    // `?` bind in that order (numbered ones would not survive a batch).
    let (mut values, mut n): (Vec<sea_orm::Value>, usize) = (Vec::new(), 0);
    let mut p = |v: sea_orm::Value| {
        values.push(v);
        n += 1;
        if pg {
            format!("${n}")
        } else {
            "?".to_owned()
        }
    };
    // Message ids as `new_msg_id` makes them: "msg_" and 24 hex digits.
    let (msg_id, has) = if pg {
        ("'msg_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)", "strpos")
    } else {
        ("'msg_' || lower(hex(randomblob(12)))", "instr")
    };
    let head = format!(
        "INSERT INTO webhook_deliveries \
         (endpoint_id, msg_id, event_type, subject, payload, status, attempts, next_at, created_at) \
         SELECT e.id, {msg_id}, ev.t, ev.s, ev.p, {}, 0, {}, {} FROM (",
        p(PENDING.into()),
        p(send_at.into()),
        p(now.into()),
    );
    // The events as rows, numbered: each endpoint's deliveries keep their order.
    let mut arms = Vec::with_capacity(events.len());
    for (k, e) in events.iter().enumerate() {
        let payload = payload(e.event_type, &e.data, now);
        arms.push(format!(
            "SELECT {k} AS k, CAST({} AS TEXT) AS t, CAST({} AS TEXT) AS s, CAST({} AS TEXT) AS p, \
             CAST({} AS BIGINT) AS plat, CAST({} AS BIGINT) AS op",
            p(e.event_type.into()),
            p(e.subject.clone().into()),
            p(payload.into()),
            p(e.platform_id.into()),
            p(e.operator_id.into()),
        ));
    }
    let tail = format!(
        ") ev JOIN webhook_endpoints e \
         ON ((e.org_kind = {} AND e.org_id = ev.plat) OR (e.org_kind = {} AND e.org_id = ev.op)) \
         AND e.enabled = {} \
         AND (e.event_types = '*' OR {has}(' ' || e.event_types || ' ', ' ' || ev.t || ' ') > 0) \
         ORDER BY ev.k, e.id",
        p(ORG_PLATFORM.into()),
        p(ORG_OPERATOR.into()),
        p(true.into()),
    );
    let sql = format!("{head}{}{tail}", arms.join(" UNION ALL "));
    Some(Statement::from_sql_and_values(backend, sql, values))
}

/// Endpoints' deliveries, newest first, for their owner's page.
pub async fn recent(store: &Store, endpoint_id: i64, limit: u64) -> Result<Vec<delivery::Model>, StoreError> {
    use sea_orm::QuerySelect;
    Ok(delivery::Entity::find()
        .filter(delivery::Column::EndpointId.eq(endpoint_id))
        .order_by_desc(delivery::Column::Id)
        .limit(limit)
        .all(&store.read)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_are_checked_one_by_one_even_beside_the_wildcard() {
        let ask = |v: &[&str]| check_events(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).ok();
        assert_eq!(ask(&["*", "case.created"]).as_deref(), Some("*"));
        assert_eq!(ask(&["tip.received", "case.created"]).as_deref(), Some("case.created tip.received"));
        assert_eq!(ask(&["*", "__not_in_enum__"]), None, "schemathesis found this one");
        assert_eq!(ask(&[]), None);
    }

    #[test]
    fn standard_webhooks_signature_of_a_known_secret() {
        // whsec_ + base64("secret-key-0123456789"): computed independently with Python's hmac.
        let s = sign("whsec_c2VjcmV0LWtleS0wMTIzNDU2Nzg5", "msg_1", 1_700_000_000, "{}");
        assert_eq!(s, "v1,cb9Zd4UeVAUw6naxlqMOl1HOXKBQ3C5j1ul4hU0Vdhk=");
    }
}
