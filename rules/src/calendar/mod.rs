//! Official-day calendar and period computation (期间计算), Order 121 Art. 45.
//!
//! Working days follow the State Council's annual holiday notice
//! (国务院办公厅关于部分节假日安排的通知): listed rest days (放假) are skipped and
//! listed make-up workdays (调休上班) are counted. The data lives in
//! `data/cn-official-days.toml`; adding a year is a data-only change.

mod deadline;
mod load;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub use deadline::{Deadline, Explanation, MakeUpDay, Moved, SkippedDay};

/// How a period is counted: 工作日 (working days) or 自然日 (natural days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarKind {
    Working,
    Natural,
}

str_enum!(CalendarKind { Working => "working", Natural => "natural" });

/// What a single date is, per the official calendar.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// Ordinary Monday–Friday (工作日).
    Workday,
    /// Ordinary Saturday or Sunday (周末).
    Weekend,
    /// Listed rest day of an official holiday (法定节假日/调休休息日).
    Holiday { name_zh: String, name_en: String },
    /// Weekend day made a workday by the holiday arrangement (调休上班日).
    MakeUpWorkday { name_zh: String, name_en: String },
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday { .. })
    }
}

/// Why calendar data was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar TOML is malformed: {0}")]
    Toml(String),
    #[error("year {year}: {value:?} is not a YYYY-MM-DD date")]
    BadDate { year: i32, value: String },
    #[error("year {year}: {date} belongs to another year")]
    WrongYear { year: i32, date: NaiveDate },
    #[error("{date} is listed more than once")]
    Duplicate { date: NaiveDate },
    #[error("{date} is listed as both a rest day and a make-up workday")]
    OffAndWork { date: NaiveDate },
    #[error("{date} is a make-up workday but is not a Saturday or Sunday")]
    WorkOnWeekday { date: NaiveDate },
    #[error("year {0} is defined more than once")]
    DuplicateYear(i32),
}

/// Name of one holiday arrangement (e.g. 春节 / Spring Festival).
#[derive(Debug, Clone, PartialEq, Eq)]
struct HolidayName {
    zh: String,
    en: String,
}

/// A listed date: rest (`off`) or make-up workday (`work`), and its holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Listed {
    rest: bool,
    holiday: usize,
}

/// Official calendar: years with published data and their listed dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// year → source notice
    years: BTreeMap<i32, String>,
    holidays: Vec<HolidayName>,
    days: HashMap<NaiveDate, Listed>,
}

static OFFICIAL: LazyLock<Calendar> = LazyLock::new(|| {
    Calendar::from_toml(include_str!("../../data/cn-official-days.toml"))
        .expect("bundled data/cn-official-days.toml is valid (checked by tests)")
});

impl Calendar {
    /// The bundled official calendar, parsed once.
    pub fn official() -> &'static Calendar {
        &OFFICIAL
    }

    /// Whether the holiday notice for `y` is in the data.
    pub fn has_year(&self, y: i32) -> bool {
        self.years.contains_key(&y)
    }

    /// Years with data, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The notice a year's data was taken from.
    pub fn source(&self, y: i32) -> Option<&str> {
        self.years.get(&y).map(String::as_str)
    }

    /// (rest days, make-up workdays) listed for a year.
    pub fn listed_counts(&self, y: i32) -> (usize, usize) {
        let of_year = self.days.iter().filter(|(d, _)| d.year() == y);
        of_year.fold((0, 0), |(o, w), (_, l)| if l.rest { (o + 1, w) } else { (o, w + 1) })
    }

    /// Whether `d` lies in a year with data (otherwise results are provisional).
    pub fn is_known(&self, d: NaiveDate) -> bool {
        self.has_year(d.year())
    }

    pub fn day_kind(&self, d: NaiveDate) -> DayKind {
        if let Some(l) = self.days.get(&d) {
            let h = &self.holidays[l.holiday];
            let (name_zh, name_en) = (h.zh.clone(), h.en.clone());
            return if l.rest {
                DayKind::Holiday { name_zh, name_en }
            } else {
                DayKind::MakeUpWorkday { name_zh, name_en }
            };
        }
        if is_weekend(d) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(l) => !l.rest,
            None => !is_weekend(d),
        }
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}
