//! 监测台: how the rooms of a region (market supervision) or of a platform
//! answer complaints over a period (Order 117 Art. 20; Order 121 Art. 15),
//! broken down by platform, operator or room. Every figure links to the work
//! list of the cases it counts, where the reader may see them; tables export
//! as CSV.
use super::desk_charts;
use super::framed;
use crate::api::load_desk;
use crate::i18n::Lang;
use crate::view::{DeskLine, DeskPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use redline_rules::desk::{By, PERIODS};

#[component]
pub fn DeskView() -> impl IntoView {
    let q = use_query_map();
    let data = Resource::new(
        move || {
            q.with(|m| {
                let id = |k: &str| m.get(k).and_then(|v| v.parse::<i64>().ok());
                (m.get("period"), m.get("by"), id("platform"), id("operator"))
            })
        },
        |(period, by, platform, operator)| load_desk(period, by, platform, operator),
    );
    framed(data, Some(("监测台", "Monitoring desk")), |lang, d: DeskPage| page(lang, d).into_any())
}

/// Where a line's figure leads: the work list with the line's and the period's filters.
struct Links<'a> {
    d: &'a DeskPage,
    /// ("platform" | "operator" | "room", id) of the line; None for the total.
    who: Option<(&'static str, i64)>,
}

impl Links<'_> {
    /// The list of the cases behind a figure; None where the reader's list
    /// cannot show them (a regulator's list holds only what reached it).
    fn to(&self, extra: &str, regulator_sees: bool) -> Option<String> {
        if self.d.regulator && !regulator_sees {
            return None;
        }
        let mut q = format!("{}?tab=all&since={}", self.d.queue, self.d.since);
        for (k, v) in
            [("platform", self.d.platform.as_ref().map(|p| p.0)), ("operator", self.d.operator.as_ref().map(|o| o.0))]
        {
            if let Some(v) = v {
                q.push_str(&format!("&{k}={v}"));
            }
        }
        if let Some((k, id)) = self.who {
            q.push_str(&format!("&{k}={id}"));
        }
        if !extra.is_empty() {
            q.push('&');
            q.push_str(extra);
        }
        Some(q)
    }
}

/// A number, linked to its cases where the reader may follow it.
fn figure(n: i64, href: Option<String>, name: &'static str) -> AnyView {
    match href {
        Some(h) if n > 0 => view! { <a href=h data-figure=name>{n}</a> }.into_any(),
        _ => view! { <span data-figure=name>{n}</span> }.into_any(),
    }
}

fn rate(r: Option<i64>) -> String {
    r.map(|r| format!("{r}%")).unwrap_or_else(|| "—".to_owned())
}

