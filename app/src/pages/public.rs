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
            <form method="post" action="/do/login" class="card narrow" id="login-form">
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
