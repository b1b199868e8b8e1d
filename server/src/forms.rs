//! HTML form posts (POST → redirect → GET). They work without JavaScript: a
//! failed post keeps the typed values and localized field errors in a one-time
//! flash and redirects back to the form.
use crate::parse::{self, Errors, Fields};
use crate::AppState;
use app::api::ssr::{cookie, FORM_COOKIE, LANG_COOKIE, SESSION_COOKIE};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use redline_rules::case::Role;
use redline_store::auth::{self, AccountError};
use redline_store::cases::FileError;
use redline_store::{Actor, Store, StoreError};
use validator::ValidateEmail;

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

/// Stores the typed values and errors, and redirects back to the form.
pub(crate) async fn back_with_errors(
    s: &Store,
    headers: &HeaderMap,
    form: &str,
    back: &str,
    fields: &Fields,
    errors: std::collections::HashMap<String, String>,
) -> Response {
    let (key, new) = match cookie(headers, FORM_COOKIE) {
        Some(k) if k.len() == 32 => (k, false),
        _ => {
            use rand::RngCore;
            let mut raw = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut raw);
            (hex::encode(raw), true)
        }
    };
    // Keep what a person could have typed, within bounds: passwords never, and no
    // field or value beyond what the forms hold.
    let values: std::collections::HashMap<String, Vec<String>> = fields
        .0
        .iter()
        .filter(|(k, _)| k.as_str() != "password" && k.len() <= 40)
        .take(40)
        .map(|(k, vs)| {
            let mut vs: Vec<String> = vs.iter().take(32).map(|v| v.chars().take(5000).collect()).collect();
            vs.dedup();
            (k.clone(), vs)
        })
        .collect();
    let payload = serde_json::json!({ "values": values, "errors": errors });
    if let Err(e) = redline_store::flash::put(s, &key, form, &payload).await {
        tracing::error!(error = %e, "could not keep form values");
    }
    let r = see_other(back);
    if new {
        with_cookie(r, format!("{FORM_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400"))
    } else {
        r
    }
}

