//! A refused form post: back to the form with what was typed and why, in the
//! reader's language. Handlers return `Result<Response, FormError>` and use
//! `?`; the guard (`security::guard`) stores the kept values after the
//! handler, so no handler writes them itself.
use super::flash::Kept;
use crate::parse::Fields;
use axum::response::{IntoResponse, Redirect, Response};
use redline_rules::field::FieldErrors;
use redline_rules::lang::Lang;
use std::collections::HashMap;

/// A form: its name (which fields it keeps), the page it returns to, and the
/// reader's language.
pub struct FormPage {
    form: String,
    back: String,
    lang: Lang,
    summary: bool,
}

impl FormPage {
    pub fn new(form: impl Into<String>, back: impl Into<String>, lang: Lang) -> FormPage {
        FormPage { form: form.into(), back: back.into(), lang, summary: false }
    }

    /// Also show the first problem at the top of the form (forms whose fields
    /// have no place of their own for a message).
    pub fn with_summary(mut self) -> FormPage {
        self.summary = true;
        self
    }

    pub fn back(&self) -> &str {
        &self.back
    }

    /// Done: back to the form's page, which says once what happened.
    pub fn done(&self, zh: &str, en: &str) -> Response {
        keep_and_return(
            &self.form,
            &self.back,
            &Fields::default(),
            [("notice".to_owned(), self.lang.t(zh, en).to_owned())].into(),
        )
    }

    /// Refused: back to the form, the typed values kept, the problems shown.
    pub fn refuse(&self, fields: &Fields, errors: impl Into<FieldErrors>) -> FormError {
        let errors = errors.into();
        let messages =
            if self.summary { errors.localized_with_summary(self.lang) } else { errors.localized(self.lang) };
        FormError(keep_and_return(&self.form, &self.back, fields, messages))
    }
}

/// A refused form post, as a response.
pub struct FormError(Response);

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        self.0
    }
}

/// Redirects to `back` and has the guard keep `fields` (the form's own, within
/// their limits) with `messages` for the next render of `form`: errors after a
/// refusal, or a notice or a value shown once after success.
pub fn keep_and_return(form: &str, back: &str, fields: &Fields, messages: HashMap<String, String>) -> Response {
    let mut r = Redirect::to(back).into_response();
    r.extensions_mut().insert(Kept::new(form, fields, messages));
    r
}
