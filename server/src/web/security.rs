//! The web front's defences, applied to every request by [`guard`]:
//! cross-site posts are refused by their `Sec-Fetch-Site`/`Origin` headers,
//! form posts must carry the session's CSRF token, every browser gets a
//! server-issued id, and every response carries the hardening headers. Pages
//! get a Content-Security-Policy with a fresh nonce for Leptos' scripts.
use super::extract::Web;
use super::respond::browser_cookie;
use crate::AppState;
use app::api::ssr::{cookie, SESSION_COOKIE};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Url-encoded form posts are small (the largest, a session's product list,
/// stays well under this); anything larger is not one of ours.
const MAX_FORM_BODY: usize = 1 << 20;

/// The policy of a rendered page: scripts only from here or with its nonce.
fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// For every other response (redirects, files, JSON): nothing may run.
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; \
                           form-action 'self'; frame-ancestors 'none'";

/// The client address: the socket peer, or, behind a trusted proxy, the
/// right-most X-Forwarded-For entry (the one that proxy added; entries to its
/// left come from the client and can be forged).
pub fn client_ip(trust_proxy: bool, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return ip.to_owned();
        }
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_default()
}

/// Whether a state-changing request comes from one of our own pages. Browsers
/// send `Sec-Fetch-Site` (and `Origin`) with every post; a request without
/// either is not from a browser (API clients, tests) and is judged by its
/// token or bearer key instead.
pub fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `same-site` is refused too: a sibling subdomain is another party.
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let authority = |url: &str| url.split_once("://").map(|(_, rest)| rest.trim_end_matches('/').to_owned());
    let Some(theirs) = authority(origin) else { return false };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    theirs.eq_ignore_ascii_case(host)
        || public_url.and_then(authority).is_some_and(|ours| theirs.eq_ignore_ascii_case(&ours))
}

/// The page a refused post gets: what happened and what to do.
fn refused(headers: &HeaderMap, why_zh: &str, why_en: &str) -> Response {
    refused_with(StatusCode::FORBIDDEN, headers, why_zh, why_en)
}

fn refused_with(status: StatusCode, headers: &HeaderMap, why_zh: &str, why_en: &str) -> Response {
    let (title, body, back) = if app::api::ssr::request_lang(headers, None).is_zh() {
        ("请求被拒绝", why_zh, "返回首页")
    } else {
        ("Request refused", why_en, "Back to the home page")
    };
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/redline.css\"></head><body><main class=\"page\">\
         <h1>{title}</h1><p class=\"refusal\">{body}</p><p><a href=\"/\">{back}</a></p></main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The answer to a form post without this session's CSRF token.
pub fn forged_form(headers: &HeaderMap) -> Response {
    refused(headers, STALE_FORM_ZH, STALE_FORM_EN)
}

const STALE_FORM_ZH: &str = "此表单已过期或并非来自本站页面。请返回上一页，刷新后重新提交。";
const STALE_FORM_EN: &str =
    "This form has expired or did not come from one of our pages. Go back, reload the page and submit it again.";

/// The nonce of a page response, minted by the guard for every GET: the page's
/// scripts carry it (see the page context in `lib.rs`) and the guard sets the
/// policy naming it, so a page never depends on the renderer to send it.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// The guard itself: see the module documentation.
pub async fn guard(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let keys = st.keys.clone();
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(req.headers(), st.config.public_url.as_deref()) {
        return refused(req.headers(), STALE_FORM_ZH, STALE_FORM_EN);
    }
    // A browser without an id of ours gets one now, seen by this request too.
    let mut issued = None;
    let browser = cookie(req.headers(), keys.browser_cookie()).filter(|b| keys.valid_browser_id(b));
    let browser = match browser {
        Some(b) => b,
        None => {
            let b = keys.new_browser_id();
            let pair = format!("{}={b}", keys.browser_cookie());
            req.headers_mut().append(header::COOKIE, HeaderValue::from_str(&pair).expect("hex cookie"));
            issued = Some(b.clone());
            b
        }
    };
    let session = cookie(req.headers(), SESSION_COOKIE);
    let binding = keys.binding(session.as_deref(), Some(&browser));
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = client_ip(st.config.trust_proxy, req.headers(), peer);
    let web = Web { binding: binding.clone(), client };
    req.extensions_mut().insert(web.clone());
    let nonce = (!unsafe_method).then(|| PageNonce(hex::encode(rand::random::<[u8; 16]>())));
    if let Some(n) = &nonce {
        req.extensions_mut().insert(n.clone());
    }

    // Form posts carry the CSRF token; multipart posts are checked as they are
    // read (the token comes first), url-encoded ones here.
    let is_form_post = unsafe_method && req.uri().path().starts_with("/do/");
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form_post && !urlencoded && !is_multipart(req.headers()) {
        return refused(req.headers(), STALE_FORM_ZH, STALE_FORM_EN);
    }
    if is_form_post && urlencoded {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BODY).await {
            Ok(b) => b,
            Err(e) if is_length_limit(&e) => {
                return refused_with(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &parts.headers,
                    "提交的内容过长。请返回上一页，缩短后重新提交。",
                    "What was sent is too long. Go back, shorten it and submit again.",
                )
            }
            // The body stalled (RequestBodyTimeoutLayer) or the client went away.
            Err(_) => return (StatusCode::REQUEST_TIMEOUT, "request body timed out").into_response(),
        };
        let token = form_urlencoded_value(&bytes, "csrf").unwrap_or_default();
        if !keys.csrf_ok(binding.as_deref(), &token) {
            return refused(&parts.headers, STALE_FORM_ZH, STALE_FORM_EN);
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }

    let mut res = next.run(req).await;
    // What a handler kept for the form's next render (see `form_error`).
    if let Some(kept) = res.extensions_mut().remove::<super::flash::Kept>() {
        super::flash::keep(&st.store, &web, kept).await;
    }
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let html =
            h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        let policy = match &nonce {
            Some(n) if html => page_csp(&n.0),
            _ => DEFAULT_CSP.to_owned(),
        };
        if let Ok(v) = HeaderValue::from_str(&policy) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    if let Some(b) = issued {
        if let Ok(v) = HeaderValue::from_str(&browser_cookie(&keys, &b)) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn posts_from_other_sites_are_refused() {
        let host = ("host", "redline.example:3000");
        assert!(same_origin(&headers(&[host]), None), "API clients send neither header");
        assert!(same_origin(&headers(&[host, ("sec-fetch-site", "same-origin")]), None));
        assert!(!same_origin(&headers(&[host, ("sec-fetch-site", "cross-site")]), None));
        assert!(!same_origin(&headers(&[host, ("sec-fetch-site", "same-site")]), None));
        assert!(same_origin(&headers(&[host, ("origin", "http://redline.example:3000")]), None));
        assert!(!same_origin(&headers(&[host, ("origin", "http://evil.example")]), None));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), None));
        // Behind a proxy the public URL names the origin.
        let proxied = headers(&[("host", "127.0.0.1:3000"), ("origin", "https://redline.example")]);
        assert!(same_origin(&proxied, Some("https://redline.example/")));
        assert!(!same_origin(&proxied, None));
    }

    #[test]
    fn the_csrf_field_is_found_in_a_form_body() {
        assert_eq!(form_urlencoded_value(b"a=1&csrf=ab%2Bc&b=2", "csrf").as_deref(), Some("ab+c"));
        assert_eq!(form_urlencoded_value(b"a=1", "csrf"), None);
    }
}
