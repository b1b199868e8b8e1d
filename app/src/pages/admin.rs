//! Admin page: staff accounts and their organisations.
use super::{field_error, framed};
use crate::api::load_admin;
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_admin());
    framed(data, Some(("用户与机构", "Users and organisations")), |lang, v| {
        let f = v.flash.clone();
        let rows = v
            .users
            .into_iter()
            .map(|u| {
                view! {
                    <tr><td>{u.email}</td><td>{u.name}</td>
                        <td>{u.is_admin.then(|| lang.t("管理员", "admin"))}" "{u.orgs.join("；")}</td></tr>
                }
            })
            .collect_view();
        let pending = !v.invitations.is_empty();
        let invitations = v
            .invitations
            .into_iter()
            .map(|(email, org, exists)| {
                let warn = exists.then(|| {
                    lang.t("该邮箱已有账号：接受时须重设密码", "An account exists: accepting resets its password")
                });
                view! { <tr><td>{email}</td><td>{org}</td><td class="warn">{warn}</td></tr> }
            })
            .collect_view();
        let orgs = v
            .orgs
            .into_iter()
            .map(|(val, label)| {
                let sel = f.value("org") == val;
                view! { <option value=val selected=sel>{label}</option> }
            })
            .collect_view();
        view! {
            <form method="post" action="/do/admin/grant" class="card narrow" id="grant-form">
                {crate::pages::csrf_field()}
                <h2>{lang.t("邀请工作人员", "Invite staff")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" id="notice">{n}</p> })}
                {field_error(&f, "form")}
                <label>{lang.t("邮箱", "Email")}<input type="email" name="email" required value=f.value("email")/></label>
                <label>{lang.t("所属机构", "Organisation")}<select name="org">{orgs}</select></label>
                <p class="explain">{lang.t("邀请链接发送到该邮箱；只有打开链接的人才能加入，并自行设置密码。", "The invitation goes to this address; only whoever opens the link joins, and sets their own password.")}</p>
                <label>{lang.t("姓名（可选）", "Name (optional)")}<input type="text" name="name" maxlength="60" value=f.value("name")/></label>
                <button type="submit">{lang.t("发送邀请", "Send invitation")}</button>
            </form>
            {pending.then(|| view! {
                <h2>{lang.t("待接受的邀请", "Pending invitations")}</h2>
                <table class="queue" id="invitations">
                    <thead><tr><th>{lang.t("邮箱", "Email")}</th><th>{lang.t("机构", "Organisation")}</th><th></th></tr></thead>
                    <tbody>{invitations}</tbody>
                </table>
            })}
            <h2>{lang.t("用户", "Users")}</h2>
            <table class="queue" id="users">
                <thead><tr><th>{lang.t("邮箱", "Email")}</th><th>{lang.t("姓名", "Name")}</th><th>{lang.t("角色与机构", "Roles")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }.into_any()
    })
}
