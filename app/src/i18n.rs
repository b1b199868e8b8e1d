//! Two languages: Simplified Chinese (default) and English, chosen by a cookie.

/// One language type for pages, form errors, mail and the API.
pub use redline_rules::lang::Lang;

/// Formats fen as yuan, e.g. 12345 → "¥123.45".
pub fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}

/// A file size as people read it: 4161 → "4.1 KB", 5 242 880 → "5.0 MB".
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
