//! The notification inbox (通知): read and unread, mark read, and for staff
//! the choice between immediate emails and a daily digest.
use super::framed;
use crate::api::load_notices;
use leptos::prelude::*;

#[component]
pub fn Notices() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_notices());
    framed(data, Some(("通知", "Notifications")), |lang, page| {
        let rows = page
            .rows
            .iter()
            .map(|n| {
                let cls = if n.read { "notice-row read" } else { "notice-row unread" };
                view! {
                    <li class=cls data-kind=n.kind.clone() data-id=n.id.to_string()>
                        <time>{n.at.clone()}</time>" "<a href=n.link.clone()>{n.subject.clone()}</a>
                        {(!n.read).then(|| view! {
                            <form method="post" action="/do/notifications/read" class="inline">
                                {crate::pages::csrf_field()}
                                <input type="hidden" name="id" value=n.id.to_string()/>
                                <button type="submit" class="link">{lang.t("标为已读", "Mark read")}</button>
                            </form>
                        })}
                    </li>
                }
            })
            .collect_view();
        let digest = page.mode == "DAILY_DIGEST";
        view! {
            <p id="unread" data-unread=page.unread.to_string()>{format!("{} {}", super::unread_count(page.unread), lang.t("条未读", "unread"))}</p>
            <form method="post" action="/do/notifications/read" class="inline">{crate::pages::csrf_field()}<button type="submit">{lang.t("全部标为已读", "Mark all read")}</button></form>
            <ul class="notices" id="notices">{rows}</ul>
            {page.staff.then(|| view! {
                <form method="post" action="/do/notifications/mode" class="card narrow" id="mode-form">
                    {crate::pages::csrf_field()}
                    <h3>{lang.t("邮件提醒方式", "Email")}</h3>
                    <label class="choice"><input type="radio" name="mode" value="IMMEDIATE" checked=!digest/>{lang.t("逐条即时发送", "One email per notification")}</label>
                    <label class="choice"><input type="radio" name="mode" value="DAILY_DIGEST" checked=digest/>{lang.t("每个工作日9点汇总发送一次（逾期提醒仍即时发送）", "A daily digest at 09:00 on working days (overdue notices still go at once)")}</label>
                    <button type="submit">{lang.t("保存", "Save")}</button>
                </form>
            })}
        }
        .into_any()
    })
}
