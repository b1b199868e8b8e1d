//! The whole transition table checked against one written independently of
//! the implementation, and every follow-up step.
use super::*;
use std::collections::HashMap;
use CaseState as S;

// ---- Exhaustive table check ----------------------------------------------

/// All events, with every payload value.
pub(super) fn every_event() -> Vec<CaseEvent> {
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

pub(super) const ROLES: [Role; 6] = [Consumer, Operator, Platform, Regulator, System, Admin];

/// The transition table T1–T22 (Order 117 Art. 20; Order 121 Arts. 15–25, 41), written
/// independently of the implementation:
/// (state, event name) → the only role that may fire it.
fn expected_table(c: &CaseContext) -> HashMap<(CaseState, &'static str), Role> {
    let (platform_decided, escalated) = (c.platform_decided, c.escalated);
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
        // After escalation the agency records the withdrawal (Order 121 Art. 23(1)).
        (S::Withdrawn, "CLOSE_WITHDRAWN", if escalated { Regulator } else { System }),
    ];
    for &(s, e, r) in rows {
        m.insert((s, e), r);
    }
    if !platform_decided {
        m.insert((S::ConsumerReview, "PLATFORM_INTERVENE"), Platform);
    }
    // T9: a case closed for no feedback reopens while D12 runs (Order 121 Art. 16(4)).
    if c.within_limitation {
        m.insert((S::ClosedNoFeedback, "REOPEN"), Consumer);
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
        CaseContext { platform_decided: false, last_offer: Some(OfferKind::Full), ..Default::default() },
        second_review(OfferKind::Full),
        second_review(OfferKind::Partial),
        second_review(OfferKind::Reject),
        CaseContext { escalated: true, ..Default::default() },
        CaseContext { within_limitation: true, ..Default::default() },
    ];
    let mut checked = 0;
    for c in &contexts {
        let table = expected_table(c);
        for state in CaseState::ALL {
            for e in every_event() {
                let name = e.name();
                for role in ROLES {
                    let got = transition(state, &e, role, c);
                    checked += 1;
                    // The one way out of a closed case: T9's reopening, guarded by D12.
                    if state.is_terminal() && !(state == S::ClosedNoFeedback && name == "REOPEN") {
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
