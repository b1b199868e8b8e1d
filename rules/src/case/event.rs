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
    OperatorRespond {
        offer: OfferKind,
    },
    D1Expired,
    OpenReview,
    ConsumerAccept,
    ConsumerReject,
    D2Expired,
    PlatformIntervene,
    PlatformDecide {
        offer: OfferKind,
        advance_compensation: bool,
    },
    D3Expired,
    ConfirmEscalation,
    Dispatch,
    RegulatorAccept,
    RegulatorRefuse {
        reason: RefusalReason,
    },
    CloseRejected,
    StartMediation,
    PauseMediation {
        reason: PauseReason,
    },
    ResumeMediation,
    Agree,
    Terminate {
        reason: TerminationReason,
    },
    CloseAgreed,
    CloseTerminated,
    Withdraw,
    CloseWithdrawn,
    /// The consumer reopens a case closed for no feedback, into escalation (T9).
    Reopen,
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
            Reopen => "REOPEN",
        }
    }

    /// One event of each kind (payloads arbitrary), in declaration order.
    /// Allowedness never depends on the payload, so these probe the table.
    pub fn representatives() -> [CaseEvent; 27] {
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
            Reopen,
        ]
    }
}

/// What an event did, as the timeline says it: (zh, en). Keyed by the stored
/// name so that the page need not parse the payload.
pub fn event_label(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "SUBMIT" => ("消费者提交投诉", "Complaint filed"),
        "TRIAGE" => ("系统完成分拣", "Sorted"),
        "ROUTE_TO_OPERATOR" => ("转交直播间运营者答复", "Sent to the live-room operator"),
        "OPERATOR_RESPOND" => ("经营者答复", "Operator answered"),
        "D1_EXPIRED" => ("经营者逾期未答复，转平台处理", "Operator did not answer in time; passed to the platform"),
        "OPEN_REVIEW" => ("请消费者确认处理方案", "Offer sent to the consumer"),
        "CONSUMER_ACCEPT" => ("消费者接受处理结果", "Consumer accepted"),
        "CONSUMER_REJECT" => ("消费者不接受处理结果", "Consumer rejected"),
        "D2_EXPIRED" => ("消费者逾期未表态", "Consumer did not answer in time"),
        "PLATFORM_INTERVENE" => ("平台介入处理", "Platform stepped in"),
        "PLATFORM_DECIDE" => ("平台作出处理决定", "Platform decided"),
        "D3_EXPIRED" => ("平台逾期未处理", "Platform did not decide in time"),
        "CONFIRM_ESCALATION" => ("消费者提交市场监管部门", "Sent to market supervision"),
        "DISPATCH" => ("改派承办部门", "Reassigned to another agency"),
        "REGULATOR_ACCEPT" => ("市场监管部门受理", "Accepted by market supervision"),
        "REGULATOR_REFUSE" => ("市场监管部门不予受理", "Refused by market supervision"),
        "CLOSE_REJECTED" => ("不予受理，结案", "Closed: not accepted"),
        "START_MEDIATION" => ("开始调解", "Mediation started"),
        "PAUSE_MEDIATION" => ("中止调解", "Mediation paused"),
        "RESUME_MEDIATION" => ("恢复调解", "Mediation resumed"),
        "AGREE" => ("达成调解协议", "Agreement reached"),
        "TERMINATE" => ("终止调解", "Mediation ended"),
        "CLOSE_AGREED" => ("调解成功，结案", "Closed: agreement"),
        "CLOSE_TERMINATED" => ("已告知双方终止调解，结案", "Closed: both parties told mediation ended"),
        "WITHDRAW" => ("消费者撤回投诉", "Complaint withdrawn"),
        "CLOSE_WITHDRAWN" => ("已撤回，结案", "Closed: withdrawn"),
        "REOPEN" => ("消费者重新提出，可提交市场监管部门", "Reopened by the consumer, to go to market supervision"),
        _ => return None,
    })
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
    /// The complaint reached market supervision (T14): a withdrawal then waits
    /// for the agency to record it (Order 121 Art. 23(1)).
    #[serde(default)]
    pub escalated: bool,
    /// Three years have not passed since the consumer knew of the harm (D12,
    /// Order 121 Art. 16(4)): a case closed for no feedback may still be reopened.
    #[serde(default)]
    pub within_limitation: bool,
}
