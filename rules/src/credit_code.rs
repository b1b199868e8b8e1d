//! The unified social credit code (统一社会信用代码) of a legal person or other
//! organisation, GB 32100-2015: 18 characters from a 31-character set (the
//! digits and the capitals without I, O, Z, S and V), of which the last is a
//! check character over the first 17 (weights 3^(i) mod 31, sum mod 31).
//! Platforms, operators that are entities and MCNs are identified by it
//! (Order 117 Art. 9 names it among what an operator discloses).
use crate::field::FieldError;
use serde::{Deserialize, Serialize};

/// GB 32100-2015 Table 1: the code's characters, in the order of their values 0–30.
const CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 §5.2: the weight of each of the first 17 positions (3^i mod 31).
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A credit code whose length, characters and check character are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a credit code has 18 characters, not {0}")]
    Length(usize),
    #[error("{0:?} is not a character of a credit code")]
    Character(char),
    #[error("the check character is {expected}, not {found}")]
    Check { expected: char, found: char },
}

fn value(c: u8) -> Option<u32> {
    CHARS.iter().position(|&x| x == c).map(|v| v as u32)
}

/// The check character of the first 17 characters (GB 32100-2015 §5.2:
/// C18 = 31 − (Σ Ci·Wi mod 31), with 31 written as 0).
pub fn check_char(first17: &[u8; 17]) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    Some(CHARS[((31 - sum % 31) % 31) as usize] as char)
}

impl CreditCode {
    /// Parses a code as typed: surrounding spaces dropped, letters upper-cased.
    pub fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        let s = s.trim().to_ascii_uppercase();
        let n = s.chars().count();
        if n != 18 {
            return Err(CreditCodeError::Length(n));
        }
        if let Some(bad) = s.chars().find(|c| !c.is_ascii() || value(*c as u8).is_none()) {
            return Err(CreditCodeError::Character(bad));
        }
        let b = s.as_bytes();
        let expected = check_char(b[..17].try_into().expect("17 bytes")).expect("checked characters");
        let found = b[17] as char;
        if expected != found {
            return Err(CreditCodeError::Check { expected, found });
        }
        Ok(CreditCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The registering region (登记管理机关行政区划码), characters 3–8.
    pub fn region(&self) -> &str {
        &self.0[2..8]
    }

    /// The form's error for a field holding a credit code, in both languages.
    pub fn field_error(field: &'static str, e: &CreditCodeError) -> FieldError {
        let (zh, en) = match e {
            CreditCodeError::Length(n) => {
                (format!("统一社会信用代码应为18位，当前为{n}位"), format!("A credit code has 18 characters, not {n}"))
            }
            CreditCodeError::Character(c) => (
                format!("统一社会信用代码不含字符“{c}”（不使用 I、O、Z、S、V）"),
                format!("A credit code has no character “{c}” (I, O, Z, S and V are not used)"),
            ),
            CreditCodeError::Check { .. } => (
                "统一社会信用代码校验位不符，请核对".to_owned(),
                "The credit code's check character does not match; please check it".to_owned(),
            ),
        };
        FieldError::new(field, zh, en)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes as published on business licences: each check character agrees.
    #[test]
    fn gb32100_published_codes_pass_their_check() {
        for code in ["91440300708461136T", "91330100716105852F", "91110000802100433B", "911101085923662400"] {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn gb32100_check_character_is_31_minus_the_weighted_sum() {
        assert_eq!(check_char(b"91440300708461136"), Some('T'));
        // A sum divisible by 31 gives 31, written 0.
        assert_eq!(check_char(b"91110108592366240"), Some('0'));
        assert_eq!(check_char(b"9144030070846113I"), None);
    }

    #[test]
    fn gb32100_one_changed_character_is_refused() {
        assert_eq!(CreditCode::parse("91440300708461137T"), Err(CreditCodeError::Check { expected: 'X', found: 'T' }));
        assert_eq!(CreditCode::parse("91440300708461136U"), Err(CreditCodeError::Check { expected: 'T', found: 'U' }));
    }

    #[test]
    fn gb32100_length_and_character_set() {
        assert_eq!(CreditCode::parse("9144030070846113"), Err(CreditCodeError::Length(16)));
        assert_eq!(CreditCode::parse("91440300708461136TT"), Err(CreditCodeError::Length(19)));
        assert_eq!(CreditCode::parse("9144030070846113OT"), Err(CreditCodeError::Character('O')));
        assert_eq!(CreditCode::parse("9144030070846113中T"), Err(CreditCodeError::Character('中')));
    }

    #[test]
    fn gb32100_as_typed_spaces_and_lower_case() {
        assert_eq!(CreditCode::parse(" 91440300708461136t ").unwrap().as_str(), "91440300708461136T");
    }

    #[test]
    fn gb32100_region_is_characters_3_to_8() {
        assert_eq!(CreditCode::parse("91440300708461136T").unwrap().region(), "440300");
    }

    #[test]
    fn gb32100_errors_are_localized() {
        let e = CreditCode::field_error("uscc", &CreditCodeError::Length(16));
        assert_eq!(e.field, "uscc");
        assert_eq!(e.zh, "统一社会信用代码应为18位，当前为16位");
        assert_eq!(e.en, "A credit code has 18 characters, not 16");
    }
}
