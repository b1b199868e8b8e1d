//! The top of the case page (当前进展): where the case is on the way, who must
//! act now and by when, what follows if they do not, the offer under review,
//! and the viewer's own steps right beside it.
use super::case_actions::action_form;
use super::{clock_text, role_label};
use crate::i18n::Lang;
use crate::view::{ClockView, Dossier, EventView};
use leptos::prelude::*;
use redline_rules::case::{turn, CaseState, Step};
use redline_rules::clock::ClockStatus;

pub fn progress_panel(lang: Lang, d: &Dossier) -> impl IntoView {
    let flash = d.flash.clone().unwrap_or_default();
    let here = d.state.step();
    let steps = Step::ALL
        .iter()
        .map(|s| {
            let (class, current) = match s.cmp(&here) {
                std::cmp::Ordering::Less => ("done", None),
                std::cmp::Ordering::Equal if here == Step::Closed => ("done current", Some("step")),
                std::cmp::Ordering::Equal => ("current", Some("step")),
                std::cmp::Ordering::Greater => ("todo", None),
            };
            view! { <li class=class aria-current=current>{lang.t(s.label_zh(), s.label_en())}</li> }
        })
        .collect_view();
    let who = match turn(d.state, &d.context) {
        Some(t) => {
            let mine = d.viewer_roles.contains(&t.actor);
            let clock = t.clock.and_then(|k| current_clock(&d.clocks, k));
            view! {
                <p class=if mine { "turn mine" } else { "turn" } id="turn" data-actor=t.actor.as_str()>
                    <strong>{if mine { lang.t("轮到您：", "Your turn: ").to_owned() } else { format!("{}{}", role_label(lang, t.actor), lang.t("处理中：", " to act: ")) }}</strong>
                    {lang.t(t.task.0, t.task.1)}
                </p>
                {clock.map(|c| view! {
                    <p class=if c.overdue { "due overdue" } else { "due" } id="turn-due">
                        {if lang.is_zh() { c.kind.name_zh().to_owned() } else { c.kind.name_en().to_owned() }}
                        {lang.t("：", ": ")}{clock_text(lang, c)}
                    </p>
                })}
                <p class="otherwise">{lang.t(t.otherwise.0, t.otherwise.1)}</p>
            }
            .into_any()
        }
        None if d.state.is_terminal() => view! {
            <p class="turn" id="turn">{lang.t("本案已办结，无需再操作。", "This case is closed; nothing more to do.")}</p>
            {redline_rules::case::progress::other_routes(d.state).map(|(text, article)| view! {
                <p class="other-routes" id="other-routes">{lang.t(text.0, text.1)}{" "}{super::cite(lang, article)}</p>
            })}
        }
        .into_any(),
        None => view! { <p class="turn" id="turn">{lang.t("系统处理中。", "Being processed.")}</p> }.into_any(),
    };
    let offer =
        (d.state == CaseState::ConsumerReview).then(|| last_offer(&d.events).map(|e| offer_quote(lang, e))).flatten();
    // Irreversible steps go last, after the ones a party usually takes.
    let mut actions: Vec<_> = d.actions.iter().collect();
    actions.sort_by_key(|a| redline_rules::case::is_irreversible(&a.event));
    let forms = actions.iter().map(|a| action_form(lang, d, a, &flash)).collect_view();
    view! {
        <section class="card progress" id="progress" aria-labelledby="progress-h">
            <h2 id="progress-h">{lang.t("当前进展", "Where it stands")}</h2>
            <ol class="steps" id="steps">{steps}</ol>
            <p class="state-line">
                <span class=format!("state-badge tier-{}", d.state.tier().as_str()) id="case-state" data-state=d.state.as_str()>
                    {lang.t(d.state.label_zh(), d.state.label_en())}
                </span>
                {d.operator_untimely.then(|| view! { <span class="badge amber">{lang.t("运营者超时", "Operator untimely")}</span> })}
                {d.platform_untimely.then(|| view! { <span class="badge amber">{lang.t("平台超时", "Platform untimely")}</span> })}
            </p>
            {who}
            {offer}
            {(!d.actions.is_empty()).then(|| view! {
                <h3>{lang.t("您可以", "What you can do")}</h3>
                <div class="actions" id="actions">{forms}</div>
            })}
        </section>
    }
}

/// The running (or paused) clock of `kind`, the latest when it ran twice.
pub fn current_clock(clocks: &[ClockView], kind: redline_rules::clock::ClockKind) -> Option<&ClockView> {
    clocks.iter().rev().find(|c| c.kind == kind && matches!(c.status, ClockStatus::Running | ClockStatus::Paused))
}

/// The offer the consumer is deciding on: the operator's, or the platform's after it decided.
pub fn last_offer(events: &[EventView]) -> Option<&EventView> {
    events.iter().rev().find(|e| e.event == "OPERATOR_RESPOND" || e.event == "PLATFORM_DECIDE")
}

fn offer_quote(lang: Lang, e: &EventView) -> impl IntoView {
    let get = |k: &str| e.details.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let kind = get("offer").and_then(|o| o.parse::<redline_rules::case::OfferKind>().ok());
    view! {
        <blockquote class="offer" id="offer">
            <p><strong>{role_label(lang, e.role)}{lang.t("的处理方案", "'s offer")}</strong>" · "<time>{e.at.clone()}</time></p>
            {kind.map(|k| view! { <p>{lang.t("方案：", "Offer: ")}{lang.t(k.label_zh(), k.label_en())}</p> })}
            {get("remedy").filter(|r| !r.is_empty()).map(|r| view! { <p>{lang.t("补救措施：", "Remedy: ")}{r}</p> })}
            {get("advance_compensation").filter(|v| v == "true").map(|_| view! { <p>{lang.t("平台先行赔付", "The platform pays first (先行赔付)")}</p> })}
            {get("message").filter(|m| !m.is_empty()).map(|m| view! { <p class="narrative">{m}</p> })}
        </blockquote>
    }
}
