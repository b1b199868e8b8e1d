//! An operator or marketer who cannot be reached (Order 117 Art. 22): when
//! market supervision tells the platform that one cannot be reached at the
//! address registered with it, the platform reminds them to update it within
//! D15, five working days; if they still do not, it takes disposal measures,
//! lifted once the update is verified. A missed D15 is a regulator-visible
//! flag (penalty route Order 117 Art. 54), with no other effect.
use crate::calendar::{Calendar, CalendarKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// D15: five working days from the agency's notice.
pub const REMIND_WORKING_DAYS: u32 = 5;

/// The last day the platform may remind.
pub fn remind_due(notified_on: NaiveDate) -> NaiveDate {
    Calendar::official().deadline(notified_on, REMIND_WORKING_DAYS, CalendarKind::Working).due
}

coded_enum!(
    /// Who cannot be reached.
    Unreachable {
        Operator = "OPERATOR", "直播间运营者", "the live-room operator", "Order 117 Art. 22";
        Marketer = "MARKETER", "直播营销人员", "the marketer", "Order 117 Art. 22";
    }
);

/// What the agency or the platform writes: 4 to 1,000 characters.
pub fn note(s: &str, field: &'static str) -> Result<String, crate::field::FieldError> {
    let t = s.trim();
    match t.chars().count() {
        0..=3 => Err(crate::field::FieldError::new(
            field,
            "请写明情况（至少4个字）",
            "Say what happened (4 characters or more)",
        )),
        n if n > 1000 => Err(crate::field::FieldError::new(field, "不超过1000字", "Up to 1,000 characters")),
        _ => Ok(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order117_art22_d15_the_platform_reminds_within_5_working_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Notified Monday 2026-11-23: Monday 2026-11-30.
        assert_eq!(remind_due(d("2026-11-23")), d("2026-11-30"));
        // Notified Wednesday 2026-09-30, before National Day: Thursday 8, Friday 9, Saturday 10 (worked), Monday 12, Tuesday 13 October.
        assert_eq!(remind_due(d("2026-09-30")), d("2026-10-13"));
        assert_eq!(note("  ", "note").unwrap_err().field, "note");
        assert_eq!(Unreachable::Marketer.as_str(), "MARKETER");
    }
}
