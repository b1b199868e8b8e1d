//! Complaint state machine (投诉处理流程), transitions T1–T22.
//!
//! Pre-regulator stages follow Order 117 Art. 20 (platform complaint handling)
//! and E-Commerce Law Art. 61 / Order 121 Art. 6 (首问负责); regulator stages
//! follow Order 121 Arts. 15–25.

mod error;
mod event;
mod machine;
pub mod progress;
mod reasons;
mod state;
#[cfg(test)]
mod tests;

pub use error::TransitionError;
pub use event::{event_label, CaseContext, CaseEvent};
pub use machine::{allowed_events, transition, CaseFlag, ClockEffect, Transition};
pub use progress::{states_awaiting, turn, Step, Turn};
pub use reasons::{PauseReason, RefusalReason, TerminationReason};
pub use state::{CaseState, OfferKind, Role, Tier};

/// Steps that end a case or a party's part in it for good: the page asks to
/// confirm them (withdrawing, Order 121 Art. 23(1); refusing to accept, Art. 16;
/// terminating mediation, Art. 23).
pub fn is_irreversible(event: &str) -> bool {
    matches!(event, "WITHDRAW" | "REGULATOR_REFUSE" | "TERMINATE")
}
