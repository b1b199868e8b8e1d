//! The administrator's staff lists: inviting a person to a platform, operator
//! or agency (`/do/admin/grant`).
use super::account::show_link_without_mail;
use crate::parse::{Errors, Fields};
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_store::account::{auth, email_links};
use validator::ValidateEmail;

pub fn routes() -> Router<AppState> {
    Router::new().route("/do/admin/grant", post(grant))
}

/// `POST /do/admin/grant`: invites a person. The membership exists only once
/// they take the mailed link; an address that already has an account is named
/// to the administrator.
async fn grant(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    f: Fields,
) -> Result<Response, FormError> {
    let s = &st.store;
    let page = FormPage::new("admin", "/admin", lang).with_summary();
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
    e.into_result().map_err(|e| page.refuse(&f, e))?;
    let (kind, id) = org.expect("checked above");
    let email = auth::normalize_email(f.get("email"));
    let inv = email_links::invite(s, &a, &email, f.get("name"), &kind, id).await.map_err(|e| page.refuse(&f, e))?;
    show_link_without_mail(&st, Some(inv.link));
    let mut msg = lang
        .t(
            &format!("已向 {email} 发送邀请链接（7天内有效）。"),
            &format!("An invitation was sent to {email} (valid 7 days)."),
        )
        .to_owned();
    if let Some(since) = inv.existing_since {
        let day = since.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d");
        msg.push_str(lang.t(
            &format!("注意：该邮箱已有账号（{day} 注册）。只有能收取该邮箱邮件的人才能接受邀请；接受时须设置新密码，该账号原有的所有登录将失效。"),
            &format!("Note: this address already has an account (registered {day}). Only whoever reads this mailbox can accept; accepting sets a new password and signs the account out everywhere."),
        ));
    }
    Ok(keep_and_return("admin", "/admin", &Fields::default(), [("notice".to_owned(), msg)].into()))
}
