//! Accounts: signing in and out, the language switch, registration by email
//! and taking a mailed link (`/do/welcome/{token}`).
use crate::parse::{Errors, Fields};
use crate::web::extract::Web;
use crate::web::extract::{CookieLang, Visitor};
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::{browser_cookie, cookie_attrs};
use crate::web::respond::{home_of, minutes, see_other, session_cookie, with_cookie};
use crate::AppState;
use app::api::ssr::{cookie, LANG_COOKIE, SESSION_COOKIE};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use redline_rules::field::FieldError;
use redline_rules::lang::Lang;
use redline_store::account::auth::{self, AccountError};
use redline_store::account::email_links::{self, AcceptError};
use redline_store::web::keys::flash_key;
use validator::ValidateEmail;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/login", post(login))
        .route("/do/logout", post(logout))
        .route("/do/register", post(register))
        .route("/do/welcome/{token}", post(welcome))
        .route("/lang/{lang}", get(set_lang))
}

/// Registrations one client address may ask for an hour.
const REGISTRATIONS_PER_ADDRESS_HOUR: i32 = 10;

/// A demo installation without mail prints the link, so `./dev run` works.
pub(super) fn show_link_without_mail(st: &AppState, link: Option<String>) {
    if let (Some(link), None, true) = (link, &st.config.smtp_url, st.config.seed_demo) {
        tracing::warn!(link = %link, "no mail server configured (demo): open this link to continue");
    }
}

fn sign_in_problem(e: AccountError) -> FieldError {
    match e {
        AccountError::BadCredentials => FieldError::form("邮箱或密码不正确", "Wrong email or password"),
        AccountError::Throttled(wait) => FieldError::form(
            format!("登录失败次数过多，请约 {} 分钟后再试", minutes(wait)),
            format!("Too many failed sign-ins; please try again in about {} minutes", minutes(wait)),
        ),
        _ => FieldError::form("暂时无法登录，请稍后再试", "Sign-in is unavailable; please retry"),
    }
}

async fn login(
    State(st): State<AppState>,
    web: Web,
    CookieLang(lang): CookieLang,
    f: Fields,
) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("login", "/login", lang);
    let token = auth::login(s, f.get("email"), f.get("password"), &web.client)
        .await
        .map_err(|e| page.refuse(&f, sign_in_problem(e)))?;
    let a = auth::actor_for_token(s, &token).await.ok().flatten();
    // Form values kept for the previous person on this browser are dropped,
    // and the browser gets a new id (no fixation).
    if let Some(b) = &web.binding {
        let _ = redline_store::web::flash::forget(s, &flash_key(b)).await;
    }
    // Back to the page that asked for sign-in, when it is one of ours.
    let to = app::view::local_path(f.get("next")).unwrap_or_else(|| a.as_ref().map_or("/", home_of));
    let r = with_cookie(see_other(to), session_cookie(&st.keys, &token));
    Ok(with_cookie(r, browser_cookie(&st.keys, &st.keys.new_browser_id())))
}

async fn logout(State(st): State<AppState>, web: Web, headers: HeaderMap) -> Response {
    if let Some(t) = cookie(&headers, SESSION_COOKIE) {
        let _ = auth::logout(&st.store, &t).await;
    }
    if let Some(b) = &web.binding {
        let _ = redline_store::web::flash::forget(&st.store, &flash_key(b)).await;
    }
    with_cookie(see_other("/"), format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attrs(&st.keys)))
}

/// `/lang/zh` or `/lang/en`: remembers the choice (cookie and, if signed in, the
/// account) and returns to the page the link was on.
async fn set_lang(State(st): State<AppState>, v: Visitor, Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&lang).code();
    if let Some(a) = v.actor {
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

/// `POST /do/register`: the answer is the same whether or not the address
/// already has an account; what happens next is in the mail.
async fn register(
    State(st): State<AppState>,
    web: Web,
    CookieLang(lang): CookieLang,
    f: Fields,
) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("register", "/register", lang);
    let mut e = Errors::default();
    let name = f.get("name");
    if name.is_empty() || name.chars().count() > 60 {
        e.add("name", "请填写姓名（60字以内）", "Give your name (up to 60 characters)");
    }
    if !f.get("email").validate_email() {
        e.add("email", "邮箱格式不正确", "That is not a valid email address");
    }
    // The password as typed: not trimmed.
    let pw = f.0.get("password").and_then(|v| v.first()).cloned().unwrap_or_default();
    if pw.chars().count() < 10 || pw.len() > 256 {
        e.add("password", "密码至少10位", "The password needs 10 characters or more");
    }
    e.into_result().map_err(|e| page.refuse(&f, e))?;
    let key = format!("register:{}", web.client);
    if let Ok(Err(wait)) =
        redline_store::web::ratelimit::hit(s, &key, REGISTRATIONS_PER_ADDRESS_HOUR, chrono::Duration::hours(1)).await
    {
        let mins = minutes(wait);
        return Err(page.refuse(
            &f,
            FieldError::form(
                format!("提交过于频繁，请约 {mins} 分钟后再试"),
                format!("Too many attempts from here; please try again in about {mins} minutes"),
            ),
        ));
    }
    let link = email_links::request_registration(s, f.get("email"), name, &pw, lang.code()).await.map_err(|err| {
        tracing::error!(error = %err, "registration failed");
        page.refuse(&f, FieldError::form("暂时无法注册，请稍后再试", "Registration is unavailable; please retry"))
    })?;
    show_link_without_mail(&st, link);
    let email = auth::normalize_email(f.get("email"));
    let msg = lang
        .t(
            &format!("我们已向 {email} 发送了一封邮件，请按邮件中的说明继续（链接24小时内有效）。"),
            &format!("We sent an email to {email}; follow it to continue (the link works for 24 hours)."),
        )
        .to_owned();
    // The sign-in form this returns to keeps where the person was going.
    let mut kept = vec![("email".into(), email)];
    if let Some(next) = app::view::local_path(f.get("next")) {
        kept.push(("next".into(), next.to_owned()));
    }
    let kept = Fields::from_pairs(kept);
    Ok(keep_and_return("login", "/login", &kept, [("notice".to_owned(), msg)].into()))
}

/// `POST /do/welcome/{token}`: takes a registration or invitation link.
async fn welcome(
    State(st): State<AppState>,
    CookieLang(lang): CookieLang,
    Path(token): Path<String>,
    f: Fields,
) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("welcome", email_links::link_path(&token), lang);
    let pw = f.0.get("password").and_then(|v| v.first()).cloned().unwrap_or_default();
    let user_id = email_links::accept(s, &token, f.get("name"), &pw).await.map_err(|e| {
        page.refuse(
            &f,
            match e {
                AcceptError::Invalid => {
                    FieldError::form("此链接无效、已使用或已过期", "This link is invalid, used or expired")
                }
                AcceptError::Password => {
                    FieldError::new("password", "密码至少10位", "The password needs 10 characters or more")
                }
                AcceptError::Name => {
                    FieldError::new("name", "请填写姓名（60字以内）", "Give your name (up to 60 characters)")
                }
                AcceptError::Store(err) => {
                    tracing::error!(error = %err, "taking a link failed");
                    FieldError::form("暂时无法处理，请稍后再试", "This could not be done now; please retry")
                }
            },
        )
    })?;
    let Ok(session) = auth::open_session(s, user_id).await else { return Ok(see_other("/login")) };
    let a = auth::actor_for_user(s, user_id).await.ok().flatten();
    Ok(with_cookie(see_other(a.as_ref().map_or("/", home_of)), session_cookie(&st.keys, &session)))
}
