//! Work lists of operator, platform and regulator staff (and a consumer's own
//! cases): tabs 待处理 / 即将到期 / 已逾期 / 已办结 with counts, each ordered by
//! the reader's own next deadline.
use super::{clock_text, field_error, framed};
use crate::api::load_queue;
use crate::i18n::{yuan, Lang};
use crate::view::QueuePage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A keyset-paginated work list; `kind` is mine/operator/platform/regulator.
#[component]
pub fn Queue(kind: &'static str, title_zh: &'static str, title_en: &'static str) -> impl IntoView {
    let q = use_query_map();
    let data = Resource::new(
        move || {
            q.with(|m| {
                // A desk figure's narrowing travels as one query string.
                let figure: Vec<String> = ["platform", "operator", "room", "since", "held", "outcome"]
                    .into_iter()
                    .filter_map(|k| m.get(k).map(|v| (k, v)))
                    // Ids, dates and names: anything else is no figure's value.
                    .filter(|(_, v)| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                (
                    m.get("after"),
                    m.get("marketer"),
                    m.get("mcn"),
                    m.get("tab"),
                    (!figure.is_empty()).then(|| figure.join("&")),
                )
            })
        },
        move |(after, marketer, mcn, tab, figure)| load_queue(kind.to_owned(), after, marketer, mcn, tab, figure),
    );
    framed(data, Some((title_zh, title_en)), move |lang, page| table(lang, kind, page).into_any())
}

fn tab_label(lang: Lang, mine: bool, tab: &str) -> &'static str {
    match tab {
        "todo" if mine => lang.t("待我处理", "Waiting for me"),
        "todo" => lang.t("待处理", "To do"),
        "soon" => lang.t("即将到期", "Due soon"),
        "overdue" => lang.t("已逾期", "Overdue"),
        "closed" => lang.t("已办结", "Closed"),
        _ => lang.t("全部", "All"),
    }
}

fn empty_text(lang: Lang, tab: &str) -> &'static str {
    match tab {
        "todo" => lang.t("没有待处理的案件。", "Nothing waiting for you."),
        "soon" => lang.t("近三日内没有到期的案件。", "Nothing due in the next three days."),
        "overdue" => lang.t("没有逾期的案件。", "Nothing overdue."),
        "closed" => lang.t("还没有办结的案件。", "No closed cases yet."),
        _ => lang.t("还没有案件。", "No cases yet."),
    }
}

/// "?tab=…&marketer=…&mcn=…" (and a desk figure's narrowing) for links that keep the filter.
fn query(tab: &str, filter: &(String, String), figure: &str) -> String {
    let enc = crate::view::urlencode;
    let mut q = format!("?tab={tab}");
    if !figure.is_empty() {
        q.push('&');
        q.push_str(figure);
    }
    if !filter.0.is_empty() {
        q.push_str(&format!("&marketer={}", enc(&filter.0)));
    }
    if !filter.1.is_empty() {
        q.push_str(&format!("&mcn={}", enc(&filter.1)));
    }
    q
}

