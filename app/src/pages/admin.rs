//! Admin page: platforms and agencies created, staff invited, accounts
//! listed; and an organisation's own administrators' page (`/org`).
use super::{field_error, framed, text_input};
use crate::api::{load_admin, load_org_staff};
use crate::i18n::Lang;
use crate::view::FormFlash;
use leptos::prelude::*;

fn role_select(lang: Lang, chosen: &str) -> impl IntoView {
    view! {
        <select name="role">
            <option value="STAFF" selected=chosen != "ADMIN">{lang.t("工作人员", "Staff")}</option>
            <option value="ADMIN" selected=chosen == "ADMIN">{lang.t("机构管理员（可邀请和管理本机构人员）", "Administrator (invites and manages the organisation's staff)")}</option>
        </select>
    }
}

fn create_forms(lang: Lang, fp: &FormFlash, fa: &FormFlash) -> impl IntoView {
    let t = |zh: &'static str, en: &'static str| lang.t(zh, en);
    let kinds = [
        ("MARKET_SUPERVISION", t("市场监督管理部门", "Market supervision")),
        ("INTERNET_INFORMATION", t("网信部门", "Internet information office")),
    ]
    .into_iter()
    .map(|(v, l)| {
        let sel = fa.value("kind") == v;
        view! { <option value=v selected=sel>{l}</option> }
    })
    .collect_view();
    view! {
        <form method="post" action="/do/admin/platforms" class="card narrow" id="platform-form">
            {crate::pages::csrf_field()}
            {crate::pages::error_summary(lang, fp)}
            <h2>{t("新增平台", "Add a platform")}</h2>
            {fp.error("notice").map(|n| view! { <p class="notice">{n}</p> })}
            {crate::pages::form_error(fp)}
            {text_input(fp, "name", t("平台名称", "Name").to_owned(), 100)}
            {text_input(fp, "name_en", t("英文名称", "English name").to_owned(), 100)}
            {text_input(fp, "code", t("代号（小写字母、数字、连字符）", "Handle (lowercase letters, digits, hyphens)").to_owned(), 32)}
            {text_input(fp, "credit_code", t("统一社会信用代码", "Unified social credit code").to_owned(), 18)}
            {text_input(fp, "domicile_region", t("住所地区划代码（6位县级，投诉平台本身时据此确定管辖）", "Domicile region code (county level; decides complaints against the platform)").to_owned(), 6)}
            {text_input(fp, "domicile_address", t("住所", "Domicile address").to_owned(), 200)}
            <button type="submit">{t("创建平台", "Create platform")}</button>
        </form>
        <form method="post" action="/do/admin/agencies" class="card narrow" id="agency-form">
            {crate::pages::csrf_field()}
            {crate::pages::error_summary(lang, fa)}
            <h2>{t("新增监管部门", "Add an agency")}</h2>
            {fa.error("notice").map(|n| view! { <p class="notice">{n}</p> })}
            {crate::pages::form_error(fa)}
            {text_input(fa, "name", t("名称", "Name").to_owned(), 100)}
            {text_input(fa, "name_en", t("英文名称", "English name").to_owned(), 100)}
            <label>{t("类别", "Kind")}<select name="kind" aria-describedby=super::described_by(fa, "kind")>{kinds}</select></label>
            {field_error(fa, "kind")}
            {text_input(fa, "region", t("行政区划代码（县 330106、市 330100、省 330000、全国 000000；层级据此确定，覆盖其下辖区域）", "Region code (county 330106, city 330100, province 330000, national 000000; the level follows, and it covers the divisions below)").to_owned(), 6)}
            <button type="submit">{t("创建", "Create")}</button>
        </form>
    }
}

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
        let creates = create_forms(lang, &v.platform_flash, &v.agency_flash);
        view! {
            {creates}
            <form method="post" action="/do/admin/grant" class="card narrow" id="grant-form">
                {crate::pages::csrf_field()}
                {crate::pages::error_summary(lang, &f)}
                <h2>{lang.t("邀请工作人员", "Invite staff")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" id="notice">{n}</p> })}
                {crate::pages::form_error(&f)}
                <label>{lang.t("邮箱", "Email")}<input type="email" name="email" required value=f.value("email")/></label>
                <label>{lang.t("所属机构", "Organisation")}<select name="org">{orgs}</select></label>
                <label>{lang.t("角色", "Role")}{role_select(lang, &f.value("role"))}</label>
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

#[component]
pub fn OrgStaffPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_org_staff());
    framed(data, Some(("本机构人员", "Our staff")), |lang, page| {
        let f = page.flash.clone();
        let me = page.me;
        let orgs = page.orgs.into_iter().map(|o| {
            let base = format!("/do/orgs/{}/{}", o.kind, o.id);
            let rows = o.members.iter().map(|(uid, email, name, role)| {
                let action = format!("{base}/members/{uid}");
                let own = *uid == me;
                view! {
                    <tr data-member=email.clone()>
                        <td>{email.clone()}</td><td>{name.clone()}</td>
                        <td>{if role == "ADMIN" { lang.t("管理员", "administrator") } else { lang.t("工作人员", "staff") }}</td>
                        <td>{(!own).then(|| view! {
                            <form method="post" action=action.clone() class="inline">
                                {crate::pages::csrf_field()}
                                <select name="role">
                                    <option value="STAFF">{lang.t("设为工作人员", "Make staff")}</option>
                                    <option value="ADMIN">{lang.t("设为管理员", "Make administrator")}</option>
                                    <option value="REMOVE">{lang.t("移出本机构", "Remove")}</option>
                                </select>
                                <button type="submit">{lang.t("确定", "Apply")}</button>
                            </form>
                        })}</td>
                    </tr>
                }
            }).collect_view();
            view! {
                <section class="card">
                    <h2>{o.name.clone()}</h2>
                    <table class="queue"><thead><tr><th>{lang.t("邮箱", "Email")}</th><th>{lang.t("姓名", "Name")}</th><th>{lang.t("角色", "Role")}</th><th></th></tr></thead>
                        <tbody>{rows}</tbody></table>
                    <form method="post" action=format!("{base}/invite") class="action">
                        {crate::pages::csrf_field()}
                        <h3>{lang.t("邀请同事", "Invite a colleague")}</h3>
                        <label>{lang.t("邮箱", "Email")}<input type="email" name="email" aria-describedby=super::described_by(&f, "email") required value=f.value("email")/></label>
                        {field_error(&f, "email")}
                        <label>{lang.t("姓名（可选）", "Name (optional)")}<input type="text" name="name" maxlength="60" value=f.value("name")/></label>
                        <label>{lang.t("角色", "Role")}{role_select(lang, &f.value("role"))}</label>
                        <button type="submit">{lang.t("发送邀请", "Send invitation")}</button>
                    </form>
                    {log_subscribers(lang, &base, &o.log_subscribers, &f)}
                </section>
            }
        }).collect_view();
        view! {
            {f.error("notice").map(|n| view! { <p class="notice" id="notice">{n}</p> })}
            {field_error(&f, "form")}
            {orgs}
        }
        .into_any()
    })
}

