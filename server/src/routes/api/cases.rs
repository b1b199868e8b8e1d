//! A key's cases: the list (filters, keyset pages) and one dossier with its
//! version as ETag. Steps on a case are in `case_actions`.
use super::schema::*;
use super::{query_error, with_etag};
use crate::web::api_error::ApiError;
use crate::web::api_key::ApiKey;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::calendar::Calendar;
use redline_rules::case::{allowed_events, CaseState, Role, Tier};
use redline_rules::clock as rclock;
use redline_store::api::cases::{self as api_cases, CaseFilter, Cursor};
use redline_store::api::keys::{KeyOrg, Scope};
use redline_store::case::queries;
use redline_store::entity::{clock, complaint, evidence as ev};
use redline_store::StoreError;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(one))
}

/// Another organisation's case answers as if it did not exist.
pub(super) fn hidden(e: StoreError) -> ApiError {
    match e {
        StoreError::Forbidden => ApiError::not_found(),
        e => e.into(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    /// One state, e.g. `PLATFORM_INTERVENTION`.
    #[param(schema_with = case_state_name)]
    state: Option<String>,
    #[param(value_type = Option<TierName>, inline)]
    tier: Option<String>,
    /// A running clock is past its due date.
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    /// A live room's id.
    #[param(value_type = Option<i64>, minimum = 1)]
    room: Option<String>,
    /// Changed at or after this moment (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1, max_length = 40, pattern = "^[A-Za-z0-9_-]+$")]
    cursor: Option<String>,
    /// Rows per page, 1–500 (default 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Add the number of matching cases.
    #[param(value_type = Option<bool>)]
    total: Option<String>,
}

impl ListQuery {
    /// The filters alone (the export's query).
    pub(super) fn filters(
        state: Option<String>,
        tier: Option<String>,
        overdue: Option<String>,
        room: Option<String>,
        updated_since: Option<String>,
    ) -> ListQuery {
        ListQuery { state, tier, overdue, room, updated_since, cursor: None, limit: None, total: None }
    }
}

pub(super) fn parse_bool(name: &'static str, v: &Option<String>) -> Result<Option<bool>, ApiError> {
    match v.as_deref() {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(query_error(name, "须为 true 或 false", "must be true or false")),
    }
}

pub(super) fn parse_limit(v: &Option<String>) -> Result<u64, ApiError> {
    match v.as_deref() {
        None => Ok(100),
        Some(s) => s
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=api_cases::MAX_LIMIT).contains(n))
            .ok_or_else(|| query_error("limit", "须为 1 到 500 之间的整数", "must be an integer from 1 to 500")),
    }
}

pub(super) fn parse_cursor(v: &Option<String>) -> Result<Option<Cursor>, ApiError> {
    match v.as_deref() {
        None => Ok(None),
        Some(s) => Cursor::decode(s)
            .map(Some)
            .ok_or_else(|| query_error("cursor", "无效的分页游标", "is not a cursor this API gave out")),
    }
}

pub(super) fn filter_of(q: &ListQuery) -> Result<CaseFilter, ApiError> {
    let state = match q.state.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<CaseState>().map_err(|_| query_error("state", "未知的案件状态", "is not a state"))?),
    };
    let tier = match q.tier.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<Tier>().map_err(|_| {
            query_error(
                "tier",
                "须为 operator、platform、regulator 或 closed",
                "must be operator, platform, regulator or closed",
            )
        })?),
    };
    let room = match q.room.as_deref() {
        None => None,
        Some(s) => Some(
            s.parse::<i64>()
                .ok()
                .filter(|r| *r >= 1)
                .ok_or_else(|| query_error("room", "须为直播间编号", "must be a room id"))?,
        ),
    };
    let updated_since = match q.updated_since.as_deref() {
        None => None,
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(s)
                .map_err(|_| {
                    query_error(
                        "updated_since",
                        "须为 RFC 3339 时间，如 2026-11-23T10:00:00+08:00",
                        "must be an RFC 3339 time",
                    )
                })?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(CaseFilter { state, tier, overdue: parse_bool("overdue", &q.overdue)?, room, updated_since })
}

