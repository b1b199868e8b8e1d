//! Page layout and widgets shared by every role.
pub mod account;
pub mod admin;
pub mod alerts;
pub mod case;
pub mod case_actions;
pub mod case_progress;
pub mod case_timeline;
pub mod consumer;
pub mod desk;
pub mod desk_charts;
pub mod dispute;
pub mod evidence;
pub mod integrations;
pub mod notices;
pub mod parties;
pub mod public;
pub mod rating;
pub mod records;
pub mod search;
pub mod staff;
pub mod streams;
pub mod tips;
pub mod transparency;
pub mod unreachable;

use crate::i18n::Lang;
use crate::view::{Ctx, FormFlash, Loaded};
use leptos::prelude::*;
use redline_rules::case::Role;

/// Header with role navigation, language switch and sign-in state.
/// An unread count as shown: the store counts at most 100
/// (`notices::inbox::UNREAD_SHOWN`), so 100 reads "99+".
pub fn unread_count(n: u64) -> String {
    if n >= 100 {
        "99+".to_owned()
    } else {
        n.to_string()
    }
}

#[component]
pub fn Layout(ctx: Ctx, children: Children) -> impl IntoView {
    let lang = ctx.lang;
    let nav = ctx.me.as_ref().map(|me| {
        // Staff accounts work for an organisation: their menu is their work,
        // not a consumer's complaint links.
        let staff = me.roles.iter().any(|r| !matches!(r, Role::Consumer));
        me.roles
            .iter()
            .filter_map(|r| match r {
                Role::Consumer if staff => None,
                Role::Consumer => Some(
                    view! {
                        <a href="/me/cases">{lang.t("我的投诉", "My cases")}</a>
                        <a href="/me/new">{lang.t("我要投诉", "File a complaint")}</a>
                        <a href="/me/tips">{lang.t("我的举报", "My tips")}</a>
                    }
                    .into_any(),
                ),
                Role::Operator => {
                    Some(view! { <a href="/operator">{lang.t("运营者收件箱", "Operator inbox")}</a> }.into_any())
                }
                Role::Platform => Some(
                    view! {
                        <a href="/platform">{lang.t("平台处理", "Platform queue")}</a>
                        <a href="/desk">{lang.t("监测台", "Desk")}</a>
                        <a href="/platform/tips">{lang.t("举报处置", "Reports")}</a>
                        <a href="/alerts" class="alerts-link">{lang.t("集中投诉", "Clusters")}</a>
                        <a href="/platform/sessions">{lang.t("直播场次", "Sessions")}</a>
                        <a href="/platform/parties">{lang.t("运营者与主播", "Parties")}</a>
                        <a href="/platform/settings">{lang.t("时限设置", "Time limits")}</a>
                    }
                    .into_any(),
                ),
                Role::Regulator => Some(
                    view! {
                        <a href="/regulator">{lang.t("监管队列", "Regulator queue")}</a>
                        <a href="/desk">{lang.t("监测台", "Desk")}</a>
                        <a href="/regulator/tips">{lang.t("举报核查", "Tips")}</a>
                        <a href="/alerts" class="alerts-link">{lang.t("集中投诉", "Clusters")}</a>
                        <a href="/regulator/late-reports">{lang.t("迟报", "Late reports")}</a>
                        <a href="/regulator/disputes">{lang.t("管辖争议", "Disputes")}</a>
                    }
                    .into_any(),
                ),
                Role::Admin => Some(
                    view! {
                        <a href="/admin">{lang.t("用户管理", "Users")}</a>
                        <a href="/admin/narratives">{lang.t("公开内容审核", "Narratives")}</a>
                    }
                    .into_any(),
                ),
                _ => None,
            })
            .collect_view()
    });
    let org =
        ctx.me.as_ref().filter(|m| m.manages).map(|_| view! { <a href="/org">{lang.t("本机构人员", "Our staff")}</a> });
    let integrations = ctx.me.as_ref().filter(|m| m.integrates).map(|_| {
        view! { <a href="/org/integrations">{lang.t("接口与Webhook", "API and webhooks")}</a> }
    });
    let other = match lang {
        Lang::Zh => ("en", "English"),
        Lang::En => ("zh", "中文"),
    };
    view! {
        <header class="top">
            <a class="brand" href="/">"Redline · " {lang.t("直播电商投诉与纠纷处理平台", "Live-commerce complaints")}</a>
            // On phones the links fold behind 菜单: a checkbox opens them, so no script is needed.
            <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label=lang.t("菜单", "Menu")/>
            <label for="nav-toggle" class="nav-button" aria-hidden="true">{lang.t("菜单", "Menu")}</label>
            <nav aria-label=lang.t("主菜单", "Main menu")>{nav}{org}{integrations}
                {ctx.me.is_some().then(|| view! { <a href="/search" id="search-link">{lang.t("检索", "Search")}</a> })}
                <a href="/tips/new" id="tip-link">{lang.t("举报", "Report")}</a></nav>
            <div class="who">
                <a class="lang" rel="external" href=format!("/lang/{}", other.0) id="lang-switch">{other.1}</a>
                {match ctx.me.clone() {
                    Some(me) => view! {
                        <a href="/notifications" id="notices-link">{
                            let label = lang.t("通知", "Notifications");
                            if me.unread > 0 { format!("{label} ({})", unread_count(me.unread)) } else { label.to_owned() }
                        }</a>
                        <a class="me" href="/account" id="account-link">{me.name}</a>
                        <form method="post" action="/do/logout" class="inline">
                            <input type="hidden" name="csrf" value=ctx.csrf.clone()/>
                            <button type="submit" class="link">{lang.t("退出", "Sign out")}</button>
                        </form>
                    }.into_any(),
                    None => view! {
                        <a href="/login">{lang.t("登录", "Sign in")}</a>
                        <a href="/register">{lang.t("注册", "Register")}</a>
                    }.into_any(),
                }}
            </div>
        </header>
        <div class="page">{children()}</div>
    }
}

