//! Steps a key's organisation takes on a case: every action its page offers
//! (the same state machine and refusals; `If-Match` for optimistic
//! concurrency), evidence, the preservation answer, the hash-chain check.
use super::cases::{evidence_view, hidden, role_of};
use super::schema::*;
use super::{body_json, if_match, json_fields, with_etag};
use crate::upload::{self, Posted};
use crate::web::api_error::ApiError;
use crate::web::api_key::{bearer, ApiKey};
use crate::web::extract::actor_of;
use crate::web::respond::upload_problem;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::field::FieldError;
use redline_store::api::keys::Scope;
use redline_store::case::evidence::{self, Description};
use redline_store::case::preservation::{self, Answerer};
use redline_store::vault::intake::EvidenceError;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

// The old preservation path is served, and documented as deprecated.
#[allow(deprecated)]
pub(super) fn routes(uploads: DefaultBodyLimit) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(act))
        .routes(routes!(answer_preservation))
        .routes(routes!(answer_preservation_v0))
        .routes(routes!(verify_chain))
        .merge(OpenApiRouter::new().routes(routes!(attach)).layer(uploads))
}

/// Any event the organisation may send now; the case's `allowed_actions` lists them.
#[utoipa::path(post, path = "/api/v1/cases/{case_no}/actions", tag = "cases", request_body = ActionRequest,
    params(("case_no" = String, Path),
        ("If-Match" = Option<String>, Header, description = "The case version seen, e.g. \"3\""),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 429, body = ErrorBody), (status = 200, body = ActionResult, headers(("ETag" = String))), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not allowed in the case's state", body = ErrorBody),
        (status = 412, description = "The case changed since the version in If-Match", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("api_key" = ["cases:write"])))]
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
        return Err(ApiError::invalid(FieldError::new(
            "event",
            "只有投诉人可以提交监管部门",
            "Only the complainant escalates",
        )));
    }
    payload["via"] = "api".into();
    let role = role_of(caller.org);
    let c = redline_store::case::transition::apply(&st.store, &case_no, event, role, &caller.actor, payload, seen)
        .await
        .map_err(hidden)?;
    crate::web::metrics::transitions("api", 1);
    let body = ActionResult { case_no: c.case_no, state: c.state, version: c.version };
    Ok(with_etag(Json(body).into_response(), c.version))
}

/// Files for the case, through the same vault, limits, sniffing and hashing as the page.
#[utoipa::path(post, path = "/api/v1/cases/{case_no}/evidence", tag = "cases",
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    params(("case_no" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 201, body = EvidenceList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("api_key" = ["cases:write"])))]
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
    let role = role_of(caller.org);
    let rows = evidence::attach(&st.store, &st.vault, &case_no, &caller.actor, role, files, Description { note, clip })
        .await
        .map_err(|e| match e {
            EvidenceError::Store(s) => hidden(s),
            other => ApiError::invalid(other.field_errors("files")),
        })?;
    Ok((StatusCode::CREATED, Json(EvidenceList { data: rows.iter().map(evidence_view).collect() })).into_response())
}

#[derive(Deserialize)]
struct PreservationJson {
    decision: Option<String>,
    replay_ref: Option<String>,
    retain_until: Option<String>,
    reason: Option<String>,
}

/// The platform confirms the replay is kept (reference, retention date) or declines (reason).
#[utoipa::path(post, path = "/api/v1/cases/{case_no}/preservation", tag = "cases", request_body = PreservationRequest,
    params(("case_no" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 200, body = PreservationResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("api_key" = ["cases:write"])))]
async fn answer_preservation(
    State(st): State<AppState>,
    key: ApiKey,
    Path(case_no): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<PreservationResult>, ApiError> {
    let platform = key.platform(Scope::CasesWrite)?;
    let j: PreservationJson = serde_json::from_value(body_json(&body)?)
        .map_err(|e| ApiError::bad_request(FieldError::new("body", "JSON 字段类型不正确", format!("{e}"))))?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let answer =
        crate::parse::stream::preservation(&s(&j.decision), &s(&j.replay_ref), &s(&j.retain_until), &s(&j.reason))
            .map_err(ApiError::invalid)?;
    let r = preservation::answer(&st.store, &case_no, Answerer::Platform(platform), answer).await.map_err(hidden)?;
    Ok(Json(PreservationResult { status: r.status, retain_until: r.retain_until }))
}

/// The first path of the preservation answer, kept for integrations that use it.
#[utoipa::path(post, path = "/api/v1/platform/cases/{case_no}/preservation", tag = "cases", request_body = PreservationRequest,
    params(("case_no" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 429, body = ErrorBody), (status = 200, body = PreservationResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("api_key" = ["cases:write"])))]
#[deprecated = "use /api/v1/cases/{case_no}/preservation"]
async fn answer_preservation_v0(
    st: State<AppState>,
    key: ApiKey,
    case_no: Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<PreservationResult>, ApiError> {
    answer_preservation(st, key, case_no, body).await
}

/// Verifies the case's hash chain, for a party (a key that reads cases, or
/// a signed-in person), and says where it breaks.
#[utoipa::path(get, path = "/api/v1/cases/{case_no}/chain", tag = "cases", params(("case_no" = String, Path)),
    responses((status = 429, body = ErrorBody), (status = 400, body = ErrorBody), (status = 200, body = ChainCheck), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("api_key" = ["cases:read"]), ("session" = [])))]
async fn verify_chain(
    State(st): State<AppState>,
    Path(case_no): Path<String>,
    headers: HeaderMap,
) -> Result<Json<ChainCheck>, ApiError> {
    let a = match bearer(&headers) {
        Some(k) => {
            let k = redline_store::api::keys::authenticate(&st.store, k)
                .await?
                .ok_or_else(|| ApiError::unauthorized("需要有效的 API 密钥", "A valid API key is required"))?;
            st.api_limits.allow(k.key_id, st.store.now().timestamp()).map_err(ApiError::rate_limited)?;
            ApiKey(k).with(Scope::CasesRead)?.actor.clone()
        }
        None => {
            actor_of(&st.store, &headers).await.ok_or_else(|| ApiError::unauthorized("请先登录", "Sign in first"))?
        }
    };
    let started = std::time::Instant::now();
    let r = redline_store::case::queries::verify_chain(&st.store, &a, &case_no).await?;
    Ok(Json(ChainCheck {
        case_no,
        events: r.events,
        intact: r.intact(),
        broken_at_seq: r.broken_at.map(|b| b.0),
        problem: r.broken_at.and_then(|b| serde_json::to_value(b.1).ok()).and_then(|v| v.as_str().map(str::to_owned)),
        problem_zh: r.broken_at.map(|b| b.1.zh().to_owned()),
        problem_en: r.broken_at.map(|b| b.1.en().to_owned()),
        verified_in_ms: started.elapsed().as_secs_f64() * 1000.0,
    }))
}
