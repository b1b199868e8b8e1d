//! Pages anyone can open: home, sign-in and registration.
use super::{field_error, framed};
use crate::api::page_ctx;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::api::load_home());
    framed(data, None, |lang, platforms: Vec<(i64, String)>| {
        let step = |n: &'static str, zh: &'static str, en: &'static str, zh2: &'static str, en2: &'static str| {
            view! { <li><strong>{n}" "{lang.t(zh, en)}</strong><p>{lang.t(zh2, en2)}</p></li> }
        };
        // After `/do/account/delete` (PIPL Art. 47): say it is done.
        let deleted =
            leptos_router::hooks::use_query_map().with_untracked(|q| q.get("account").as_deref() == Some("deleted"));
        view! {
            {deleted.then(|| view! { <p class="notice" role="status" id="account-deleted">{lang.t("账户已注销：个人信息已删除，依法需保存的案卷在期满后删除。", "Account deleted: your personal data is gone; case files the law keeps go when their time ends.")}</p> })}
            <section class="hero">
                <h1>{lang.t("直播电商投诉与纠纷处理平台", "Complaints and disputes for live-stream e-commerce")}</h1>
                <p>{lang.t(
                    "在直播间买到货不对板、被虚假宣传误导？在这里投诉，指明哪个直播间、哪一刻说了什么，每一步由谁处理、最晚何时答复，都看得见。",
                    "Misled in a live stream? Complain here, naming the room and the moment; you see who handles each step and by when.")}</p>
                <ol class="how" id="how">
                    {step("1", "提交投诉", "File", "选择平台和直播间，指明直播中的时刻，上传截图或录屏。", "Pick the platform and room, point to the moment in the stream, add screenshots or recordings.")}
                    {step("2", "经营者和平台处理", "The seller and the platform answer", "直播间运营者先答复；不满意或逾期的，平台介入处理。每一步都有时限，节假日和调休都已计入。", "The live-room operator answers first; if you are not satisfied, or it is late, the platform steps in. Each step has a deadline that counts holidays and make-up days.")}
                    {step("3", "市场监管部门调解", "Market supervision mediates", "仍未解决的，一键提交市场监管部门，受理后组织调解。", "Still unresolved? Send it to market supervision, which decides whether to accept it and then mediates.")}
                </ol>
                <p class="cta">
                    <a class="button" href="/me/new">{lang.t("我要投诉", "File a complaint")}</a>
                    <a class="button secondary" href="/tips/new">{lang.t("匿名举报", "Report anonymously")}</a>
                    <a class="button secondary" href="/me/cases">{lang.t("查询投诉进度", "Track my complaint")}</a>
                    <a href="/tips/status">{lang.t("查询举报进度", "Track a report")}</a>
                </p>
                // Public accountability: any room's figures and recent complaints, no sign-in.
                <form method="get" action="/rooms/find" class="card finder" id="room-lookup">
                    <label>{lang.t("查看直播间的投诉处理情况：平台", "How a room answers complaints: platform")}
                        <select name="platform">{platforms.iter().map(|(id, n)| view! { <option value=id.to_string()>{n.clone()}</option> }).collect_view()}</select></label>
                    <label>{lang.t("直播间号或链接", "Live room ID or link")}<input type="text" name="room" placeholder="XH-8801"/></label>
                    <button type="submit">{lang.t("查看", "Look")}</button>
                </form>
                <p class="explain">{lang.t(
                    "依据《直播电商监督管理办法》与《市场监督管理投诉举报处理办法》。平台和直播间运营者可通过接口（API）接入：",
                    "Under the Measures for the Supervision of Live-Stream E-Commerce and the Measures on Complaints and Reports. Platforms and operators connect through the API: ")}
                    <a href="/api/v1/docs" rel="external">{lang.t("接口文档", "API documentation")}</a></p>
            </section>
        }
        .into_any()
    })
}

