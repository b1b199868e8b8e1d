//! Complaint clocks (时限), D1–D7. Legal clocks (D5–D7) come from Order 121 Arts. 15, 21–23
//! and cannot be changed; policy clocks are a platform's own commitments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarKind, Deadline};

/// The clocks a complaint runs (D8+ belong to other workflows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClockKind {
    /// 经营者首次答复: operator first substantive response.
    D1,
    /// 消费者确认: consumer review of an offer.
    D2,
    /// 平台介入处理: platform intervention decision.
    D3,
    /// 回放保全: the platform preserves and confirms the replay segment and records
    /// a complaint is about (Order 117 Arts. 16, 18).
    D4,
    /// 受理决定: regulator acceptance decision.
    D5,
    /// 调解期限: mediation period (pausable).
    D6,
    /// 终止调解告知: notice of termination to both parties.
    D7,
    /// 调取记录答复: the platform answers a consumer's request for the
    /// operator's and marketer's identity and the transaction's records
    /// (Order 117 Art. 18; the days are the platform's D4, as preservation's).
    D4R,
}

str_enum!(ClockKind { D1 => "D1", D2 => "D2", D3 => "D3", D4 => "D4", D5 => "D5", D6 => "D6", D7 => "D7", D4R => "D4R" });

impl ClockKind {
    pub fn code(&self) -> &'static str {
        self.as_str()
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            ClockKind::D1 => "经营者首次答复",
            ClockKind::D2 => "消费者确认",
            ClockKind::D3 => "平台介入处理",
            ClockKind::D4 => "回放保全确认",
            ClockKind::D5 => "受理决定",
            ClockKind::D6 => "调解期限",
            ClockKind::D7 => "终止调解告知",
            ClockKind::D4R => "调取记录答复",
        }
    }

    pub fn name_en(&self) -> &'static str {
        match self {
            ClockKind::D1 => "operator first response",
            ClockKind::D2 => "consumer review of an offer",
            ClockKind::D3 => "platform intervention decision",
            ClockKind::D4 => "replay preservation",
            ClockKind::D5 => "regulator acceptance decision",
            ClockKind::D6 => "mediation",
            ClockKind::D7 => "notice of termination",
            ClockKind::D4R => "answer to a records request",
        }
    }

    /// Legal or policy source of the clock.
    pub fn basis(&self) -> &'static str {
        match self {
            // Order 117 Art. 20 obliges the platform to set a limit; the number is ours.
            ClockKind::D1 => "[policy] Order 117 Art. 20",
            ClockKind::D2 => "[policy]",
            ClockKind::D3 => "[policy] Order 117 Art. 20",
            ClockKind::D4 => "[policy] Order 117 Arts. 16, 18",
            ClockKind::D5 => "Order 121 Art. 15; CPL Regs Art. 46",
            ClockKind::D6 => "Order 121 Arts. 21–23(5)",
            ClockKind::D7 => "Order 121 Art. 23 ¶2",
            ClockKind::D4R => "[policy] Order 117 Art. 18",
        }
    }

    /// The clocks of whoever holds the case, one at a time; the queues sort by
    /// it. D4 runs beside them: it binds the platform's preservation whatever
    /// the case's state, closed cases included (Order 117 Art. 16).
    pub fn holds_the_case(&self) -> bool {
        !matches!(self, ClockKind::D4 | ClockKind::D4R)
    }

    /// Legal clocks are fixed by law; platform settings cannot change them.
    pub fn is_legal(&self) -> bool {
        matches!(self, ClockKind::D5 | ClockKind::D6 | ClockKind::D7)
    }

    /// T24 (Order 121 Art. 23(6)): the clocks that would move a case on by
    /// themselves are held while fraud is suspected; the platform's record
    /// duties (D4, D4R) and the agency's legal clocks run on.
    pub fn held_while_fraud_suspected(&self) -> bool {
        matches!(self, ClockKind::D1 | ClockKind::D2 | ClockKind::D3)
    }

    /// Only mediation stops running during testing (Art. 22) or recusal (Art. 21).
    pub fn is_pausable(&self) -> bool {
        matches!(self, ClockKind::D6)
    }

    pub fn default_days(&self) -> u32 {
        match self {
            ClockKind::D1 | ClockKind::D3 => 5,
            ClockKind::D4 | ClockKind::D4R => 3,
            ClockKind::D2 | ClockKind::D5 | ClockKind::D7 => 7,
            ClockKind::D6 => 60,
        }
    }

    pub fn calendar_kind(&self) -> CalendarKind {
        match self {
            ClockKind::D2 | ClockKind::D6 => CalendarKind::Natural,
            _ => CalendarKind::Working,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("{field} must be between {min} and {max} days, got {value}")]
    OutOfRange { field: &'static str, value: u32, min: u32, max: u32 },
    #[error("the operator's and the platform's limits together (D1 + D3) must be at most {max} working days, got {d1} + {d3}")]
    RespondentsTooLong { d1: u32, d3: u32, max: u32 },
}

impl ClockError {
    /// The same in Chinese, for the platform's settings page.
    pub fn zh(&self) -> String {
        match self {
            ClockError::OutOfRange { field, value, min, max } => {
                format!("{field} 应在 {min} 至 {max} 天之间，当前为 {value}")
            }
            ClockError::RespondentsTooLong { d1, d3, max } => {
                format!("经营者首次答复与平台介入处理的时限合计不得超过 {max} 个工作日，当前为 {d1} + {d3}")
            }
        }
    }
}

/// A platform's own lengths for the policy clocks (None = default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockPolicy {
    pub d1_working_days: Option<u32>,
    pub d2_natural_days: Option<u32>,
    pub d3_working_days: Option<u32>,
    /// D4: working days to confirm a replay preservation request.
    #[serde(default)]
    pub d4_working_days: Option<u32>,
    /// Minutes of replay kept either side of the complained-of moment.
    #[serde(default)]
    pub preserve_margin_min: Option<u32>,
}

