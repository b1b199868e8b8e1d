//! Two marks on the case page that sit beside its path: the records request
//! (Order 117 Art. 18: the complainant asks the platform for the operator's
//! and marketer's identity and the transaction's records; the platform
//! answers within its limit; a missed answer is marked for market
//! supervision), suspected fraud (T24, Order 121 Arts. 23(6), 42), and how
//! long the case file is kept, with the agency's legal hold (PIPL Art. 47).
use crate::pages::{csrf_field, field_error};
use crate::view::Dossier;
use leptos::prelude::*;
use redline_rules::records::Record;
use redline_rules::Lang;

pub fn records_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let r = &d.records;
    let f = &r.flash;
    let shown = !r.requests.is_empty() || r.can_ask;
    shown.then(|| {
        view! {
            <section class="card" id="records">
                <h2>{lang.t("调取经营者信息和交易记录（办法第十八条）", "Operator details and records (Order 117 Art. 18)")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <ul class="records">
                    {r.requests.iter().map(|q| view! {
                        <li data-overdue=q.overdue.to_string() data-answered=q.answered_at.is_some().to_string()>
                            <p>{lang.t("申请调取：", "Asked for: ")}{q.items.join(lang.t("、", ", "))}
                                " · "{q.asked_at.clone()}</p>
                            {match (&q.answered_at, &q.answer) {
                                (Some(at), Some(a)) => view! {
                                    <p>{lang.t("平台答复（", "Platform's answer (")}{at.clone()}{lang.t("）：", "): ")}</p>
                                    <p class="answer">{a.clone()}</p>
                                }.into_any(),
                                _ => view! {
                                    <p class=if q.overdue { "due overdue" } else { "due" }>
                                        {lang.t("平台应于 ", "The platform is to answer by ")}{q.due_on.to_string()}{lang.t(" 前答复", "")}</p>
                                }.into_any(),
                            }}
                            {q.overdue.then(|| view! {
                                <p class="badge red records-overdue">{lang.t(
                                    "平台逾期未答复：可能违反办法第十八条，已标记供市场监管部门查看（第五十五条）",
                                    "The platform missed its limit: a possible breach of Art. 18, marked for market supervision (Art. 55)")}</p>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
                {field_error(f, "form")}
                {r.can_ask.then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/records", d.case_no) class="action" id="records-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <fieldset><legend>{lang.t("请平台提供：", "Ask the platform for:")}</legend>
                            {Record::ALL.iter().map(|item| {
                                let code = item.as_str();
                                view! { <label class="choice"><input type="checkbox" name="records" aria-describedby=super::described_by(f, "records") value=code checked=f.has("records", code)/>{lang.t(item.label_zh(), item.label_en())}</label> }
                            }).collect_view()}
                        </fieldset>
                        {field_error(f, "records")}
                        <button type="submit">{lang.t("申请调取", "Ask")}</button>
                    </form>
                })}
                {r.can_answer.then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/records/answer", d.case_no) class="action" id="records-answer-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <label>{lang.t("答复（提供的信息，或不能提供的理由）", "Answer (the information, or why it cannot be given)")}
                            <textarea name="answer" aria-describedby=super::described_by(f, "answer") rows="4" maxlength="4000" inner_html=crate::view::rcdata(&f.value("answer"))></textarea></label>
                        {field_error(f, "answer")}
                        <button type="submit">{lang.t("提交答复", "Send answer")}</button>
                    </form>
                })}
            </section>
        }
    })
}

/// T24: the mark, its reason, and the form to raise or lift it (platform or agency).
pub fn fraud_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let fr = &d.fraud;
    let f = &fr.flash;
    let shown = fr.suspected || !fr.may_mark_as.is_empty() || f.error("form").is_some();
    shown.then(|| {
        let action = format!("/do/cases/{}/fraud{}", d.case_no, if fr.suspected { "/lift" } else { "" });
        view! {
            <section class="card" id="fraud" data-suspected=fr.suspected.to_string()>
                <h2>{lang.t("涉嫌欺诈标记（投诉举报处理办法第二十三条第六项、第四十二条）", "Suspected fraud (Order 121 Arts. 23(6), 42)")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {fr.suspected.then(|| view! {
                    <p class="badge red fraud-suspected">{lang.t("已标记为涉嫌欺诈：自动推进的时限暂停，由平台或监管部门处理", "Marked as suspected fraud: the clocks that move the case on are held")}</p>
                    {fr.reason.clone().map(|r| view! { <p id="fraud-reason">{lang.t("理由：", "Reason: ")}{r}</p> })}
                })}
                {field_error(f, "form")}
                {(!fr.may_mark_as.is_empty()).then(|| view! {
                    <form method="post" action=action class="action" id="fraud-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        {fr.may_mark_as.iter().map(|r| {
                            let label = if r == "platform" { lang.t("以平台身份", "As the platform") } else { lang.t("以监管部门身份", "As the agency") };
                            view! { <label class="choice"><input type="radio" name="role" value=r.clone() checked=fr.may_mark_as.len() == 1 || f.value("role") == *r/>{label}</label> }
                        }).collect_view()}
                        <label>{if fr.suspected { lang.t("撤销标记的理由", "Why the mark is lifted") } else { lang.t("标记理由（如栽赃、调包、敲诈勒索的证据）", "Reason (evidence of planting, swapping or extortion)") }}
                            <textarea name="reason" aria-describedby=super::described_by(f, "reason") rows="3" maxlength="1000" inner_html=crate::view::rcdata(&f.value("reason"))></textarea></label>
                        {field_error(f, "reason")}
                        <button type="submit" class=if fr.suspected { "" } else { "danger" }>{if fr.suspected { lang.t("撤销标记", "Lift the mark") } else { lang.t("标记为涉嫌欺诈", "Mark as suspected fraud") }}</button>
                    </form>
                })}
            </section>
        }
    })
}

