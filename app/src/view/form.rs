//! What a refused form keeps for the page that shows it again, and the one
//! escaping that raw-text elements need.
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Text escaped for a raw-text element such as `<textarea>`, whose children
/// Leptos 0.8 writes unescaped: the browser decodes the entities back into
/// exactly what was typed, and `</textarea>` cannot end the element early.
pub fn rcdata(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Values and localized errors of a form that failed validation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct FormFlash {
    pub values: HashMap<String, Vec<String>>,
    pub errors: HashMap<String, String>,
}

impl FormFlash {
    pub fn value(&self, k: &str) -> String {
        self.values.get(k).and_then(|v| v.first()).cloned().unwrap_or_default()
    }
    /// Every value kept under a repeated name, in order.
    pub fn values(&self, k: &str) -> Vec<String> {
        self.values.get(k).cloned().unwrap_or_default()
    }
    pub fn has(&self, k: &str, v: &str) -> bool {
        self.values.get(k).is_some_and(|vs| vs.iter().any(|x| x == v))
    }
    /// The form-level message is a copy of a field's (a refusal repeats its
    /// first problem at the top for forms without a summary): shown once.
    pub fn form_error_is_a_copy(&self) -> bool {
        self.errors.get("form").is_some_and(|m| self.errors.iter().any(|(k, v)| k != "form" && k != "notice" && v == m))
    }
    pub fn error(&self, k: &str) -> Option<String> {
        self.errors.get(k).cloned()
    }
}

#[cfg(test)]
mod raw_text_tests {
    use super::rcdata;

    #[test]
    fn rcdata_cannot_close_the_textarea() {
        let typed = "</textarea><script>alert(1)</script> & <b>";
        let out = rcdata(typed);
        assert_eq!(out, "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;");
        assert!(!out.contains('<'));
    }

    /// Leptos 0.8 writes the children of raw-text elements (`textarea`,
    /// `script`, `style`, `noscript`) unescaped: pages may not give them any.
    #[test]
    fn no_page_puts_children_in_a_raw_text_element() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let dir = src.join("pages");
        let mut files = vec![src.join("lib.rs")];
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() >= 10, "the page sources were not found");
        let mut offenders = vec![];
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            for tag in ["textarea", "script", "style", "noscript"] {
                let open = format!("<{tag}");
                let close = format!("</{tag}>");
                let mut rest = src.as_str();
                while let Some(i) = rest.find(&open) {
                    let after = &rest[i..];
                    let Some(end) = after.find('>') else { break };
                    if after[open.len()..].starts_with([' ', '>', '\n']) && !after[end + 1..].starts_with(&close) {
                        offenders.push(format!("{}: <{tag}> with children", f.display()));
                    }
                    rest = &after[open.len()..];
                }
            }
        }
        assert!(offenders.is_empty(), "{offenders:#?}");
    }
}
