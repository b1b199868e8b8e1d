//! D15 on the case page (Order 117 Art. 22), for the agency and the platform:
//! the agency tells the platform that the operator or the marketer cannot be
//! reached at the registered address; the platform reminds them within five
//! working days and records it.
use crate::pages::{csrf_field, field_error};
use crate::view::Dossier;
use leptos::prelude::*;
use redline_rules::parties::unreachable::Unreachable;
use redline_rules::Lang;

fn party_label(lang: Lang, code: &str) -> String {
    code.parse::<Unreachable>()
        .map(|u| lang.t(u.label_zh(), u.label_en()).to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

pub fn unreachable_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let v = &d.unreachable;
    let f = &v.flash;
    let shown = v.may_notify || !v.notices.is_empty() || f.error("form").is_some();
    shown.then(|| {
        let rows = v
            .notices
            .iter()
            .map(|(id, party, note, due, answer, overdue)| {
                let open = answer.is_none();
                view! {
                    <li data-notice=id.to_string() data-reminded=(!open).to_string()>
                        <b>{party_label(lang, party)}</b>{lang.t("无法联系：", " cannot be reached: ")}{note.clone()}
                        <br/>{format!("{}{}", lang.t("平台应于此日前提醒：", "The platform reminds by "), due.format("%Y-%m-%d"))}
                        {overdue.then(|| view! { " "<span class="badge red">{lang.t("平台逾期未提醒", "not reminded in time")}</span> })}
                        {answer.clone().map(|a| view! { <p class="answer">{lang.t("平台：", "Platform: ")}{a}</p> })}
                        {(open && v.may_remind).then(|| view! {
                            <form method="post" action=format!("/do/unreachable/{id}/reminded") class="action">
                                {csrf_field()}
                                <label>{lang.t("已如何提醒（方式、时间）", "How it was reminded (means, time)")}
                                    <textarea name="answer" aria-describedby=super::described_by(f, "answer") rows="2" maxlength="1000" inner_html=crate::view::rcdata(&f.value("answer"))></textarea></label>
                                {field_error(f, "answer")}
                                <button type="submit">{lang.t("记录已提醒", "Record the reminder")}</button>
                            </form>
                        })}
                    </li>
                }
            })
            .collect_view();
        let choices = Unreachable::ALL
            .iter()
            .filter(|u| **u == Unreachable::Operator || v.names_marketer)
            .map(|u| {
                let checked = f.value("party") == u.as_str() || (f.value("party").is_empty() && *u == Unreachable::Operator);
                view! { <label class="choice"><input type="radio" name="party" value=u.as_str() checked=checked/>{lang.t(u.label_zh(), u.label_en())}</label> }
            })
            .collect_view();
        view! {
            <section class="card" id="unreachable">
                <h2>{lang.t("经营者、主播无法联系（直播电商监督管理办法第二十二条）", "Parties that cannot be reached (Order 117 Art. 22)")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {(!v.notices.is_empty()).then(|| view! { <ul id="unreachable-notices">{rows}</ul> })}
                {field_error(f, "form")}
                {v.may_notify.then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/unreachable", d.case_no) class="action" id="unreachable-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <p class="explain">{lang.t("通知平台后，平台应在5个工作日内提醒其更新登记信息；仍不更新的，由平台依法处置。", "The platform then reminds them within 5 working days to update it; if they still do not, it takes measures.")}</p>
                        <fieldset class="checks"><legend>{lang.t("无法联系的一方", "Who cannot be reached")}</legend>{choices}</fieldset>
                        {field_error(f, "party")}
                        <label>{lang.t("情况说明（如按登记地址寄送被退回）", "What happened (e.g. mail to the registered address came back)")}
                            <textarea name="note" aria-describedby=super::described_by(f, "note") rows="2" maxlength="1000" inner_html=crate::view::rcdata(&f.value("note"))></textarea></label>
                        {field_error(f, "note")}
                        <button type="submit">{lang.t("通知平台", "Tell the platform")}</button>
                    </form>
                })}
            </section>
        }
    })
}
