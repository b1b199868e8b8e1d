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
    pub fn has(&self, k: &str, v: &str) -> bool {
        self.values.get(k).is_some_and(|vs| vs.iter().any(|x| x == v))
    }
    pub fn error(&self, k: &str) -> Option<String> {
        self.errors.get(k).cloned()
    }
}
