//! What the public may see of how a live room, its operator and its platform
//! answer complaints (as 12315 公示 and 黑猫投诉 do): counts over the last
//! twelve months and three rates, each shown only above a minimum sample so
//! that no single case can be inferred.

use crate::calendar::Calendar;
use crate::case::CaseState;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Fewer cases than this: the rates are not shown.
pub const MIN_SAMPLE: i64 = 10;
/// The period the figures cover, in days.
pub const PERIOD_DAYS: i64 = 365;

/// Counts over the period (of one room, or summed over an operator's or a platform's rooms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Complaints received.
    pub received: i64,
    /// Those past the first answer (the operator's, or the platform's for it).
    pub answered: i64,
    /// Of the answered, those with no one recorded as untimely.
    pub timely: i64,
    /// Closed, whatever the outcome.
    pub closed: i64,
    /// Closed resolved before or in mediation (accepted, agreed, or silence on a full offer).
    pub resolved: i64,
    /// Sent on to market supervision.
    pub escalated: i64,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            received: self.received + o.received,
            answered: self.answered + o.answered,
            timely: self.timely + o.timely,
            closed: self.closed + o.closed,
            resolved: self.resolved + o.resolved,
            escalated: self.escalated + o.escalated,
        }
    }
}

/// The rates the public sees, in whole per cent; None below the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates {
    pub timely: Option<i64>,
    pub resolved: Option<i64>,
    pub escalated: Option<i64>,
}

fn pct(part: i64, whole: i64) -> Option<i64> {
    (whole >= MIN_SAMPLE).then(|| (part * 100 + whole / 2) / whole)
}

impl Counts {
    /// Each rate over its own base, shown only when that base reaches the sample.
    pub fn rates(&self) -> Rates {
        Rates {
            timely: pct(self.timely, self.answered),
            resolved: pct(self.resolved, self.closed),
            escalated: pct(self.escalated, self.received),
        }
    }

    /// Whether any figure may be shown at all.
    pub fn shown(&self) -> bool {
        self.received >= MIN_SAMPLE
    }
}

/// Working days after filing before an opted-in narrative may appear even
/// when the respondent has not answered: the respondent has its say first.
pub const NARRATIVE_WAIT_WORKING_DAYS: i64 = 15;

/// Where an opted-in narrative stands: asked for, approved or rejected by a
/// moderator, or withdrawn by its consumer (consent is withdrawable, PIPL Art. 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NarrativeStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}
str_enum!(NarrativeStatus { Pending => "PENDING", Approved => "APPROVED", Rejected => "REJECTED", Withdrawn => "WITHDRAWN" });

impl NarrativeStatus {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (NarrativeStatus::Pending, true) => "待审核",
            (NarrativeStatus::Approved, true) => "已通过",
            (NarrativeStatus::Rejected, true) => "未通过",
            (NarrativeStatus::Withdrawn, true) => "已撤回",
            (NarrativeStatus::Pending, false) => "Awaiting review",
            (NarrativeStatus::Approved, false) => "Approved",
            (NarrativeStatus::Rejected, false) => "Rejected",
            (NarrativeStatus::Withdrawn, false) => "Withdrawn",
        }
    }
}

/// Whether the respondent has answered: the case left the states before the
/// first answer. A withdrawn case may never have been answered: it waits.
pub fn respondent_answered(state: CaseState) -> bool {
    use CaseState::*;
    !matches!(state, Draft | Submitted | Triaged | RoutedToOperator | Withdrawn | ClosedWithdrawn)
}

/// Whether an approved narrative may appear today: once the respondent
/// answered, or fifteen working days after filing without an answer; never
/// for a draft, nor for a complaint market supervision refused (Order 121
/// Art. 16), which the public list leaves out too.
pub fn narrative_may_appear(state: CaseState, filed_on: NaiveDate, today: NaiveDate, cal: &Calendar) -> bool {
    use CaseState::*;
    if matches!(state, Draft | RegulatorRejected | ClosedRejected) {
        return false;
    }
    respondent_answered(state) || crate::desk::working_days(cal, filed_on, today) >= NARRATIVE_WAIT_WORKING_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narratives_appear_after_the_answer_or_fifteen_working_days() {
        let cal = Calendar::official();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Filed Monday 2026-11-23: the fifteenth working day after is Monday 2026-12-14.
        let waiting = CaseState::RoutedToOperator;
        assert!(!narrative_may_appear(waiting, d("2026-11-23"), d("2026-12-11"), cal));
        assert!(narrative_may_appear(waiting, d("2026-11-23"), d("2026-12-14"), cal));
        // Answered the same day: at once.
        assert!(narrative_may_appear(CaseState::ConsumerReview, d("2026-11-23"), d("2026-11-23"), cal));
        assert!(!narrative_may_appear(CaseState::ClosedWithdrawn, d("2026-11-23"), d("2026-11-23"), cal));
        // Refused under Order 121 Art. 16: never, like the public list.
        assert!(!narrative_may_appear(CaseState::ClosedRejected, d("2026-11-23"), d("2027-06-01"), cal));
        assert_eq!("APPROVED".parse::<NarrativeStatus>().ok(), Some(NarrativeStatus::Approved));
        assert_eq!(serde_json::to_string(&NarrativeStatus::Pending).unwrap(), "\"PENDING\"");
    }

    #[test]
    fn rates_are_shown_only_above_the_minimum_sample() {
        let nine = Counts { received: 9, answered: 9, timely: 9, closed: 9, resolved: 9, escalated: 1 };
        assert!(!nine.shown());
        assert_eq!(nine.rates(), Rates { timely: None, resolved: None, escalated: None });
        let c = Counts { received: 12, answered: 10, timely: 7, closed: 9, resolved: 6, escalated: 3 };
        assert!(c.shown());
        // 7/10 = 70 %; closed 9 < 10: not shown; 3/12 = 25 %.
        assert_eq!(c.rates(), Rates { timely: Some(70), resolved: None, escalated: Some(25) });
    }

    #[test]
    fn rates_round_to_the_nearest_per_cent_and_sums_add_up() {
        let a = Counts { received: 6, answered: 6, timely: 5, closed: 3, resolved: 2, escalated: 1 };
        let b = Counts { received: 7, answered: 6, timely: 4, closed: 8, resolved: 6, escalated: 0 };
        let s = a + b;
        assert_eq!(s, Counts { received: 13, answered: 12, timely: 9, closed: 11, resolved: 8, escalated: 1 });
        // 9/12 = 75 %, 8/11 = 72.7 → 73 %, 1/13 = 7.7 → 8 %.
        assert_eq!(s.rates(), Rates { timely: Some(75), resolved: Some(73), escalated: Some(8) });
    }
}
