use super::*;
use crate::clock::ClockKind::*;
use CaseState as S;
use ClockEffect::{Pause, Resume, Start, Stop};
use Role::*;

fn ctx() -> CaseContext {
    CaseContext::default()
}

fn second_review(offer: OfferKind) -> CaseContext {
    CaseContext { platform_decided: true, last_offer: Some(offer), ..ctx() }
}

#[test]
fn t3_order121_art13_a_complaint_against_the_platform_goes_to_the_platform_on_d3() {
    let c = CaseContext { platform_answers: true, ..ctx() };
    assert_eq!(run(S::Draft, CaseEvent::Submit, Consumer, &c), (S::PlatformIntervention, vec!["T1", "T2", "T3"]));
    let t = ok(S::Triaged, CaseEvent::PlatformIntervene, System, &c);
    assert_eq!(t.clocks, vec![Start(D3)]);
    // Never to an operator, and an ordinary complaint never skips its operator.
    assert!(transition(S::Triaged, &CaseEvent::RouteToOperator, System, &c).is_err());
    assert!(transition(S::Triaged, &CaseEvent::PlatformIntervene, System, &ctx()).is_err());
}

fn ok(state: CaseState, e: CaseEvent, role: Role, c: &CaseContext) -> Transition {
    transition(state, &e, role, c).unwrap_or_else(|err| panic!("{state} {}: {err}", e.name()))
}

/// Applies `e`, then every follow-up as SYSTEM; returns (final state, ids).
fn run(state: CaseState, e: CaseEvent, role: Role, c: &CaseContext) -> (CaseState, Vec<&'static str>) {
    let mut t = ok(state, e, role, c);
    let mut ids = vec![t.id];
    while let Some(next) = t.follow_up {
        t = ok(t.to, next, System, c);
        ids.push(t.id);
    }
    (t.to, ids)
}

mod labels;
mod table;
use table::{every_event, ROLES};

const STOP_ALL: [ClockEffect; 5] = [Stop(D1), Stop(D2), Stop(D3), Stop(D5), Stop(D6)];

// ---- One test per transition ---------------------------------------------

#[test]
fn t1_submit_draft_then_system_triage() {
    let t = ok(S::Draft, CaseEvent::Submit, Consumer, &ctx());
    assert_eq!((t.id, t.to, t.follow_up), ("T1", S::Submitted, Some(CaseEvent::Triage)));
    assert!(t.clocks.is_empty());
}

#[test]
fn t2_order121_art9_triage_then_route() {
    let t = ok(S::Submitted, CaseEvent::Triage, System, &ctx());
    assert_eq!((t.id, t.to, t.follow_up), ("T2", S::Triaged, Some(CaseEvent::RouteToOperator)));
    // T1 → T2 → T3 chain lands on the operator with D1 running.
    assert_eq!(run(S::Draft, CaseEvent::Submit, Consumer, &ctx()), (S::RoutedToOperator, vec!["T1", "T2", "T3"]));
}

