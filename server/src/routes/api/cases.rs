//! A key's cases: the list (filters, keyset pages), one dossier with its
//! version as ETag, every step the organisation may take (the same state
//! machine and refusals as the page; `If-Match` for optimistic concurrency),
//! evidence, the preservation answer, and the hash-chain check.
use super::{body_json, if_match, json_fields, query_error, with_etag};
use crate::upload::{self, Posted};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::web::extract::actor_of;
use crate::web::respond::upload_problem;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_rules::calendar::Calendar;
use redline_rules::case::{allowed_events, CaseState, Role, Tier};
use redline_rules::clock as rclock;
use redline_store::api::cases::{self as api_cases, CaseFilter, Cursor};
use redline_store::api::keys::{KeyOrg, Scope};
use redline_store::case::evidence::{self, Description};
use redline_store::case::preservation::{self, Answerer};
use redline_store::case::queries;
use redline_store::entity::{clock, complaint, evidence as ev};
use redline_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn routes(uploads: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases", get(list))
        .route("/api/v1/cases/{case_no}", get(one))
        .route("/api/v1/cases/{case_no}/actions", post(act))
        .route("/api/v1/cases/{case_no}/evidence", post(attach).layer(uploads))
        .route("/api/v1/cases/{case_no}/preservation", post(answer_preservation))
        // The first path of the preservation answer, kept for existing integrations.
        .route("/api/v1/platform/cases/{case_no}/preservation", post(answer_preservation))
        .route("/api/v1/cases/{case_no}/chain", get(verify_chain))
}

/// Another organisation's case answers as if it did not exist.
fn hidden(e: StoreError) -> ApiError {
    match e {
        StoreError::Forbidden => ApiError::not_found(),
        e => e.into(),
    }
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    state: Option<String>,
    tier: Option<String>,
    overdue: Option<String>,
    room: Option<String>,
    updated_since: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
    total: Option<String>,
}

pub(super) fn parse_bool(name: &'static str, v: &Option<String>) -> Result<Option<bool>, ApiError> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(query_error(name, "须为 true 或 false", "must be true or false")),
    }
}

pub(super) fn parse_limit(v: &Option<String>) -> Result<u64, ApiError> {
    match v.as_deref() {
        None | Some("") => Ok(100),
        Some(s) => s
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=api_cases::MAX_LIMIT).contains(n))
            .ok_or_else(|| query_error("limit", "须为 1 到 500 之间的整数", "must be an integer from 1 to 500")),
    }
}

pub(super) fn parse_cursor(v: &Option<String>) -> Result<Option<Cursor>, ApiError> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => Cursor::decode(s)
            .map(Some)
            .ok_or_else(|| query_error("cursor", "无效的分页游标", "not a cursor this API gave out")),
    }
}

pub(super) fn filter_of(q: &ListQuery) -> Result<CaseFilter, ApiError> {
    let state = match q.state.as_deref() {
        None | Some("") => None,
        Some(s) => Some(s.parse::<CaseState>().map_err(|_| query_error("state", "未知的案件状态", "unknown state"))?),
    };
    let tier = match q.tier.as_deref() {
        None | Some("") => None,
        Some(s) => Some(s.parse::<Tier>().map_err(|_| {
            query_error("tier", "须为 operator、platform、regulator 或 closed", "must be operator, platform, regulator or closed")
        })?),
    };
    let room = match q.room.as_deref() {
        None | Some("") => None,
        Some(s) => {
            Some(s.parse::<i64>().map_err(|_| query_error("room", "须为直播间编号", "must be a room id"))?)
        }
    };
    let updated_since = match q.updated_since.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(s)
                .map_err(|_| {
                    query_error("updated_since", "须为 RFC 3339 时间，如 2026-11-23T10:00:00+08:00", "must be an RFC 3339 time")
                })?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(CaseFilter { state, tier, overdue: parse_bool("overdue", &q.overdue)?, room, updated_since })
}

fn due_json(d: chrono::NaiveDate) -> Value {
    if d == redline_store::case::clocks::no_due() {
        Value::Null
    } else {
        json!(d)
    }
}

pub(super) fn summary(c: &complaint::Model, room_name: &str, today: chrono::NaiveDate) -> Value {
    let state = c.case_state().ok();
    json!({
        "case_no": c.case_no,
        "state": c.state,
        "tier": state.map(|s| s.tier().as_str()),
        "room": { "id": c.live_room_id, "name": room_name },
        "respondent_kind": c.respondent_kind,
        "product_name": c.product_name,
        "amount_fen": c.amount_fen,
        "next_due_on": due_json(c.next_due_on),
        "overdue": c.next_due_on < today,
        "version": c.version,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    })
}

