//! Money amounts in fen (分), the smallest RMB unit, to avoid float rounding.

use serde::{Deserialize, Serialize};

/// An amount in fen; 100 fen = 1 yuan (元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount is empty")]
    Empty,
    #[error("amount must not be negative")]
    Negative,
    #[error("amount has more than 2 decimal places")]
    TooManyDecimals,
    #[error("amount exceeds 100,000,000 yuan")]
    TooLarge,
    #[error("not a valid amount: {0:?}")]
    Invalid(String),
}

impl Fen {
    /// Upper bound for a single claim: 100,000,000 yuan.
    pub const MAX: Fen = Fen(100_000_000 * 100);

    pub fn as_i64(&self) -> i64 {
        self.0
    }

    /// Parses a yuan amount as typed by users: "12", "12.3", "¥12.34", "1,234.50".
    pub fn parse_yuan(s: &str) -> Result<Fen, MoneyError> {
        let t = s.trim();
        let t = t.strip_prefix('¥').or_else(|| t.strip_prefix('￥')).unwrap_or(t).trim_start();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let invalid = || MoneyError::Invalid(s.to_string());
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if t.contains('.') && frac.is_empty() {
            return Err(invalid());
        }
        let int = strip_grouping(int).ok_or_else(invalid)?;
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        // Cheap length check first so u64 parsing cannot overflow.
        if int.trim_start_matches('0').len() > 9 {
            return Err(MoneyError::TooLarge);
        }
        let yuan: i64 = int.parse().map_err(|_| invalid())?;
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| invalid())?;
        let fen = Fen(yuan * 100 + cents);
        if fen > Fen::MAX {
            return Err(MoneyError::TooLarge);
        }
        Ok(fen)
    }
}

/// Removes thousands separators, insisting on groups of three ("1,234,567").
fn strip_grouping(int: &str) -> Option<String> {
    if !int.contains(',') {
        return Some(int.to_string());
    }
    let mut groups = int.split(',');
    let head = groups.next()?;
    if head.is_empty() || head.len() > 3 {
        return None;
    }
    let mut out = head.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

impl std::fmt::Display for Fen {
    /// "¥12.34"; negative amounts (e.g. refunds in reports) as "-¥12.34".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(Fen::parse_yuan("12"), Ok(Fen(1200)));
        assert_eq!(Fen::parse_yuan("12.3"), Ok(Fen(1230)));
        assert_eq!(Fen::parse_yuan("12.34"), Ok(Fen(1234)));
        assert_eq!(Fen::parse_yuan("299.00").map(|f| f.as_i64()), Ok(29_900), "stored as whole fen");
        assert_eq!(Fen::parse_yuan("¥12.34"), Ok(Fen(1234)));
        assert_eq!(Fen::parse_yuan("￥ 12.34"), Ok(Fen(1234)));
        assert_eq!(Fen::parse_yuan("1,234.50"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan(" 0.05 "), Ok(Fen(5)));
        assert_eq!(Fen::parse_yuan("100,000,000"), Ok(Fen::MAX));
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(Fen::parse_yuan("-1"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_yuan("¥-1.00"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_yuan("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Fen::parse_yuan("100000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(Fen::parse_yuan("99999999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(Fen::parse_yuan(""), Err(MoneyError::Empty));
        assert_eq!(Fen::parse_yuan("¥"), Err(MoneyError::Empty));
        for bad in ["abc", "1.2.3", "12.", ".5", "1,23", "12,345,67", ",123", "1 000", "+5", "1e3"] {
            assert!(matches!(Fen::parse_yuan(bad), Err(MoneyError::Invalid(_))), "{bad}");
        }
    }

    #[test]
    fn displays_with_yuan_sign() {
        assert_eq!(Fen(1234).to_string(), "¥12.34");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(0).to_string(), "¥0.00", "no sign on nothing");
        assert_eq!(Fen(120_000).to_string(), "¥1200.00");
        assert_eq!(Fen(-1234).to_string(), "-¥12.34");
        assert_eq!(Fen::parse_yuan(&Fen(98_765).to_string()), Ok(Fen(98_765)));
    }
}
