//! Parsing and validating the holiday data file.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{is_weekend, Calendar, CalendarError, HolidayName, Listed};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    year: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    source: String,
    #[serde(default)]
    holiday: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name_zh: String,
    name_en: String,
    #[serde(default)]
    off: Vec<String>,
    #[serde(default)]
    work: Vec<String>,
}

impl Calendar {
    /// Parses and validates calendar data (format: `data/cn-official-days.toml`).
    pub fn from_toml(s: &str) -> Result<Calendar, CalendarError> {
        let raw: RawFile = toml::from_str(s).map_err(|e| CalendarError::Toml(e.to_string()))?;
        let mut years = BTreeMap::new();
        let mut holidays = Vec::new();
        let mut days: HashMap<NaiveDate, Listed> = HashMap::new();
        for y in raw.year {
            if years.insert(y.year, y.source).is_some() {
                return Err(CalendarError::DuplicateYear(y.year));
            }
            for h in y.holiday {
                let idx = holidays.len();
                holidays.push(HolidayName { zh: h.name_zh, en: h.name_en });
                let tagged = h.off.iter().map(|v| (v, true)).chain(h.work.iter().map(|v| (v, false)));
                for (value, rest) in tagged {
                    let date = parse_date(y.year, value)?;
                    if !rest && !is_weekend(date) {
                        return Err(CalendarError::WorkOnWeekday { date });
                    }
                    if let Some(prev) = days.insert(date, Listed { rest, holiday: idx }) {
                        return Err(if prev.rest == rest {
                            CalendarError::Duplicate { date }
                        } else {
                            CalendarError::OffAndWork { date }
                        });
                    }
                }
            }
        }
        Ok(Calendar { years, holidays, days })
    }
}

fn parse_date(year: i32, value: &str) -> Result<NaiveDate, CalendarError> {
    let bad = || CalendarError::BadDate { year, value: value.to_string() };
    // Strict YYYY-MM-DD: chrono alone would also accept e.g. "2026-2-5".
    if value.len() != 10 {
        return Err(bad());
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())?;
    if date.year() != year {
        return Err(CalendarError::WrongYear { year, date });
    }
    Ok(date)
}
