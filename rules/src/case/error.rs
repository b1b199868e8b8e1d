//! Why a transition was refused, in English and Chinese.

use super::{CaseState, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("event {event} is not allowed in state {state}")]
    NotAllowed { state: CaseState, event: &'static str, role: Role },
    #[error("event {event} in state {state} must be fired by role {expected}, not {role}")]
    WrongRole { state: CaseState, event: &'static str, role: Role, expected: Role },
    #[error("state {state} is terminal; no further events are allowed")]
    Terminal { state: CaseState },
}

impl TransitionError {
    pub fn message_zh(&self) -> String {
        match self {
            TransitionError::NotAllowed { state, event, .. } => {
                format!("案件当前状态为“{}”，不能执行操作 {event}", state.label_zh())
            }
            TransitionError::WrongRole { state, event, role, expected } => format!(
                "案件当前状态为“{}”，操作 {event} 只能由{}执行，当前身份为{}",
                state.label_zh(),
                expected.label_zh(),
                role.label_zh()
            ),
            TransitionError::Terminal { state } => {
                format!("案件已处于终结状态“{}”，不能再进行任何操作", state.label_zh())
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            TransitionError::NotAllowed { state, event, .. } => {
                format!("Action {event} is not possible while the case is \"{}\"", state.label_en())
            }
            TransitionError::WrongRole { state, event, role, expected } => format!(
                "While the case is \"{}\", action {event} can only be taken by the {}, not the {}",
                state.label_en(),
                expected.label_en(),
                role.label_en()
            ),
            TransitionError::Terminal { state } => {
                format!("The case is closed (\"{}\"); no further actions are possible", state.label_en())
            }
        }
    }
}
