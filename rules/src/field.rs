//! Problems with submitted input, named by field and said in both languages.
//! Rules, store and transport share this one vocabulary: a form re-renders
//! them next to the field, the API returns them under `fields`.
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The field a problem belongs to when no input field does.
pub const FORM: &str = "form";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl FieldError {
    pub fn new(
        field: impl Into<Cow<'static, str>>,
        zh: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) -> FieldError {
        FieldError { field: field.into(), zh: zh.into(), en: en.into() }
    }
    /// A problem with the form as a whole.
    pub fn form(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> FieldError {
        FieldError::new(FORM, zh, en)
    }
    pub fn message(&self, lang: Lang) -> &str {
        lang.t(&self.zh, &self.en)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.en)
    }
}

/// All problems of one submission, in form order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, zh: &'static str, en: &'static str) {
        self.0.push(FieldError::new(field, zh, en));
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    /// The value, or `None` with its problem recorded.
    pub fn keep<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when there is nothing to report.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
    /// Field → message in one language; the first problem of a field wins.
    pub fn localized(&self, lang: Lang) -> std::collections::HashMap<String, String> {
        let mut m = std::collections::HashMap::new();
        for e in &self.0 {
            m.entry(e.field.to_string()).or_insert_with(|| e.message(lang).to_owned());
        }
        m
    }
    /// As [`FieldErrors::localized`], with the first problem also shown at the
    /// top of the form (for forms whose fields have no place for a message).
    pub fn localized_with_summary(&self, lang: Lang) -> std::collections::HashMap<String, String> {
        let mut m = self.localized(lang);
        if let Some(e) = self.0.first() {
            m.entry(FORM.to_owned()).or_insert_with(|| e.message(lang).to_owned());
        }
        m
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        FieldErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_report_is_ok_and_any_problem_is_an_error() {
        let none = FieldErrors::default();
        assert!(none.is_empty());
        assert_eq!(none.into_result(), Ok(()));
        let one: FieldErrors = FieldError::new("amount", "请填写金额", "Enter the amount").into();
        assert!(!one.is_empty());
        assert_eq!(one.0.len(), 1);
        assert_eq!(one.clone().into_result(), Err(one.clone()));
        assert_eq!(one.0[0].to_string(), "amount: Enter the amount");
    }

    #[test]
    fn the_first_problem_of_a_field_is_the_one_shown() {
        let mut e = FieldErrors::default();
        e.add("amount", "请填写金额", "Enter the amount");
        e.add("amount", "金额过大", "Amount too large");
        e.add("narrative", "请填写经过", "Describe what happened");
        assert_eq!(e.localized(Lang::En)["amount"], "Enter the amount");
        assert_eq!(e.localized(Lang::Zh)["narrative"], "请填写经过");
        assert_eq!(e.localized(Lang::Zh).len(), 2);
        assert_eq!(e.localized_with_summary(Lang::Zh)[FORM], "请填写金额");
    }
}
