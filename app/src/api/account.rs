//! Pages of the account and the administrator: the header context, staff
//! lists, mailed links and notifications.
#[cfg(feature = "ssr")]
use super::ssr;
use crate::view::*;
use leptos::prelude::*;

/// The header context alone (home page, sign-in pages).
#[server]
pub async fn page_ctx(form: Option<String>) -> Result<Loaded<FormFlash>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let flash = match form {
        Some(f) => ssr::take_flash(&store, &key, &f).await,
        None => FormFlash::default(),
    };
    Ok(Loaded { ctx, data: Ok(flash) })
}

/// The home page: the platforms, for looking a room up.
#[server]
pub async fn load_home() -> Result<Loaded<Vec<(i64, String)>>, ServerFnError> {
    let (store, ctx, _actor, _) = ssr::caller().await?;
    let platforms = ssr::platform_choices(&store, ctx.lang).await?;
    Ok(Loaded { ctx, data: Ok(platforms) })
}

/// Users and organisations, for admins.
#[server]
pub async fn load_admin() -> Result<Loaded<AdminView>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| a.is_admin) else {
        return Ok(Loaded { ctx, data: Err(lang.t("仅管理员可访问", "Admins only").into()) });
    };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let orgs = redline_store::account::admin::organisations(&store).await.map_err(err)?;
    let label = |kind: &str| match kind {
        "platform" => lang.t("平台", "Platform"),
        "operator" => lang.t("直播间运营者", "Operator"),
        _ => lang.t("监管部门", "Agency"),
    };
    let name_of = |kind: &str, id: i64| {
        orgs.iter()
            .find(|o| o.kind == kind && o.id == id)
            .map(|o| format!("{}：{}", label(kind), o.name))
            .unwrap_or_default()
    };
    let users = redline_store::account::admin::users(&store, &actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|r| AdminUser {
            email: r.user.email,
            name: r.user.display_name,
            is_admin: r.user.is_admin,
            orgs: r.orgs.iter().map(|(k, id)| name_of(k, *id)).collect(),
        })
        .collect();
    let org_options =
        orgs.iter().map(|o| (format!("{}:{}", o.kind, o.id), format!("{}：{}", label(o.kind), o.name))).collect();
    let invitations = redline_store::account::email_links::pending_invitations(&store, &actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|(l, exists)| {
            let org = name_of(l.org_kind.as_deref().unwrap_or_default(), l.org_id.unwrap_or_default());
            (l.email, org, exists)
        })
        .collect();
    let [flash, platform_flash, agency_flash]: [FormFlash; 3] =
        ssr::take_flashes(&store, &key, &["admin", "admin-platform", "admin-agency"]).await.try_into().expect("three");
    Ok(Loaded {
        ctx,
        data: Ok(AdminView { users, orgs: org_options, invitations, flash, platform_flash, agency_flash }),
    })
}

/// The page of a mailed link (registration or invitation), before it is taken.
#[server]
pub async fn load_welcome(token: String) -> Result<Loaded<WelcomeView>, ServerFnError> {
    let (store, ctx, _actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let Some((l, exists)) = redline_store::account::email_links::open(&store, &token).await.map_err(err)? else {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("此链接无效、已使用或已过期", "This link is invalid, used or expired").into()),
        });
    };
    let org = match (&l.org_kind, l.org_id) {
        (Some(kind), Some(id)) => {
            Some(redline_store::account::admin::org_name(&store, kind, id).await.map_err(err)?.unwrap_or_default())
        }
        // The site's administrator chooses a password like an invited colleague.
        _ if l.purpose == redline_store::account::email_links::SITE_ADMIN => {
            Some(lang.t("Redline 系统管理员", "Redline administrator").to_owned())
        }
        _ => None,
    };
    let flash = ssr::take_flash(&store, &key, "welcome").await;
    Ok(Loaded {
        ctx,
        data: Ok(WelcomeView { token, email: l.email, name: l.name, org, account_exists: exists, flash }),
    })
}

/// The signed-in person's notifications.
#[server]
pub async fn load_notices() -> Result<Loaded<NoticesPage>, ServerFnError> {
    let (store, ctx, actor, _) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let rows = redline_store::notices::for_user(&store, actor.user_id, 100)
        .await
        .map_err(err)?
        .into_iter()
        .map(|n| NoticeRow {
            id: n.id,
            kind: n.kind,
            subject: n.subject.trim_start_matches("[Redline] ").to_owned(),
            link: n.link,
            at: ssr::local_time(n.created_at),
            read: n.read_at.is_some(),
            email: n.email_status,
        })
        .collect();
    let unread = redline_store::notices::unread(&store, actor.user_id).await.map_err(err)?;
    let mode = redline_store::account::auth::email_mode(&store, actor.user_id).await.unwrap_or_default();
    Ok(Loaded { ctx, data: Ok(NoticesPage { rows, unread, staff: actor.is_staff(), mode }) })
}

