//! The organisation an `Authorization: Bearer <key>` header authenticates,
//! and the scope check every API handler starts with.
use super::api_error::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use redline_store::api::keys::{self, ApiCaller, Scope};

/// A request made with a valid, unrevoked key. A missing or bad key is 401.
pub struct ApiKey(pub ApiCaller);

impl ApiKey {
    /// The caller, if its key holds `scope`; 403 otherwise.
    pub fn with(&self, scope: Scope) -> Result<&ApiCaller, ApiError> {
        if self.0.may(scope) {
            Ok(&self.0)
        } else {
            Err(ApiError::missing_scope(scope.as_str()))
        }
    }

    /// The platform, for what only a platform's key may do (sessions, parties, tips).
    pub fn platform(&self, scope: Scope) -> Result<i64, ApiError> {
        match self.with(scope)?.org {
            keys::KeyOrg::Platform(p) => Ok(p),
            keys::KeyOrg::Operator(_) => Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "platform_only",
                "仅平台的 API 密钥可执行此操作",
                "Only a platform's API key may do this",
            )),
        }
    }
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let unauthorized = || ApiError::unauthorized("需要有效的 API 密钥", "A valid API key is required");
        let key = bearer(&parts.headers).ok_or_else(unauthorized)?;
        keys::authenticate(&st.store, key).await?.map(ApiKey).ok_or_else(unauthorized)
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
}
