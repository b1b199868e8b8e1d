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
                <h2>{lang.t("添加工作人员", "Add staff")}</h2>
                {field_error(&f, "form")}
                <label>{lang.t("邮箱", "Email")}<input type="email" name="email" required value=f.value("email")/></label>
                <label>{lang.t("所属机构", "Organisation")}<select name="org">{orgs}</select></label>
                <p class="explain">{lang.t("新账号需填写姓名和初始密码（至少10位）；已有账号只需邮箱。", "A new account needs a name and an initial password (10+ characters); an existing one only the email.")}</p>
                <label>{lang.t("姓名", "Name")}<input type="text" name="name" value=f.value("name")/></label>
                <label>{lang.t("初始密码", "Initial password")}<input type="password" name="password" autocomplete="new-password"/></label>
                <button type="submit">{lang.t("添加", "Add")}</button>
            </form>
            <table class="queue" id="users">
                <thead><tr><th>{lang.t("邮箱", "Email")}</th><th>{lang.t("姓名", "Name")}</th><th>{lang.t("角色与机构", "Roles")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }.into_any()
    })
}