#[test]
fn t3_order117_art20_routing_starts_d1() {
    let t = ok(S::Triaged, CaseEvent::RouteToOperator, System, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T3", S::RoutedToOperator, vec![Start(D1)]));
}

#[test]
fn t4_order117_art20_operator_response_stops_d1() {
    let e = CaseEvent::OperatorRespond { offer: OfferKind::Partial };
    let t = ok(S::RoutedToOperator, e, Operator, &ctx());
    assert_eq!((t.id, t.to, t.clocks.clone()), ("T4", S::OperatorResponded, vec![Stop(D1)]));
    assert_eq!(t.follow_up, Some(CaseEvent::OpenReview));
    assert_eq!(run(S::RoutedToOperator, e, Operator, &ctx()), (S::ConsumerReview, vec!["T4", "T6"]));
}

#[test]
fn t5_order117_art20_d1_expiry_moves_to_platform_and_flags_operator() {
    let t = ok(S::RoutedToOperator, CaseEvent::D1Expired, System, &ctx());
    assert_eq!((t.id, t.to), ("T5", S::PlatformIntervention));
    assert_eq!(t.clocks, vec![Stop(D1), Start(D3)]);
    assert_eq!(t.flags, vec![CaseFlag::OperatorUntimely]);
}

#[test]
fn t6_open_review_starts_d2() {
    let t = ok(S::OperatorResponded, CaseEvent::OpenReview, System, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T6", S::ConsumerReview, vec![Start(D2)]));
}

#[test]
fn t7_consumer_accepts_resolves_and_stops_d2() {
    let t = ok(S::ConsumerReview, CaseEvent::ConsumerAccept, Consumer, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T7", S::Resolved, vec![Stop(D2)]));
    assert!(S::Resolved.is_terminal());
}

#[test]
fn t8_consumer_rejects_first_review_goes_to_platform() {
    let t = ok(S::ConsumerReview, CaseEvent::ConsumerReject, Consumer, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T8", S::PlatformIntervention, vec![Stop(D2), Start(D3)]));
}

#[test]
fn t8_ecommerce_law_art61_platform_may_intervene_early() {
    let cases = [
        (S::RoutedToOperator, vec![Stop(D1), Start(D3)]),
        (S::OperatorResponded, vec![Start(D3)]),
        (S::ConsumerReview, vec![Stop(D2), Start(D3)]),
    ];
    for (from, clocks) in cases {
        let t = ok(from, CaseEvent::PlatformIntervene, Platform, &ctx());
        assert_eq!((t.id, t.to, t.clocks), ("T8", S::PlatformIntervention, clocks));
    }
    // Not again once the platform has decided.
    let err =
        transition(S::ConsumerReview, &CaseEvent::PlatformIntervene, Platform, &second_review(OfferKind::Partial));
    assert!(matches!(err, Err(TransitionError::NotAllowed { .. })));
}

#[test]
fn t9_d2_expiry_after_full_offer_closes_no_feedback() {
    let c = CaseContext { platform_decided: false, last_offer: Some(OfferKind::Full), ..ctx() };
    let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &c);
    assert_eq!((t.id, t.to, t.clocks), ("T9", S::ClosedNoFeedback, vec![Stop(D2)]));
    let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &second_review(OfferKind::Full));
    assert_eq!(t.to, S::ClosedNoFeedback);
}

#[test]
fn t9_d2_expiry_after_partial_or_reject_goes_on() {
    for offer in [Some(OfferKind::Partial), Some(OfferKind::Reject), None] {
        let c = CaseContext { platform_decided: false, last_offer: offer, ..ctx() };
        let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &c);
        assert_eq!((t.id, t.to, t.clocks), ("T9", S::PlatformIntervention, vec![Stop(D2), Start(D3)]));
        let c = CaseContext { platform_decided: true, last_offer: offer, ..ctx() };
        let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &c);
        assert_eq!((t.id, t.to, t.clocks), ("T9", S::EscalationReady, vec![Stop(D2)]));
    }
}

