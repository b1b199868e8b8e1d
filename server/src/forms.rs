//! HTML form posts (POST → redirect → GET). They work without JavaScript: a
//! failed post keeps the typed values and localized field errors in a one-time
//! flash and redirects back to the form.
use crate::parse::{self, Fields};
use crate::security::{cookie_attrs, Web};
use crate::AppState;
use app::api::ssr::{cookie, LANG_COOKIE, SESSION_COOKIE};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use redline_rules::case::Role;
use redline_store::account::auth::{self, AccountError};
use redline_store::case::filing::FileError;
use redline_store::web::keys::{flash_key, WebKeys};
use redline_store::{Actor, Store};

type Pairs = Form<Vec<(String, String)>>;

pub(crate) fn is_zh(headers: &HeaderMap, actor: Option<&Actor>) -> bool {
    match cookie(headers, LANG_COOKIE) {
        Some(l) => l != "en",
        None => actor.is_none_or(|a| a.locale != "en"),
    }
}

pub(crate) async fn actor(s: &Store, headers: &HeaderMap) -> Option<Actor> {
    let t = cookie(headers, SESSION_COOKIE)?;
    auth::actor_for_token(s, &t).await.ok().flatten()
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub(crate) fn with_cookie(mut r: Response, c: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub(crate) use crate::flash::back_with_errors;

pub(crate) fn session_cookie(keys: &WebKeys, token: &str) -> String {
    format!("{SESSION_COOKIE}={token}{}; Max-Age={}", cookie_attrs(keys), auth::SESSION_DAYS * 86400)
}

/// Where a person lands after signing in: their main work page.
pub(crate) fn home_of(a: &Actor) -> &'static str {
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

pub async fn login(State(st): State<AppState>, web: Web, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let f = Fields::from_pairs(pairs);
    let zh = is_zh(&headers, None);
    match auth::login(s, f.get("email"), f.get("password"), &web.client).await {
        Ok(token) => {
            let a = auth::actor_for_token(s, &token).await.ok().flatten();
            let to = a.as_ref().map_or("/", home_of);
            // Form values kept for the previous person on this browser are
            // dropped, and the browser gets a new id (no fixation).
            if let Some(b) = &web.binding {
                let _ = redline_store::web::flash::forget(s, &flash_key(b)).await;
            }
            let r = with_cookie(see_other(to), session_cookie(&st.keys, &token));
            with_cookie(r, crate::security::browser_cookie(&st.keys, &st.keys.new_browser_id()))
        }
        Err(e) => {
            let msg = match (e, zh) {
                (AccountError::BadCredentials, true) => "邮箱或密码不正确".to_owned(),
                (AccountError::BadCredentials, false) => "Wrong email or password".to_owned(),
                (AccountError::Throttled(wait), true) => {
                    format!("登录失败次数过多，请约 {} 分钟后再试", minutes(wait))
                }
                (AccountError::Throttled(wait), false) => {
                    format!("Too many failed sign-ins; please try again in about {} minutes", minutes(wait))
                }
                (_, true) => "暂时无法登录，请稍后再试".to_owned(),
                (_, false) => "Sign-in is unavailable; please retry".to_owned(),
            };
            back_with_errors(s, &web, "login", "/login", &f, [("form".to_owned(), msg)].into()).await
        }
    }
}

pub async fn logout(State(st): State<AppState>, web: Web, headers: HeaderMap) -> Response {
    if let Some(t) = cookie(&headers, SESSION_COOKIE) {
        let _ = auth::logout(&st.store, &t).await;
    }
    if let Some(b) = &web.binding {
        let _ = redline_store::web::flash::forget(&st.store, &flash_key(b)).await;
    }
    with_cookie(see_other("/"), format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attrs(&st.keys)))
}

fn minutes(wait: chrono::Duration) -> i64 {
    (wait.num_seconds() + 59).max(60) / 60
}

/// `/lang/zh` or `/lang/en`: remembers the choice (cookie and, if signed in, the
/// account) and returns to the page the link was on.
pub async fn set_lang(State(st): State<AppState>, Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = if lang == "en" { "en" } else { "zh" };
    if let Some(a) = actor(&st.store, &headers).await {
        let _ = auth::set_locale(&st.store, a.user_id, lang).await;
    }
    let back = same_origin_path(&headers, st.config.public_url.as_deref()).unwrap_or_else(|| "/".to_owned());
    let secure = if st.keys.secure_cookies { "; Secure" } else { "" };
    with_cookie(see_other(&back), format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax{secure}; Max-Age=31536000"))
}

/// The path of the Referer when it is one of our own pages: only a relative,
/// same-origin path may go into `Location`.
fn same_origin_path(headers: &HeaderMap, public_url: Option<&str>) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let (_, rest) = referer.split_once("://")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let ours = authority.eq_ignore_ascii_case(host)
        || public_url
            .and_then(|u| u.split_once("://"))
            .is_some_and(|(_, p)| authority.eq_ignore_ascii_case(p.trim_end_matches('/')));
    let safe = path.starts_with('/') && !path.starts_with("//") && !path.chars().any(|c| c == '\\' || c.is_control());
    (ours && safe).then(|| path.to_owned())
}

/// The complaint form (multipart: it may carry evidence files).
pub async fn file_complaint(State(st): State<AppState>, web: Web, headers: HeaderMap, mp: Multipart) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    // Filings per account are limited before the body is read: a throttled
    // post's files are drained unread, its typed text kept.
    let hit = redline_store::web::ratelimit::hit(
        s,
        &format!("filing:{}", a.user_id),
        st.config.filing_limit,
        chrono::Duration::hours(1),
    )
    .await;
    let files = if matches!(hit, Ok(Ok(()))) { crate::upload::Files::Keep } else { crate::upload::Files::Drain };
    let posted = crate::upload::read(mp, &st.vault, &st.keys, &web, files).await;
    if posted.forged {
        return crate::security::forged_form(&headers);
    }
    let f = posted.fields;
    // Back to the same form, with the session picked from a room page kept.
    let back = match f.get("session") {
        "" => "/me/new".to_owned(),
        sid => format!("/me/new?session={}", sid.parse::<i64>().unwrap_or_default()),
    };
    match hit {
        Ok(Ok(())) => {}
        Ok(Err(wait)) => {
            let msg = crate::tips::throttled(zh, wait);
            return back_with_errors(s, &web, "complaint", &back, &f, [("form".to_owned(), msg)].into()).await;
        }
        Err(e) => {
            return back_with_errors(s, &web, "complaint", &back, &f, [("form".to_owned(), e.localized(zh))].into())
                .await
        }
    }
    let input = parse::complaint(&f, s.now());
    if let Some(msg) = crate::evidence::upload_problem(&posted.too_large, posted.broken, &st, zh) {
        let mut e = input.err().unwrap_or_default().localized(zh);
        e.insert("evidence".into(), msg);
        return back_with_errors(s, &web, "complaint", &back, &f, e).await;
    }
    let input = match input {
        Ok(i) => i,
        Err(e) => return back_with_errors(s, &web, "complaint", &back, &f, e.localized(zh)).await,
    };
    // Refused before any file reaches the vault: an unknown room is the
    // common refusal (the filing checks it again in its transaction).
    if !posted.files.is_empty()
        && !matches!(redline_store::streams::find_room(&s.db, input.platform_id, &input.room).await, Ok(Some(_)))
    {
        let msg = if zh {
            "在该平台上未找到此直播间（请填写直播间ID或链接）"
        } else {
            "No such live room on this platform (give its room ID or URL)"
        };
        return back_with_errors(s, &web, "complaint", &back, &f, [("room".to_owned(), msg.to_owned())].into()).await;
    }
    let mut stored = Vec::new();
    for up in posted.files {
        match redline_store::vault::intake::store_file(s, &st.vault, up).await {
            Ok(x) => stored.push(x),
            Err(e) => {
                let errs = [("evidence".to_owned(), e.localized(zh))].into();
                return back_with_errors(s, &web, "complaint", &back, &f, errs).await;
            }
        }
    }
    match redline_store::case::filing::file_complaint(s, &a, input, &stored, st.vault.limits).await {
        Ok(c) => see_other(&format!("/cases/{}", c.case_no)),
        Err(FileError::Field(field, z, e)) => {
            back_with_errors(
                s,
                &web,
                "complaint",
                &back,
                &f,
                [(field.to_owned(), if zh { z } else { e }.to_owned())].into(),
            )
            .await
        }
        Err(FileError::Store(e)) => {
            tracing::error!(error = %e, "filing failed");
            back_with_errors(s, &web, "complaint", &back, &f, [("form".to_owned(), e.localized(zh))].into()).await
        }
    }
}

