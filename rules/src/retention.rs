//! How long records are kept (留存). Order 117 Art. 16 and E-Commerce Law
//! Art. 31: transaction records and replays at least three years from the
//! completion of the transaction.
use chrono::{Months, NaiveDate};

/// Three years on from `from` (29 February → 28 February).
pub fn min_retain_until(from: NaiveDate) -> NaiveDate {
    from.checked_add_months(Months::new(36)).unwrap_or(from)
}

/// The day the transaction a complaint is about was complete, as far as
/// Redline knows it: the later of the order and the end of the stream (a
/// stream sells until it ends); with neither known, the filing day, which is
/// never before the transaction.
pub fn transaction_completed_on(
    ordered_on: Option<NaiveDate>,
    stream_ended_on: Option<NaiveDate>,
    filed_on: NaiveDate,
) -> NaiveDate {
    ordered_on.max(stream_ended_on).unwrap_or(filed_on)
}

/// The earliest retention date for a replay or record of that transaction
/// (Order 117 Art. 16: at least three years from its completion), and never
/// before the day of the complaint: an order date the consumer typed may lie
/// years back, and a replay cannot be kept "until" a day already past while
/// its dispute is open.
pub fn min_retain_for_transaction(
    ordered_on: Option<NaiveDate>,
    stream_ended_on: Option<NaiveDate>,
    filed_on: NaiveDate,
) -> NaiveDate {
    min_retain_until(transaction_completed_on(ordered_on, stream_ended_on, filed_on)).max(filed_on)
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
    fn order117_art16_retention_runs_from_the_later_of_the_order_and_the_stream_end() {
        let filed = d(2026, 11, 28);
        // The stream ended after the order: three years from the stream's end, not the filing.
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 22)), Some(d(2026, 11, 23)), filed), d(2029, 11, 23));
        // Ordered after the stream (from its replay's link): from the order.
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 25)), Some(d(2026, 11, 23)), filed), d(2029, 11, 25));
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 22)), None, filed), d(2029, 11, 22));
        assert_eq!(min_retain_for_transaction(None, Some(d(2026, 11, 23)), filed), d(2029, 11, 23));
        // Nothing known: the filing day, never before the transaction.
        assert_eq!(min_retain_for_transaction(None, None, filed), d(2029, 11, 28));
        // An order typed as five years back: not a day already past.
        assert_eq!(min_retain_for_transaction(Some(d(2021, 6, 1)), None, filed), filed);
    }

    #[test]
    fn order117_art16_three_years_from_a_leap_day_end_in_february() {
        assert_eq!(min_retain_until(d(2028, 2, 29)), d(2031, 2, 28));
    }
}
