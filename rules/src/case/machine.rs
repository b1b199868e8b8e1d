//! The transition table T1–T22: operator and platform stages under Order 117 Art. 20,
//! regulator stages under Order 121 Arts. 15–25, 41. Each (state, event) pair
//! has exactly one role allowed to fire it.

use serde::{Deserialize, Serialize};

use super::{CaseContext, CaseEvent, CaseState, OfferKind, Role, TransitionError};
use crate::clock::ClockKind;

/// What the caller must do to a clock when applying a transition. Stops of
/// clocks that are not running are to be ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClockEffect {
    Start(ClockKind),
    Stop(ClockKind),
    Pause(ClockKind),
    Resume(ClockKind),
}

/// Public compliance flags set by a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseFlag {
    /// D1 missed (T5): counts in the "timely" metric and Order 117 Art. 20 ¶2 monitoring.
    OperatorUntimely,
    /// D3 missed (T11): possible Order 117 Arts. 18/20 breach shown to regulators.
    PlatformUntimely,
}

/// An allowed step. `follow_up` is a system event the caller applies right after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub id: &'static str,
    pub from: CaseState,
    pub to: CaseState,
    pub clocks: Vec<ClockEffect>,
    pub flags: Vec<CaseFlag>,
    pub follow_up: Option<CaseEvent>,
}

/// Table row: who may fire it and what it does.
struct Rule {
    role: Role,
    id: &'static str,
    to: CaseState,
    clocks: Vec<ClockEffect>,
    flags: Vec<CaseFlag>,
    follow_up: Option<CaseEvent>,
}

fn rule(role: Role, id: &'static str, to: CaseState, clocks: &[ClockEffect]) -> Rule {
    Rule { role, id, to, clocks: clocks.to_vec(), flags: Vec::new(), follow_up: None }
}

impl Rule {
    fn then(mut self, e: CaseEvent) -> Rule {
        self.follow_up = Some(e);
        self
    }

    fn flag(mut self, f: CaseFlag) -> Rule {
        self.flags.push(f);
        self
    }
}

/// States a consumer may withdraw from (T22). Draft is deleted instead;
/// the transient states just before a close go on to their own close.
fn withdrawable(s: CaseState) -> bool {
    use CaseState::*;
    !s.is_terminal() && !matches!(s, Draft | Withdrawn | RegulatorRejected | MediationAgreed | MediationTerminated)
}

