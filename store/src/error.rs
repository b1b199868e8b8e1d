//! The store's one error type. Problems the person can correct are
//! [`StoreError::Field`] (named by field, in both languages); the rest say what
//! failed and are shown as a short localized message.
use redline_rules::case::TransitionError;
use redline_rules::field::{FieldError, FieldErrors};
use redline_rules::lang::Lang;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    Transition(#[from] TransitionError),
    #[error("the case changed meanwhile; reload and try again")]
    Conflict,
    /// The version the actor saw is not the case's any more (a stale page, an
    /// API `If-Match`): refused rather than applied to what they did not see.
    #[error("the case has a newer version than the one seen")]
    Stale,
    /// A submitted value was refused.
    #[error("{0}")]
    Field(FieldError),
    /// Several submitted values were refused (a bulk report names each item).
    #[error("{} fields refused", .0 .0.len())]
    Fields(FieldErrors),
    /// A stored value this code does not understand: never read as a default.
    #[error("stored value not understood: {0}")]
    Corrupt(String),
    /// The evidence vault (disk or object store) failed.
    #[error("evidence vault: {0}")]
    Vault(String),
    #[error("no market-supervision agency in Redline covers this case")]
    NoAgency,
    /// A form's one-time token was posted before: that post's write stands,
    /// this one is rolled back (`api::idempotency::FormToken`).
    #[error("this form was submitted already")]
    AlreadySubmitted,
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Field(e)
    }
}

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        StoreError::Fields(e)
    }
}

impl StoreError {
    pub fn field(field: &'static str, zh: &'static str, en: &'static str) -> StoreError {
        StoreError::Field(FieldError::new(field, zh, en))
    }

    /// A short message in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        let t = |zh: &str, en: &str| lang.t(zh, en).to_owned();
        match self {
            StoreError::Db(_) | StoreError::Corrupt(_) => {
                t("系统暂时无法处理，请稍后再试", "The system could not process this; please retry")
            }
            StoreError::NotFound => t("未找到", "Not found"),
            StoreError::Forbidden => t("无权查看或执行此操作", "You may not see or do this"),
            StoreError::Transition(e) if lang.is_zh() => e.message_zh(),
            StoreError::Transition(e) => e.message_en(),
            StoreError::Conflict | StoreError::Stale => {
                t("案件已被他人更新，请刷新后重试", "The case changed meanwhile; reload and try again")
            }
            StoreError::Field(f) => f.message(lang).to_owned(),
            StoreError::Fields(fs) => fs.0.first().map(|f| f.message(lang).to_owned()).unwrap_or_default(),
            StoreError::Vault(_) => {
                t("证据库暂时不可用，请稍后再试", "The evidence vault is unavailable; please retry")
            }
            StoreError::NoAgency => t(
                "Redline 中尚无对此案有管辖权的市场监管部门，请通过12315提交",
                "No market-supervision agency on Redline covers this case yet; please file through 12315",
            ),
            StoreError::AlreadySubmitted => t("此表单已提交过", "This form was submitted already"),
        }
    }
}

/// A store error shown on a form: a field problem stays with its field; an
/// unexpected failure is logged here, once, and shown as a form-level message.
impl From<StoreError> for FieldErrors {
    fn from(e: StoreError) -> FieldErrors {
        if matches!(e, StoreError::Db(_) | StoreError::Corrupt(_) | StoreError::Vault(_)) {
            tracing::error!(error = %e, "request failed");
        }
        match e {
            StoreError::Field(f) => f.into(),
            StoreError::Fields(fs) => fs,
            other => FieldError::form(other.message(Lang::Zh), other.message(Lang::En)).into(),
        }
    }
}
