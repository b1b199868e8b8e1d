//! The monitoring desk: how the rooms of a region (for market supervision) or
//! of a platform (for itself) answer complaints, week by week. Platforms must
//! monitor the complaints about their rooms (Order 117 Art. 20); market
//! supervision watches the clocks it and the parties keep (Order 121 Art. 15:
//! acceptance within seven working days; Arts. 21–23: mediation). Counts are
//! summed from weekly rows; rates and the median are computed here.

use crate::calendar::Calendar;
use crate::case::CaseState;
use crate::clock::ClockKind;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A number of whole weeks ending with the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period(u32);

/// The periods a desk offers: about a month, a quarter, a year.
pub const PERIODS: [Period; 3] = [Period(4), Period(13), Period(52)];

impl Default for Period {
    fn default() -> Self {
        Period(13)
    }
}

impl Period {
    /// "4w", "13w" or "52w"; anything else is not a period the desk offers.
    pub fn parse(s: &str) -> Option<Period> {
        let n: u32 = s.strip_suffix('w')?.parse().ok()?;
        PERIODS.into_iter().find(|p| p.0 == n)
    }
    pub fn as_str(self) -> String {
        format!("{}w", self.0)
    }
    pub fn weeks(self) -> u32 {
        self.0
    }
    /// The Monday of the period's first week.
    pub fn first_week(self, today: NaiveDate) -> NaiveDate {
        week_of(today) - Duration::weeks(i64::from(self.0) - 1)
    }
    /// Every week of the period, oldest first (their Mondays).
    pub fn mondays(self, today: NaiveDate) -> Vec<NaiveDate> {
        let first = self.first_week(today);
        (0..i64::from(self.0)).map(|i| first + Duration::weeks(i)).collect()
    }
}

/// The Monday of the week holding `d` (weeks run Monday to Sunday in China).
pub fn week_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The outcomes counted as resolved: accepted or agreed, or the consumer left
/// a full offer unanswered (the same as the public figures).
pub const RESOLVED: [CaseState; 3] = [CaseState::Resolved, CaseState::ClosedResolved, CaseState::ClosedNoFeedback];

/// The clocks whose keeping the desk shows, one per step: the operator's first
/// answer (D1), the platform's decision (D3), acceptance (D5, Order 121
/// Art. 15) and mediation (D6, Order 121 Art. 23(5)).
pub const WATCHED: [ClockKind; 4] = [ClockKind::D1, ClockKind::D3, ClockKind::D5, ClockKind::D6];

/// One clock kind over many cases: how many ran their course (stopped, or
/// ran out), and how many of those stopped on or before the due day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub ended: i64,
    pub in_time: i64,
}

impl Kept {
    pub fn late(self) -> i64 {
        self.ended - self.in_time
    }
    /// In whole per cent of the clocks that ended; None when none did yet.
    pub fn rate(self) -> Option<i64> {
        percent(self.in_time, self.ended)
    }
}

/// The counts behind one line of the desk (a room, an operator, a platform or
/// the whole scope) over the cases filed in the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub received: i64,
    /// Went on to the platform (a D3 clock ran) or to market supervision.
    pub to_platform: i64,
    pub to_regulator: i64,
    /// Still open, by whom holds them: operator, platform, market supervision.
    pub open: [i64; 3],
    pub closed: i64,
    pub resolved: i64,
    /// The watched clocks, in the order of `WATCHED`.
    pub kept: [Kept; 4],
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.received += o.received;
        self.to_platform += o.to_platform;
        self.to_regulator += o.to_regulator;
        self.closed += o.closed;
        self.resolved += o.resolved;
        for i in 0..3 {
            self.open[i] += o.open[i];
        }
        for i in 0..4 {
            self.kept[i].ended += o.kept[i].ended;
            self.kept[i].in_time += o.kept[i].in_time;
        }
    }
}

impl Tally {
    pub fn resolution_rate(&self) -> Option<i64> {
        percent(self.resolved, self.received)
    }
    pub fn escalation_rate(&self) -> Option<i64> {
        percent(self.to_regulator, self.received)
    }
}

/// One line of a desk table: who (a platform, operator or room; 0 for the
/// total), and their counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub id: i64,
    pub name: String,
    pub tally: Tally,
    /// Median working days to resolution (kept per platform: platform lines and the total).
    pub median_days: Option<i64>,
}

/// `part` of `whole` in whole per cent, rounded half up; None of nothing.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// The index in `Tally::open` of who holds an open case; None when closed.
pub fn holder(state: CaseState) -> Option<usize> {
    use crate::case::Tier;
    match state.tier() {
        Tier::Operator => Some(0),
        Tier::Platform => Some(1),
        Tier::Regulator => Some(2),
        Tier::Closed => None,
    }
}

/// Working days after `from` up to and including `to` (a case filed on a
/// Friday and resolved on the Monday took one working day; the same day, none).
pub fn working_days(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| cal.is_working_day(*d)).count() as i64
}