impl ClockPolicy {
    /// What a platform may set. The respondents' limits (D1, D3) may be shorter
    /// but not longer than 10 working days, the pre-regulator window of 12315 ODR
    /// (D16: the 10 working days of 12315 ODR firms, a practice published by local bureaus,
    /// not an article of law); the consumer's review window (D2) may be longer but
    /// never shorter than the default 7 days: the platform is itself a respondent.
    pub const D1_RANGE: (u32, u32) = (1, 10);
    /// D1 and D3 together: a consumer waits at most the ODR window for both respondents.
    pub const RESPONDENTS_MAX: u32 = 10;
    pub const D2_RANGE: (u32, u32) = (7, 30);
    pub const D3_RANGE: (u32, u32) = (1, 10);
    /// Preservation (D4) is quick work for the platform; never longer than D3.
    pub const D4_RANGE: (u32, u32) = (1, 10);
    /// Minutes either side of the moment: at least the default 5, at most an hour.
    pub const MARGIN_RANGE: (u32, u32) = (5, 60);
    pub const DEFAULT_MARGIN_MIN: u32 = 5;

    /// Seconds of replay to preserve either side of the moment.
    pub fn preserve_margin_secs(&self) -> i64 {
        i64::from(self.preserve_margin_min.unwrap_or(Self::DEFAULT_MARGIN_MIN)) * 60
    }

    pub fn validate(&self) -> Result<(), ClockError> {
        let fields = [
            ("d1_working_days", self.d1_working_days, Self::D1_RANGE),
            ("d2_natural_days", self.d2_natural_days, Self::D2_RANGE),
            ("d3_working_days", self.d3_working_days, Self::D3_RANGE),
            ("d4_working_days", self.d4_working_days, Self::D4_RANGE),
            ("preserve_margin_min", self.preserve_margin_min, Self::MARGIN_RANGE),
        ];
        for (field, v, (min, max)) in fields {
            if let Some(value) = v {
                if !(min..=max).contains(&value) {
                    return Err(ClockError::OutOfRange { field, value, min, max });
                }
            }
        }
        let (d1, d3) = (length(ClockKind::D1, self).0, length(ClockKind::D3, self).0);
        if d1 + d3 > Self::RESPONDENTS_MAX {
            return Err(ClockError::RespondentsTooLong { d1, d3, max: Self::RESPONDENTS_MAX });
        }
        Ok(())
    }

    fn override_for(&self, kind: ClockKind) -> Option<u32> {
        match kind {
            ClockKind::D1 => self.d1_working_days,
            ClockKind::D2 => self.d2_natural_days,
            ClockKind::D3 => self.d3_working_days,
            ClockKind::D4 | ClockKind::D4R => self.d4_working_days,
            _ => None, // legal clocks: never overridable
        }
    }
}

/// Length and calendar of a clock under a platform's policy.
pub fn length(kind: ClockKind, policy: &ClockPolicy) -> (u32, CalendarKind) {
    let days = policy.override_for(kind).unwrap_or_else(|| kind.default_days());
    (days, kind.calendar_kind())
}

/// Due date of a clock started on `start`. Paused days extend the pausable
/// clock (D6: testing, Order 121 Art. 22; recusal, Art. 21) and the clocks a
/// fraud suspicion held (D1–D3, T24).
pub fn due(kind: ClockKind, start: NaiveDate, policy: &ClockPolicy, paused_days: u32, cal: &Calendar) -> Deadline {
    let (days, ck) = length(kind, policy);
    if paused_days == 0 {
        return cal.deadline(start, days, ck);
    }
    if kind.is_pausable() {
        let reason = format!("paused {paused_days} days (testing/recusal, Order 121 Arts. 21–22)");
        cal.deadline_with_extra(start, days, ck, paused_days, Some(reason))
    } else if kind.held_while_fraud_suspected() {
        let reason = format!("held {paused_days} days while fraud was suspected (Order 121 Art. 23(6))");
        cal.deadline_with_extra(start, days, ck, paused_days, Some(reason))
    } else {
        cal.deadline(start, days, ck)
    }
}

/// Whole days to add for a pause: any started day counts as a full day,
/// so the party never loses time to rounding.
pub fn paused_days(paused_secs: i64) -> u32 {
    if paused_secs <= 0 {
        return 0;
    }
    let days = (paused_secs as u64).div_ceil(86_400);
    u32::try_from(days).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClockStatus {
    Running,
    Paused,
    Stopped,
    Expired,
}

str_enum!(ClockStatus { Running => "RUNNING", Paused => "PAUSED", Stopped => "STOPPED", Expired => "EXPIRED" });

/// Working days after `today` up to and including `due`; when overdue,
/// minus the working days after `due` up to and including `today`.
pub fn remaining_working_days(cal: &Calendar, today: NaiveDate, due: NaiveDate) -> i64 {
    let (from, to, sign) = if due >= today { (today, due, 1) } else { (due, today, -1) };
    let n = from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| cal.is_working_day(*d)).count();
    sign * n as i64
}

/// Natural days from `today` to `due` (negative when overdue).
pub fn remaining_natural_days(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// A clock is due at the end of its due day (Asia/Shanghai), so it is
/// overdue only from the next day on.
pub fn is_overdue(today: NaiveDate, due: NaiveDate) -> bool {
    today > due
}

#[cfg(test)]
mod tests;
