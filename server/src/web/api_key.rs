//! The organisation an `Authorization: Bearer <key>` header authenticates,
//! the scope check every API handler starts with, and the per-key rate limit.
use super::api_error::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use redline_store::api::keys::{self, ApiCaller, Scope};
use std::collections::HashMap;
use std::sync::Mutex;

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
        let caller = keys::authenticate(&st.store, key).await?.ok_or_else(unauthorized)?;
        st.api_limits.allow(caller.key_id, st.store.now().timestamp()).map_err(ApiError::rate_limited)?;
        Ok(ApiKey(caller))
    }
}

/// Requests per key and minute, in this process: an API key cannot take the
/// server from everyone else. A fixed window; `Err` is the seconds to wait.
pub struct ApiLimits {
    per_minute: u32,
    windows: Mutex<HashMap<i64, (i64, u32)>>,
}

impl ApiLimits {
    pub fn new(per_minute: u32) -> ApiLimits {
        ApiLimits { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    pub fn allow(&self, key_id: i64, now_secs: i64) -> Result<(), u64> {
        let minute = now_secs.div_euclid(60);
        let mut w = self.windows.lock().expect("rate windows");
        // Bounded by the keys active this minute.
        if w.len() > 10_000 {
            w.retain(|_, (m, _)| *m == minute);
        }
        let slot = w.entry(key_id).or_insert((minute, 0));
        if slot.0 != minute {
            *slot = (minute, 0);
        }
        if slot.1 >= self.per_minute {
            return Err((60 - now_secs.rem_euclid(60)) as u64);
        }
        slot.1 += 1;
        Ok(())
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
