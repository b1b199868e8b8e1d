//! Accounts that start from an email: registration, staff invitations, and
//! taking the link either one mails (`/do/welcome/{token}`).
use crate::forms::{actor, back_with_errors, home_of, is_zh, see_other, session_cookie, with_cookie};
use crate::parse::{Errors, Fields};
use crate::security::Web;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use redline_store::account::auth;
use redline_store::account::email_links::{self, AcceptError};
use redline_store::StoreError;
use validator::ValidateEmail;

type Pairs = Form<Vec<(String, String)>>;

/// Registrations one client address may ask for an hour.
const REGISTRATIONS_PER_ADDRESS_HOUR: i32 = 10;

fn notice(msg: String) -> std::collections::HashMap<String, String> {
    [("notice".to_owned(), msg)].into()
}

/// A demo installation without mail prints the link, so `./dev run` works.
fn show_link_without_mail(st: &AppState, link: Option<String>) {
    if let (Some(link), None, true) = (link, &st.config.smtp_url, st.config.seed_demo) {
        tracing::warn!(link = %link, "no mail server configured (demo): open this link to continue");
    }
}

/// `POST /do/register`: the answer is the same whether or not the address
/// already has an account; what happens next is in the mail.
pub async fn register(State(st): State<AppState>, web: Web, headers: HeaderMap, Form(pairs): Pairs) -> Response {
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
        return back_with_errors(s, &web, "register", "/register", &f, e.localized(zh)).await;
    }
    let hour = chrono::Duration::hours(1);
    let key = format!("register:{}", web.client);
    if let Ok(Err(wait)) = redline_store::web::ratelimit::hit(s, &key, REGISTRATIONS_PER_ADDRESS_HOUR, hour).await {
        let mins = (wait.num_seconds() + 59) / 60;
        let msg = if zh {
            format!("提交过于频繁，请约 {mins} 分钟后再试")
        } else {
            format!("Too many attempts from here; please try again in about {mins} minutes")
        };
        return back_with_errors(s, &web, "register", "/register", &f, [("form".to_owned(), msg)].into()).await;
    }
    let locale = if zh { "zh" } else { "en" };
    match email_links::request_registration(s, f.get("email"), name, &pw, locale).await {
        Ok(link) => {
            show_link_without_mail(&st, link);
            let email = auth::normalize_email(f.get("email"));
            let msg = if zh {
                format!("我们已向 {email} 发送了一封邮件，请按邮件中的说明继续（链接24小时内有效）。")
            } else {
                format!("We sent an email to {email}; follow it to continue (the link works for 24 hours).")
            };
            let kept = Fields::from_pairs(vec![("email".into(), email)]);
            back_with_errors(s, &web, "login", "/login", &kept, notice(msg)).await
        }
        Err(err) => {
            tracing::error!(error = %err, "registration failed");
            let msg =
                if zh { "暂时无法注册，请稍后再试" } else { "Registration is unavailable; please retry" };
            back_with_errors(s, &web, "register", "/register", &f, [("form".to_owned(), msg.to_owned())].into()).await
        }
    }
}

/// `POST /do/welcome/{token}`: takes a registration or invitation link.
pub async fn welcome(
    State(st): State<AppState>,
    web: Web,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(pairs): Pairs,
) -> Response {
    let s = &st.store;
    let f = Fields::from_pairs(pairs);
    let zh = is_zh(&headers, None);
    let back = email_links::link_path(&token);
    let pw = f.0.get("password").and_then(|v| v.first()).cloned().unwrap_or_default();
    match email_links::accept(s, &token, f.get("name"), &pw).await {
        Ok(user_id) => {
            let Ok(session) = auth::open_session(s, user_id).await else { return see_other("/login") };
            let a = auth::actor_for_user(s, user_id).await.ok().flatten();
            let to = a.as_ref().map_or("/", home_of);
            with_cookie(see_other(to), session_cookie(&st.keys, &session))
        }
        Err(e) => {
            let (field, z, en) = match e {
                AcceptError::Invalid => ("form", "此链接无效、已使用或已过期", "This link is invalid, used or expired"),
                AcceptError::Password => ("password", "密码至少10位", "The password needs 10 characters or more"),
                AcceptError::Name => ("name", "请填写姓名（60字以内）", "Give your name (up to 60 characters)"),
                AcceptError::Store(err) => {
                    tracing::error!(error = %err, "taking a link failed");
                    ("form", "暂时无法处理，请稍后再试", "This could not be done now; please retry")
                }
            };
            let msg = if zh { z } else { en };
            back_with_errors(s, &web, "welcome", &back, &f, [(field.to_owned(), msg.to_owned())].into()).await
        }
    }
}

/// `POST /do/admin/grant`: invites a person to a platform, operator or
/// agency. The membership exists only once they take the mailed link; an
/// address that already has an account is named to the administrator.
pub async fn grant(State(st): State<AppState>, web: Web, headers: HeaderMap, Form(pairs): Pairs) -> Response {
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
    if f.get("name").chars().count() > 60 {
        e.add("name", "姓名不超过60字", "A name has up to 60 characters");
    }
    if !e.is_empty() {
        return back_with_errors(s, &web, "admin", "/admin", &f, e.localized_with_summary(zh)).await;
    }
    let (kind, id) = org.expect("checked above");
    let email = auth::normalize_email(f.get("email"));
    match email_links::invite(s, &a, &email, f.get("name"), &kind, id).await {
        Ok(inv) => {
            show_link_without_mail(&st, Some(inv.link));
            let mut msg = if zh {
                format!("已向 {email} 发送邀请链接（7天内有效）。")
            } else {
                format!("An invitation was sent to {email} (valid 7 days).")
            };
            if let Some(since) = inv.existing_since {
                let day = since.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d");
                msg.push_str(&if zh {
                    format!("注意：该邮箱已有账号（{day} 注册）。只有能收取该邮箱邮件的人才能接受邀请；接受时须设置新密码，该账号原有的所有登录将失效。")
                } else {
                    format!("Note: this address already has an account (registered {day}). Only whoever reads this mailbox can accept; accepting sets a new password and signs the account out everywhere.")
                });
            }
            back_with_errors(s, &web, "admin", "/admin", &Fields::default(), notice(msg)).await
        }
        Err(err) => {
            let msg = match err {
                StoreError::Invalid(_) => (if zh { "请选择机构" } else { "Choose an organisation" }).to_owned(),
                other => other.localized(zh),
            };
            back_with_errors(s, &web, "admin", "/admin", &f, [("form".to_owned(), msg)].into()).await
        }
    }
}
