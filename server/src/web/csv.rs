//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Chinese),
//! CRLF lines, and no cell a spreadsheet would run as a formula.

/// What a CSV file starts with, for Excel to take it as UTF-8.
pub const BOM: char = '\u{feff}';

/// A text cell: a leading `=`, `+`, `-`, `@`, tab or CR is escaped with a
/// quote mark (CSV injection), and the cell quoted when it must be.
pub fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    quote(s)
}

/// A number cell (a minus sign is a number's, not a formula).
pub fn number(n: impl std::fmt::Display) -> String {
    n.to_string()
}

fn quote(s: String) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One line of cells.
pub fn line(cells: &[String]) -> String {
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_run_as_formulas_and_quote_when_they_must() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(number(-1), "-1");
        assert_eq!(text("美白, 三天"), "\"美白, 三天\"");
        assert_eq!(text("平台"), "平台");
        assert_eq!(line(&["a".into(), "1".into()]), "a,1\r\n");
    }
}
