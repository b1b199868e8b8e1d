//! Where a case stands, in the words a complainant reads: the step on the way
//! (已提交 → 经营者答复 → 平台处理 → 监管受理 → 调解 → 办结, the steps 12315
//! shows), who must act now, on which clock, and what follows if they do not.
//! Derived from the transition table's consequences (Order 117 Art. 20;
//! Order 121 Arts. 15, 23), never stored.

use super::{CaseContext, CaseState, OfferKind, Role};
use crate::clock::ClockKind;

/// A step of the step bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Filed,
    OperatorAnswer,
    Platform,
    RegulatorIntake,
    Mediation,
    Closed,
}

impl Step {
    pub const ALL: [Step; 6] =
        [Step::Filed, Step::OperatorAnswer, Step::Platform, Step::RegulatorIntake, Step::Mediation, Step::Closed];

    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Filed => "已提交",
            Step::OperatorAnswer => "经营者答复",
            Step::Platform => "平台处理",
            Step::RegulatorIntake => "监管受理",
            Step::Mediation => "调解",
            Step::Closed => "办结",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Step::Filed => "Filed",
            Step::OperatorAnswer => "Operator answers",
            Step::Platform => "Platform handles",
            Step::RegulatorIntake => "Regulator accepts",
            Step::Mediation => "Mediation",
            Step::Closed => "Closed",
        }
    }
}

impl CaseState {
    /// The step of the step bar this state belongs to.
    pub fn step(self) -> Step {
        use CaseState::*;
        match self {
            _ if self.is_terminal() => Step::Closed,
            Draft | Submitted | Triaged => Step::Filed,
            RoutedToOperator | OperatorResponded | ConsumerReview => Step::OperatorAnswer,
            PlatformIntervention | PlatformDecided | EscalationReady => Step::Platform,
            // Withdrawn rests only after escalation, with the agency (Order 121 Art. 23(1)).
            EscalatedToRegulator | RegulatorDispatched | RegulatorRejected | RegulatorAccepted | Withdrawn => {
                Step::RegulatorIntake
            }
            Mediation | MediationPaused | MediationAgreed | MediationTerminated => Step::Mediation,
            Resolved | ClosedResolved | ClosedUnresolved | ClosedRejected | ClosedNoFeedback | ClosedWithdrawn => {
                Step::Closed
            }
        }
    }
}

/// Who holds the case now and what happens when their clock runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub actor: Role,
    /// What the actor is asked to do: (zh, en).
    pub task: (&'static str, &'static str),
    /// The clock that binds the actor, when one does.
    pub clock: Option<ClockKind>,
    /// What follows when the actor lets the clock run out: (zh, en).
    pub otherwise: (&'static str, &'static str),
}