/// How long the closed case file is kept (Order 117 Art. 16), and the legal
/// hold the agency sets against deletion, with its reason.
pub fn retention_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let r = &d.retention;
    let f = &r.flash;
    let shown = r.retain_until.is_some() || r.may_hold || f.error("form").is_some();
    shown.then(|| {
        let action = format!("/do/cases/{}/hold{}", d.case_no, if r.held { "/lift" } else { "" });
        let until = match r.retain_until {
            Some(day) => format!(
                "{}{}{}",
                lang.t("案卷保存至 ", "The case file is kept until "),
                day.format("%Y-%m-%d"),
                lang.t("，期满后删除（结案后三年）。", ", then deleted (three years after closure)."),
            ),
            None => lang.t("案件办结后，案卷保存三年，期满后删除。", "Once closed, the case file is kept three years, then deleted.").to_owned(),
        };
        view! {
            <section class="card" id="retention" data-held=r.held.to_string()>
                <h2>{lang.t("案卷留存", "Retention")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <p id="retain-until">{until}</p>
                {r.held.then(|| view! {
                    <p class="badge amber" id="legal-hold">{lang.t("法律保全中：期满也不删除", "Under legal hold: kept past its day")}</p>
                    {r.reason.clone().map(|why| view! { <p id="legal-hold-reason">{lang.t("保全理由：", "Reason: ")}{why}</p> })}
                })}
                {field_error(f, "form")}
                {r.may_hold.then(|| view! {
                    <form method="post" action=action class="action" id="hold-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <label>{if r.held { lang.t("解除保全的理由", "Why the hold is lifted") } else { lang.t("保全理由（如诉讼、行政处罚案件编号）", "Reason (e.g. the lawsuit or penalty case)") }}
                            <textarea name="reason" aria-describedby=super::described_by(f, "reason") rows="2" maxlength="500" inner_html=crate::view::rcdata(&f.value("reason"))></textarea></label>
                        {field_error(f, "reason")}
                        <button type="submit">{if r.held { lang.t("解除法律保全", "Lift the legal hold") } else { lang.t("设置法律保全", "Set a legal hold") }}</button>
                    </form>
                })}
            </section>
        }
    })
}

/// T23 (Order 121 Art. 27), for the agency: a violation found while mediating
/// opens a lead in its tip queue under D8; mediation goes on.
pub fn violation_section(lang: Lang, d: &Dossier) -> impl IntoView {
    use redline_rules::intake::Category;
    let v = &d.violations;
    let f = &v.flash;
    let shown = v.may_record || !v.leads.is_empty() || f.error("form").is_some();
    shown.then(|| {
        let leads = v
            .leads
            .iter()
            .map(|(no, due, status)| view! {
                <li data-tip=no.clone()><a href=format!("/staff/tips/{no}")>{no.clone()}</a>
                    {due.map(|d| format!(" · {}{}", lang.t("核查期限（D8）", "verify by (D8) "), d.format("%Y-%m-%d")))}
                    {(status == "VERIFYING").then(|| lang.t("（核查中）", " (verifying)"))}</li>
            })
            .collect_view();
        let cats = Category::ALL
            .iter()
            .map(|c| {
                let on = f.has("categories", c.as_str());
                view! { <label class="check"><input type="checkbox" name="categories" value=c.as_str() checked=on/>{lang.t(c.label_zh(), c.label_en())}</label> }
            })
            .collect_view();
        view! {
            <section class="card" id="violation">
                <h2>{lang.t("调解中发现的违法线索（投诉举报处理办法第二十七条）", "Violations found in mediation (Order 121 Art. 27)")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {(!v.leads.is_empty()).then(|| view! { <ul id="violation-leads">{leads}</ul> })}
                {field_error(f, "form")}
                {v.may_record.then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/violation", d.case_no) class="action" id="violation-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <p class="explain">{lang.t("登记后在本部门举报核查队列中立为线索，15个工作日内核查（可延长15个工作日）；调解继续进行。", "It becomes a lead in your tip queue, verified within 15 working days (once 15 more); mediation goes on.")}</p>
                        <label>{lang.t("发现的违法事实", "What was found")}
                            <textarea name="description" aria-describedby=super::described_by(f, "description") rows="3" maxlength="5000" inner_html=crate::view::rcdata(&f.value("description"))></textarea></label>
                        {field_error(f, "description")}
                        <fieldset class="checks"><legend>{lang.t("违法类别", "Kind of violation")}</legend>{cats}</fieldset>
                        {field_error(f, "categories")}
                        <button type="submit">{lang.t("登记违法线索", "Record the violation")}</button>
                    </form>
                })}
            </section>
        }
    })
}