#[test]
fn t10_order117_platform_decision_stops_d3_then_second_review() {
    let e = CaseEvent::PlatformDecide { offer: OfferKind::Full, advance_compensation: true };
    let t = ok(S::PlatformIntervention, e, Platform, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T10", S::PlatformDecided, vec![Stop(D3)]));
    assert_eq!(run(S::PlatformIntervention, e, Platform, &ctx()), (S::ConsumerReview, vec!["T10", "T12"]));
}

#[test]
fn t11_order117_art20_d3_expiry_escalation_ready_and_flags_platform() {
    let t = ok(S::PlatformIntervention, CaseEvent::D3Expired, System, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T11", S::EscalationReady, vec![Stop(D3)]));
    assert_eq!(t.flags, vec![CaseFlag::PlatformUntimely]);
}

#[test]
fn t12_second_review_starts_d2() {
    let t = ok(S::PlatformDecided, CaseEvent::OpenReview, System, &second_review(OfferKind::Partial));
    assert_eq!((t.id, t.to, t.clocks), ("T12", S::ConsumerReview, vec![Start(D2)]));
}

#[test]
fn t13_consumer_rejects_platform_decision_escalation_ready() {
    let t = ok(S::ConsumerReview, CaseEvent::ConsumerReject, Consumer, &second_review(OfferKind::Reject));
    assert_eq!((t.id, t.to, t.clocks), ("T13", S::EscalationReady, vec![Stop(D2)]));
}

#[test]
fn t14_order121_art15_consumer_confirms_escalation_starts_d5() {
    let t = ok(S::EscalationReady, CaseEvent::ConfirmEscalation, Consumer, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T14", S::EscalatedToRegulator, vec![Start(D5)]));
}

#[test]
fn t15_order121_art41_dispatch_keeps_d5_running() {
    for from in [S::EscalatedToRegulator, S::RegulatorDispatched] {
        let t = ok(from, CaseEvent::Dispatch, Regulator, &ctx());
        assert_eq!((t.id, t.to), ("T15", S::RegulatorDispatched));
        assert!(t.clocks.is_empty());
    }
}

#[test]
fn t17_order121_art16_refusal_closes_rejected() {
    for from in [S::EscalatedToRegulator, S::RegulatorDispatched] {
        for reason in RefusalReason::ALL {
            let e = CaseEvent::RegulatorRefuse { reason };
            let t = ok(from, e, Regulator, &ctx());
            assert_eq!((t.id, t.to, t.clocks), ("T17", S::RegulatorRejected, vec![Stop(D5)]));
            assert_eq!(run(from, e, Regulator, &ctx()), (S::ClosedRejected, vec!["T17", "T17"]));
        }
    }
}

#[test]
fn t16_order121_art15_art23_5_acceptance_stops_d5_and_starts_the_sixty_days() {
    for from in [S::EscalatedToRegulator, S::RegulatorDispatched] {
        let t = ok(from, CaseEvent::RegulatorAccept, Regulator, &ctx());
        assert_eq!((t.id, t.to, t.clocks), ("T16", S::RegulatorAccepted, vec![Stop(D5), Start(D6)]));
    }
    // Order 121 Art. 18: mediation begins once both agree; D6 is already running.
    let t = ok(S::RegulatorAccepted, CaseEvent::StartMediation, Regulator, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T18", S::Mediation, vec![]));
}

#[test]
fn t19_order121_arts21_22_pause_and_resume_d6() {
    for reason in PauseReason::ALL {
        let t = ok(S::Mediation, CaseEvent::PauseMediation { reason }, Regulator, &ctx());
        assert_eq!((t.id, t.to, t.clocks), ("T19", S::MediationPaused, vec![Pause(D6)]));
    }
    let t = ok(S::MediationPaused, CaseEvent::ResumeMediation, Regulator, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T19", S::Mediation, vec![Resume(D6)]));
}

#[test]
fn t20_order121_art24_agreement_closes_resolved() {
    let t = ok(S::Mediation, CaseEvent::Agree, Regulator, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T20", S::MediationAgreed, vec![Stop(D6)]));
    assert_eq!(run(S::Mediation, CaseEvent::Agree, Regulator, &ctx()), (S::ClosedResolved, vec!["T20", "T20"]));
}

#[test]
fn t21_order121_art23_termination_starts_d7_and_closes_unresolved() {
    for reason in TerminationReason::ALL {
        let e = CaseEvent::Terminate { reason };
        for from in [S::Mediation, S::MediationPaused] {
            let t = ok(from, e, Regulator, &ctx());
            assert_eq!((t.id, t.to, t.clocks), ("T21", S::MediationTerminated, vec![Stop(D6), Start(D7)]));
        }
        // Ended before mediation began (a party refused, Art. 23(2)): D6 stops too.
        let t = ok(S::RegulatorAccepted, e, Regulator, &ctx());
        assert_eq!(t.clocks, vec![Stop(D6), Start(D7)]);
        // The case closes when the regulator records the notice, which stops D7.
        assert_eq!(run(S::Mediation, e, Regulator, &ctx()), (S::MediationTerminated, vec!["T21"]));
        let close = ok(S::MediationTerminated, CaseEvent::CloseTerminated, Regulator, &ctx());
        assert_eq!((close.to, close.clocks), (S::ClosedUnresolved, vec![Stop(D7)]));
    }
}

#[test]
fn t9_order121_art16_4_a_case_closed_for_no_feedback_reopens_while_d12_runs() {
    let within = CaseContext { within_limitation: true, ..ctx() };
    let t = ok(S::ClosedNoFeedback, CaseEvent::Reopen, Consumer, &within);
    assert_eq!((t.id, t.to, t.clocks.as_slice()), ("T9", S::EscalationReady, [].as_slice()));
    // Three years after knowing of the harm: no longer.
    let late = transition(S::ClosedNoFeedback, &CaseEvent::Reopen, Consumer, &ctx());
    assert!(matches!(late, Err(TransitionError::NotAllowed { .. })));
    // Only that closed state reopens, and only by the consumer.
    let resolved = transition(S::ClosedResolved, &CaseEvent::Reopen, Consumer, &within);
    assert_eq!(resolved, Err(TransitionError::Terminal { state: S::ClosedResolved }));
    assert!(transition(S::ClosedNoFeedback, &CaseEvent::Reopen, Platform, &within).is_err());
}

#[test]
fn t22_withdrawal_before_escalation_stops_all_clocks_and_closes() {
    let mut n = 0;
    for s in CaseState::ALL {
        if let Ok(t) = transition(s, &CaseEvent::Withdraw, Consumer, &ctx()) {
            n += 1;
            assert_eq!((t.id, t.to, t.clocks.as_slice()), ("T22", S::Withdrawn, STOP_ALL.as_slice()));
            assert_eq!(run(s, CaseEvent::Withdraw, Consumer, &ctx()), (S::ClosedWithdrawn, vec!["T22", "T22"]));
        }
    }
    assert_eq!(n, 13);
    let draft = transition(S::Draft, &CaseEvent::Withdraw, Consumer, &ctx());
    assert!(matches!(draft, Err(TransitionError::NotAllowed { .. })));
}

#[test]
fn t22_order121_art23_1_withdrawal_after_escalation_waits_for_the_agency() {
    let escalated = CaseContext { escalated: true, ..ctx() };
    for s in [S::EscalatedToRegulator, S::RegulatorDispatched, S::RegulatorAccepted, S::Mediation, S::MediationPaused] {
        let t = ok(s, CaseEvent::Withdraw, Consumer, &escalated);
        assert_eq!((t.id, t.to, t.clocks.as_slice(), t.follow_up), ("T22", S::Withdrawn, [].as_slice(), None));
    }
    // The agency records the end under Art. 23(1): its clocks stop, the case closes.
    let close = ok(S::Withdrawn, CaseEvent::CloseWithdrawn, Regulator, &escalated);
    assert_eq!((close.to, close.clocks), (S::ClosedWithdrawn, vec![Stop(D5), Stop(D6)]));
    assert!(transition(S::Withdrawn, &CaseEvent::CloseWithdrawn, Consumer, &escalated).is_err());
    assert_eq!(crate::case::turn(S::Withdrawn, &escalated).map(|t| t.actor), Some(Regulator));
}

// ---- allowed_events, errors, strings ----------------------------------------

#[test]
fn allowed_events_lists_buttons_per_role() {
    assert_eq!(allowed_events(S::RoutedToOperator, Operator, &ctx()), vec!["OPERATOR_RESPOND"]);
    assert_eq!(allowed_events(S::RoutedToOperator, Consumer, &ctx()), vec!["WITHDRAW"]);
    assert_eq!(allowed_events(S::RoutedToOperator, Platform, &ctx()), vec!["PLATFORM_INTERVENE"]);
    assert_eq!(allowed_events(S::RoutedToOperator, System, &ctx()), vec!["D1_EXPIRED"]);
    assert_eq!(
        allowed_events(S::ConsumerReview, Consumer, &ctx()),
        vec!["CONSUMER_ACCEPT", "CONSUMER_REJECT", "WITHDRAW"]
    );
    assert!(allowed_events(S::ConsumerReview, Platform, &second_review(OfferKind::Full)).is_empty());
    assert_eq!(allowed_events(S::Mediation, Regulator, &ctx()), vec!["PAUSE_MEDIATION", "AGREE", "TERMINATE"]);
    assert_eq!(allowed_events(S::Draft, Consumer, &ctx()), vec!["SUBMIT"]);
}

#[test]
fn transition_errors_name_state_and_event() {
    let e = transition(S::RoutedToOperator, &CaseEvent::ConsumerAccept, Consumer, &ctx()).unwrap_err();
    assert_eq!(e.to_string(), "event CONSUMER_ACCEPT is not allowed in state ROUTED_TO_OPERATOR");
    assert!(e.message_zh().contains("待经营者答复") && e.message_zh().contains("CONSUMER_ACCEPT"));
    assert!(e.message_en().contains("Awaiting operator response"));
    let e = transition(S::RoutedToOperator, &CaseEvent::Withdraw, Operator, &ctx()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "event WITHDRAW in state ROUTED_TO_OPERATOR must be fired by role consumer, not operator"
    );
    assert!(e.message_zh().contains("只能由消费者执行"));
    let e = transition(S::ClosedResolved, &CaseEvent::Withdraw, Consumer, &ctx()).unwrap_err();
    assert_eq!(e.to_string(), "state CLOSED_RESOLVED is terminal; no further events are allowed");
    assert!(e.message_zh().contains("已办结"));
}

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Wire {
    state: CaseState,
    role: Role,
    offer: OfferKind,
    event: CaseEvent,
}

#[test]
fn serde_strings_match_as_str_and_name() {
    for state in CaseState::ALL {
        for e in every_event() {
            let w = Wire { state, role: Role::Platform, offer: OfferKind::Partial, event: e };
            let t = toml::to_string(&w).unwrap();
            assert!(t.contains(&format!("state = \"{}\"", state.as_str())), "{t}");
            assert!(t.contains(&format!("type = \"{}\"", e.name())), "{t}");
            assert!(t.contains("role = \"platform\"") && t.contains("offer = \"PARTIAL\""), "{t}");
            assert_eq!(toml::from_str::<Wire>(&t).unwrap(), w);
        }
        assert_eq!(state.as_str().parse::<CaseState>(), Ok(state));
        assert!(!state.label_zh().is_empty() && !state.label_en().is_empty());
    }
    for r in ROLES {
        assert_eq!(r.as_str().parse::<Role>(), Ok(r));
    }
    assert!("ADMIN".parse::<Role>().is_err());
}

#[test]
fn order121_art16_refusal_reasons_numbered_1_to_7() {
    for (i, r) in RefusalReason::ALL.iter().enumerate() {
        assert_eq!(r.article(), format!("Order 121 Art. 16({})", i + 1));
        assert_eq!(r.as_str().parse::<RefusalReason>(), Ok(*r));
        assert!(!r.label_zh().is_empty() && !r.label_en().is_empty());
    }
    assert_eq!(RefusalReason::ALL.len(), 7);
}

#[test]
fn order121_art23_termination_reasons_numbered_1_to_8() {
    for (i, r) in TerminationReason::ALL.iter().enumerate() {
        assert_eq!(r.article(), format!("Order 121 Art. 23({})", i + 1));
        assert_eq!(r.as_str().parse::<TerminationReason>(), Ok(*r));
        assert!(!r.label_zh().is_empty() && !r.label_en().is_empty());
    }
    assert_eq!(TerminationReason::TimeLimitExpired.as_str(), "TIME_LIMIT_EXPIRED");
    assert_eq!(PauseReason::Testing.article(), "Order 121 Art. 22");
    assert_eq!(PauseReason::Recusal.article(), "Order 121 Art. 21");
    assert_eq!("RECUSAL".parse::<PauseReason>(), Ok(PauseReason::Recusal));
}
