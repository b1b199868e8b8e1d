//! Every `/api/v1` error in one JSON shape:
//!
//! ```json
//! {"error": {"code": "invalid_input",
//!            "message": {"zh": "…", "en": "…"},
//!            "fields": {"start": {"zh": "…", "en": "…"}}}}
//! ```
//!
//! `fields` is present (possibly empty) on every error; a 429 carries
//! `Retry-After`; `code` is stable for
//! clients to branch on. Handlers return `Result<_, ApiError>` and use `?`.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_rules::field::FieldErrors;
use redline_store::StoreError;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub fields: FieldErrors,
    /// Seconds to wait, sent as `Retry-After` (429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError { status, code, zh: zh.into(), en: en.into(), fields: FieldErrors::default(), retry_after: None }
    }

    /// Some submitted values were refused (422), each named in `fields`.
    pub fn invalid(fields: impl Into<FieldErrors>) -> ApiError {
        ApiError {
            fields: fields.into(),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "提交的内容有误",
                "Some values are invalid",
            )
        }
    }

    /// A malformed request (400): bad query parameters or unreadable JSON.
    pub fn bad_request(fields: impl Into<FieldErrors>) -> ApiError {
        ApiError {
            fields: fields.into(),
            ..ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "请求格式不正确", "The request is malformed")
        }
    }

    pub fn unauthorized(zh: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", zh, en)
    }

    /// The key is valid but lacks the scope this request needs.
    pub fn missing_scope(scope: &str) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("该 API 密钥没有 {scope} 权限"),
            format!("This API key lacks the {scope} scope"),
        )
    }

    /// Too many requests with one key; try again after `secs`.
    pub fn rate_limited(secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(secs),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("请求过于频繁，请 {secs} 秒后重试"),
                format!("Too many requests; retry in {secs} seconds"),
            )
        }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "未找到", "Not found")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let (zh, en) = (e.message(redline_rules::Lang::Zh), e.message(redline_rules::Lang::En));
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", zh, en),
            StoreError::Field(f) => ApiError::invalid(f),
            StoreError::Fields(fs) => ApiError::invalid(fs),
            StoreError::Stale => ApiError::new(StatusCode::PRECONDITION_FAILED, "stale_version", zh, en),
            StoreError::Conflict | StoreError::Transition(_) | StoreError::NoAgency | StoreError::AlreadySubmitted => {
                ApiError::new(StatusCode::CONFLICT, "conflict", zh, en)
            }
            StoreError::Db(_) | StoreError::Corrupt(_) | StoreError::Vault(_) => {
                tracing::error!(error = %e, "API request failed");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", zh, en)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut fields = serde_json::Map::new();
        for f in &self.fields.0 {
            fields.entry(f.field.to_string()).or_insert_with(|| json!({ "zh": f.zh, "en": f.en }));
        }
        let body = json!({ "error": {
            "code": self.code,
            "message": { "zh": self.zh, "en": self.en },
            "fields": fields,
        }});
        let mut r = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        r
    }
}