/// Whose turn it is in `state`; None once the case is closed or between two
/// automatic steps.
pub fn turn(state: CaseState, ctx: &CaseContext) -> Option<Turn> {
    use CaseState::*;
    let t = |actor, task, clock, otherwise| Some(Turn { actor, task, clock, otherwise });
    match state {
        // T5: a silent operator hands the case to the platform, flagged untimely.
        RoutedToOperator => t(
            Role::Operator,
            ("经营者答复投诉并提出处理方案", "The operator answers with an offer"),
            Some(ClockKind::D1),
            (
                "逾期未答复的，平台介入处理，并记录经营者超时",
                "If it does not answer in time, the platform steps in and the operator is recorded as untimely",
            ),
        ),
        // T9: silence after a full offer closes; otherwise the case moves on.
        ConsumerReview => t(
            Role::Consumer,
            ("消费者决定是否接受处理方案", "The consumer accepts or rejects the offer"),
            Some(ClockKind::D2),
            match (ctx.last_offer, ctx.platform_decided) {
                (Some(OfferKind::Full), _) => (
                    "逾期未表态的，视为接受全部满足的方案，投诉结案",
                    "Silence accepts the full offer and the complaint closes",
                ),
                (_, false) => ("逾期未表态的，转由平台介入处理", "Silence passes the case to the platform"),
                (_, true) => (
                    "逾期未表态的，可提交市场监管部门",
                    "After silence the complaint may go to market supervision",
                ),
            },
        ),
        // T11: a silent platform leaves the way to the regulator open, flagged untimely.
        PlatformIntervention => t(
            Role::Platform,
            ("平台调查并作出处理决定", "The platform investigates and decides"),
            Some(ClockKind::D3),
            (
                "逾期未处理的，消费者可提交市场监管部门，并记录平台超时",
                "If it does not decide in time, the consumer may go to market supervision and the platform is recorded as untimely",
            ),
        ),
        EscalationReady => t(
            Role::Consumer,
            ("消费者可将投诉提交市场监管部门", "The consumer may send the complaint to market supervision"),
            None,
            (
                "未提交的，投诉停留在平台阶段；向监管部门投诉应在知道权益受损之日起三年内提出",
                "Unsent, it stays with the platform; a complaint to the regulator must be made within three years of knowing of the harm",
            ),
        ),
        // Order 121 Art. 15: the decision on acceptance within 7 working days.
        EscalatedToRegulator | RegulatorDispatched => t(
            Role::Regulator,
            ("市场监管部门决定是否受理", "Market supervision decides whether to accept"),
            Some(ClockKind::D5),
            (
                "应在收到投诉之日起七个工作日内决定；逾期的在监管队列中标为超期",
                "The decision is due within seven working days of receipt; late ones are marked in the regulator's queue",
            ),
        ),
        RegulatorAccepted | Mediation => t(
            Role::Regulator,
            ("市场监管部门组织调解", "Market supervision mediates"),
            Some(ClockKind::D6),
            (
                "自受理之日起六十日内未达成调解协议的，终止调解（令第121号第二十三条第（五）项）",
                "Without agreement within 60 days of acceptance, mediation ends (Order 121 Art. 23(5))",
            ),
        ),
        MediationPaused => t(
            Role::Regulator,
            ("调解中止（检测、鉴定或回避），期间不计入调解期限", "Mediation paused (testing or recusal); the pause does not count"),
            Some(ClockKind::D6),
            ("中止原因消除后恢复调解", "Mediation resumes when the cause ends"),
        ),
        // Withdrawn rests only after escalation (before, it closes at once).
        Withdrawn => t(
            Role::Regulator,
            ("投诉人已撤回，市场监管部门记录终止处理", "The complainant withdrew; market supervision records the end of handling"),
            None,
            (
                "依令第121号第二十三条第（一）项终止，记录后结案",
                "Ended under Order 121 Art. 23(1); the case closes once recorded",
            ),
        ),
        MediationTerminated => t(
            Role::Regulator,
            ("市场监管部门告知双方终止调解", "Market supervision tells both parties mediation ended"),
            Some(ClockKind::D7),
            (
                "应在七个工作日内告知；逾期的在监管队列中标为超期",
                "The notice is due within seven working days; late ones are marked in the regulator's queue",
            ),
        ),
        _ => None,
    }
}

/// The states in which `role` holds the case (its work list's 待处理), in
/// the table's order. Whose turn it is never depends on the offer, only what
/// follows does, so the default context answers for every case.
pub fn states_awaiting(role: Role) -> Vec<CaseState> {
    CaseState::ALL.into_iter().filter(|s| turn(*s, &CaseContext::default()).is_some_and(|t| t.actor == role)).collect()
}