pub(super) fn summary(c: &complaint::Model, room_name: &str, today: chrono::NaiveDate) -> CaseSummary {
    CaseSummary {
        case_no: c.case_no.clone(),
        state: c.state.clone(),
        tier: c.case_state().ok().map(|s| s.tier().as_str().to_owned()),
        room: RoomRef { id: c.live_room_id, name: room_name.to_owned(), url: None },
        respondent_kind: c.respondent_kind.clone(),
        product_name: c.product_name.clone(),
        amount_fen: c.amount_fen,
        next_due_on: Some(c.next_due_on).filter(|d| *d != redline_store::case::clocks::no_due()),
        overdue: c.next_due_on < today,
        version: c.version,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

type QueryResult<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

/// The key's cases in filing order; `cursor` from the previous page's `next_cursor`.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListQuery),
    responses((status = 429, body = ErrorBody), (status = 200, body = CaseList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("api_key" = ["cases:read"])))]
async fn list(State(st): State<AppState>, key: ApiKey, q: QueryResult<ListQuery>) -> Result<Json<CaseList>, ApiError> {
    let caller = key.with(Scope::CasesRead)?;
    let Query(q) = q.map_err(|_| query_error("query", "查询参数格式不正确", "malformed query"))?;
    let f = filter_of(&q)?;
    let (after, limit, total) = (parse_cursor(&q.cursor)?, parse_limit(&q.limit)?, parse_bool("total", &q.total)?);
    let page = api_cases::list(&st.store, caller, &f, after, limit, total.unwrap_or(false)).await?;
    let today = st.store.today();
    Ok(Json(CaseList {
        data: page.rows.iter().map(|(c, room)| summary(c, room, today)).collect(),
        next_cursor: page.next.map(|c| c.encode()),
        total: page.total,
    }))
}

pub(super) fn role_of(org: KeyOrg) -> Role {
    match org {
        KeyOrg::Platform(_) => Role::Platform,
        KeyOrg::Operator(_) => Role::Operator,
    }
}

fn clock_view(k: &clock::Model, today: chrono::NaiveDate) -> ClockView {
    let kind = k.clock_kind().ok();
    let left = (k.status == "RUNNING").then(|| {
        if k.calendar == "working" {
            rclock::remaining_working_days(Calendar::official(), today, k.due_on)
        } else {
            rclock::remaining_natural_days(today, k.due_on)
        }
    });
    ClockView {
        kind: k.kind.clone(),
        name: kind.map(|k| Text { zh: k.name_zh().into(), en: k.name_en().into() }),
        status: k.status.clone(),
        calendar: k.calendar.clone(),
        days: k.days,
        start_on: k.start_on,
        due_on: k.due_on,
        days_left: left,
        provisional: k.provisional,
        basis: k.basis.clone(),
        legal: k.legal,
        explanation: serde_json::from_str(&k.explanation_json).unwrap_or(Value::Null),
    }
}

pub(super) fn evidence_view(e: &ev::Model) -> EvidenceView {
    EvidenceView {
        id: e.id,
        kind: e.kind.clone(),
        mime: e.mime.clone(),
        size_bytes: e.size_bytes,
        file_name: e.file_name.clone(),
        sha256: e.sha256.clone(),
        note: e.note.clone(),
        uploaded_role: e.uploaded_role.clone(),
        uploaded_at: e.uploaded_at,
        clip: Clip { start_s: e.offset_start_s, end_s: e.offset_end_s },
    }
}

fn strings(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The dossier as the organisation's staff see it, with `ETag: "<version>"`.
#[utoipa::path(get, path = "/api/v1/cases/{case_no}", tag = "cases",
    params(("case_no" = String, Path, example = "LC-2026-000001")),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 200, body = CaseDossier, headers(("ETag" = String, description = "The case version"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_key" = ["cases:read"])))]
async fn one(State(st): State<AppState>, key: ApiKey, Path(case_no): Path<String>) -> Result<Response, ApiError> {
    let caller = key.with(Scope::CasesRead)?;
    let (body, d) =
        dossier_body(&st.store, &caller.actor, &case_no, Some(role_of(caller.org))).await.map_err(hidden)?;
    Ok(with_etag(Json(body).into_response(), d.case.version))
}

/// The dossier of `case_no` as `actor` may see it, with the steps open to
/// `role` (an API key's), or to every role the reader holds in the case (the
/// case package of `server/src/dossier.rs`). Not a party: `Forbidden` or `NotFound`.
pub(crate) async fn dossier_body(
    store: &redline_store::Store,
    actor: &redline_store::Actor,
    case_no: &str,
    role: Option<Role>,
) -> Result<(CaseDossier, queries::Dossier), StoreError> {
    let d = queries::dossier(store, actor, case_no).await?;
    let extras = queries::dossier_extras(store, &d.case).await?;
    let shown = redline_store::case::complainant::shown_to(store, &d.case, &d.viewer_roles).await?;
    let today = store.today();
    let c = &d.case;
    let allowed = match (c.case_state(), c.context(today)) {
        (Ok(s), Ok(ctx)) => {
            let roles = role.map_or_else(|| d.viewer_roles.clone(), |r| vec![r]);
            let mut all: Vec<String> = Vec::new();
            for r in roles {
                all.extend(
                    allowed_events(s, r, &ctx)
                        .into_iter()
                        .map(str::to_owned)
                        .filter(|e| !all.contains(e))
                        .collect::<Vec<_>>(),
                );
            }
            all
        }
        _ => Vec::new(),
    };
    let mut summary = summary(c, &d.room.display_name, today);
    summary.room.url = Some(d.room.url.clone());
    let body = CaseDossier {
        summary,
        platform: OrgRef { id: d.platform.id, name: d.platform.name.clone() },
        operator: OrgRef { id: d.operator.id, name: d.operator.name.clone() },
        agency: d.agency.as_ref().map(|a| OrgRef { id: a.id, name: a.name.clone() }),
        order_no: c.order_no.clone(),
        ordered_on: c.ordered_on,
        categories: strings(&c.categories_json),
        demands: strings(&c.demands_json),
        narrative: c.narrative.clone(),
        harm_known_on: c.harm_known_on,
        moment: Moment { session_id: c.stream_session_id, offset_s: c.stream_offset_s, clock_at: c.stream_clock_at },
        marketer_name: c.marketer_name.clone(),
        seller_name: c.seller_name.clone(),
        last_offer: c.last_offer.clone(),
        platform_decided: c.platform_decided,
        preservation_overdue: c.preservation_overdue,
        records_overdue: c.records_overdue,
        allowed_actions: allowed,
        clocks: d.clocks.iter().map(|k| clock_view(k, today)).collect(),
        timeline: d
            .events
            .iter()
            .map(|e| EventView {
                seq: e.seq,
                at: e.at,
                role: e.actor_role.clone(),
                event: e.event_type.clone(),
                from: e.from_state.clone(),
                to: e.to_state.clone(),
                payload: serde_json::from_str(&e.payload_json).unwrap_or_default(),
                hash: e.hash.clone(),
            })
            .collect(),
        evidence: extras.evidence.iter().map(evidence_view).collect(),
        preservation: extras.preservation.map(|p| PreservationView {
            status: p.status,
            from_at: p.from_at,
            to_at: p.to_at,
            replay_ref: p.replay_ref,
            retain_until: p.retain_until,
            overdue: p.overdue,
        }),
        complainant: shown.map(|s| ComplainantView {
            name: s.name,
            phone: s.phone,
            address: s.address,
            is_agent: s.is_agent,
        }),
    };
    Ok((body, d))
}