pub async fn act(
    State(st): State<AppState>,
    web: Web,
    Path(case_no): Path<String>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let back = format!("/cases/{case_no}");
    let form = format!("case:{case_no}");
    let Ok(role) = f.get("role").parse::<Role>() else {
        let msg = if zh { "未知的操作身份" } else { "Unknown acting role" };
        return back_with_errors(s, &web, &form, &back, &f, [("form".to_owned(), msg.to_owned())].into()).await;
    };
    let seen_version = f.get("version").parse::<i32>().ok();
    let (event, payload) = match parse::action(&f) {
        Ok(x) => x,
        Err(e) => {
            return back_with_errors(s, &web, &form, &back, &f, e.localized_with_summary(zh)).await;
        }
    };
    match redline_store::case::transition::apply(s, &case_no, event, role, &a, payload, seen_version).await {
        Ok(_) => see_other(&back),
        Err(e) => back_with_errors(s, &web, &form, &back, &f, [("form".to_owned(), e.localized(zh))].into()).await,
    }
}

/// A platform's policy clock lengths (blank = default; bounds in `ClockPolicy`).
pub async fn set_policy(
    State(st): State<AppState>,
    web: Web,
    Path(platform_id): Path<i64>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let policy = match parse::policy(&f) {
        Ok(p) => p,
        Err(e) => return back_with_errors(s, &web, "policy", "/platform/settings", &f, e.localized(zh)).await,
    };
    match redline_store::case::clocks::set_policy(s, &a, platform_id, policy).await {
        Ok(()) => see_other("/platform/settings"),
        Err(e) => {
            back_with_errors(s, &web, "policy", "/platform/settings", &f, [("form".to_owned(), e.localized(zh))].into())
                .await
        }
    }
}
