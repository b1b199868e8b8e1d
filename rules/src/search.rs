//! Chinese full-text search without a word list. Chinese has no spaces, so a
//! text is indexed by its character pairs (三天美白 → 三天 天美 美白) and
//! each run of Latin letters or digits as a word (LC-2026-000001 → lc 2026
//! 000001). A query of two characters or more matches a case holding all of
//! its terms, and then holding the query itself (the pairs say nothing of
//! order). The same terms serve SQLite (an FTS5 table of the terms) and
//! PostgreSQL (a GIN index over the term array).

/// The shortest query: one Chinese character matches too much to rank.
pub const MIN_QUERY_CHARS: usize = 2;
/// The longest query kept.
pub const MAX_QUERY_CHARS: usize = 40;

fn is_han(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c)
}

/// Lower case, full-width Latin and digits folded to ASCII: what both the
/// text and the query are compared in.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The index terms of a text, each once, in first-seen order.
pub fn terms(text: &str) -> Vec<String> {
    let text = fold(text);
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            let run = chars[i..].iter().take_while(|c| is_han(**c)).count();
            if run == 1 {
                push(c.to_string());
            }
            for w in chars[i..i + run].windows(2) {
                push(w.iter().collect());
            }
            i += run;
        } else if c.is_ascii_alphanumeric() {
            let run = chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
            push(chars[i..i + run].iter().collect());
            i += run;
        } else {
            i += 1;
        }
    }
    out
}

/// Why a query cannot be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    TooShort,
}

impl QueryError {
    pub fn message_zh(self) -> &'static str {
        "请至少输入两个字"
    }
    pub fn message_en(self) -> &'static str {
        "Type at least two characters"
    }
}

/// A query ready to run: its folded text (matched as a whole) and its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub terms: Vec<String>,
}

/// Parses what a person typed: trimmed, folded, at most `MAX_QUERY_CHARS`;
/// inner spaces separate words that must all appear.
pub fn query(typed: &str) -> Result<Query, QueryError> {
    let text: String = fold(typed.trim()).chars().take(MAX_QUERY_CHARS).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let terms = terms(&text);
    if text.chars().filter(|c| !c.is_whitespace()).count() < MIN_QUERY_CHARS || terms.is_empty() {
        return Err(QueryError::TooShort);
    }
    Ok(Query { text, terms })
}

impl Query {
    /// The parts that must each appear as typed (split at spaces).
    pub fn parts(&self) -> Vec<&str> {
        self.text.split(' ').filter(|p| !p.is_empty()).collect()
    }

    /// Whether `text` holds every part (after folding).
    pub fn matches(&self, text: &str) -> bool {
        let t = fold(text);
        self.parts().iter().all(|p| t.contains(p))
    }

    /// How often the parts occur in `text`: the rank of a hit.
    pub fn occurrences(&self, text: &str) -> usize {
        let t = fold(text);
        self.parts().iter().map(|p| t.matches(p).count()).sum()
    }

    /// `text` cut into (piece, is a match) for highlighting, around the
    /// first match and at most `width` characters long.
    pub fn highlight(&self, text: &str, width: usize) -> Vec<(String, bool)> {
        let chars: Vec<char> = text.chars().collect();
        let folded: Vec<char> = chars.iter().map(|c| fold(&c.to_string()).chars().next().unwrap_or(*c)).collect();
        let parts: Vec<Vec<char>> = self.parts().iter().map(|p| p.chars().collect()).collect();
        let hit_at = |i: usize| parts.iter().find(|p| folded[i..].starts_with(p)).map(|p| p.len());
        let first = (0..chars.len()).find(|i| hit_at(*i).is_some()).unwrap_or(0);
        let start = first.saturating_sub(width / 3);
        let end = (start + width).min(chars.len());
        let mut out: Vec<(String, bool)> = Vec::new();
        if start > 0 {
            out.push(("…".to_owned(), false));
        }
        let mut plain = String::new();
        let mut i = start;
        while i < end {
            match hit_at(i) {
                Some(n) => {
                    let n = n.min(end - i);
                    if !plain.is_empty() {
                        out.push((std::mem::take(&mut plain), false));
                    }
                    out.push((chars[i..i + n].iter().collect(), true));
                    i += n;
                }
                None => {
                    plain.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !plain.is_empty() {
            out.push((plain, false));
        }
        if end < chars.len() {
            out.push(("…".to_owned(), false));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_by_pairs_and_latin_by_words() {
        assert_eq!(terms("可以三天美白"), ["可以", "以三", "三天", "天美", "美白"]);
        assert_eq!(terms("LC-2026-000001 燕"), ["lc", "2026", "000001", "燕"]);
        assert_eq!(terms("ＸＨ８８０１"), ["xh8801"], "full-width folds");
    }

    #[test]
    fn a_query_of_two_characters_is_the_shortest() {
        assert_eq!(query("美"), Err(QueryError::TooShort));
        assert_eq!(query("  "), Err(QueryError::TooShort));
        assert_eq!(query("美白").unwrap().terms, ["美白"]);
        let q = query(" 三天美白 ").unwrap();
        assert_eq!(q.terms, ["三天", "天美", "美白"]);
        assert!(q.matches("主播称该饮品可以三天美白"));
        assert!(!q.matches("三天后美白"), "every pair present, not in order");
    }

    #[test]
    fn matches_are_highlighted_around_the_first() {
        let q = query("美白").unwrap();
        let h = q.highlight("主播称该饮品可以三天美白，美白效果", 40);
        assert_eq!(
            h,
            [
                ("主播称该饮品可以三天".to_owned(), false),
                ("美白".to_owned(), true),
                ("，".to_owned(), false),
                ("美白".to_owned(), true),
                ("效果".to_owned(), false)
            ]
        );
        assert_eq!(q.occurrences("美白，美白"), 2);
        let long = format!("{}美白{}", "很".repeat(50), "好".repeat(50));
        let h = q.highlight(&long, 20);
        assert_eq!(h.first().map(|p| p.0.as_str()), Some("…"));
        assert_eq!(h.iter().filter(|p| p.1).count(), 1);
        assert_eq!(h.last().map(|p| p.0.as_str()), Some("…"));
    }
}