#[component]
pub fn Login() -> impl IntoView {
    let q = leptos_router::hooks::use_query_map();
    let data = Resource::new(|| (), |_| page_ctx(Some("login".into())));
    framed(data, Some(("登录", "Sign in")), move |lang, f| {
        // Where to go after signing in: the query's, or the one kept with a refused form.
        let next = q.with_untracked(|m| m.get("next")).unwrap_or_else(|| f.value("next"));
        let next = crate::view::local_path(&next).unwrap_or_default().to_owned();
        let register = if next.is_empty() {
            "/register".to_owned()
        } else {
            format!("/register?next={}", crate::view::urlencode(&next))
        };
        view! {
            {f.error("notice").map(|n| view! { <p class="notice" id="notice">{n}</p> })}
            <form method="post" action="/do/login" class="card narrow" id="login-form">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &f)}
                {crate::pages::form_error(&f)}
                <input type="hidden" name="next" value=next/>
                <label>{lang.t("邮箱", "Email")}
                    <input type="email" name="email" required value=f.value("email") autocomplete="username"/></label>
                <label>{lang.t("密码", "Password")}
                    <input type="password" name="password" required autocomplete="current-password"/></label>
                <button type="submit">{lang.t("登录", "Sign in")}</button>
            </form>
            <p><a href=register>{lang.t("没有账号？注册为消费者", "No account? Register as a consumer")}</a></p>
        }
        .into_any()
    })
}

#[component]
pub fn Register() -> impl IntoView {
    let data = Resource::new(|| (), |_| page_ctx(Some("register".into())));
    let q = leptos_router::hooks::use_query_map();
    framed(data, Some(("注册消费者账号", "Register as a consumer")), move |lang, f| {
        let next = q.with_untracked(|m| m.get("next")).unwrap_or_else(|| f.value("next"));
        let next = crate::view::local_path(&next).unwrap_or_default().to_owned();
        view! {
            <form method="post" action="/do/register" class="card narrow" id="register-form">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &f)}
                {crate::pages::form_error(&f)}
                <input type="hidden" name="next" value=next/>
                <label>{lang.t("姓名", "Name")}
                    <input type="text" name="name" aria-describedby=super::described_by(&f, "name") required maxlength="60" value=f.value("name")/></label>
                {field_error(&f, "name")}
                <label>{lang.t("邮箱", "Email")}
                    <input type="email" name="email" aria-describedby=super::described_by(&f, "email") required value=f.value("email")/></label>
                {field_error(&f, "email")}
                <label>{lang.t("密码（至少10位）", "Password (10 characters or more)")}
                    <input type="password" name="password" aria-describedby=super::described_by(&f, "password") required minlength="10" autocomplete="new-password"/></label>
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
                    {crate::pages::error_summary(lang, &f)}
                    {crate::pages::form_error(&f)}
                    <p>{w.email}</p>
                    <button type="submit">{lang.t("确认并登录", "Confirm and sign in")}</button>
                </form>
            }
            .into_any(),
            Some(org) => view! {
                <h1>{lang.t("接受邀请", "Accept the invitation")}</h1>
                <form method="post" action=action class="card narrow" id="welcome-form">
                    {crate::pages::csrf_field()}
                    {crate::pages::error_summary(lang, &f)}
                    {crate::pages::form_error(&f)}
                    <p>{w.email}" → "{org}</p>
                    {w.account_exists.then(|| view! {
                        <p class="warn" id="reset-warning">{lang.t(
                            "该邮箱已有账号。接受邀请将为其设置新密码，该账号在所有设备上的登录都将失效。",
                            "This address already has an account. Accepting sets a new password for it and signs it out everywhere.")}</p>
                    })}
                    {(!w.account_exists).then(|| view! {
                        <label>{lang.t("姓名", "Name")}
                            <input type="text" name="name" aria-describedby=super::described_by(&f, "name") maxlength="60" value={ let v = f.value("name"); if v.is_empty() { w.name.clone() } else { v } }/></label>
                        {field_error(&f, "name")}
                    })}
                    <label>{lang.t("设置密码（至少10位）", "Choose a password (10 characters or more)")}
                        <input type="password" name="password" aria-describedby=super::described_by(&f, "password") required minlength="10" autocomplete="new-password"/></label>
                    {field_error(&f, "password")}
                    <button type="submit">{lang.t("接受并登录", "Accept and sign in")}</button>
                </form>
            }
            .into_any(),
        }
    })
}
