//! The moment in a stream a complaint is about (Order 117 Art. 16: it lets the
//! platform cut the replay): an offset from the stream's start, or a clock time.
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Moment {
    /// Seconds from the start of the stream.
    Offset(i64),
    Clock(DateTime<Utc>),
}

/// Beijing time. China has kept UTC+8 without daylight saving since 1991, and
/// no moment or date before 1990 is accepted, so a fixed offset is exact.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The calendar date in Beijing at `t`.
pub fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&beijing()).date_naive()
}

/// "hh:mm:ss" or "mm:ss" → seconds from the stream's start.
pub fn parse_offset(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    let nums: Option<Vec<i64>> = parts.iter().map(|p| p.parse::<i64>().ok().filter(|n| *n >= 0)).collect();
    let (h, m, sec) = match nums?.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    (m < 60 && sec < 60 && h < 48).then_some(h * 3600 + m * 60 + sec)
}

/// A `datetime-local` value (or "YYYY-MM-DD HH:MM") read as Beijing time.
pub fn parse_clock(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    beijing().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_hours_minutes_seconds() {
        assert_eq!(parse_offset("00:42:10"), Some(2530));
        assert_eq!(parse_offset("42:10"), Some(2530));
        assert_eq!(parse_offset("1:00:00"), Some(3600));
        // At the edges: streams of up to two days, minutes and seconds below 60.
        assert_eq!(parse_offset("47:59:59"), Some(47 * 3600 + 59 * 60 + 59));
        assert_eq!((parse_offset("48:00:00"), parse_offset("00:60:00"), parse_offset("00:00:60")), (None, None, None));
        assert_eq!(parse_offset("00:61:00"), None);
        assert_eq!(parse_offset("abc"), None);
        assert_eq!(parse_offset(""), None);
    }

    #[test]
    fn clock_time_is_beijing_time() {
        let t = parse_clock("2026-11-20T20:15").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T12:15:00+00:00");
        assert_eq!(beijing_date(parse_clock("2026-11-20 23:30").unwrap()).to_string(), "2026-11-20");
    }
}