/// The session's CSRF token, provided to page bodies by [`framed`].
#[derive(Clone)]
pub struct Csrf(pub String);

/// The hidden CSRF field every posting form starts with (first, so a multipart
/// post is checked before any file is read).
pub fn csrf_field() -> impl IntoView {
    let token = use_context::<Csrf>().map(|c| c.0).unwrap_or_default();
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// A labelled text input that keeps its typed value and shows its error.
pub fn text_input(f: &FormFlash, name: &'static str, label: String, max: usize) -> impl IntoView {
    view! {
        <label>{label}<input type="text" name=name maxlength=max.to_string() value=f.value(name)/></label>
        {field_error(f, name)}
    }
}

/// A field error under an input, if any.
pub fn field_error(flash: &FormFlash, key: &str) -> impl IntoView {
    flash.error(key).map(|e| {
        view! { <p class="field-error" id=format!("err-{key}") data-field=key.to_owned() role="alert">{e}</p> }
    })
}

/// The form-level message inside a form that has the error summary: a copy
/// of a field's message (a refusal repeats its first problem at the top for
/// pages without a summary) is already listed there, so it is not repeated.
pub fn form_error(flash: &FormFlash) -> impl IntoView {
    (!flash.form_error_is_a_copy()).then(|| field_error(flash, "form"))
}

/// What a form's last post did, said once after it ("已保存").
pub fn notice(flash: &FormFlash) -> impl IntoView {
    flash.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })
}

/// Every problem of a refused form at its top, each linked to its field's
/// message, focused on arrival (`autofocus`, no script needed).
pub fn error_summary(lang: Lang, flash: &FormFlash) -> impl IntoView {
    let copy = flash.form_error_is_a_copy();
    let mut keys: Vec<&String> = flash.errors.keys().filter(|k| *k != "notice" && !(copy && *k == "form")).collect();
    keys.sort();
    (!keys.is_empty()).then(|| {
        let items = keys
            .into_iter()
            .map(|k| {
                let msg = flash.errors[k].clone();
                if k == "form" {
                    view! { <li>{msg}</li> }.into_any()
                } else {
                    view! { <li><a href=format!("#err-{k}")>{msg}</a></li> }.into_any()
                }
            })
            .collect_view();
        view! {
            <div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus=true>
                <p>{lang.t("请修改以下内容后再提交：", "Please correct the following:")}</p>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// The `aria-describedby` of an input whose field has an error: screen
/// readers read the message with the field.
pub fn described_by(flash: &FormFlash, key: &str) -> Option<String> {
    flash.error(key).map(|_| format!("err-{key}"))
}

/// A choice list that starts on "please choose" and keeps what was chosen
/// after a refusal: a form sent back never changes a choice by itself.
pub fn choice(lang: Lang, f: &FormFlash, name: &'static str, options: Vec<(String, String)>) -> impl IntoView {
    let chosen = f.value(name);
    let none = chosen.is_empty() || !options.iter().any(|(v, _)| *v == chosen);
    let items = options
        .into_iter()
        .map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <select name=name aria-describedby=described_by(f, name)>
            <option value="" selected=none disabled=true>{lang.t("请选择", "Choose")}</option>
            {items}
        </select>
    }
}

/// The error shown instead of a page's content.
/// A page that cannot be shown: its HTTP status set, and a way on that fits
/// (sign in or register when not signed in; home otherwise).
pub fn refusal(lang: Lang, r: crate::view::Refused) -> AnyView {
    #[cfg(feature = "ssr")]
    {
        if let (Some(resp), Ok(status)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(r.status))
        {
            resp.set_status(status);
        }
    }
    let way_on = if r.status == 401 {
        // Back to this page after signing in (or registering).
        let next = current_path().map(|p| format!("?next={}", crate::view::urlencode(&p))).unwrap_or_default();
        view! {
            <p><a href=format!("/login{next}")>{lang.t("登录", "Sign in")}</a>" · "<a href=format!("/register{next}")>{lang.t("注册", "Register")}</a></p>
        }
        .into_any()
    } else {
        view! { <p><a href="/">{lang.t("返回首页", "Home")}</a></p> }.into_any()
    };
    view! {
        <div class="refusal" data-status=r.status.to_string()>
            <p>{r.message}</p>
            {way_on}
        </div>
    }
    .into_any()
}

/// The path (and query) of the page being rendered, when it is one of ours.
fn current_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let p = parts.uri.path_and_query()?.as_str().to_owned();
        crate::view::local_path(&p).map(str::to_owned)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

pub fn loading() -> impl IntoView {
    view! { <p class="loading">"…"</p> }
}

/// Any path that is no page: 404, in the reader's language, in the frame.
#[component]
pub fn NotFound() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async {
            crate::api::page_ctx(None).await.map(|l| {
                let message = l.ctx.lang.t("页面不存在", "There is no such page").to_owned();
                Loaded::<FormFlash> { ctx: l.ctx, data: Err(crate::view::Refused::not_found(message)) }
            })
        },
    );
    framed(data, None, |_, _| ().into_any())
}

pub fn role_label(lang: Lang, r: Role) -> &'static str {
    lang.t(r.label_zh(), r.label_en())
}

