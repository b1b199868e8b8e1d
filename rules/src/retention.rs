//! How long records are kept (留存). Order 117 Art. 16 and E-Commerce Law
//! Art. 31: transaction records and replays at least three years from the
//! transaction. Redline counts from the filing date, which is never before the
//! transaction, so a bound computed here is never too short.
use chrono::{Months, NaiveDate};

/// The earliest retention date a platform may give for a replay or record.
pub fn min_retain_until(filed_on: NaiveDate) -> NaiveDate {
    filed_on.checked_add_months(Months::new(36)).unwrap_or(filed_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn order117_art16_records_are_kept_at_least_three_years() {
        assert_eq!(min_retain_until(d(2026, 11, 20)), d(2029, 11, 20));
    }

    #[test]
    fn order117_art16_three_years_from_a_leap_day_end_in_february() {
        assert_eq!(min_retain_until(d(2028, 2, 29)), d(2031, 2, 28));
    }
}