fn clear_form_cookie() -> String {
    format!("{FORM_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

fn session_cookie(token: &str) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", auth::SESSION_DAYS * 86400)
}

/// Where a person lands after signing in: their main work page.
fn home_of(a: &Actor) -> &'static str {
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

pub async fn login(State(st): State<AppState>, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let f = Fields::from_pairs(pairs);
    let zh = is_zh(&headers, None);
    match auth::login(s, f.get("email"), f.get("password")).await {
        Ok(token) => {
            let a = auth::actor_for_token(s, &token).await.ok().flatten();
            let to = a.as_ref().map_or("/", home_of);
            // Form values kept for the previous person on this browser are dropped.
            with_cookie(with_cookie(see_other(to), session_cookie(&token)), clear_form_cookie())
        }
        Err(e) => {
            let msg = match (e, zh) {
                (AccountError::BadCredentials, true) => "邮箱或密码不正确".to_owned(),
                (AccountError::BadCredentials, false) => "Wrong email or password".to_owned(),
                (_, true) => "暂时无法登录，请稍后再试".to_owned(),
                (_, false) => "Sign-in is unavailable; please retry".to_owned(),
            };
            back_with_errors(s, &headers, "login", "/login", &f, [("form".to_owned(), msg)].into()).await
        }
    }
}

pub async fn register(State(st): State<AppState>, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let f = Fields::from_pairs(pairs);
    let zh = is_zh(&headers, None);
    let mut e = Errors::default();
    let name = f.get("name");
    if name.is_empty() || name.chars().count() > 60 {
        e.add("name", "请填写姓名（60字以内）", "Give your name (up to 60 characters)");
    }
    if !f.get("email").validate_email() {
        e.add("email", "邮箱格式不正确", "That is not a valid email address");
    }
    let pw = f.0.get("password").and_then(|v| v.first()).cloned().unwrap_or_default();
    if pw.chars().count() < 10 || pw.len() > 256 {
        e.add("password", "密码至少10位", "The password needs 10 characters or more");
    }
    if !e.is_empty() {
        return back_with_errors(s, &headers, "register", "/register", &f, e.localized(zh)).await;
    }
    let locale = if zh { "zh" } else { "en" };
    match auth::register(s, f.get("email"), name, &pw, locale).await {
        Ok(uid) => match auth::open_session(s, uid).await {
            Ok(token) => with_cookie(see_other("/me/new"), session_cookie(&token)),
            Err(_) => see_other("/login"),
        },
        Err(err) => {
            let (field, msg) = match err {
                AccountError::EmailTaken => (
                    "email",
                    if zh {
                        "该邮箱已注册，请直接登录"
                    } else {
                        "This email is already registered; sign in instead"
                    },
                ),
                _ => (
                    "form",
                    if zh {
                        "暂时无法注册，请稍后再试"
                    } else {
                        "Registration is unavailable; please retry"
                    },
                ),
            };
            back_with_errors(s, &headers, "register", "/register", &f, [(field.to_owned(), msg.to_owned())].into())
                .await
        }
    }
}

pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(t) = cookie(&headers, SESSION_COOKIE) {
        let _ = auth::logout(&st.store, &t).await;
    }
    if let Some(k) = cookie(&headers, FORM_COOKIE) {
        let _ = redline_store::flash::forget(&st.store, &k).await;
    }
    let r = with_cookie(see_other("/"), format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
    with_cookie(r, clear_form_cookie())
}

/// `/lang/zh` or `/lang/en`: remembers the choice (cookie and, if signed in, the
/// account) and returns to the page the link was on.
pub async fn set_lang(State(st): State<AppState>, Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = if lang == "en" { "en" } else { "zh" };
    if let Some(a) = actor(&st.store, &headers).await {
        let _ = auth::set_locale(&st.store, a.user_id, lang).await;
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    with_cookie(see_other(&back), format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000"))
}

/// The complaint form (multipart: it may carry evidence files).
pub async fn file_complaint(State(st): State<AppState>, headers: HeaderMap, mp: Multipart) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let posted = crate::upload::read(mp, st.vault.limits.max_file).await;
    let f = posted.fields;
    // Back to the same form, with the session picked from a room page kept.
    let back = match f.get("session") {
        "" => "/me/new".to_owned(),
        sid => format!("/me/new?session={}", sid.parse::<i64>().unwrap_or_default()),
    };
    let input = parse::complaint(&f, s.now());
    if let Some(msg) = crate::evidence::upload_problem(&posted.too_large, posted.broken, &st, zh) {
        let mut e = input.err().unwrap_or_default().localized(zh);
        e.insert("evidence".into(), msg);
        return back_with_errors(s, &headers, "complaint", &back, &f, e).await;
    }
    let input = match input {
        Ok(i) => i,
        Err(e) => return back_with_errors(s, &headers, "complaint", &back, &f, e.localized(zh)).await,
    };
    let mut stored = Vec::new();
    for up in posted.files {
        match redline_store::evidence::store_file(&st.vault, up).await {
            Ok(x) => stored.push(x),
            Err(e) => {
                let errs = [("evidence".to_owned(), e.localized(zh))].into();
                return back_with_errors(s, &headers, "complaint", &back, &f, errs).await;
            }
        }
    }
    match redline_store::cases::file_complaint(s, &a, input, &stored, st.vault.limits).await {
        Ok(c) => see_other(&format!("/cases/{}", c.case_no)),
        Err(FileError::Field(field, z, e)) => {
            back_with_errors(
                s,
                &headers,
                "complaint",
                &back,
                &f,
                [(field.to_owned(), if zh { z } else { e }.to_owned())].into(),
            )
            .await
        }
        Err(FileError::Store(e)) => {
            tracing::error!(error = %e, "filing failed");
            back_with_errors(s, &headers, "complaint", &back, &f, [("form".to_owned(), e.localized(zh))].into()).await
        }
    }
}

pub async fn act(
    State(st): State<AppState>,
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
        return back_with_errors(s, &headers, &form, &back, &f, [("form".to_owned(), msg.to_owned())].into()).await;
    };
    let seen_version = f.get("version").parse::<i32>().ok();
    let (event, payload) = match parse::action(&f) {
        Ok(x) => x,
        Err(e) => {
            return back_with_errors(s, &headers, &form, &back, &f, e.localized_with_summary(zh)).await;
        }
    };
    match redline_store::cases::apply(s, &case_no, event, role, &a, payload, seen_version).await {
        Ok(_) => see_other(&back),
        Err(e) => back_with_errors(s, &headers, &form, &back, &f, [("form".to_owned(), e.localized(zh))].into()).await,
    }
}

/// A platform's policy clock lengths (blank = default; bounds in `ClockPolicy`).
pub async fn set_policy(
    State(st): State<AppState>,
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
        Err(e) => return back_with_errors(s, &headers, "policy", "/platform/settings", &f, e.localized(zh)).await,
    };
    match redline_store::cases::set_policy(s, &a, platform_id, policy).await {
        Ok(()) => see_other("/platform/settings"),
        Err(e) => {
            back_with_errors(
                s,
                &headers,
                "policy",
                "/platform/settings",
                &f,
                [("form".to_owned(), e.localized(zh))].into(),
            )
            .await
        }
    }
}

/// Admin: add a person (new or existing) to a platform, operator or agency.
pub async fn grant(State(st): State<AppState>, headers: HeaderMap, Form(pairs): Pairs) -> Response {
    let s = &st.store;
    let Some(a) = actor(s, &headers).await else { return see_other("/login") };
    let zh = is_zh(&headers, Some(&a));
    let f = Fields::from_pairs(pairs);
    let mut e = Errors::default();
    if !f.get("email").validate_email() {
        e.add("email", "邮箱格式不正确", "That is not a valid email address");
    }
    let org = f.get("org").split_once(':').and_then(|(k, id)| id.parse::<i64>().ok().map(|id| (k.to_owned(), id)));
    if org.is_none() {
        e.add("org", "请选择机构", "Choose an organisation");
    }
    if !e.is_empty() {
        return back_with_errors(s, &headers, "admin", "/admin", &f, e.localized_with_summary(zh)).await;
    }
    let (kind, id) = org.unwrap();
    let pw = f.0.get("password").and_then(|v| v.first()).cloned().unwrap_or_default();
    match redline_store::admin::grant(s, &a, f.get("email"), f.get("name"), &pw, &kind, id).await {
        Ok(()) => see_other("/admin"),
        Err(StoreError::Invalid(m)) if m == "new-account" => {
            let msg = if zh {
                "新账号需要姓名和至少10位的初始密码"
            } else {
                "A new account needs a name and an initial password of 10+ characters"
            };
            back_with_errors(s, &headers, "admin", "/admin", &f, [("form".to_owned(), msg.to_owned())].into()).await
        }
        Err(err) => {
            back_with_errors(s, &headers, "admin", "/admin", &f, [("form".to_owned(), err.localized(zh))].into()).await
        }
    }
}