/// "N working days left, due YYYY-MM-DD" (or overdue / paused / stopped).
/// A citation as the reader writes it (《…》第二十条, or Order 117 Art. 20).
pub fn cite(lang: Lang, c: &str) -> String {
    if lang.is_zh() {
        redline_rules::citation::zh(c)
    } else {
        redline_rules::citation::en(c)
    }
}

pub fn clock_text(lang: Lang, c: &crate::view::ClockView) -> String {
    use redline_rules::clock::ClockStatus;
    let unit = if c.working { lang.t("个工作日", " working days") } else { lang.t("天", " days") };
    match c.status {
        ClockStatus::Running if c.overdue => match lang {
            Lang::Zh => format!("已逾期（{}届满）", c.due_on),
            Lang::En => format!("overdue (was due {})", c.due_on),
        },
        ClockStatus::Running => match lang {
            Lang::Zh => format!("剩余{}{}，{}届满", c.remaining, unit, c.due_on),
            Lang::En => format!("{}{} left, due {}", c.remaining, unit, c.due_on),
        },
        ClockStatus::Paused => lang.t("已暂停", "paused").to_owned(),
        ClockStatus::Stopped => lang.t("已停止", "stopped").to_owned(),
        ClockStatus::Expired => lang.t("已届满未处理", "expired").to_owned(),
    }
}

/// The frame of every page: waits for the page's data (rendered on the server
/// in full, so pages work without JavaScript), then shows the header and either
/// the body or the localized refusal. `title` is (zh, en), or None when the body
/// has its own heading.
pub fn framed<T, F>(
    data: Resource<Result<Loaded<T>, ServerFnError>>,
    title: Option<(&'static str, &'static str)>,
    body: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(Lang, T) -> AnyView + Clone + Send + Sync + 'static,
{
    framed_titled(data, title, |_, _| None, body)
}

/// `framed` for a page whose `<title>` names what it shows (a case, a room, a
/// tip), so tabs and history tell pages apart.
pub fn framed_titled<T, N, F>(
    data: Resource<Result<Loaded<T>, ServerFnError>>,
    title: Option<(&'static str, &'static str)>,
    name: N,
    body: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    N: Fn(Lang, &T) -> Option<String> + Clone + Send + Sync + 'static,
    F: Fn(Lang, T) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=loading>
            {move || {
                let (body, name) = (body.clone(), name.clone());
                Suspend::new(async move {
                    let l = match data.await {
                        Ok(l) => l,
                        Err(_) => return view! { <p class="refusal">"服务暂时不可用 / Service unavailable"</p> }.into_any(),
                    };
                    let lang = l.ctx.lang;
                    provide_context(Csrf(l.ctx.csrf.clone()));
                    let html_lang = if lang.is_zh() { "zh-CN" } else { "en" };
                    let page_title = match (&l.data, title) {
                        (Err(_), _) => lang.t("无法显示", "Cannot be shown").to_owned(),
                        (Ok(d), t) => match (name(lang, d), t) {
                            (Some(n), _) => n,
                            (None, Some((zh, en))) => lang.t(zh, en).to_owned(),
                            (None, None) => lang.t("直播电商投诉与纠纷处理平台", "Live-commerce complaints").to_owned(),
                        },
                    };
                    let content = match l.data {
                        Ok(d) => body(lang, d),
                        Err(e) => refusal(lang, e),
                    };
                    view! {
                        <leptos_meta::Html {..} lang=html_lang/>
                        <leptos_meta::Title text=format!("{page_title} · Redline")/>
                        <Layout ctx=l.ctx>
                            {title.map(|(zh, en)| view! { <h1>{lang.t(zh, en)}</h1> })}
                            {content}
                        </Layout>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}
