//! When a platform's report of a party comes late. An operator tells the
//! platform of a change within 3 working days (Order 117 Arts. 15, 25); the
//! platform verifies and updates what it holds within 7 working days of
//! learning of it (Art. 15), and what it holds is what it reports to the
//! regulator (Art. 9). A report that reaches Redline after that day is late:
//! a compliance flag the regulator sees, never a refusal.
use crate::calendar::{Calendar, CalendarKind, Deadline};
use crate::intake::moment::beijing_date;
use chrono::{DateTime, Utc};

/// Working days the platform has from learning of a change (Order 117 Art. 15).
pub const UPDATE_WORKING_DAYS: u32 = 7;

/// The last day a change the platform learned of at `learned_at` is on time.
pub fn report_due(learned_at: DateTime<Utc>, cal: &Calendar) -> Deadline {
    cal.deadline(beijing_date(learned_at), UPDATE_WORKING_DAYS, CalendarKind::Working)
}

/// Whether a report made at `reported_at` is later than Order 117 Art. 15 allows.
pub fn is_late(learned_at: DateTime<Utc>, reported_at: DateTime<Utc>, cal: &Calendar) -> bool {
    beijing_date(reported_at) > report_due(learned_at, cal).due
}