/// `GET /api/v1/cases`: the key's cases in filing order; `cursor` from the
/// previous page's `next_cursor`; `total=true` adds a count.
async fn list(State(st): State<AppState>, key: ApiKey, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Result<Json<Value>, ApiError> {
    let caller = key.with(Scope::CasesRead)?;
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let f = filter_of(&q)?;
    let page = api_cases::list(
        &st.store,
        caller,
        &f,
        parse_cursor(&q.cursor)?,
        parse_limit(&q.limit)?,
        parse_bool("total", &q.total)?.unwrap_or(false),
    )
    .await?;
    let today = st.store.today();
    let data: Vec<Value> = page.rows.iter().map(|(c, room)| summary(c, room, today)).collect();
    Ok(Json(json!({ "data": data, "next_cursor": page.next.map(|c| c.encode()), "total": page.total })))
}

fn role_of(org: KeyOrg) -> Role {
    match org {
        KeyOrg::Platform(_) => Role::Platform,
        KeyOrg::Operator(_) => Role::Operator,
    }
}

fn clock_json(k: &clock::Model, today: chrono::NaiveDate) -> Value {
    let kind = k.clock_kind().ok();
    let left = (k.status == "RUNNING").then(|| {
        if k.calendar == "working" {
            rclock::remaining_working_days(Calendar::official(), today, k.due_on)
        } else {
            rclock::remaining_natural_days(today, k.due_on)
        }
    });
    json!({
        "kind": k.kind,
        "name": kind.map(|k| json!({ "zh": k.name_zh(), "en": k.name_en() })),
        "status": k.status,
        "calendar": k.calendar,
        "days": k.days,
        "start_on": k.start_on,
        "due_on": k.due_on,
        "days_left": left,
        "provisional": k.provisional,
        "basis": k.basis,
        "legal": k.legal,
        "explanation": serde_json::from_str::<Value>(&k.explanation_json).unwrap_or(Value::Null),
    })
}

fn evidence_json(e: &ev::Model) -> Value {
    json!({
        "id": e.id,
        "kind": e.kind,
        "mime": e.mime,
        "size_bytes": e.size_bytes,
        "file_name": e.file_name,
        "sha256": e.sha256,
        "note": e.note,
        "uploaded_role": e.uploaded_role,
        "uploaded_at": e.uploaded_at,
        "clip": { "start_s": e.offset_start_s, "end_s": e.offset_end_s },
    })
}

/// `GET /api/v1/cases/{case_no}`: the dossier as the organisation's staff
/// see it, with `ETag: "<version>"`.
async fn one(State(st): State<AppState>, key: ApiKey, Path(case_no): Path<String>) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesRead)?;
    let d = queries::dossier(&st.store, &caller.actor, &case_no).await.map_err(hidden)?;
    let extras = queries::dossier_extras(&st.store, &d.case).await?;
    let shown = redline_store::case::complainant::shown_to(&st.store, &d.case, &d.viewer_roles).await?;
    let today = st.store.today();
    let c = &d.case;
    let role = role_of(caller.org);
    let allowed = match (c.case_state(), c.context()) {
        (Ok(s), Ok(ctx)) => allowed_events(s, role, &ctx),
        _ => Vec::new(),
    };
    let mut body = summary(c, &d.room.display_name, today);
    let extra = json!({
        "platform": { "id": d.platform.id, "name": d.platform.name },
        "operator": { "id": d.operator.id, "name": d.operator.name },
        "agency": d.agency.as_ref().map(|a| json!({ "id": a.id, "name": a.name })),
        "room": { "id": d.room.id, "name": d.room.display_name, "url": d.room.url },
        "order_no": c.order_no,
        "categories": serde_json::from_str::<Value>(&c.categories_json).unwrap_or_default(),
        "demands": serde_json::from_str::<Value>(&c.demands_json).unwrap_or_default(),
        "narrative": c.narrative,
        "harm_known_on": c.harm_known_on,
        "moment": { "session_id": c.stream_session_id, "offset_s": c.stream_offset_s, "clock_at": c.stream_clock_at },
        "marketer_name": c.marketer_name,
        "seller_name": c.seller_name,
        "last_offer": c.last_offer,
        "platform_decided": c.platform_decided,
        "preservation_overdue": c.preservation_overdue,
        "allowed_actions": allowed,
        "clocks": d.clocks.iter().map(|k| clock_json(k, today)).collect::<Vec<_>>(),
        "timeline": d.events.iter().map(|e| json!({
            "seq": e.seq, "at": e.at, "role": e.actor_role, "event": e.event_type,
            "from": e.from_state, "to": e.to_state,
            "payload": serde_json::from_str::<Value>(&e.payload_json).unwrap_or_default(),
            "hash": e.hash,
        })).collect::<Vec<_>>(),
        "evidence": extras.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
        "preservation": extras.preservation.map(|p| json!({
            "status": p.status, "from_at": p.from_at, "to_at": p.to_at, "replay_ref": p.replay_ref,
            "retain_until": p.retain_until, "overdue": p.overdue,
        })),
        "complainant": shown.map(|s| json!({ "name": s.name, "phone": s.phone, "address": s.address, "is_agent": s.is_agent })),
    });
    if let (Some(b), Some(x)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(x.clone());
    }
    Ok(with_etag(Json(body).into_response(), c.version))
}