/// The median of a histogram of (working days, cases), the lower of the two
/// middle values when the count is even; None when it holds no case.
pub fn median(hist: &[(i64, i64)]) -> Option<i64> {
    let mut h: Vec<(i64, i64)> = hist.iter().copied().filter(|(_, n)| *n > 0).collect();
    h.sort();
    let total: i64 = h.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = (total + 1) / 2;
    let mut seen = 0;
    h.into_iter()
        .find(|(_, n)| {
            seen += n;
            seen >= middle
        })
        .map(|(d, _)| d)
}

/// What the desk's table is broken down by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum By {
    #[default]
    Platform,
    Operator,
    Room,
}

impl By {
    pub const ALL: [By; 3] = [By::Platform, By::Operator, By::Room];
    pub fn as_str(self) -> &'static str {
        match self {
            By::Platform => "platform",
            By::Operator => "operator",
            By::Room => "room",
        }
    }
    pub fn parse(s: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.as_str() == s)
    }
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (By::Platform, true) => "平台",
            (By::Operator, true) => "直播间运营者",
            (By::Room, true) => "直播间",
            (By::Platform, false) => "Platform",
            (By::Operator, false) => "Operator",
            (By::Room, false) => "Live room",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn order117_art20_periods_are_whole_weeks_ending_this_week() {
        assert_eq!(Period::parse("13w"), Some(Period::default()));
        assert_eq!(Period::parse("4w").map(|p| p.weeks()), Some(4));
        for bad in ["5w", "13", "w", "52W", "-4w", ""] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        // Monday 2026-11-30: the four weeks start on Monday 2026-11-09.
        assert_eq!(Period::parse("4w").unwrap().first_week(d("2026-11-30")), d("2026-11-09"));
        // Sunday 2026-11-29 still belongs to the week of 2026-11-23.
        assert_eq!(week_of(d("2026-11-29")), d("2026-11-23"));
        assert_eq!(
            Period::parse("4w").unwrap().mondays(d("2026-11-29")),
            [d("2026-11-02"), d("2026-11-09"), d("2026-11-16"), d("2026-11-23")]
        );
    }

    #[test]
    fn order121_art15_acceptance_kept_is_the_share_of_ended_clocks_stopped_in_time() {
        let k = Kept { ended: 3, in_time: 2 };
        assert_eq!((k.rate(), k.late()), (Some(67), 1));
        assert_eq!(Kept::default().rate(), None, "no clock ended: no rate, not 0 %");
    }

    #[test]
    fn order117_art20_tallies_add_up_and_rates_round_half_up() {
        let mut a = Tally {
            received: 7,
            to_platform: 3,
            to_regulator: 1,
            open: [1, 1, 1],
            closed: 4,
            resolved: 3,
            ..Tally::default()
        };
        let b = Tally { received: 1, to_regulator: 1, open: [0, 0, 1], ..Tally::default() };
        a += b;
        assert_eq!((a.received, a.to_regulator, a.open), (8, 2, [1, 1, 2]));
        assert_eq!((a.resolution_rate(), a.escalation_rate()), (Some(38), Some(25)));
        assert_eq!(percent(1, 8), Some(13), "12.5 rounds up");
        assert_eq!(Tally::default().resolution_rate(), None);
    }

    #[test]
    fn order121_art45_days_to_resolution_are_working_days() {
        let cal = Calendar::official();
        // Friday 2026-11-20 → Monday 2026-11-23: one working day.
        assert_eq!(working_days(cal, d("2026-11-20"), d("2026-11-23")), 1);
        assert_eq!(working_days(cal, d("2026-11-20"), d("2026-11-20")), 0);
        // 2026-09-30 → 2026-10-09: the National Day holiday (10-01…10-07) does
        // not count; 10-08 and 10-09 do (2026-09-30 itself is the start).
        assert_eq!(working_days(cal, d("2026-09-30"), d("2026-10-09")), 2);
        // Saturday 2026-10-10 is a make-up working day (调休).
        assert_eq!(working_days(cal, d("2026-09-30"), d("2026-10-10")), 3);
    }

    #[test]
    fn order117_art20_median_of_a_histogram() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3, 0)]), None);
        assert_eq!(median(&[(5, 1)]), Some(5));
        // 1, 2, 2, 9: the lower middle value.
        assert_eq!(median(&[(9, 1), (2, 2), (1, 1)]), Some(2));
        // 1, 4, 4, 4, 9
        assert_eq!(median(&[(1, 1), (4, 3), (9, 1)]), Some(4));
        assert_eq!(median(&[(1, 2), (8, 2)]), Some(1));
    }

    #[test]
    fn holders_follow_the_tiers() {
        assert_eq!(holder(CaseState::RoutedToOperator), Some(0));
        assert_eq!(holder(CaseState::PlatformIntervention), Some(1));
        assert_eq!(holder(CaseState::Mediation), Some(2));
        assert_eq!(holder(CaseState::ClosedResolved), None);
        assert_eq!(By::parse("room"), Some(By::Room));
        assert_eq!(By::parse("mcn"), None);
    }
}
