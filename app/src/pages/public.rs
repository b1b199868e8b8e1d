//! Pages anyone can open: home, sign-in and registration.
use super::{field_error, framed};
use crate::api::page_ctx;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let data = Resource::new(|| (), |_| page_ctx(None));
    framed(data, None, |lang, _flash| {
        view! {
            <section class="hero">
                <h1>{lang.t("直播电商投诉与纠纷处理平台", "Complaints and disputes for live-stream e-commerce")}</h1>
                <p>{lang.t(
                    "依据《直播电商监督管理办法》（市场监管总局、国家网信办令第117号）与《市场监督管理投诉举报处理办法》（令第121号）：投诉锚定到直播间与直播时刻，依次流转至直播间运营者、平台，逾期或未解决的升级至市场监管部门，每一步都有法定或公示的时限。",
                    "Under SAMR/CAC Order 117 and SAMR Order 121: a complaint is pinned to a live room and a moment in the stream, routed to the live-room operator, then the platform, and escalated to market supervision when unresolved or overdue, each step on its own clock.")}</p>
                <p class="cta">
                    <a class="button" href="/me/new">{lang.t("我要投诉", "File a complaint")}</a>
                    <a rel="external" href="/api/v1/deadlines?start=2026-02-13&days=7&calendar=working">{lang.t("时限计算接口示例", "Deadline API example")}</a>
                </p>
            </section>
        }
        .into_any()
    })
}

#[component]
pub fn Login() -> impl IntoView {
    let data = Resource::new(|| (), |_| page_ctx(Some("login".into())));
    framed(data, Some(("登录", "Sign in")), |lang, f| {
        view! {
            {f.error("notice").map(|n| view! { <p class="notice" id="notice">{n}</p> })}
            <form method="post" action="/do/login" class="card narrow" id="login-form">
                {crate::pages::csrf_field()}
                {field_error(&f, "form")}
                <label>{lang.t("邮箱", "Email")}
                    <input type="email" name="email" required value=f.value("email") autocomplete="username"/></label>
                <label>{lang.t("密码", "Password")}
                    <input type="password" name="password" required autocomplete="current-password"/></label>
                <button type="submit">{lang.t("登录", "Sign in")}</button>
            </form>
            <p><a href="/register">{lang.t("没有账号？注册为消费者", "No account? Register as a consumer")}</a></p>
        }
        .into_any()
    })
}

#[component]
pub fn Register() -> impl IntoView {
    let data = Resource::new(|| (), |_| page_ctx(Some("register".into())));
    framed(data, Some(("注册消费者账号", "Register as a consumer")), |lang, f| {
        view! {
            <form method="post" action="/do/register" class="card narrow" id="register-form">
                {crate::pages::csrf_field()}
                {field_error(&f, "form")}
                <label>{lang.t("姓名", "Name")}
                    <input type="text" name="name" required maxlength="60" value=f.value("name")/></label>
                {field_error(&f, "name")}
                <label>{lang.t("邮箱", "Email")}
                    <input type="email" name="email" required value=f.value("email")/></label>
                {field_error(&f, "email")}
                <label>{lang.t("密码（至少10位）", "Password (10 characters or more)")}
                    <input type="password" name="password" required minlength="10" autocomplete="new-password"/></label>
                {field_error(&f, "password")}
                <button type="submit">{lang.t("注册", "Register")}</button>
            </form>
        }
        .into_any()
    })
}

/// A mailed link: confirm a registration, or accept an invitation.
#[component]
pub fn Welcome() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let data = Resource::new(token, crate::api::load_welcome);
    framed(data, None, |lang, w| {
        let f = w.flash.clone();
        let action = format!("/do/welcome/{}", w.token);
        match w.org {
            None => view! {
                <h1>{lang.t("完成注册", "Finish registering")}</h1>
                <form method="post" action=action class="card narrow" id="welcome-form">
                    {crate::pages::csrf_field()}
                    {field_error(&f, "form")}
                    <p>{w.email}</p>
                    <button type="submit">{lang.t("确认并登录", "Confirm and sign in")}</button>
                </form>
            }
            .into_any(),
            Some(org) => view! {
                <h1>{lang.t("接受邀请", "Accept the invitation")}</h1>
                <form method="post" action=action class="card narrow" id="welcome-form">
                    {crate::pages::csrf_field()}
                    {field_error(&f, "form")}
                    <p>{w.email}" → "{org}</p>
                    {w.account_exists.then(|| view! {
                        <p class="warn" id="reset-warning">{lang.t(
                            "该邮箱已有账号。接受邀请将为其设置新密码，该账号在所有设备上的登录都将失效。",
                            "This address already has an account. Accepting sets a new password for it and signs it out everywhere.")}</p>
                    })}
                    {(!w.account_exists).then(|| view! {
                        <label>{lang.t("姓名", "Name")}
                            <input type="text" name="name" maxlength="60" value={ let v = f.value("name"); if v.is_empty() { w.name.clone() } else { v } }/></label>
                        {field_error(&f, "name")}
                    })}
                    <label>{lang.t("设置密码（至少10位）", "Choose a password (10 characters or more)")}
                        <input type="password" name="password" required minlength="10" autocomplete="new-password"/></label>
                    {field_error(&f, "password")}
                    <button type="submit">{lang.t("接受并登录", "Accept and sign in")}</button>
                </form>
            }
            .into_any(),
        }
    })
}
