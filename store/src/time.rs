//! One source of "now" for every rule, so tests move time instead of sleeping.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

pub trait TimeSource: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// Wall-clock time plus an offset that tests (and the demo) may move forward.
#[derive(Default)]
pub struct ShiftableTime {
    offset_secs: AtomicI64,
}

impl ShiftableTime {
    /// Time that reads `instant` now and runs on from there: a fixed "today"
    /// for tests, whatever day they run.
    pub fn starting_at(instant: DateTime<Utc>) -> ShiftableTime {
        ShiftableTime { offset_secs: AtomicI64::new((instant - Utc::now()).num_seconds()) }
    }
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::SeqCst);
    }
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::SeqCst)
    }
}

impl TimeSource for ShiftableTime {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs())
    }
}

/// The calendar day in Beijing: clocks are counted in Chinese calendar days.
/// The same definition the intake rules use for "today".
pub fn china_date(t: DateTime<Utc>) -> NaiveDate {
    redline_rules::intake::moment::beijing_date(t)
}

/// "YYYY-MM-DD HH:MM" in Asia/Shanghai.
pub fn china_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

/// The instant a Beijing calendar day begins (China keeps no daylight saving).
pub fn china_midnight(d: NaiveDate) -> DateTime<Utc> {
    (d.and_hms_opt(0, 0, 0).expect("midnight exists") - Duration::hours(8)).and_utc()
}
