//! Cluster alerts (集中投诉提醒, Order 117 Art. 20 monitoring): the list for
//! platform staff and agencies, and one alert with its cases lined up on the
//! session's timeline, acknowledged with a note or closed.
use super::{described_by, field_error, framed};
use crate::api::{load_alert, load_alerts};
use crate::i18n::Lang;
use crate::view::{AlertCase, AlertPage, AlertRow};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use redline_rules::cluster::AlertState;

fn state_label(lang: Lang, s: &str) -> &'static str {
    s.parse::<AlertState>().map(|s| lang.t(s.label_zh(), s.label_en())).unwrap_or("")
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_alerts());
    framed(data, Some(("集中投诉提醒", "Complaint clusters")), |lang, rows: Vec<AlertRow>| {
        if rows.is_empty() {
            return view! { <p class="empty" id="alerts-empty">{lang.t("暂无集中投诉提醒。", "No clusters so far.")}</p> }.into_any();
        }
        let items = rows
            .into_iter()
            .map(|a| view! {
                <tr data-alert=a.id.to_string() data-state=a.state.clone()>
                    <td data-label=lang.t("直播间", "Room")><a href=format!("/alerts/{}", a.id)>{a.room.clone()}</a></td>
                    <td data-label=lang.t("集中于", "About")>{a.subject.clone()}</td>
                    <td data-label=lang.t("状态", "State")>{state_label(lang, &a.state)}</td>
                    <td class="num" data-label=lang.t("投诉件数", "Complaints")>{a.cases}</td>
                    <td data-label=lang.t("首次", "First")>{a.first_at.clone()}</td>
                    <td data-label=lang.t("最近", "Latest")>{a.last_at.clone()}</td>
                </tr>
            })
            .collect_view();
        view! {
            <p class="explain">{lang.t(
                "同一直播间或同一主播在设定时间内（默认24小时）收到的投诉达到设定件数（默认5件），或同一商品达到3件时，提醒平台和监管部门，每一轮集中只提醒一次，之后的投诉并入该提醒，直至关闭（《直播电商监督管理办法》第二十条）。",
                "When one room or one marketer draws the set number of complaints (5 by default) within the set time (24 hours), or one product draws 3, the platform and the agency are alerted once; later complaints join the alert until it is closed (Order 117 Art. 20).")}</p>
            <table class="queue" id="alerts">
                <thead><tr><th>{lang.t("直播间", "Room")}</th><th>{lang.t("集中于", "About")}</th><th>{lang.t("状态", "State")}</th><th>{lang.t("投诉件数", "Complaints")}</th>
                    <th>{lang.t("首次", "First")}</th><th>{lang.t("最近", "Latest")}</th></tr></thead>
                <tbody>{items}</tbody>
            </table>
        }
        .into_any()
    })
}

/// The cases' moments as dots on one line, from the session's start to the latest moment.
fn timeline(lang: Lang, cases: &[AlertCase]) -> impl IntoView {
    let max = cases.iter().filter_map(|c| c.offset_s).max().unwrap_or(0).max(60);
    let dots = cases
        .iter()
        .filter_map(|c| c.offset_s.map(|o| (c, 10.0 + 580.0 * o as f64 / max as f64)))
        .map(|(c, x)| view! { <circle cx=format!("{x:.1}") cy="20" r="6" class="dot"><title>{format!("{} {}", c.case_no, c.moment)}</title></circle> })
        .collect_view();
    view! {
        <svg viewBox="0 0 600 40" class="moments" role="img" aria-label=lang.t("投诉所指的直播时刻", "Where in the stream the complaints point")>
            <line x1="10" y1="20" x2="590" y2="20" class="axis"/>
            {dots}
        </svg>
    }
}

#[component]
pub fn AlertDetail() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0)),
        load_alert,
    );
    framed(data, Some(("集中投诉提醒", "Complaint cluster")), |lang, a: AlertPage| {
        let f = a.flash.clone();
        let open = a.state != AlertState::Closed.as_str();
        let rows = a
            .cases
            .iter()
            .map(|c| view! {
                <tr data-case=c.case_no.clone()>
                    <td data-label=lang.t("案件编号", "Case")><a href=format!("/cases/{}", c.case_no)>{c.case_no.clone()}</a></td>
                    <td data-label=lang.t("投诉时间", "Filed")>{c.filed_at.clone()}</td>
                    <td data-label=lang.t("直播时刻", "Moment")>{c.moment.clone()}</td>
                    <td data-label=lang.t("商品", "Product")>{c.product.clone()}</td>
                </tr>
            })
            .collect_view();
        view! {
            <section class="card" id="alert" data-state=a.state.clone()>
                <h2><a href=format!("/rooms/{}", a.room_id)>{a.room.clone()}</a>" · "{state_label(lang, &a.state)}</h2>
                <p id="alert-subject">{lang.t("集中于：", "About: ")}{a.subject.clone()}</p>
                <p>{format!("{}{} · {}{} · {}{}", lang.t("投诉件数：", "Complaints: "), a.cases.len(), lang.t("首次：", "first: "), a.first_at, lang.t("最近：", "latest: "), a.last_at)}</p>
                {a.note.clone().map(|n| view! { <p class="notice" id="alert-note">{lang.t("处理说明：", "Note: ")}{n}</p> })}
                {timeline(lang, &a.cases)}
                <div class="table-wrap"><table class="queue" id="alert-cases">
                    <thead><tr><th>{lang.t("案件编号", "Case")}</th><th>{lang.t("投诉时间", "Filed")}</th><th>{lang.t("直播时刻", "Moment")}</th><th>{lang.t("商品", "Product")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
            {field_error(&f, "form")}
            {super::notice(&f)}
            {open.then(|| view! {
                <form method="post" action=format!("/do/alerts/{}", a.id) class="card action" id="alert-form">
                    {crate::pages::csrf_field()}
                    {crate::pages::error_summary(lang, &f)}
                    <label>{lang.t("处理说明（知悉时必填）", "Note (required to acknowledge)")}
                        <textarea name="note" rows="2" maxlength="1000" aria-describedby=described_by(&f, "note")
                            inner_html=crate::view::rcdata(&f.value("note"))></textarea></label>
                    {field_error(&f, "note")}
                    {(a.state == AlertState::Open.as_str()).then(|| view! {
                        <button type="submit" name="to" value="ACKNOWLEDGED">{lang.t("知悉并说明措施", "Acknowledge")}</button>
                    })}
                    " "<button type="submit" name="to" value="CLOSED" class="danger">{lang.t("关闭提醒", "Close")}</button>
                </form>
            })}
        }
        .into_any()
    })
}
