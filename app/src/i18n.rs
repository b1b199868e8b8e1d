//! Two languages: Simplified Chinese (default) and English, chosen by a cookie.

/// One language type for pages, form errors, mail and the API.
pub use redline_rules::lang::Lang;

/// Formats fen as yuan, e.g. 12345 → "¥123.45".
pub fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}