fn lookup(state: CaseState, event: &CaseEvent, ctx: &CaseContext) -> Option<Rule> {
    use CaseEvent as E;
    use CaseState as S;
    use ClockEffect::{Pause, Resume, Start, Stop};
    use ClockKind::*;
    use Role::{Consumer, Operator, Platform, Regulator, System};

    let r = match (state, event) {
        (S::Draft, E::Submit) => rule(Consumer, "T1", S::Submitted, &[]).then(E::Triage),
        (S::Submitted, E::Triage) => rule(System, "T2", S::Triaged, &[]).then(if ctx.platform_answers {
            E::PlatformIntervene
        } else {
            E::RouteToOperator
        }),
        (S::Triaged, E::RouteToOperator) if !ctx.platform_answers => {
            rule(System, "T3", S::RoutedToOperator, &[Start(D1)])
        }
        // Against the platform itself (Order 121 Art. 13 ¶1) or an MCN it
        // manages: the platform answers, on its D3 clock (Order 117 Art. 20).
        (S::Triaged, E::PlatformIntervene) if ctx.platform_answers => {
            rule(System, "T3", S::PlatformIntervention, &[Start(D3)])
        }
        // Order 117 Art. 20: the operator answers within the platform's limit.
        (S::RoutedToOperator, E::OperatorRespond { .. }) => {
            rule(Operator, "T4", S::OperatorResponded, &[Stop(D1)]).then(E::OpenReview)
        }
        (S::RoutedToOperator, E::D1Expired) => {
            rule(System, "T5", S::PlatformIntervention, &[Stop(D1), Start(D3)]).flag(CaseFlag::OperatorUntimely)
        }
        (S::OperatorResponded, E::OpenReview) => rule(System, "T6", S::ConsumerReview, &[Start(D2)]),
        (S::ConsumerReview, E::ConsumerAccept) => rule(Consumer, "T7", S::Resolved, &[Stop(D2)]),
        (S::ConsumerReview, E::ConsumerReject) if !ctx.platform_decided => {
            rule(Consumer, "T8", S::PlatformIntervention, &[Stop(D2), Start(D3)])
        }
        // 首问负责 (E-Commerce Law Art. 61; Order 121 Art. 6): the platform may step in early.
        (S::RoutedToOperator, E::PlatformIntervene) => {
            rule(Platform, "T8", S::PlatformIntervention, &[Stop(D1), Start(D3)])
        }
        (S::OperatorResponded, E::PlatformIntervene) => rule(Platform, "T8", S::PlatformIntervention, &[Start(D3)]),
        (S::ConsumerReview, E::PlatformIntervene) if !ctx.platform_decided => {
            rule(Platform, "T8", S::PlatformIntervention, &[Stop(D2), Start(D3)])
        }
        // Silence after a full offer closes; otherwise the case moves on.
        (S::ConsumerReview, E::D2Expired) => match (ctx.last_offer, ctx.platform_decided) {
            (Some(OfferKind::Full), _) => rule(System, "T9", S::ClosedNoFeedback, &[Stop(D2)]),
            (_, false) => rule(System, "T9", S::PlatformIntervention, &[Stop(D2), Start(D3)]),
            (_, true) => rule(System, "T9", S::EscalationReady, &[Stop(D2)]),
        },
        (S::PlatformIntervention, E::PlatformDecide { .. }) => {
            rule(Platform, "T10", S::PlatformDecided, &[Stop(D3)]).then(E::OpenReview)
        }
        (S::PlatformIntervention, E::D3Expired) => {
            rule(System, "T11", S::EscalationReady, &[Stop(D3)]).flag(CaseFlag::PlatformUntimely)
        }
        (S::PlatformDecided, E::OpenReview) => rule(System, "T12", S::ConsumerReview, &[Start(D2)]),
        (S::ConsumerReview, E::ConsumerReject) => rule(Consumer, "T13", S::EscalationReady, &[Stop(D2)]),
        // Order 121 Art. 15: D5 runs from the regulator's receipt.
        (S::EscalationReady, E::ConfirmEscalation) => rule(Consumer, "T14", S::EscalatedToRegulator, &[Start(D5)]),
        // Order 121 Art. 41 dispatch; D5 keeps running.
        (S::EscalatedToRegulator | S::RegulatorDispatched, E::Dispatch) => {
            rule(Regulator, "T15", S::RegulatorDispatched, &[])
        }
        // Order 121 Art. 23(5): the sixty days of mediation run from acceptance,
        // not from the day mediation begins.
        (S::EscalatedToRegulator | S::RegulatorDispatched, E::RegulatorAccept) => {
            rule(Regulator, "T16", S::RegulatorAccepted, &[Stop(D5), Start(D6)])
        }
        // Order 121 Art. 16 refusal.
        (S::EscalatedToRegulator | S::RegulatorDispatched, E::RegulatorRefuse { .. }) => {
            rule(Regulator, "T17", S::RegulatorRejected, &[Stop(D5)]).then(E::CloseRejected)
        }
        (S::RegulatorRejected, E::CloseRejected) => rule(System, "T17", S::ClosedRejected, &[]),
        // Order 121 Art. 18: mediation needs both parties' consent.
        (S::RegulatorAccepted, E::StartMediation) => rule(Regulator, "T18", S::Mediation, &[]),
        // Order 121 Arts. 21–22: recusal and testing suspend D6.
        (S::Mediation, E::PauseMediation { .. }) => rule(Regulator, "T19", S::MediationPaused, &[Pause(D6)]),
        (S::MediationPaused, E::ResumeMediation) => rule(Regulator, "T19", S::Mediation, &[Resume(D6)]),
        // Order 121 Art. 24.
        (S::Mediation, E::Agree) => rule(Regulator, "T20", S::MediationAgreed, &[Stop(D6)]).then(E::CloseAgreed),
        (S::MediationAgreed, E::CloseAgreed) => rule(System, "T20", S::ClosedResolved, &[]),
        // Order 121 Art. 23: D7 runs until the regulator records that both
        // parties were told of the termination (¶2, within 7 WD); then it closes.
        (S::Mediation | S::MediationPaused, E::Terminate { .. }) => {
            rule(Regulator, "T21", S::MediationTerminated, &[Stop(D6), Start(D7)])
        }
        (S::RegulatorAccepted, E::Terminate { .. }) => {
            rule(Regulator, "T21", S::MediationTerminated, &[Stop(D6), Start(D7)])
        }
        (S::MediationTerminated, E::CloseTerminated) => rule(Regulator, "T21", S::ClosedUnresolved, &[Stop(D7)]),
        // Before escalation a withdrawal ends the case at once.
        (s, E::Withdraw) if withdrawable(s) && !ctx.escalated => {
            rule(Consumer, "T22", S::Withdrawn, &[Stop(D1), Stop(D2), Stop(D3), Stop(D5), Stop(D6)])
                .then(E::CloseWithdrawn)
        }
        // After it, the agency ends the handling under Order 121 Art. 23(1); its
        // clocks run until it records that (the agency is told).
        (s, E::Withdraw) if withdrawable(s) => rule(Consumer, "T22", S::Withdrawn, &[]),
        (S::Withdrawn, E::CloseWithdrawn) if ctx.escalated => {
            rule(Regulator, "T22", S::ClosedWithdrawn, &[Stop(D5), Stop(D6)])
        }
        (S::Withdrawn, E::CloseWithdrawn) => rule(System, "T22", S::ClosedWithdrawn, &[]),
        // T9: closed because the consumer let a full offer pass; until three years
        // from knowing of the harm (D12, Order 121 Art. 16(4)) the consumer may
        // still take it to market supervision.
        (S::ClosedNoFeedback, E::Reopen) if ctx.within_limitation => rule(Consumer, "T9", S::EscalationReady, &[]),
        _ => return None,
    };
    Some(r)
}

/// Checks `event` fired by `role` in `state` and returns what to do.
pub fn transition(
    state: CaseState,
    event: &CaseEvent,
    role: Role,
    ctx: &CaseContext,
) -> Result<Transition, TransitionError> {
    // T9: the one way out of a closed case, while D12 runs.
    let reopening = state == CaseState::ClosedNoFeedback && matches!(event, CaseEvent::Reopen);
    if state.is_terminal() && !reopening {
        return Err(TransitionError::Terminal { state });
    }
    let name = event.name();
    let r = lookup(state, event, ctx).ok_or(TransitionError::NotAllowed { state, event: name, role })?;
    if r.role != role {
        return Err(TransitionError::WrongRole { state, event: name, role, expected: r.role });
    }
    Ok(Transition { id: r.id, from: state, to: r.to, clocks: r.clocks, flags: r.flags, follow_up: r.follow_up })
}

/// Names of the events `role` may fire now (for rendering buttons).
pub fn allowed_events(state: CaseState, role: Role, ctx: &CaseContext) -> Vec<&'static str> {
    CaseEvent::representatives()
        .iter()
        .filter(|e| transition(state, e, role, ctx).is_ok())
        .map(CaseEvent::name)
        .collect()
}
