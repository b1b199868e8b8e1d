//! Deadline computation, Order 121 Art. 45 (期间计算):
//! the first day is not counted; a natural-day period whose last day is an
//! official holiday ends on the first day after the holiday.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Calendar, CalendarKind, DayKind};

/// A computed deadline (届满日) with the reasoning behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub start: NaiveDate,
    pub days: u32,
    pub kind: CalendarKind,
    /// Last day of the period; the clock runs to the end of this day (Asia/Shanghai).
    pub due: NaiveDate,
    /// True when a day examined lies in a year without official data.
    pub provisional: bool,
    pub explanation: Explanation,
}

/// Every day that went into a [`Deadline`], for display and audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Days counted toward the period (including extra paused days), in order.
    pub counted: Vec<NaiveDate>,
    /// Days passed over while counting working days (Weekend/Holiday only).
    pub skipped: Vec<SkippedDay>,
    /// Counted days that are 调休 make-up workdays (a subset of `counted`).
    #[serde(default)]
    pub make_up_workdays: Vec<MakeUpDay>,
    /// Art. 45 holiday move of a natural-day period, if any (顺延).
    pub moved: Option<Moved>,
    /// Natural days added for pauses (e.g. testing, Order 121 Art. 22).
    pub extra_days: u32,
    pub extra_reason: Option<String>,
    /// Years without official data that the computation touched.
    pub provisional_years: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: DayKind,
}

/// A weekend day counted because it is a make-up workday (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeUpDay {
    pub date: NaiveDate,
    pub holiday_zh: String,
    pub holiday_en: String,
}

/// The last day fell on an official holiday and the period was extended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub holiday_zh: String,
    pub holiday_en: String,
}

/// Walks forward day by day, remembering years without data.
struct Walker<'a> {
    cal: &'a Calendar,
    day: NaiveDate,
    unknown: BTreeSet<i32>,
}

impl Walker<'_> {
    fn step(&mut self) -> NaiveDate {
        self.day = self.day.succ_opt().expect("date within chrono range");
        if !self.cal.is_known(self.day) {
            self.unknown.insert(self.day.year());
        }
        self.day
    }
}

impl Calendar {
    /// `days` working or natural days after `start` (Order 121 Art. 45).
    pub fn deadline(&self, start: NaiveDate, days: u32, kind: CalendarKind) -> Deadline {
        self.deadline_with_extra(start, days, kind, 0, None)
    }

    /// As [`Calendar::deadline`], then `extra_natural_days` more natural days
    /// for time that does not count (testing, Order 121 Art. 22; recusal,
    /// Art. 21). The Art. 45 holiday move applies to the final day of any
    /// period that ends by natural counting (natural kind, or any extra days).
    pub fn deadline_with_extra(
        &self,
        start: NaiveDate,
        days: u32,
        kind: CalendarKind,
        extra_natural_days: u32,
        extra_reason: Option<String>,
    ) -> Deadline {
        let mut w = Walker { cal: self, day: start, unknown: BTreeSet::new() };
        let mut ex = Explanation { extra_days: extra_natural_days, extra_reason, ..Default::default() };

        let mut n = 0;
        while n < days {
            let d = w.step();
            let day_kind = self.day_kind(d);
            if kind == CalendarKind::Natural || day_kind.is_working() {
                if let (CalendarKind::Working, DayKind::MakeUpWorkday { name_zh, name_en }) = (kind, day_kind) {
                    ex.make_up_workdays.push(MakeUpDay { date: d, holiday_zh: name_zh, holiday_en: name_en });
                }
                ex.counted.push(d);
                n += 1;
            } else {
                ex.skipped.push(SkippedDay { date: d, reason: day_kind });
            }
        }
        for _ in 0..extra_natural_days {
            let d = w.step();
            ex.counted.push(d);
        }

        let ends_naturally = kind == CalendarKind::Natural || extra_natural_days > 0;
        if ends_naturally && w.day != start {
            if let DayKind::Holiday { name_zh, name_en } = self.day_kind(w.day) {
                // Move past the whole rest run (holiday + adjacent weekend) to
                // the next working day: "the first day after the holiday".
                let from = w.day;
                while !self.is_working_day(w.day) {
                    w.step();
                }
                ex.moved = Some(Moved { from, to: w.day, holiday_zh: name_zh, holiday_en: name_en });
            }
        }

        ex.provisional_years = w.unknown.iter().copied().collect();
        Deadline { start, days, kind, due: w.day, provisional: !w.unknown.is_empty(), explanation: ex }
    }
}
