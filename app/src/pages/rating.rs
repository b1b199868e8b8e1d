//! T7 on the case page: once the case is over, the consumer rates each party
//! that handled it on three axes of 1 to 5 stars; the ratings given are shown
//! to every party (they are in the case's chain).
use crate::pages::{csrf_field, field_error};
use crate::view::Dossier;
use leptos::prelude::*;
use redline_rules::rating::{field, Axis, Handler};
use redline_rules::Lang;

fn handler_label(lang: Lang, code: &str) -> String {
    code.parse::<Handler>().map(|h| lang.t(h.label_zh(), h.label_en()).to_owned()).unwrap_or_else(|_| code.to_owned())
}

fn stars(n: u8) -> String {
    format!("{}{}", "★".repeat(n as usize), "☆".repeat(5 - n.min(5) as usize))
}

pub fn rating_section(lang: Lang, d: &Dossier) -> impl IntoView {
    let r = &d.rating;
    let f = &r.flash;
    let shown =
        !r.may_rate.is_empty() || !r.given.is_empty() || f.error("notice").is_some() || f.error("form").is_some();
    shown.then(|| {
        let given = r
            .given
            .iter()
            .map(|(h, s, comment)| {
                let axes = Axis::ALL
                    .iter()
                    .zip(s.iter())
                    .map(|(a, n)| view! { <span class="kv"><b>{lang.t(a.label_zh(), a.label_en())}</b>" "<span aria-label=format!("{n}/5")>{stars(*n)}</span></span> })
                    .collect_view();
                view! {
                    <li data-handler=h.clone()><b>{handler_label(lang, h)}</b>" "{axes}
                        {comment.clone().map(|c| view! { <p class="comment">{c}</p> })}</li>
                }
            })
            .collect_view();
        let parties = r
            .may_rate
            .iter()
            .map(|h| {
                let axes = Axis::ALL
                    .iter()
                    .map(|&a| {
                        let name = h.parse::<Handler>().map(|h| field(h, a)).unwrap_or_default();
                        let choices = (1..=5u8)
                            .map(|n| {
                                let checked = f.value(&name) == n.to_string();
                                view! { <label class="choice star"><input type="radio" name=name.clone() value=n.to_string() checked=checked/>{n.to_string()}</label> }
                            })
                            .collect_view();
                        view! { <fieldset class="stars"><legend>{lang.t(a.label_zh(), a.label_en())}</legend>{choices}</fieldset> }
                    })
                    .collect_view();
                view! {
                    <fieldset class="party" data-handler=h.clone()>
                        <legend>{handler_label(lang, h)}</legend>
                        {axes}
                        {field_error(f, h)}
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <section class="card" id="rating">
                <h2>{lang.t("评价处理情况", "Rate the handling")}</h2>
                {f.error("notice").map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {(!r.given.is_empty()).then(|| view! { <ul class="ratings" id="ratings-given">{given}</ul> })}
                {field_error(f, "form")}
                {(!r.may_rate.is_empty()).then(|| view! {
                    <form method="post" action=format!("/do/cases/{}/rating", d.case_no) class="action" id="rating-form">
                        {csrf_field()}
                        {crate::pages::error_summary(lang, f)}
                        <p class="explain">{lang.t("每项1星最差、5星最好；可只评价其中一方，其余稍后再评。", "1 star is worst, 5 best; you may rate one party now and the others later.")}</p>
                        {parties}
                        <label>{lang.t("评价内容（选填）", "Comment (optional)")}
                            <textarea name="comment" aria-describedby=super::described_by(f, "comment") rows="3" maxlength="500" inner_html=crate::view::rcdata(&f.value("comment"))></textarea></label>
                        {field_error(f, "comment")}
                        <button type="submit">{lang.t("提交评价", "Send rating")}</button>
                    </form>
                })}
            </section>
        }
    })
}
