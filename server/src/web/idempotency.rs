//! `Idempotency-Key` on every `POST` of the API, per API key and route: the first
//! request with a key runs and its answer is kept for 24 hours; the same key
//! with the same body gets that answer again (status and body, marked
//! `Idempotent-Replayed: true`); with another body, 422; while the first is
//! still running, 409. Server errors are not kept, so a retry runs again.
//! Multipart bodies (evidence) are matched by key alone: a client's retry
//! draws a new boundary, so their bytes never match.
use super::api_error::ApiError;
use super::api_key::bearer;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use redline_rules::field::FieldError;
use redline_store::api::idempotency::{self, Begin, Stored};
use sha2::{Digest, Sha256};

/// The largest JSON body the API takes (the parties report).
const MAX_BODY: usize = 16 << 20;
/// The largest answer kept (API answers are small; this is a bound).
const MAX_ANSWER: usize = 1 << 20;

fn problem(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Response {
    ApiError::new(status, code, zh, en).into_response()
}

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/v1/") {
        return next.run(req).await;
    }
    // Keys are per API key and route; without a key the request is refused
    // further in (401), whatever its Idempotency-Key.
    let Some(bearer_hash) = bearer(req.headers()).map(redline_store::api::keys::hash) else {
        return next.run(req).await;
    };
    let Some(key) = req.headers().get("idempotency-key").map(|v| v.to_str().map(str::to_owned)) else {
        return next.run(req).await;
    };
    let key = match key {
        Ok(k) if !k.trim().is_empty() && k.len() <= 255 => k.trim().to_owned(),
        _ => {
            return ApiError::bad_request(FieldError::new(
                "Idempotency-Key",
                "Idempotency-Key 须为 1 到 255 个可见字符",
                "Idempotency-Key must be 1 to 255 visible characters",
            ))
            .into_response()
        }
    };
    let owner = format!("key:{}:{}", &bearer_hash[..32], req.uri().path());
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let (req, fingerprint) = if multipart {
        let fp = format!("multipart {}", req.uri().path());
        (req, fp)
    } else {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
            return problem(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "请求体过大", "The body is too large");
        };
        let mut h = Sha256::new();
        h.update(parts.method.as_str().as_bytes());
        h.update(parts.uri.path().as_bytes());
        h.update(&bytes);
        (Request::from_parts(parts, Body::from(bytes)), hex::encode(h.finalize()))
    };
    match idempotency::begin(&st.store, &owner, &key, &fingerprint).await {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Begin::Replay(s)) => replay(s),
        Ok(Begin::InFlight) => problem(
            StatusCode::CONFLICT,
            "idempotency_in_flight",
            "使用同一 Idempotency-Key 的请求仍在处理中，请稍后重试",
            "A request with this Idempotency-Key is still being processed; retry shortly",
        ),
        Ok(Begin::Mismatch) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一个请求",
            "This Idempotency-Key was used for a different request",
        ),
        Ok(Begin::Fresh) => {
            let r = next.run(req).await;
            keep(&st, &owner, &key, r).await
        }
    }
}

fn replay(s: Stored) -> Response {
    let mut r = Response::new(Body::from(s.body));
    *r.status_mut() = StatusCode::from_u16(s.status).unwrap_or(StatusCode::OK);
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    if let Some(loc) = s.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, loc);
    }
    r
}

/// Keeps the answer (unless it is one worth retrying) and returns it.
async fn keep(st: &AppState, owner: &str, key: &str, r: Response) -> Response {
    let status = r.status();
    // Not an execution: a server error, a bad key, a rate limit.
    if status.is_server_error() || status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS {
        if let Err(e) = idempotency::forget(&st.store, owner, key).await {
            tracing::warn!(error = %e, "idempotency: releasing a key failed");
        }
        return r;
    }
    let (parts, body) = r.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ANSWER).await else {
        let _ = idempotency::forget(&st.store, owner, key).await;
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "unavailable", "系统暂时无法处理", "Please retry");
    };
    let stored = Stored {
        status: status.as_u16(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        location: parts.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
    };
    if let Err(e) = idempotency::save(&st.store, owner, key, &stored).await {
        tracing::warn!(error = %e, "idempotency: keeping an answer failed");
    }
    Response::from_parts(parts, Body::from(bytes))
}
