//! The case's history (处理经过): what each step did, in words, newest first;
//! the transition ids, hashes and internal references sit in one 技术信息 fold.
use super::{cite, role_label};
use crate::i18n::Lang;
use crate::view::{ChainView, EventView};
use leptos::prelude::*;
use redline_rules::case::{PauseReason, RefusalReason, TerminationReason};

fn what(lang: Lang, e: &EventView) -> String {
    if let Some(label) = super::evidence::record_label(lang, &e.event) {
        return label.to_owned();
    }
    match redline_rules::case::event_label(&e.event) {
        Some((zh, en)) => lang.t(zh, en).to_owned(),
        // An event this page does not know: its new state still says what happened.
        None => lang.t(e.to.label_zh(), e.to.label_en()).to_owned(),
    }
}

pub fn timeline(lang: Lang, events: &[EventView], chain: &ChainView) -> impl IntoView {
    let items = events
        .iter()
        .rev()
        .map(|e| {
            let details = e
                .details
                .iter()
                .filter_map(|(k, v)| detail(lang, k, v))
                .map(|(k, v)| view! { <span class="kv"><b>{k}</b>{lang.t("：", ": ")}{v}</span> })
                .collect_view();
            view! {
                <li class="event" data-event=e.event.clone()>
                    <time>{e.at.clone()}</time>
                    <span class="who">{role_label(lang, e.role)}</span>
                    <span class="what">{what(lang, e)}</span>
                    <div class="details">{details}</div>
                </li>
            }
        })
        .collect_view();
    let tech = events
        .iter()
        .map(|e| {
            let kv = e
                .details
                .iter()
                .filter(|(k, v)| detail(lang, k, v).is_none())
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <tr><td>{e.seq}</td><td>{e.transition.clone()}</td><td><code>{e.event.clone()}</code></td>
                    <td><code>{e.from.as_str()}" → "{e.to.as_str()}</code></td><td class="hash">{kv}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{lang.t("处理经过", "Timeline")}</h2>
            <ol class="timeline" id="timeline">{items}</ol>
            <details class="tech" id="tech">
                <summary>{lang.t("技术信息", "Technical details")}</summary>
                {super::evidence::chain_badge(lang, chain)}
                <div class="table-wrap"><table>
                    <thead><tr><th>"#"</th><th>{lang.t("转换", "Transition")}</th><th>{lang.t("事件", "Event")}</th>
                        <th>{lang.t("状态", "States")}</th><th>{lang.t("记录", "Record")}</th></tr></thead>
                    <tbody>{tech}</tbody>
                </table></div>
            </details>
        </section>
    }
}

/// A timeline detail in the reader's language: (label, value), or None for
/// what only the 技术信息 fold shows (hashes, internal ids, replay addresses).
fn detail(lang: Lang, key: &str, value: &str) -> Option<(String, String)> {
    use redline_rules::case::OfferKind;
    let yes = || lang.t("是", "yes").to_owned();
    let (label, value) = match key {
        "message" => (lang.t("说明", "Message"), value.to_owned()),
        "remedy" => (lang.t("补救措施", "Remedy"), value.to_owned()),
        // The details themselves are not in the event (Order 121 Art. 10; see case::complainant).
        "complainant_details" => (
            lang.t("投诉人信息", "Complainant's details"),
            lang.t("已提供（令第121号第十条）", "given (Order 121 Art. 10)").to_owned(),
        ),
        "offer" => (
            lang.t("处理方案", "Offer"),
            match value.parse::<OfferKind>() {
                Ok(OfferKind::Full) => lang.t("全部满足", "full"),
                Ok(OfferKind::Partial) => lang.t("部分满足", "partial"),
                Ok(OfferKind::Reject) => lang.t("拒绝", "rejected"),
                Err(_) => value,
            }
            .to_owned(),
        ),
        "advance_compensation" => (
            lang.t("先行赔付", "Advance compensation"),
            if value == "true" { yes() } else { lang.t("否", "no").to_owned() },
        ),
        "consent" => (lang.t("同意提交监管部门", "Consented to escalation"), yes()),
        "reason" => (
            lang.t("理由", "Reason"),
            value
                .parse::<RefusalReason>()
                .map(|r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en())))
                .or_else(|_| {
                    value
                        .parse::<TerminationReason>()
                        .map(|r| format!("{} {}", cite(lang, r.article()), lang.t(r.label_zh(), r.label_en())))
                })
                .or_else(|_| value.parse::<PauseReason>().map(|r| lang.t(r.label_zh(), r.label_en()).to_owned()))
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "clock" => (
            lang.t("届满的时限", "Clock missed"),
            value
                .parse::<redline_rules::clock::ClockKind>()
                .map(|k| if lang.is_zh() { k.name_zh().to_owned() } else { format!("{} {}", k.code(), k.name_en()) })
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "due_on" => (lang.t("届满日", "Due on"), value.to_owned()),
        "clip" => (lang.t("直播片段", "Stream clip"), value.to_owned()),
        "file_name" => (lang.t("文件", "File"), value.to_owned()),
        "kind" => (
            lang.t("类型", "Kind"),
            value
                .parse::<redline_rules::evidence::EvidenceKind>()
                .map(|k| lang.t(k.label_zh(), k.label_en()).to_owned())
                .unwrap_or_else(|_| value.to_owned()),
        ),
        "size_bytes" => {
            (lang.t("大小", "Size"), value.parse().map(crate::i18n::size).unwrap_or_else(|_| value.to_owned()))
        }
        "retain_until" => (lang.t("保存至", "Kept until"), value.to_owned()),
        _ => return None,
    };
    Some((label.to_owned(), value))
}
