//! Redline domain rules: pure functions and types only (no I/O, no async).
//!
//! - [`calendar`]: period computation, Order 121 Art. 45 (期间计算)
//! - [`clock`]: the deadlines D1–D7 (时限): D1–D4 policy, D5–D7 Order 121 Arts. 15, 21–23
//! - [`case`]: the complaint state machine T1–T22 (投诉状态): Order 117 Art. 20, Order 121
//!   Arts. 15–25, 41
//! - [`jurisdiction`]: Order 121 Arts. 13–14 (管辖)
//! - [`money`]: amounts in fen (分)
//! - [`evidence`]: file sniffing, safe names, metadata-free image copies (证据)
//! - [`chain`]: the hash chain over case events (防篡改记录)
//! - [`retention`]: how long records are kept, Order 117 Art. 16 (留存)
//! - [`transparency`]: the signed, append-only log of chain heads (透明日志)

#[macro_use]
mod macros;

pub mod calendar;
pub mod case;
pub mod chain;
pub mod citation;
pub mod clock;
pub mod cluster;
pub mod credit_code;
pub mod desk;
pub mod evidence;
pub mod field;
pub mod fraud;
pub mod intake;
pub mod jurisdiction;
pub mod lang;
pub mod masking;
pub mod money;
pub mod notify;
pub mod parties;
pub mod public;
pub mod rating;
pub mod records;
pub mod retention;
pub mod search;
pub mod tip;
pub mod transparency;

pub use calendar::{Calendar, CalendarError, CalendarKind, DayKind, Deadline, Explanation, Moved, SkippedDay};
pub use case::{
    allowed_events, transition, CaseContext, CaseEvent, CaseFlag, CaseState, ClockEffect, OfferKind, PauseReason,
    RefusalReason, Role, TerminationReason, Transition, TransitionError,
};
pub use clock::{ClockError, ClockKind, ClockPolicy, ClockStatus};
pub use field::{FieldError, FieldErrors};
pub use jurisdiction::{Candidate, ComplaintFacts, JurisdictionError, RegionCode, RespondentKind, TipFacts};
pub use lang::Lang;
pub use money::{Fen, MoneyError};

/// A string did not name a variant of one of this crate's enums.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
}
