//! Case states, roles and offer kinds.

use serde::{Deserialize, Serialize};

/// Complaint state: operator and platform stages (Order 117 Art. 20), then the
/// regulator's (Order 121 Arts. 15–25, 41).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseState {
    Draft,
    Submitted,
    Triaged,
    RoutedToOperator,
    OperatorResponded,
    ConsumerReview,
    PlatformIntervention,
    PlatformDecided,
    Resolved,
    EscalationReady,
    EscalatedToRegulator,
    RegulatorDispatched,
    RegulatorRejected,
    RegulatorAccepted,
    Mediation,
    MediationPaused,
    MediationAgreed,
    MediationTerminated,
    Withdrawn,
    ClosedResolved,
    ClosedUnresolved,
    ClosedRejected,
    ClosedNoFeedback,
    ClosedWithdrawn,
}

str_enum!(CaseState {
    Draft => "DRAFT",
    Submitted => "SUBMITTED",
    Triaged => "TRIAGED",
    RoutedToOperator => "ROUTED_TO_OPERATOR",
    OperatorResponded => "OPERATOR_RESPONDED",
    ConsumerReview => "CONSUMER_REVIEW",
    PlatformIntervention => "PLATFORM_INTERVENTION",
    PlatformDecided => "PLATFORM_DECIDED",
    Resolved => "RESOLVED",
    EscalationReady => "ESCALATION_READY",
    EscalatedToRegulator => "ESCALATED_TO_REGULATOR",
    RegulatorDispatched => "REGULATOR_DISPATCHED",
    RegulatorRejected => "REGULATOR_REJECTED",
    RegulatorAccepted => "REGULATOR_ACCEPTED",
    Mediation => "MEDIATION",
    MediationPaused => "MEDIATION_PAUSED",
    MediationAgreed => "MEDIATION_AGREED",
    MediationTerminated => "MEDIATION_TERMINATED",
    Withdrawn => "WITHDRAWN",
    ClosedResolved => "CLOSED_RESOLVED",
    ClosedUnresolved => "CLOSED_UNRESOLVED",
    ClosedRejected => "CLOSED_REJECTED",
    ClosedNoFeedback => "CLOSED_NO_FEEDBACK",
    ClosedWithdrawn => "CLOSED_WITHDRAWN",
});

/// Which level of the chain holds a case: the live-room operator, the
/// platform (Order 117 Art. 20), market supervision (Order 121), or nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tier {
    Operator,
    Platform,
    Regulator,
    Closed,
}
str_enum!(Tier { Operator => "operator", Platform => "platform", Regulator => "regulator", Closed => "closed" });

impl Tier {
    /// Every state at this tier (for filtering stored cases).
    pub fn states(self) -> Vec<CaseState> {
        CaseState::ALL.into_iter().filter(|s| s.tier() == self).collect()
    }
}

impl CaseState {
    /// The tier holding a case in this state. Before the platform steps in,
    /// the operator's answer and the consumer's review are the operator tier.
    pub fn tier(&self) -> Tier {
        use CaseState::*;
        match self {
            _ if self.is_terminal() => Tier::Closed,
            Draft | Submitted | Triaged | RoutedToOperator | OperatorResponded | ConsumerReview => Tier::Operator,
            PlatformIntervention | PlatformDecided | EscalationReady => Tier::Platform,
            // Withdrawn rests only after escalation, until the agency records it.
            _ => Tier::Regulator,
        }
    }

    /// No event applies any more. RESOLVED counts as terminal: the consumer
    /// accepted the remedy, so the case is over (a design choice, not a legal rule).
    pub fn is_terminal(&self) -> bool {
        use CaseState::*;
        matches!(
            self,
            Resolved | ClosedResolved | ClosedUnresolved | ClosedRejected | ClosedNoFeedback | ClosedWithdrawn
        )
    }

