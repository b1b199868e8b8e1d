//! The two languages Redline speaks: Simplified Chinese (the default) and
//! English. One type for pages, form errors, mail and the API.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// A language code as a cookie, a user's locale or a URL carries it:
    /// "en" in any case is English, anything else Chinese.
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    /// Picks the text for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn en_in_any_case_is_english_and_anything_else_chinese() {
        assert_eq!(Lang::parse("en"), Lang::En);
        assert_eq!(Lang::parse("EN"), Lang::En);
        assert_eq!(Lang::parse(" En "), Lang::En);
        assert_eq!(Lang::parse("zh"), Lang::Zh);
        assert_eq!(Lang::parse(""), Lang::Zh);
        assert_eq!(Lang::parse("fr"), Lang::Zh);
    }

    #[test]
    fn each_language_round_trips_through_its_code() {
        for l in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::parse(l.code()), l);
        }
        assert_eq!((Lang::Zh.code(), Lang::En.code()), ("zh", "en"));
        assert!(Lang::Zh.is_zh() && !Lang::En.is_zh());
        assert_eq!((Lang::Zh.t("是", "yes"), Lang::En.t("是", "yes")), ("是", "yes"));
    }
}
