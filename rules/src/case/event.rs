//! Events that move a case, and the facts the machine needs besides the state.

use serde::{Deserialize, Serialize};

use super::{OfferKind, PauseReason, RefusalReason, TerminationReason};

/// A trigger: a user action or a system event (clock expiry, follow-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseEvent {
    Submit,
    Triage,
    RouteToOperator,
    OperatorRespond { offer: OfferKind },
    D1Expired,
    OpenReview,
    ConsumerAccept,
    ConsumerReject,
    D2Expired,
    PlatformIntervene,
    PlatformDecide { offer: OfferKind, advance_compensation: bool },
    D3Expired,
    ConfirmEscalation,
    Dispatch,
    RegulatorAccept,
    RegulatorRefuse { reason: RefusalReason },
    CloseRejected,
    StartMediation,
    PauseMediation { reason: PauseReason },
    ResumeMediation,
    Agree,
    Terminate { reason: TerminationReason },
    CloseAgreed,
    CloseTerminated,
    Withdraw,
    CloseWithdrawn,
}

impl CaseEvent {
    /// Stable name, equal to the serde `type` tag.
    pub fn name(&self) -> &'static str {
        use CaseEvent::*;
        match self {
            Submit => "SUBMIT",
            Triage => "TRIAGE",
            RouteToOperator => "ROUTE_TO_OPERATOR",
            OperatorRespond { .. } => "OPERATOR_RESPOND",
            D1Expired => "D1_EXPIRED",
            OpenReview => "OPEN_REVIEW",
            ConsumerAccept => "CONSUMER_ACCEPT",
            ConsumerReject => "CONSUMER_REJECT",
            D2Expired => "D2_EXPIRED",
            PlatformIntervene => "PLATFORM_INTERVENE",
            PlatformDecide { .. } => "PLATFORM_DECIDE",
            D3Expired => "D3_EXPIRED",
            ConfirmEscalation => "CONFIRM_ESCALATION",
            Dispatch => "DISPATCH",
            RegulatorAccept => "REGULATOR_ACCEPT",
            RegulatorRefuse { .. } => "REGULATOR_REFUSE",
            CloseRejected => "CLOSE_REJECTED",
            StartMediation => "START_MEDIATION",
            PauseMediation { .. } => "PAUSE_MEDIATION",
            ResumeMediation => "RESUME_MEDIATION",
            Agree => "AGREE",
            Terminate { .. } => "TERMINATE",
            CloseAgreed => "CLOSE_AGREED",
            CloseTerminated => "CLOSE_TERMINATED",
            Withdraw => "WITHDRAW",
            CloseWithdrawn => "CLOSE_WITHDRAWN",
        }
    }

    /// One event of each kind (payloads arbitrary), in declaration order.
    /// Allowedness never depends on the payload, so these probe the table.
    pub fn representatives() -> [CaseEvent; 26] {
        use CaseEvent::*;
        [
            Submit,
            Triage,
            RouteToOperator,
            OperatorRespond { offer: OfferKind::Full },
            D1Expired,
            OpenReview,
            ConsumerAccept,
            ConsumerReject,
            D2Expired,
            PlatformIntervene,
            PlatformDecide { offer: OfferKind::Full, advance_compensation: false },
            D3Expired,
            ConfirmEscalation,
            Dispatch,
            RegulatorAccept,
            RegulatorRefuse { reason: RefusalReason::OtherLegal },
            CloseRejected,
            StartMediation,
            PauseMediation { reason: PauseReason::Testing },
            ResumeMediation,
            Agree,
            Terminate { reason: TerminationReason::Other },
            CloseAgreed,
            CloseTerminated,
            Withdraw,
            CloseWithdrawn,
        ]
    }
}

/// Case facts the guards need (kept by the caller, not by this crate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContext {
    /// The platform has decided (T10), so a review now is the second one.
    pub platform_decided: bool,
    /// The offer under review (operator's, or the platform's after T10).
    pub last_offer: Option<OfferKind>,
    /// The platform answers first: the complaint is against it (or an MCN it
    /// manages), so there is no operator to route to.
    #[serde(default)]
    pub platform_answers: bool,
}
