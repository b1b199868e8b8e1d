//! Responses more than one route gives.
use crate::AppState;
use app::api::ssr::SESSION_COOKIE;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use redline_rules::field::FieldError;
use redline_rules::lang::Lang;
use redline_store::account::auth;
use redline_store::web::keys::WebKeys;
use redline_store::{Actor, StoreError};

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub fn with_cookie(mut r: Response, c: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// `; Secure` when cookies must only travel over HTTPS.
pub fn cookie_attrs(keys: &WebKeys) -> &'static str {
    if keys.secure_cookies {
        "; Path=/; HttpOnly; Secure; SameSite=Lax"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

pub fn browser_cookie(keys: &WebKeys, value: &str) -> String {
    format!("{}={value}{}; Max-Age=31536000", keys.browser_cookie(), cookie_attrs(keys))
}

pub fn session_cookie(keys: &WebKeys, token: &str) -> String {
    format!("{SESSION_COOKIE}={token}{}; Max-Age={}", cookie_attrs(keys), auth::SESSION_DAYS * 86400)
}

/// Where a person lands after signing in: their main work page.
pub fn home_of(a: &Actor) -> &'static str {
    if a.is_admin {
        "/admin"
    } else if !a.agency_ids.is_empty() {
        "/regulator"
    } else if !a.platform_ids.is_empty() {
        "/platform"
    } else if !a.operator_ids.is_empty() {
        "/operator"
    } else {
        "/me/cases"
    }
}

pub use redline_store::web::ratelimit::{minutes, throttled};

/// A browser cannot be given chosen files back: a refused form that had files
/// chosen says so at the file field, unless that field has its own problem.
pub fn reselect(
    mut e: redline_rules::field::FieldErrors,
    chose_files: bool,
    field: &'static str,
) -> redline_rules::field::FieldErrors {
    if chose_files && e.0.iter().all(|x| x.field != field) {
        e.push(FieldError::new(
            field,
            "所选文件未能保留，请重新选择文件",
            "The chosen files could not be kept: choose them again",
        ));
    }
    e
}

/// Files refused before they reach the vault, if any, as a problem of `field`.
pub fn upload_problem(too_large: &[String], broken: bool, st: &AppState, field: &'static str) -> Option<FieldError> {
    let mib = st.vault.limits.max_file >> 20;
    if let Some(name) = too_large.first() {
        let name = redline_rules::evidence::display_name(name);
        return Some(FieldError::new(
            field,
            format!("「{name}」超过单个文件 {mib} MiB 的上限"),
            format!("\"{name}\" is larger than the {mib} MiB per-file limit"),
        ));
    }
    broken.then(|| {
        FieldError::new(
            field,
            format!("上传未完成：文件过大（单个不超过 {mib} MiB）或连接中断，请重试"),
            format!("The upload did not complete: files too large (up to {mib} MiB each) or the connection broke"),
        )
    })
}

fn attachment_name(name: &str) -> String {
    // RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, percent-encoded.
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as a response: its sniffed type, never rendered as something
/// else (`nosniff`, sandbox CSP), not cached, a download unless `inline`.
pub fn file_response(bytes: Vec<u8>, mime: &str, name: &str, inline: bool) -> Response {
    let disposition = if inline { "inline" } else { "attachment" };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; {}", attachment_name(name))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    r
}

/// A file the reader may not have: what they may not see answers as if it did
/// not exist.
pub fn file_error(e: StoreError, lang: Lang) -> Response {
    match e {
        StoreError::Forbidden | StoreError::NotFound => {
            (StatusCode::NOT_FOUND, StoreError::NotFound.message(lang)).into_response()
        }
        e => {
            tracing::error!(error = %e, "serving a file failed");
            (StatusCode::SERVICE_UNAVAILABLE, e.message(lang)).into_response()
        }
    }
}

/// Whether a built asset's name carries its content hash
/// (`redline.<hash>.js`, as cargo-leptos `hash-files` names them): a new
/// build gets a new name, so the old one can be kept for ever.
pub fn hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    let (_stem, hash, ext) = (parts.next(), parts.next(), parts.next());
    parts.next().is_none()
        && matches!(ext, Some("js" | "wasm" | "css"))
        && hash.is_some_and(|h| h.len() >= 16 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
}

/// Cache rules by what a response is. Built assets with a content hash in
/// their names are immutable; any other `/pkg/…` file (a build without
/// hashing) is kept but revalidated on each use (a 304 from its Last-Modified);
/// the icon and robots file may be kept a day. Pages are never stored: each
/// carries its reader's data, a CSRF token and a fresh script nonce, which
/// also rules out ETags for them.
pub async fn asset_cache(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if h.contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let rule = if path.starts_with("/pkg/") {
        if hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "public, no-cache"
        }
    } else if path == "/favicon.svg" || path == "/robots.txt" {
        "public, max-age=86400"
    } else if content_type(h).starts_with("text/html") {
        "private, no-store"
    } else {
        return res;
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    res
}

fn content_type(h: &axum::http::HeaderMap) -> &str {
    h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Whether a response is a built asset (styles, scripts, WebAssembly): these
/// travel in brotli, the smallest, since a browser fetches each once and keeps
/// it. Pages are made for each request and travel in gzip: brotli's encoder
/// takes a 4 MiB window and zeroed tables for every response (the consumer's
/// queue served 27 % fewer pages a second in brotli than uncompressed, 9 %
/// fewer in gzip, for 6 % more bytes).
pub fn built_asset(
    _: StatusCode,
    _: axum::http::Version,
    h: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    let t = content_type(h);
    ["text/css", "text/javascript", "application/javascript", "application/wasm"].iter().any(|a| t.starts_with(a))
}

/// Whether a response is worth compressing at all: text (pages, CSV, JSON and
/// its lines, metrics, SVG) and the built assets. A case package (ZIP) and
/// evidence (photos, video, PDF) are compressed already: gzip would spend the
/// CPU and lose their length.
pub fn compressible(
    s: StatusCode,
    v: axum::http::Version,
    h: &axum::http::HeaderMap,
    e: &axum::http::Extensions,
) -> bool {
    let t = content_type(h);
    built_asset(s, v, h, e)
        || t.starts_with("text/")
        || ["application/json", "application/x-ndjson", "application/xml", "image/svg+xml"]
            .iter()
            .any(|a| t.starts_with(a))
}

#[cfg(test)]
mod tests {
    use super::hashed_asset;

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        // cargo-leptos: base64url of an MD5, 22 characters.
        assert!(hashed_asset("/pkg/redline.2c-ZyqLx1G_kJbF0mV8e9Q.js"));
        assert!(hashed_asset("/pkg/redline.2cZyqLx1GkJbF0mV8e9Qab.wasm"));
        assert!(hashed_asset("/pkg/redline.2cZyqLx1GkJbF0mV8e9Qab.css"));
        assert!(!hashed_asset("/pkg/redline.js"));
        assert!(!hashed_asset("/pkg/redline_bg.wasm"));
        assert!(!hashed_asset("/pkg/redline.css"));
        assert!(!hashed_asset("/pkg/redline.short.js"));
        assert!(!hashed_asset("/pkg/redline.2cZyqLx1GkJbF0mV8e9Qab.html"));
        assert!(!hashed_asset("/pkg/a.2cZyqLx1GkJbF0mV8e9Qab.min.js"));
    }
}