/// The organisations whose staff the caller manages (role ADMIN), with their members.
#[server]
pub async fn load_org_staff() -> Result<Loaded<OrgsPage>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.manages.is_empty()) else {
        return Ok(Loaded {
            ctx, data: Err(lang.t("仅机构管理员可访问", "Organisation administrators only").into())
        });
    };
    let err = |e: redline_store::StoreError| ServerFnError::new(e.to_string());
    let mut orgs = Vec::new();
    for (kind, id) in &actor.manages {
        let members = redline_store::account::orgs::members(&store, &actor, kind, *id)
            .await
            .map_err(err)?
            .into_iter()
            .map(|m| (m.user_id, m.email, m.name, m.role))
            .collect();
        let name = redline_store::account::admin::org_name(&store, kind, *id).await.map_err(err)?.unwrap_or_default();
        let log_subscribers = redline_store::transparency::subscribers::of_org(&store, kind, *id)
            .await
            .map_err(err)?
            .into_iter()
            .map(|s| (s.id, s.email))
            .collect();
        orgs.push(OrgStaff { kind: kind.clone(), id: *id, name, members, log_subscribers });
    }
    let flash = ssr::take_flash(&store, &key, "org").await;
    Ok(Loaded { ctx, data: Ok(OrgsPage { orgs, flash, me: actor.user_id }) })
}

/// The account page (PIPL Art. 47): what deletion erases and what it keeps.
#[server]
pub async fn load_account() -> Result<Loaded<AccountPageView>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor else { return Ok(Loaded { ctx, data: Err(ssr::not_signed_in(lang)) }) };
    let kept = redline_store::retention::account::what_stays(&store, &actor).await.map_err(ssr::corrupt)?;
    let flash = ssr::take_flash(&store, &key, "account-delete").await;
    let cases = kept
        .into_iter()
        .map(|k| KeptCaseView {
            state_zh: k.state.label_zh().to_owned(),
            state_en: k.state.label_en().to_owned(),
            open: !k.state.is_terminal(),
            case_no: k.case_no,
            retain_until: k.retain_until,
            held: k.legal_hold,
        })
        .collect();
    let page = AccountPageView { email: actor.email, name: actor.display_name, is_admin: actor.is_admin, cases, flash };
    Ok(Loaded { ctx, data: Ok(page) })
}

/// The jurisdiction disputes referred to the caller's agencies (Order 121 Art. 33).
#[server]
pub async fn load_disputes() -> Result<Loaded<DisputesPage>, ServerFnError> {
    let (store, ctx, actor, key) = ssr::caller().await?;
    let lang = ctx.lang;
    let Some(actor) = actor.filter(|a| !a.agency_ids.is_empty()) else {
        return Ok(Loaded {
            ctx,
            data: Err(lang.t("仅市场监管工作人员可访问", "Market supervision staff only").into()),
        });
    };
    let all = redline_store::case::queries::agencies(&store).await.map_err(ssr::corrupt)?;
    let name = |id: i64| {
        let a = all.iter().find(|a| a.id == id);
        (id, a.map(|a| if lang.is_zh() { a.name.clone() } else { a.name_en.clone() }).unwrap_or_default())
    };
    let rows = redline_store::case::dispute::referred_to(&store, &actor)
        .await
        .map_err(ssr::corrupt)?
        .into_iter()
        .map(|r| DisputeRow {
            id: r.dispute.id,
            case_no: r.case_no,
            raised_by: name(r.dispute.raised_by),
            other: name(r.dispute.other_agency),
            reason: r.dispute.reason,
            due_on: r.dispute.due_on,
            overdue: r.dispute.overdue,
            places: r
                .places
                .into_iter()
                .map(|(code, basis)| {
                    let (zh, en) = redline_store::jurisdiction::place_name(&code, &all);
                    (if lang.is_zh() { zh } else { en }, basis)
                })
                .collect(),
            designated: r.dispute.designated.map(|id| name(id).1),
        })
        .collect();
    let flash = ssr::take_flash(&store, &key, "disputes").await;
    Ok(Loaded { ctx, data: Ok(DisputesPage { rows, flash }) })
}