/// 公开内容审核: narratives consumers asked to publish, masked, approved or
/// rejected with a reason before they appear on a room's public page.
#[component]
pub fn NarrativesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::api::load_narratives());
    framed(
        data,
        Some(("公开内容审核", "Narratives to review")),
        |lang, rows: Vec<crate::api::NarrativeReview>| {
            if rows.is_empty() {
                return view! { <p class="empty" id="narratives-empty">{lang.t("没有待审核的内容。", "Nothing to review.")}</p> }.into_any();
            }
            let items = rows
            .into_iter()
            .map(|n| {
                let f = n.flash.clone();
                view! {
                    <section class="card" data-narrative=n.id.to_string()>
                        <p class="meta">{n.case_no.clone()}" · "{n.room.clone()}" · "{n.requested_at.clone()}</p>
                        <blockquote class="masked">{n.masked.clone()}</blockquote>
                        {field_error(&f, "form")}
                        <form method="post" action=format!("/do/narratives/{}", n.id) class="action">
                            {crate::pages::csrf_field()}
                            {crate::pages::error_summary(lang, &f)}
                            <label>{lang.t("不通过的原因", "Reason for rejecting")}
                                <input type="text" name="reason" aria-describedby=super::described_by(&f, "reason") maxlength="500" value=f.value("reason")/></label>
                            {field_error(&f, "reason")}
                            <button type="submit" name="to" value="approve">{lang.t("通过", "Approve")}</button>" "
                            <button type="submit" name="to" value="reject" class="danger">{lang.t("不通过", "Reject")}</button>
                        </form>
                    </section>
                }
            })
            .collect_view();
            view! {
            <p class="explain">{lang.t(
                "核对遮盖是否完整（姓名、电话、证件号、订单号、地址），以及内容是否涉及他人隐私或违法信息。通过后，对方答复或提交满十五个工作日时在直播间公开页展示。",
                "Check the masking (names, phones, ID and order numbers, addresses) and that nothing else is private or unlawful. Once approved it appears on the room's public page after the respondent answered or fifteen working days after filing.")}</p>
            {items}
        }
        .into_any()
        },
    )
}

/// The addresses this organisation has every transparency-log checkpoint
/// mailed to, so that it keeps its own copies of the signed roots.
fn log_subscribers(lang: Lang, base: &str, subs: &[(i64, String)], f: &FormFlash) -> impl IntoView {
    let rows = subs
        .iter()
        .map(|(id, email)| {
            view! {
                <li data-subscriber=email.clone()>{email.clone()}" "
                    <form method="post" action=format!("{base}/log-subscribers/{id}/remove") class="inline">
                        {crate::pages::csrf_field()}
                        <button type="submit" class="link">{lang.t("移除", "Remove")}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="log-subscribers" id="log-subscribers">
            <h3>{lang.t("接收透明日志检查点", "Receive transparency-log checkpoints")}</h3>
            <p class="explain">{lang.t(
                "每个新的检查点（已签名的日志根）都会发到下列邮箱，贵机构可自行保存，日后用于核验案件记录未被改写。",
                "Every new checkpoint (the log's signed root) is mailed to these addresses, so your organisation keeps its own copies to check later that case records were not rewritten.")}</p>
            <ul>{rows}</ul>
            <form method="post" action=format!("{base}/log-subscribers") class="inline">
                {crate::pages::csrf_field()}
                <label>{lang.t("邮箱", "Email")}<input type="email" name="subscriber" required value=f.value("subscriber")
                    aria-describedby=super::described_by(f, "subscriber")/></label>
                <button type="submit">{lang.t("添加", "Add")}</button>
                {field_error(f, "subscriber")}
            </form>
        </div>
    }
}