/// `POST /api/v1/cases/{case_no}/actions`: `{"event": "PLATFORM_DECIDE",
/// "offer": "PARTIAL", "message": "…"}`, with `If-Match: "<version>"`.
async fn act(
    State(st): State<AppState>,
    key: ApiKey,
    Path(case_no): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesWrite)?;
    let seen = if_match(&headers)?;
    let f = json_fields(&body_json(&body)?)?;
    let (event, mut payload) = crate::parse::action(&f).map_err(ApiError::invalid)?;
    if event.name() == "CONFIRM_ESCALATION" {
        return Err(ApiError::invalid(redline_rules::field::FieldError::new(
            "event",
            "只有投诉人可以提交监管部门",
            "Only the complainant escalates",
        )));
    }
    payload["via"] = json!("api");
    let c = redline_store::case::transition::apply(
        &st.store,
        &case_no,
        event,
        role_of(caller.org),
        &caller.actor,
        payload,
        seen,
    )
    .await
    .map_err(hidden)?;
    crate::web::metrics::transitions("api", 1);
    let body = json!({ "case_no": c.case_no, "state": c.state, "version": c.version });
    Ok(with_etag(Json(body).into_response(), c.version))
}

/// `POST /api/v1/cases/{case_no}/evidence`: multipart files (`files`), with
/// optional `note`, `clip_start` and `clip_end`; same vault, limits and checks
/// as the page.
async fn attach(
    State(st): State<AppState>,
    key: ApiKey,
    Path(case_no): Path<String>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesWrite)?.clone();
    let Posted { fields: f, files, too_large, broken, .. } = upload::read_for_api(mp, &st.vault).await;
    let mut e = crate::parse::Errors::default();
    let clip = crate::parse::stream::clip(&f, &mut e);
    let note = crate::parse::stream::note(&f, &mut e);
    if files.is_empty() && too_large.is_empty() && !broken {
        e.add("files", "请选择要上传的文件", "Choose a file to upload");
    }
    if let Some(p) = upload_problem(&too_large, broken, &st, "files") {
        e.push(p);
    }
    e.into_result().map_err(ApiError::invalid)?;
    let rows = evidence::attach(&st.store, &st.vault, &case_no, &caller.actor, role_of(caller.org), files, Description { note, clip })
        .await
        .map_err(|e| match e {
            redline_store::vault::intake::EvidenceError::Store(s) => hidden(s),
            other => ApiError::invalid(other.field_errors("files")),
        })?;
    let data: Vec<Value> = rows.iter().map(evidence_json).collect();
    Ok((StatusCode::CREATED, Json(json!({ "data": data }))).into_response())
}

#[derive(Deserialize)]
struct PreservationJson {
    decision: Option<String>,
    replay_ref: Option<String>,
    retain_until: Option<String>,
    reason: Option<String>,
}

/// `POST /api/v1/platform/cases/{case_no}/preservation`: the platform confirms
/// (replay reference, retention date) or declines (reason) over the API.
pub(super) async fn answer_preservation(
    State(st): State<AppState>,
    key: ApiKey,
    Path(case_no): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let platform = key.platform(Scope::CasesWrite)?;
    let j: PreservationJson = serde_json::from_value(body_json(&body)?).map_err(|e| {
        ApiError::bad_request(redline_rules::field::FieldError::new("body", "JSON 字段类型不正确", format!("{e}")))
    })?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let answer =
        crate::parse::stream::preservation(&s(&j.decision), &s(&j.replay_ref), &s(&j.retain_until), &s(&j.reason))
            .map_err(ApiError::invalid)?;
    // Another platform's case answers as if it did not exist.
    let r =
        preservation::answer(&st.store, &case_no, Answerer::Platform(platform), answer).await.map_err(|e| match e {
            redline_store::StoreError::Forbidden => ApiError::not_found(),
            e => e.into(),
        })?;
    Ok(Json(json!({ "status": r.status, "retain_until": r.retain_until })))
}

/// `GET /api/v1/cases/{case_no}/chain`: verifies the case's hash chain for a
/// party to the case (signed in) and says where it breaks.
async fn verify_chain(
    State(st): State<AppState>,
    Path(case_no): Path<String>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    // A party signed in, or a key that may read cases.
    let a = match crate::web::api_key::bearer(&headers) {
        Some(_) => {
            let k = redline_store::api::keys::authenticate(&st.store, crate::web::api_key::bearer(&headers).unwrap_or_default())
                .await?
                .ok_or_else(|| ApiError::unauthorized("需要有效的 API 密钥", "A valid API key is required"))?;
            ApiKey(k).with(Scope::CasesRead)?.actor.clone()
        }
        None => actor_of(&st.store, &headers).await.ok_or_else(|| ApiError::unauthorized("请先登录", "Sign in first"))?,
    };
    let started = std::time::Instant::now();
    let r = redline_store::case::queries::verify_chain(&st.store, &a, &case_no).await?;
    Ok(Json(json!({
        "case_no": case_no,
        "events": r.events,
        "intact": r.intact(),
        "broken_at_seq": r.broken_at.map(|b| b.0),
        "problem": r.broken_at.map(|b| b.1),
        "problem_zh": r.broken_at.map(|b| b.1.zh()),
        "problem_en": r.broken_at.map(|b| b.1.en()),
        "verified_in_ms": started.elapsed().as_secs_f64() * 1000.0,
    })))
}