fn table(lang: Lang, kind: &'static str, page: QueuePage) -> impl IntoView {
    let base = if kind == "mine" { "/me/cases".to_owned() } else { format!("/{kind}") };
    let mine = kind == "mine";
    let tabs = std::iter::once(("all".to_owned(), None))
        .chain(page.counts.iter().map(|(t, n)| (t.clone(), Some(*n))))
        .map(|(t, n)| {
            let current = (t == page.tab).then_some("page");
            let count = n.map(|n| format!(" {}", super::unread_count(n)));
            view! {
                <a href=format!("{base}{}", query(&t, &page.filter, &page.figure)) class=if current.is_some() { "tab current" } else { "tab" }
                    aria-current=current data-tab=t.clone()>
                    {tab_label(lang, mine, &t)}<span class={if t == "overdue" && n.unwrap_or(0) > 0 { "count red" } else { "count" }}>{count}</span>
                </a>
            }
        })
        .collect_view();
    let empty = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let clocks = r
                .clocks
                .iter()
                .map(|c| view! {
                    <span class=if c.overdue { "clock-brief overdue" } else { "clock-brief" } data-clock=c.kind.code()>
                        {if lang.is_zh() { c.kind.name_zh() } else { c.kind.name_en() }}{lang.t("：", ": ")}{clock_text(lang, c)}
                    </span>
                })
                .collect_view();
            let cls = if r.overdue { "overdue" } else { "" };
            view! {
                <tr class=cls data-case=r.case_no.clone()>
                    <td data-label=lang.t("案件编号", "Case")><a href=format!("/cases/{}", r.case_no)>{r.case_no.clone()}</a></td>
                    <td class="state" data-label=lang.t("状态", "State")>
                        <span class=format!("state-badge tier-{}", r.state.tier().as_str())>{lang.t(r.state.label_zh(), r.state.label_en())}</span></td>
                    <td data-label=lang.t("平台·直播间", "Platform · room")>{r.platform}" · "{r.room}
                        {r.marketer.map(|m| { let shown = m.clone(); view! { <br/><span class="meta" data-marketer-name=m>{lang.t("主播：", "Marketer: ")}{shown}</span> } })}
                        {r.mcn.map(|m| view! { <br/><span class="meta">{lang.t("机构：", "MCN: ")}{m}</span> })}</td>
                    <td data-label=lang.t("商品", "Product")>{r.product}</td>
                    <td class="num" data-label=lang.t("金额", "Amount")>{if r.amount_fen == 0 { "—".to_owned() } else { yuan(r.amount_fen) }}</td>
                    <td data-label=lang.t("时限", "Deadlines")>{clocks}{r.overdue.then(|| view! { <span class="badge red">{lang.t("已逾期", "Overdue")}</span> })}
                        {r.untimely.then(|| view! { <span class="badge amber">{lang.t("曾超时", "Untimely")}</span> })}
                        {r.preservation_overdue.then(|| view! { <span class="badge red preservation-overdue">{lang.t("回放保全逾期", "Replay preservation overdue")}</span> })}
                        {r.records_overdue.then(|| view! { <span class="badge red records-overdue">{lang.t("调取记录逾期", "Records request overdue")}</span> })}
                        {r.fraud_suspected.then(|| view! { <span class="badge red fraud-suspected">{lang.t("涉嫌欺诈", "Suspected fraud")}</span> })}</td>
                    <td data-label=lang.t("投诉日期", "Filed")>{r.filed_on}</td>
                </tr>
            }
        })
        .collect_view();
    let next = page.next.map(|n| {
        view! { <p><a class="next" href=format!("{base}{}&after={n}", query(&page.tab, &page.filter, &page.figure))>{lang.t("下一页", "Next page")}</a></p> }
    });
    let (fm, fc) = page.filter.clone();
    let filter = (kind == "regulator").then(|| view! {
        <form method="get" action="/regulator" class="inline" id="queue-filter">
            <input type="hidden" name="tab" value=page.tab.clone()/>
            <label>{lang.t("主播", "Marketer")}<input type="text" name="marketer" maxlength="60" value=fm.clone()/></label>
            <label>{lang.t("机构（MCN）", "MCN")}<input type="text" name="mcn" maxlength="100" value=fc.clone()/></label>
            <button type="submit">{lang.t("筛选", "Filter")}</button>
        </form>
    });
    let narrowed = (!page.figure.is_empty()).then(|| view! {
        <p class="notice" id="queue-figure">{lang.t("仅显示监测台数字所指的案件。", "Showing the cases behind a desk figure.")}" "
            <a href=base.clone()>{lang.t("显示全部", "Show all")}</a>" · "<a href="/desk">{lang.t("返回监测台", "Back to the desk")}</a></p>
    });
    view! {
        {narrowed}
        <nav class="tabs" id="queue-tabs" aria-label=lang.t("案件分类", "Case lists")>{tabs}</nav>
        {filter}
        {if empty {
            view! { <p class="empty" id="queue-empty">{empty_text(lang, &page.tab)}</p> }.into_any()
        } else {
            view! {
                <table class="queue" id=format!("queue-{kind}")>
                    <thead><tr>
                        <th>{lang.t("案件编号", "Case")}</th><th>{lang.t("状态", "State")}</th>
                        <th>{lang.t("平台·直播间", "Platform · room")}</th><th>{lang.t("商品", "Product")}</th>
                        <th>{lang.t("金额", "Amount")}</th><th>{lang.t("时限", "Deadlines")}</th><th>{lang.t("投诉日期", "Filed")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
        {next}
    }
}

#[component]
pub fn OperatorQueue() -> impl IntoView {
    view! { <Queue kind="operator" title_zh="运营者收件箱" title_en="Operator inbox"/> }
}

#[component]
pub fn PlatformQueue() -> impl IntoView {
    view! { <Queue kind="platform" title_zh="平台投诉处理" title_en="Platform complaints"/> }
}

#[component]
pub fn RegulatorQueue() -> impl IntoView {
    view! { <Queue kind="regulator" title_zh="辖区投诉队列" title_en="Jurisdiction queue"/> }
}

/// Platform settings: the platform's own limits for the policy clocks D1–D3.
#[component]
pub fn PlatformSettingsPage() -> impl IntoView {
    use crate::api::load_platform_settings;
    use redline_rules::clock::{ClockKind, ClockPolicy};
    let data = Resource::new(|| (), |_| load_platform_settings());
    framed(
        data,
        Some(("平台投诉处理时限设置（令第117号第二十条）", "Complaint time limits (Order 117 Art. 20)")),
        |lang, s| {
            let f = s.flash.clone();
            s.platforms.into_iter().enumerate().map(|(i, p)| {
            let field = |name: &'static str, kind: ClockKind, v: Option<u32>, range: (u32, u32)| {
                let typed = f.value(name);
                let value = if typed.is_empty() { v.map(|d| d.to_string()).unwrap_or_default() } else { typed };
                view! {
                    <label>{if lang.is_zh() { kind.name_zh().to_owned() } else { format!("{} {}", kind.code(), kind.name_en()) }}
                        {format!(" ({} {}; {} {}–{})", lang.t("默认", "default"), kind.default_days(), lang.t("可设", "allowed"), range.0, range.1)}
                        <input type="text" inputmode="numeric" name=name value=value placeholder=kind.default_days().to_string() aria-describedby=super::described_by(&f, name)/></label>
                    {field_error(&f, name)}
                }
            };
            view! {
                <form method="post" action=format!("/do/platforms/{}/policy", p.id) class="card narrow" id=format!("policy-{}", p.id)>
                    {crate::pages::csrf_field()}
                    // One flash serves every platform's form: said once, in the first.
                    {(i == 0).then(|| crate::pages::error_summary(lang, &f))}
                    <h2>{p.name.clone()}</h2>
                    {(i == 0).then(|| crate::pages::notice(&f))}
                    {crate::pages::form_error(&f)}
                    {field("d1", ClockKind::D1, p.d1, ClockPolicy::D1_RANGE)}
                    {field("d2", ClockKind::D2, p.d2, ClockPolicy::D2_RANGE)}
                    {field("d3", ClockKind::D3, p.d3, ClockPolicy::D3_RANGE)}
                    {field("d4", ClockKind::D4, p.d4, ClockPolicy::D4_RANGE)}
                    <label>{lang.t("回放保全范围：投诉时刻前后各（分钟）", "Replay kept either side of the moment (minutes)")}
                        {format!(" ({} {}; {} {}–{})", lang.t("默认", "default"), ClockPolicy::DEFAULT_MARGIN_MIN, lang.t("可设", "allowed"), ClockPolicy::MARGIN_RANGE.0, ClockPolicy::MARGIN_RANGE.1)}
                        <input type="text" inputmode="numeric" name="margin" aria-describedby=super::described_by(&f, "margin") value={
                            let typed = f.value("margin");
                            if typed.is_empty() { p.margin.map(|d| d.to_string()).unwrap_or_default() } else { typed }
                        } placeholder=ClockPolicy::DEFAULT_MARGIN_MIN.to_string()/></label>
                    {field_error(&f, "margin")}
                    <p class="explain">{lang.t(
                        "留空即采用默认值；新设置适用于此后开始计算的时限。受理决定（7个工作日）、调解（60日）、终止调解告知（7个工作日）为法定时限，不可更改。",
                        "Leave blank for the default; changes apply to clocks started from now on. The legal clocks D5 (7 working days), D6 (60 days) and D7 (7 working days) cannot be changed.")}</p>
                    <button type="submit">{lang.t("保存", "Save")}</button>
                </form>
            }
        }).collect_view().into_any()
        },
    )
}
