//! The administrator creates platforms and agencies and invites staff to any
//! organisation; an organisation's own administrators invite and manage their
//! colleagues (`/do/orgs/{kind}/{id}/…`).
use super::account::show_link_without_mail;
use crate::parse::{Errors, Fields};
use crate::web::extract::SignedIn;
use crate::web::form_error::{keep_and_return, FormError, FormPage};
use crate::web::respond::see_other;
use crate::AppState;
use axum::extract::Path;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use redline_rules::intake::org::{AgencyForm, NewAgency, NewPlatform, PlatformForm};
use redline_rules::Lang;
use redline_store::account::{auth, email_links, orgs};
use redline_store::actor::{ORG_AGENCY, ORG_OPERATOR, ORG_PLATFORM, ROLE_STAFF};
use redline_store::StoreError;
use validator::ValidateEmail;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/do/admin/grant", post(grant))
        .route("/do/admin/platforms", post(create_platform))
        .route("/do/admin/agencies", post(create_agency))
        .route("/do/orgs/{kind}/{org_id}/invite", post(org_invite))
        .route("/do/orgs/{kind}/{org_id}/members/{user_id}", post(set_member))
}

/// `POST /do/admin/grant`: invites a person. The membership exists only once
/// they take the mailed link; an address that already has an account is named
/// to the administrator.
async fn grant(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    f: Fields,
) -> Result<Response, FormError> {
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
    let msg = send_invitation(&st, &a, lang, &f, (&kind, id)).await.map_err(|e| page.refuse(&f, e))?;
    Ok(keep_and_return("admin", "/admin", &Fields::default(), [("notice".to_owned(), msg)].into()))
}

/// Invites the posted address to an organisation; the notice for the inviter.
async fn send_invitation(
    st: &AppState,
    a: &redline_store::Actor,
    lang: Lang,
    f: &Fields,
    org: (&str, i64),
) -> Result<String, StoreError> {
    let email = auth::normalize_email(f.get("email"));
    let role = if f.get("role").is_empty() { ROLE_STAFF } else { f.get("role") };
    let inv = email_links::invite(&st.store, a, &email, f.get("name"), org, role).await?;
    show_link_without_mail(st, Some(inv.link));
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
    Ok(msg)
}

/// `POST /do/admin/platforms`: the administrator creates a platform.
async fn create_platform(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("admin-platform", "/admin", lang).with_summary();
    let p = NewPlatform::try_from(PlatformForm {
        code: f.get("code"),
        name: f.get("name"),
        name_en: f.get("name_en"),
        credit_code: f.get("credit_code"),
        domicile_region: f.get("domicile_region"),
        domicile_address: f.get("domicile_address"),
    })
    .map_err(|e| page.refuse(&f, e))?;
    let row = orgs::create_platform(&st.store, &a, &p).await.map_err(|e| page.refuse(&f, e))?;
    let msg = lang
        .t(
            &format!("已创建平台：{}。可在下方邀请其工作人员。", row.name),
            &format!("Platform created: {}. Invite its staff below.", row.name_en),
        )
        .to_owned();
    Ok(keep_and_return("admin-platform", "/admin", &Fields::default(), [("notice".to_owned(), msg)].into()))
}

/// `POST /do/admin/agencies`: the administrator creates an agency.
async fn create_agency(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("admin-agency", "/admin", lang).with_summary();
    let ag = NewAgency::try_from(AgencyForm {
        name: f.get("name"),
        name_en: f.get("name_en"),
        kind: f.get("kind"),
        region: f.get("region"),
    })
    .map_err(|e| page.refuse(&f, e))?;
    let row = orgs::create_agency(&st.store, &a, &ag).await.map_err(|e| page.refuse(&f, e))?;
    let msg = lang
        .t(&format!("已创建：{}（{}）。", row.name, row.level), &format!("Created: {} ({}).", row.name_en, row.level))
        .to_owned();
    Ok(keep_and_return("admin-agency", "/admin", &Fields::default(), [("notice".to_owned(), msg)].into()))
}

fn org_kind(kind: &str) -> Option<&'static str> {
    [ORG_PLATFORM, ORG_OPERATOR, ORG_AGENCY].into_iter().find(|k| *k == kind)
}

/// `POST /do/orgs/{kind}/{id}/invite`: an organisation's administrator invites a colleague.
async fn org_invite(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((kind, org_id)): Path<(String, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("org", "/org", lang).with_summary();
    let kind = org_kind(&kind).ok_or_else(|| page.refuse(&f, StoreError::NotFound))?;
    if !f.get("email").validate_email() {
        return Err(page.refuse(
            &f,
            redline_rules::FieldError::new("email", "邮箱格式不正确", "That is not a valid email address"),
        ));
    }
    let msg = send_invitation(&st, &a, lang, &f, (kind, org_id)).await.map_err(|e| page.refuse(&f, e))?;
    Ok(keep_and_return("org", "/org", &Fields::default(), [("notice".to_owned(), msg)].into()))
}

/// `POST /do/orgs/{kind}/{id}/members/{user_id}`: `role` = ADMIN, STAFF or REMOVE.
async fn set_member(
    State(st): State<AppState>,
    SignedIn { actor: a, lang }: SignedIn,
    Path((kind, org_id, user_id)): Path<(String, i64, i64)>,
    f: Fields,
) -> Result<Response, FormError> {
    let page = FormPage::new("org", "/org", lang).with_summary();
    let kind = org_kind(&kind).ok_or_else(|| page.refuse(&f, StoreError::NotFound))?;
    let role = match f.get("role") {
        "REMOVE" => None,
        r => Some(r),
    };
    orgs::set_member(&st.store, &a, (kind, org_id), user_id, role).await.map_err(|e| page.refuse(&f, e))?;
    Ok(see_other("/org"))
}