    pub fn label_zh(&self) -> &'static str {
        use CaseState::*;
        match self {
            Draft => "草稿",
            Submitted => "已提交",
            Triaged => "已分拣",
            RoutedToOperator => "待经营者答复",
            OperatorResponded => "经营者已答复",
            ConsumerReview => "待消费者确认",
            PlatformIntervention => "平台介入处理中",
            PlatformDecided => "平台已作出处理",
            Resolved => "已解决",
            EscalationReady => "待提交市场监管部门",
            EscalatedToRegulator => "已提交市场监管部门",
            RegulatorDispatched => "已分送承办部门",
            RegulatorRejected => "不予受理",
            RegulatorAccepted => "已受理",
            Mediation => "调解中",
            MediationPaused => "调解中止",
            MediationAgreed => "调解达成协议",
            MediationTerminated => "终止调解",
            Withdrawn => "已撤回",
            ClosedResolved => "已办结（调解成功）",
            ClosedUnresolved => "已办结（未达成协议）",
            ClosedRejected => "已办结（不予受理）",
            ClosedNoFeedback => "已办结（消费者未反馈）",
            ClosedWithdrawn => "已办结（已撤回）",
        }
    }

    pub fn label_en(&self) -> &'static str {
        use CaseState::*;
        match self {
            Draft => "Draft",
            Submitted => "Submitted",
            Triaged => "Triaged",
            RoutedToOperator => "Awaiting operator response",
            OperatorResponded => "Operator responded",
            ConsumerReview => "Awaiting consumer review",
            PlatformIntervention => "Platform intervening",
            PlatformDecided => "Platform decided",
            Resolved => "Resolved",
            EscalationReady => "Ready to escalate to regulator",
            EscalatedToRegulator => "Escalated to regulator",
            RegulatorDispatched => "Dispatched to competent bureau",
            RegulatorRejected => "Not accepted by regulator",
            RegulatorAccepted => "Accepted by regulator",
            Mediation => "In mediation",
            MediationPaused => "Mediation suspended",
            MediationAgreed => "Mediation agreed",
            MediationTerminated => "Mediation terminated",
            Withdrawn => "Withdrawn",
            ClosedResolved => "Closed (mediation agreed)",
            ClosedUnresolved => "Closed (no agreement)",
            ClosedRejected => "Closed (not accepted)",
            ClosedNoFeedback => "Closed (no consumer feedback)",
            ClosedWithdrawn => "Closed (withdrawn)",
        }
    }
}

/// Who fires an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Consumer,
    Operator,
    Platform,
    Regulator,
    System,
    Admin,
}

str_enum!(Role {
    Consumer => "consumer",
    Operator => "operator",
    Platform => "platform",
    Regulator => "regulator",
    System => "system",
    Admin => "admin",
});

impl Role {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Role::Consumer => "消费者",
            Role::Operator => "经营者",
            Role::Platform => "平台",
            Role::Regulator => "市场监管部门",
            Role::System => "系统",
            Role::Admin => "管理员",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            Role::Consumer => "consumer",
            Role::Operator => "operator",
            Role::Platform => "platform",
            Role::Regulator => "regulator",
            Role::System => "system",
            Role::Admin => "administrator",
        }
    }
}

/// What an operator or platform offers: full remedy, partial, or refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferKind {
    Full,
    Partial,
    Reject,
}

str_enum!(OfferKind { Full => "FULL", Partial => "PARTIAL", Reject => "REJECT" });

impl OfferKind {
    pub fn label_zh(&self) -> &'static str {
        match self {
            OfferKind::Full => "全部满足诉求",
            OfferKind::Partial => "部分满足诉求",
            OfferKind::Reject => "拒绝诉求",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            OfferKind::Full => "full remedy",
            OfferKind::Partial => "partial remedy",
            OfferKind::Reject => "request refused",
        }
    }
}

#[cfg(test)]
mod tier_tests {
    use super::*;

    #[test]
    fn order117_art20_every_state_sits_at_exactly_one_tier() {
        let names: std::collections::HashSet<&str> = CaseState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names.len(), 24);
        let tiers = [Tier::Operator, Tier::Platform, Tier::Regulator, Tier::Closed];
        let counts: Vec<usize> = tiers.iter().map(|t| t.states().len()).collect();
        // Withdrawn waits with market supervision (Order 121 Art. 23(1)).
        assert_eq!(counts, vec![6, 3, 9, 6]);
        assert_eq!(CaseState::Withdrawn.tier(), Tier::Regulator);
        assert_eq!(CaseState::PlatformIntervention.tier(), Tier::Platform);
        assert_eq!(CaseState::MediationPaused.tier(), Tier::Regulator);
        assert_eq!(CaseState::Resolved.tier(), Tier::Closed);
        assert_eq!("regulator".parse::<Tier>(), Ok(Tier::Regulator));
    }
}