/// One row of the table: counts linked, rates beside them.
fn row(
    lang: Lang,
    d: &DeskPage,
    l: &DeskLine,
    who: Option<(&'static str, i64)>,
    drill: Option<String>,
) -> impl IntoView {
    let links = Links { d, who };
    let name = match drill {
        Some(h) => view! { <a href=h>{l.name.clone()}</a> }.into_any(),
        None => view! { <span>{l.name.clone()}</span> }.into_any(),
    };
    let tier = ["operator", "platform", "regulator"];
    let open = (0..3)
        .map(|i| view! { <td class="num" data-label=lang.t(["未办结·经营者", "未办结·平台", "未办结·监管"][i], ["Open: operator", "Open: platform", "Open: regulator"][i])>
            {figure(l.tally.open[i], links.to(&format!("held={}", tier[i]), i == 2), ["open_operator", "open_platform", "open_regulator"][i])}</td> })
        .collect_view();
    let kinds = ["D1", "D3", "D5", "D6"];
    let kept = (0..4)
        .map(|i| {
            let kept = l.tally.kept[i];
            let late = kept.late();
            view! { <td class="num" data-label=lang.t(["按时率·首次答复", "按时率·平台处理", "按时率·受理", "按时率·调解"][i], ["In time: D1", "In time: D3", "In time: D5", "In time: D6"][i])>
                {rate(kept.rate())}
                {(late > 0).then(|| view! { <br/><span class="late">{lang.t("逾期 ", "late ")}{figure(late, links.to(&format!("outcome=late_{}", kinds[i]), i >= 2), "late")}</span> })}
            </td> }
        })
        .collect_view();
    view! {
        <tr data-line=l.id.to_string()>
            <th scope="row" data-label=lang.t("名称", "Name")>{name}</th>
            <td class="num" data-label=lang.t("收到", "Received")>{figure(l.tally.received, links.to("", false), "received")}</td>
            {open}
            {kept}
            <td class="num" data-label=lang.t("解决率", "Resolved")>{rate(l.tally.resolution_rate())}" "
                <span class="meta">{figure(l.tally.resolved, links.to("outcome=resolved", false), "resolved")}</span></td>
            <td class="num" data-label=lang.t("办理天数中位数", "Median days")>{l.median_days.map(|m| m.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
            <td class="num" data-label=lang.t("提交监管比例", "Escalated")>{rate(l.tally.escalation_rate())}" "
                <span class="meta">{figure(l.tally.to_regulator, links.to("outcome=to_regulator", true), "to_regulator")}</span></td>
        </tr>
    }
}

/// The page's own address with some choices changed.
fn desk_href(period: &str, by: &str, platform: Option<i64>, operator: Option<i64>) -> String {
    let mut h = format!("/desk?period={period}&by={by}");
    if let Some(p) = platform {
        h.push_str(&format!("&platform={p}"));
    }
    if let Some(o) = operator {
        h.push_str(&format!("&operator={o}"));
    }
    h
}

fn page(lang: Lang, d: DeskPage) -> impl IntoView {
    let by = By::parse(&d.by).unwrap_or_default();
    let (platform, operator) = (d.platform.as_ref().map(|p| p.0), d.operator.as_ref().map(|o| o.0));
    let csv = |table: &str| {
        format!("{}&table={table}", desk_href(&d.period, &d.by, platform, operator).replacen("/desk?", "/desk.csv?", 1))
    };
    let periods = PERIODS
        .iter()
        .map(|p| {
            let v = p.as_str();
            let label = match p.weeks() {
                4 => lang.t("近4周", "Last 4 weeks"),
                13 => lang.t("近13周", "Last 13 weeks"),
                _ => lang.t("近52周", "Last 52 weeks"),
            };
            view! { <option value=v.clone() selected=v == d.period>{label}</option> }
        })
        .collect_view();
    let bys = By::ALL
        .iter()
        .map(|b| view! { <option value=b.as_str() selected=*b == by>{b.label(lang.is_zh())}</option> })
        .collect_view();
    let who = match by {
        By::Platform => "platform",
        By::Operator => "operator",
        By::Room => "room",
    };
    // A platform opens its operators; an operator its rooms.
    let drill = |l: &DeskLine| match by {
        By::Platform => Some(desk_href(&d.period, "operator", Some(l.id), None)),
        By::Operator => Some(desk_href(&d.period, "room", platform, Some(l.id))),
        By::Room => Some(format!("/rooms/{}", l.id)),
    };
    let rows = d.lines.iter().map(|l| row(lang, &d, l, Some((who, l.id)), drill(l))).collect_view();
    let total = row(lang, &d, &d.total, None, None);
    let narrowed = (d.platform.is_some() || d.operator.is_some()).then(|| {
        let names: Vec<String> = d.platform.iter().chain(d.operator.iter()).map(|(_, n)| n.clone()).collect();
        view! { <p class="notice" id="desk-narrowed">{lang.t("范围：", "Showing: ")}{names.join(" › ")}" · "
        <a href=desk_href(&d.period, "platform", None, None)>{lang.t("查看全部", "Show all")}</a></p> }
    });
    let scope = if d.regulator {
        lang.t(
            "本辖区内的投诉：已提交市场监管的按承办部门所在地，其余按投诉时确定的管辖地。尚在经营者或平台处理的案件只计数；链接的案件清单只含本部门承办的案件。",
            "Complaints in your region: those with market supervision where the agency handling them sits, the others by the place of jurisdiction recorded at filing. Cases still with an operator or a platform are only counted; linked lists hold the cases your agency handles.",
        )
    } else {
        lang.t("本平台直播间收到的投诉。", "Complaints about your platform's rooms.")
    };
    view! {
        <p class="explain">{scope}" "{lang.t(
            "按时率：已结束的时限中在到期日前完成的比例（首次答复、平台处理为平台规则时限；受理为七个工作日，《市场监督管理投诉举报处理办法》第十五条；调解为六十日，第二十三条）。",
            "In time: of the clocks that ended, the share finished by their due day (first answer and platform decision under the platform's rules; acceptance within seven working days, Order 121 Art. 15; mediation within sixty days, Art. 23).")}</p>
        <form method="get" action="/desk" class="card filter" id="desk-form">
            <label>{lang.t("期间", "Period")}<select name="period">{periods}</select></label>
            <label>{lang.t("分组", "Group by")}<select name="by">{bys}</select></label>
            {platform.map(|p| view! { <input type="hidden" name="platform" value=p.to_string()/> })}
            {operator.map(|o| view! { <input type="hidden" name="operator" value=o.to_string()/> })}
            <button type="submit">{lang.t("查看", "Show")}</button>
        </form>
        {narrowed}
        <p class="meta" id="desk-since">{format!("{}{}", lang.t("统计起始：", "Since: "), d.since)}
            {d.computed_at.clone().map(|t| format!(" · {}{}", lang.t("统计时间：", "counted at "), t))}</p>
        <div class="charts">
            {desk_charts::weekly(lang, &d)}
            {desk_charts::timely_by_platform(lang, &d.platforms)}
            {desk_charts::categories(lang, &d.categories)}
        </div>
        {ratings(lang, &d.ratings)}
        {d.operator.is_some().then(|| view! { <p class="meta" id="desk-facets-note">{lang.t(
            "图表、类别分布和办理天数中位数为所在平台的；表格和合计为该运营者的。",
            "The charts, categories and median are the platform's; the table and total are the operator's.")}</p> })}
        <div class="table-wrap"><table class="queue desk" id="desk-table">
            <thead><tr>
                <th>{by.label(lang.is_zh())}</th><th>{lang.t("收到", "Received")}</th>
                <th>{lang.t("未办结·经营者", "Open: operator")}</th><th>{lang.t("未办结·平台", "Open: platform")}</th><th>{lang.t("未办结·监管", "Open: regulator")}</th>
                <th>{lang.t("按时率·首次答复", "In time: first answer")}</th><th>{lang.t("按时率·平台处理", "In time: platform")}</th>
                <th>{lang.t("按时率·受理", "In time: acceptance")}</th><th>{lang.t("按时率·调解", "In time: mediation")}</th>
                <th>{lang.t("解决率", "Resolved")}</th><th>{lang.t("办理天数中位数（工作日）", "Median working days")}</th><th>{lang.t("提交监管比例", "Escalated")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
            <tfoot>{total}</tfoot>
        </table></div>
        <p class="downloads" id="desk-csv">{lang.t("导出 CSV：", "CSV: ")}
            <a href=csv("lines") download="">{lang.t("本表", "this table")}</a>" · "
            <a href=csv("weeks") download="">{lang.t("每周", "weekly")}</a>" · "
            <a href=csv("categories") download="">{lang.t("类别", "categories")}</a>" · "
            <a href=Links { d: &d, who: None }.to("", true).unwrap_or_default().replacen('?', ".csv?", 1) download="">
                {lang.t("期间内案件清单", "the period's cases")}</a>
        </p>
        <p class="meta">{lang.t("注：", "Note: ")}{lang.t(
            "数字链接到对应的案件清单；统计每十五分钟更新一次。",
            "Numbers link to their cases; figures are recounted every fifteen minutes.")}</p>
    }
}

/// T7: how consumers rated each party that handled the period's cases.
fn ratings(lang: Lang, rows: &[(String, [Option<f64>; 3], i64)]) -> impl IntoView {
    use redline_rules::rating::{Axis, Handler};
    (!rows.is_empty()).then(|| {
        let body = rows
            .iter()
            .map(|(h, avg, n)| {
                let name = h.parse::<Handler>().map(|h| lang.t(h.label_zh(), h.label_en()).to_owned()).unwrap_or_default();
                let cells = avg.iter().map(|a| view! { <td>{a.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td> }).collect_view();
                view! { <tr data-handler=h.clone()><th scope="row">{name}</th>{cells}<td>{*n}</td></tr> }
            })
            .collect_view();
        let heads = Axis::ALL.iter().map(|a| view! { <th>{lang.t(a.label_zh(), a.label_en())}</th> }).collect_view();
        view! {
            <div class="table-wrap"><table class="queue desk" id="desk-ratings">
                <caption>{lang.t("消费者评价（平均星级，满分5星）", "Consumer ratings (average stars of 5)")}</caption>
                <thead><tr><th>{lang.t("处理方", "Party")}</th>{heads}<th>{lang.t("评价件数", "Cases rated")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table></div>
        }
    })
}
