//! Jurisdiction disputes (管辖争议, Order 121 Art. 33; D11): on the case page
//! the handling agency refers one before its acceptance decision; the
//! referee, the nearest agency covering both, designates one of the two on
//! `/regulator/disputes` within seven working days.
use super::{csrf_field, field_error, framed};
use crate::api::load_disputes;
use crate::view::{DisputeRow, Dossier};
use leptos::prelude::*;
use redline_rules::Lang;

/// The case page's card: the dispute waiting for designation, or the form.
pub fn dispute_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let v = &d.dispute;
    let f = &v.flash;
    let shown = v.open.is_some() || !v.peers.is_empty() || f.error("form").is_some() || f.error("notice").is_some();
    shown.then(|| {
        let options = v
            .peers
            .iter()
            .map(|(id, name)| {
                let id = id.to_string();
                let selected = f.value("other_agency") == id;
                view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
            })
            .collect_view();
        view! {
            <section class="card" id="dispute">
                <h2>{lang.t("管辖争议（投诉举报处理办法第三十三条）", "Jurisdiction dispute (Order 121 Art. 33)")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {v.open.clone().map(|(other, referee, due, overdue)| view! {
                    <p id="dispute-open" data-overdue=overdue.to_string()>{format!(
                        "{}{other}{}{referee}{}{}",
                        lang.t("与", "Disputed with "),
                        lang.t("的管辖争议已报请", "; referred to "),
                        lang.t("指定，指定期限 ", " to designate by "),
                        due.format("%Y-%m-%d"),
                    )}{overdue.then(|| view! { " "<span class="badge red">{lang.t("已逾期", "overdue")}</span> })}</p>
                })}
                {field_error(f, "form")}
                {(!v.peers.is_empty()).then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/dispute", d.case_no) class="action" id="dispute-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <p class="explain">{lang.t("同级部门之间不得自行移送（第四十一条）：报请共同上级部门在7个工作日内指定管辖。", "Peers may not pass a case between them (Art. 41): the common higher level designates one within 7 working days.")}</p>
                        <label>{lang.t("争议的另一方", "The other agency")}
                            <select name="other_agency" aria-describedby=super::described_by(f, "other_agency")><option value="">{lang.t("请选择", "Choose")}</option>{options}</select></label>
                        {field_error(f, "other_agency")}
                        <label>{lang.t("争议理由", "Reason")}
                            <textarea name="reason" aria-describedby=super::described_by(f, "reason") rows="2" maxlength="1000" inner_html=crate::view::rcdata(&f.value("reason"))></textarea></label>
                        {field_error(f, "reason")}
                        <button type="submit">{lang.t("报请指定管辖", "Refer for designation")}</button>
                    </form>
                })}
            </section>
        }
    })
}

fn row(lang: Lang, r: &DisputeRow, f: &crate::view::FormFlash) -> impl IntoView {
    let places = r.places.iter().map(|(p, b)| format!("{p}（{b}）")).collect::<Vec<_>>().join("；");
    let decide = r.designated.is_none().then(|| {
        view! {
            <form method="post" action=format!("/do/disputes/{}/designate", r.id) class="action">
                {csrf_field()}
                <label class="choice"><input type="radio" name="designated" value=r.raised_by.0.to_string()/>{r.raised_by.1.clone()}</label>
                <label class="choice"><input type="radio" name="designated" value=r.other.0.to_string()/>{r.other.1.clone()}</label>
                <label>{lang.t("说明（选填）", "Note (optional)")}<input type="text" name="note" maxlength="1000"/></label>
                <button type="submit">{lang.t("指定管辖", "Designate")}</button>
            </form>
        }
    });
    let _ = f;
    view! {
        <li data-dispute=r.id.to_string() data-case=r.case_no.clone()>
            <p><a href=format!("/cases/{}", r.case_no)>{r.case_no.clone()}</a>" · "
                {r.raised_by.1.clone()}" ⇄ "{r.other.1.clone()}" · "
                {format!("{}{}", lang.t("指定期限 ", "designate by "), r.due_on.format("%Y-%m-%d"))}
                {r.overdue.then(|| view! { " "<span class="badge red">{lang.t("已逾期", "overdue")}</span> })}</p>
            <p>{lang.t("理由：", "Reason: ")}{r.reason.clone()}</p>
            <p>{lang.t("投诉所涉地点：", "Places of the case: ")}{places}</p>
            {r.designated.clone().map(|n| view! { <p class="designated">{lang.t("已指定：", "Designated: ")}{n}</p> })}
            {decide}
        </li>
    }
}

#[component]
pub fn DisputesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_disputes());
    framed(data, Some(("管辖争议", "Jurisdiction disputes")), |lang, page| {
        let f = page.flash.clone();
        let rows = page.rows.iter().map(|r| row(lang, r, &f)).collect_view();
        view! {
            {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {field_error(&f, "form")}
            {field_error(&f, "designated")}
            <p class="explain">{lang.t("下级部门之间的管辖争议，由本部门在7个工作日内指定管辖（《市场监督管理投诉举报处理办法》第三十三条）。", "Disputes between agencies under yours: designate one within 7 working days (Order 121 Art. 33).")}</p>
            {page.rows.is_empty().then(|| view! { <p>{lang.t("没有待指定的管辖争议。", "No dispute waits for you.")}</p> })}
            <ul class="disputes" id="disputes">{rows}</ul>
        }
        .into_any()
    })
}