/// Where the consumer may turn once a case ends without a remedy, with the
/// article: after a refusal, the routes of Consumer Protection Law Art. 39,
/// which the refusal must name (Order 121 Art. 15); after mediation ends
/// without agreement, arbitration or the courts (Order 121 Art. 25).
pub fn other_routes(state: CaseState) -> Option<((&'static str, &'static str), &'static str)> {
    match state {
        CaseState::ClosedRejected => Some((
            (
                "您还可以：与经营者协商和解；请求消费者协会或者依法成立的其他调解组织调解；向有关行政部门投诉；根据与经营者达成的仲裁协议提请仲裁机构仲裁；向人民法院提起诉讼。",
                "You may still settle with the business; ask a consumer association or another lawful mediation body to mediate; complain to another competent department; go to arbitration under an arbitration agreement with the business; or sue in a people's court.",
            ),
            "CPL Art. 39; Order 121 Art. 15",
        )),
        CaseState::ClosedUnresolved => Some((
            (
                "调解未能解决纠纷的，您可以依法申请仲裁，或者向人民法院提起诉讼。",
                "As mediation did not settle the dispute, you may go to arbitration or sue in a people's court.",
            ),
            "Order 121 Art. 25",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t17_t21_order121_arts15_25_a_case_ended_without_remedy_names_the_other_routes() {
        let (refused, article) = other_routes(CaseState::ClosedRejected).unwrap();
        assert!(refused.0.contains("向人民法院提起诉讼") && refused.0.contains("消费者协会"));
        assert_eq!(article, "CPL Art. 39; Order 121 Art. 15");
        assert_eq!(other_routes(CaseState::ClosedUnresolved).unwrap().1, "Order 121 Art. 25");
        for s in [CaseState::ClosedResolved, CaseState::ClosedWithdrawn, CaseState::Mediation] {
            assert_eq!(other_routes(s), None, "{s:?}");
        }
    }

    #[test]
    fn order117_art20_operator_then_platform_each_on_its_clock() {
        let ctx = CaseContext::default();
        let op = turn(CaseState::RoutedToOperator, &ctx).unwrap();
        assert_eq!((op.actor, op.clock), (Role::Operator, Some(ClockKind::D1)));
        let pl = turn(CaseState::PlatformIntervention, &ctx).unwrap();
        assert_eq!((pl.actor, pl.clock), (Role::Platform, Some(ClockKind::D3)));
        assert_eq!(CaseState::RoutedToOperator.step(), Step::OperatorAnswer);
        assert_eq!(CaseState::PlatformIntervention.step(), Step::Platform);
    }

    #[test]
    fn silence_on_a_full_offer_closes_otherwise_the_case_moves_on() {
        let full = CaseContext { last_offer: Some(OfferKind::Full), ..Default::default() };
        let partial = CaseContext { last_offer: Some(OfferKind::Partial), ..Default::default() };
        let decided = CaseContext { last_offer: Some(OfferKind::Reject), platform_decided: true, ..Default::default() };
        let said = |c| turn(CaseState::ConsumerReview, &c).unwrap().otherwise.0;
        assert!(said(full).contains("结案"));
        assert!(said(partial).contains("平台"));
        assert!(said(decided).contains("市场监管部门"));
    }

    #[test]
    fn each_party_holds_its_own_states() {
        use CaseState::*;
        assert_eq!(states_awaiting(Role::Operator), [RoutedToOperator]);
        assert_eq!(states_awaiting(Role::Consumer), [ConsumerReview, EscalationReady]);
        assert_eq!(states_awaiting(Role::Platform), [PlatformIntervention]);
        assert_eq!(
            states_awaiting(Role::Regulator),
            [
                EscalatedToRegulator,
                RegulatorDispatched,
                RegulatorAccepted,
                Mediation,
                MediationPaused,
                MediationTerminated,
                Withdrawn
            ]
        );
    }

    #[test]
    fn order121_art15_and_art23_regulator_clocks() {
        let ctx = CaseContext::default();
        assert_eq!(turn(CaseState::EscalatedToRegulator, &ctx).unwrap().clock, Some(ClockKind::D5));
        assert_eq!(turn(CaseState::Mediation, &ctx).unwrap().clock, Some(ClockKind::D6));
        assert_eq!(turn(CaseState::MediationTerminated, &ctx).unwrap().clock, Some(ClockKind::D7));
    }

    #[test]
    fn closed_cases_have_no_turn_and_sit_on_the_last_step() {
        for s in CaseState::ALL.into_iter().filter(|s| s.is_terminal()) {
            assert_eq!(turn(s, &CaseContext::default()), None, "{s:?}");
            assert_eq!(s.step(), Step::Closed, "{s:?}");
        }
        // The steps run in the order of the bar.
        let order: Vec<Step> = [
            CaseState::Submitted,
            CaseState::RoutedToOperator,
            CaseState::PlatformIntervention,
            CaseState::EscalatedToRegulator,
            CaseState::Mediation,
            CaseState::ClosedResolved,
        ]
        .map(CaseState::step)
        .to_vec();
        assert_eq!(order, Step::ALL.to_vec());
    }
}
