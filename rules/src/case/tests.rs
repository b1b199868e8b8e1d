use std::collections::HashMap;

use super::*;
use crate::clock::ClockKind::*;
use CaseState as S;
use ClockEffect::{Pause, Resume, Start, Stop};
use Role::*;

fn ctx() -> CaseContext {
    CaseContext::default()
}

fn second_review(offer: OfferKind) -> CaseContext {
    CaseContext { platform_decided: true, last_offer: Some(offer) }
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
    let c = CaseContext { platform_decided: false, last_offer: Some(OfferKind::Full) };
    let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &c);
    assert_eq!((t.id, t.to, t.clocks), ("T9", S::ClosedNoFeedback, vec![Stop(D2)]));
    let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &second_review(OfferKind::Full));
    assert_eq!(t.to, S::ClosedNoFeedback);
}

#[test]
fn t9_d2_expiry_after_partial_or_reject_goes_on() {
    for offer in [Some(OfferKind::Partial), Some(OfferKind::Reject), None] {
        let c = CaseContext { platform_decided: false, last_offer: offer };
        let t = ok(S::ConsumerReview, CaseEvent::D2Expired, System, &c);
        assert_eq!((t.id, t.to, t.clocks), ("T9", S::PlatformIntervention, vec![Stop(D2), Start(D3)]));
        let c = CaseContext { platform_decided: true, last_offer: offer };
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
fn t16_order121_art15_acceptance_stops_d5() {
    for from in [S::EscalatedToRegulator, S::RegulatorDispatched] {
        let t = ok(from, CaseEvent::RegulatorAccept, Regulator, &ctx());
        assert_eq!((t.id, t.to, t.clocks), ("T16", S::RegulatorAccepted, vec![Stop(D5)]));
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
fn t18_order121_art18_mediation_starts_d6() {
    let t = ok(S::RegulatorAccepted, CaseEvent::StartMediation, Regulator, &ctx());
    assert_eq!((t.id, t.to, t.clocks), ("T18", S::Mediation, vec![Start(D6)]));
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
        let t = ok(S::RegulatorAccepted, e, Regulator, &ctx());
        assert_eq!(t.clocks, vec![Start(D7)]);
        // The case closes when the regulator records the notice, which stops D7.
        assert_eq!(run(S::Mediation, e, Regulator, &ctx()), (S::MediationTerminated, vec!["T21"]));
        let close = ok(S::MediationTerminated, CaseEvent::CloseTerminated, Regulator, &ctx());
        assert_eq!((close.to, close.clocks), (S::ClosedUnresolved, vec![Stop(D7)]));
    }
}

#[test]
fn t22_order121_art23_1_withdrawal_stops_all_clocks_and_closes() {
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

// ---- Exhaustive table check ----------------------------------------------

/// All events, with every payload value.
fn every_event() -> Vec<CaseEvent> {
    use CaseEvent as E;
    let mut v = Vec::new();
    for e in CaseEvent::representatives() {
        match e {
            E::OperatorRespond { .. } => v.extend(OfferKind::ALL.map(|offer| E::OperatorRespond { offer })),
            E::PlatformDecide { .. } => {
                for offer in OfferKind::ALL {
                    for advance_compensation in [false, true] {
                        v.push(E::PlatformDecide { offer, advance_compensation });
                    }
                }
            }
            E::RegulatorRefuse { .. } => v.extend(RefusalReason::ALL.map(|reason| E::RegulatorRefuse { reason })),
            E::PauseMediation { .. } => v.extend(PauseReason::ALL.map(|reason| E::PauseMediation { reason })),
            E::Terminate { .. } => v.extend(TerminationReason::ALL.map(|reason| E::Terminate { reason })),
            other => v.push(other),
        }
    }
    v
}

const ROLES: [Role; 6] = [Consumer, Operator, Platform, Regulator, System, Admin];

/// The transition table T1–T22 (Order 117 Art. 20; Order 121 Arts. 15–25, 41), written
/// independently of the implementation:
/// (state, event name) → the only role that may fire it.
fn expected_table(platform_decided: bool) -> HashMap<(CaseState, &'static str), Role> {
    const WITHDRAWABLE: [CaseState; 13] = [
        S::Submitted,
        S::Triaged,
        S::RoutedToOperator,
        S::OperatorResponded,
        S::ConsumerReview,
        S::PlatformIntervention,
        S::PlatformDecided,
        S::EscalationReady,
        S::EscalatedToRegulator,
        S::RegulatorDispatched,
        S::RegulatorAccepted,
        S::Mediation,
        S::MediationPaused,
    ];
    let mut m = HashMap::new();
    let rows: &[(CaseState, &str, Role)] = &[
        (S::Draft, "SUBMIT", Consumer),
        (S::Submitted, "TRIAGE", System),
        (S::Triaged, "ROUTE_TO_OPERATOR", System),
        (S::RoutedToOperator, "OPERATOR_RESPOND", Operator),
        (S::RoutedToOperator, "D1_EXPIRED", System),
        (S::RoutedToOperator, "PLATFORM_INTERVENE", Platform),
        (S::OperatorResponded, "OPEN_REVIEW", System),
        (S::OperatorResponded, "PLATFORM_INTERVENE", Platform),
        (S::ConsumerReview, "CONSUMER_ACCEPT", Consumer),
        (S::ConsumerReview, "CONSUMER_REJECT", Consumer),
        (S::ConsumerReview, "D2_EXPIRED", System),
        (S::PlatformIntervention, "PLATFORM_DECIDE", Platform),
        (S::PlatformIntervention, "D3_EXPIRED", System),
        (S::PlatformDecided, "OPEN_REVIEW", System),
        (S::EscalationReady, "CONFIRM_ESCALATION", Consumer),
        (S::EscalatedToRegulator, "DISPATCH", Regulator),
        (S::EscalatedToRegulator, "REGULATOR_ACCEPT", Regulator),
        (S::EscalatedToRegulator, "REGULATOR_REFUSE", Regulator),
        (S::RegulatorDispatched, "DISPATCH", Regulator),
        (S::RegulatorDispatched, "REGULATOR_ACCEPT", Regulator),
        (S::RegulatorDispatched, "REGULATOR_REFUSE", Regulator),
        (S::RegulatorRejected, "CLOSE_REJECTED", System),
        (S::RegulatorAccepted, "START_MEDIATION", Regulator),
        (S::RegulatorAccepted, "TERMINATE", Regulator),
        (S::Mediation, "PAUSE_MEDIATION", Regulator),
        (S::Mediation, "AGREE", Regulator),
        (S::Mediation, "TERMINATE", Regulator),
        (S::MediationPaused, "RESUME_MEDIATION", Regulator),
        (S::MediationPaused, "TERMINATE", Regulator),
        (S::MediationAgreed, "CLOSE_AGREED", System),
        (S::MediationTerminated, "CLOSE_TERMINATED", Regulator),
        (S::Withdrawn, "CLOSE_WITHDRAWN", System),
    ];
    for &(s, e, r) in rows {
        m.insert((s, e), r);
    }
    if !platform_decided {
        m.insert((S::ConsumerReview, "PLATFORM_INTERVENE"), Platform);
    }
    for s in WITHDRAWABLE {
        m.insert((s, "WITHDRAW"), Consumer);
    }
    m
}

#[test]
fn exhaustive_states_events_roles_match_table() {
    let contexts = [
        CaseContext::default(),
        CaseContext { platform_decided: false, last_offer: Some(OfferKind::Full) },
        second_review(OfferKind::Full),
        second_review(OfferKind::Partial),
        second_review(OfferKind::Reject),
    ];
    let mut checked = 0;
    for c in &contexts {
        let table = expected_table(c.platform_decided);
        for state in CaseState::ALL {
            for e in every_event() {
                let name = e.name();
                for role in ROLES {
                    let got = transition(state, &e, role, c);
                    checked += 1;
                    if state.is_terminal() {
                        assert_eq!(got, Err(TransitionError::Terminal { state }));
                        continue;
                    }
                    match table.get(&(state, name)) {
                        None => assert_eq!(got, Err(TransitionError::NotAllowed { state, event: name, role })),
                        Some(&expected) if expected != role => {
                            assert_eq!(got, Err(TransitionError::WrongRole { state, event: name, role, expected }))
                        }
                        Some(_) => {
                            let t = got.unwrap();
                            assert_eq!(t.from, state);
                            assert!(t.id.starts_with('T'));
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, contexts.len() * 24 * every_event().len() * 6);
}

#[test]
fn admin_gets_no_transitions() {
    for state in CaseState::ALL {
        assert!(allowed_events(state, Admin, &ctx()).is_empty());
        for e in every_event() {
            assert!(transition(state, &e, Admin, &ctx()).is_err());
        }
    }
}

#[test]
fn terminal_states_refuse_everything() {
    let terminal: Vec<_> = CaseState::ALL.into_iter().filter(|s| s.is_terminal()).collect();
    assert_eq!(
        terminal,
        vec![
            S::Resolved,
            S::ClosedResolved,
            S::ClosedUnresolved,
            S::ClosedRejected,
            S::ClosedNoFeedback,
            S::ClosedWithdrawn
        ]
    );
    for s in terminal {
        for role in ROLES {
            assert!(allowed_events(s, role, &ctx()).is_empty());
        }
    }
}

#[test]
fn every_follow_up_is_a_system_step_that_ends_somewhere_sensible() {
    // Every non-terminal state reached by a follow-up chain is a stable
    // waiting state, never a transient one awaiting a close. (MEDIATION_TERMINATED
    // waits for the regulator to record the Art. 23 ¶2 notice, so it is stable.)
    let transient = [
        S::Submitted,
        S::Triaged,
        S::OperatorResponded,
        S::PlatformDecided,
        S::RegulatorRejected,
        S::MediationAgreed,
        S::Withdrawn,
    ];
    for c in [ctx(), second_review(OfferKind::Reject)] {
        for state in CaseState::ALL {
            for e in every_event() {
                for role in ROLES {
                    if transition(state, &e, role, &c).is_ok() {
                        let (end, _) = run(state, e, role, &c);
                        assert!(!transient.contains(&end), "{state} {} ends in {end}", e.name());
                    }
                }
            }
        }
    }
}

#[test]
fn full_happy_path_to_mediation_agreement() {
    let mut c = ctx();
    let (s, _) = run(S::Draft, CaseEvent::Submit, Consumer, &c);
    let (s, _) = run(s, CaseEvent::OperatorRespond { offer: OfferKind::Reject }, Operator, &c);
    c.last_offer = Some(OfferKind::Reject);
    let (s, _) = run(s, CaseEvent::ConsumerReject, Consumer, &c);
    let (s, _) =
        run(s, CaseEvent::PlatformDecide { offer: OfferKind::Partial, advance_compensation: false }, Platform, &c);
    c = second_review(OfferKind::Partial);
    assert_eq!(s, S::ConsumerReview);
    let (s, ids) = run(s, CaseEvent::ConsumerReject, Consumer, &c);
    assert_eq!((s, ids), (S::EscalationReady, vec!["T13"]));
    let (s, _) = run(s, CaseEvent::ConfirmEscalation, Consumer, &c);
    let (s, _) = run(s, CaseEvent::Dispatch, Regulator, &c);
    let (s, _) = run(s, CaseEvent::RegulatorAccept, Regulator, &c);
    let (s, _) = run(s, CaseEvent::StartMediation, Regulator, &c);
    let (s, _) = run(s, CaseEvent::PauseMediation { reason: PauseReason::Testing }, Regulator, &c);
    let (s, _) = run(s, CaseEvent::ResumeMediation, Regulator, &c);
    assert_eq!(run(s, CaseEvent::Agree, Regulator, &c).0, S::ClosedResolved);
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
