//! The account page (我的账户): deleting the account (PIPL Art. 47). It says
//! plainly what goes at once and what stays, case by case, until when.
use super::{csrf_field, field_error, framed};
use crate::api::load_account;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_account());
    framed(data, Some(("我的账户", "My account")), |lang, page| {
        let f = &page.flash;
        let open = page.cases.iter().filter(|c| c.open).count();
        let rows = page
            .cases
            .iter()
            .map(|c| {
                let until = match (c.open, c.retain_until) {
                    (true, _) | (false, None) => lang.t("办结后保存三年", "three years after it closes").to_owned(),
                    (false, Some(d)) => format!("{}{}", lang.t("保存至 ", "until "), d.format("%Y-%m-%d")),
                };
                view! {
                    <tr data-case=c.case_no.clone()>
                        <td><a href=format!("/cases/{}", c.case_no)>{c.case_no.clone()}</a></td>
                        <td>{lang.t(&c.state_zh, &c.state_en).to_owned()}</td>
                        <td>{until}{c.held.then(|| lang.t("（法律保全中）", " (under legal hold)"))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card narrow" id="account">
                <p>{lang.t("邮箱：", "E-mail: ")}<span data-latin="">{page.email.clone()}</span></p>
                <p>{lang.t("姓名：", "Name: ")}{page.name.clone()}</p>
            </section>
            <section class="card" id="delete-account">
                <h2>{lang.t("注销账户", "Delete this account")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <p>{lang.t(
                    "注销后立即删除：登录信息、邮箱和姓名、通知、已公开的投诉经过（视为撤回同意），举报与账户的关联及联系方式。",
                    "Deleted at once: your sign-in, e-mail and name, notifications, published narratives (consent withdrawn), and the link between your tips and this account, with the contact they carry.",
                )}</p>
                <p>{lang.t(
                    "依法保留：您提交的每件投诉的案卷（含投诉人信息和证据）保存至结案后三年（《直播电商监督管理办法》第十六条），期满自动删除；监管部门法律保全的，保全解除后删除。",
                    "Kept as the law requires: the file of each complaint you filed (with your details and evidence) until three years after it closed (Order 117 Art. 16), then deleted; a file under a regulator's legal hold once the hold ends.",
                )}</p>
                {(!page.cases.is_empty()).then(|| view! {
                    <table class="kept-cases" id="kept-cases">
                        <thead><tr><th>{lang.t("投诉编号", "Case")}</th><th>{lang.t("状态", "State")}</th><th>{lang.t("案卷保存", "File kept")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })}
                {field_error(f, "form")}
                {match (page.is_admin, open) {
                    (true, _) => view! { <p class="explain">{lang.t("系统管理员账户不能自行注销。", "The site administrator's account cannot be deleted here.")}</p> }.into_any(),
                    (false, n) if n > 0 => view! { <p class="explain" id="open-cases">{format!("{}{}{}", lang.t("您还有 ", "You have "), n, lang.t(" 件未办结的投诉：撤回或办结后才能注销账户。", " open complaint(s): withdraw them or wait until they close."))}</p> }.into_any(),
                    _ => view! {
                        <form method="post" action="/do/account/delete" class="action" id="delete-form">
                            {csrf_field()}
                            {crate::pages::error_summary(lang, f)}
                            <label>{lang.t("输入本账户的邮箱地址以确认", "Type this account's e-mail address to confirm")}
                                <input type="email" name="confirm" aria-describedby=super::described_by(f, "confirm") autocomplete="off" value=f.value("confirm")/></label>
                            {field_error(f, "confirm")}
                            <button type="submit" class="danger">{lang.t("永久注销账户", "Delete my account for good")}</button>
                        </form>
                    }.into_any(),
                }}
            </section>
        }
        .into_any()
    })
}
