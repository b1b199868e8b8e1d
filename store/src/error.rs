use redline_rules::case::TransitionError;

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
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("no market-supervision agency in Redline covers this case")]
    NoAgency,
}

impl StoreError {
    /// A short message in the reader's language (zh or en).
    pub fn localized(&self, zh: bool) -> String {
        match (self, zh) {
            (StoreError::Db(_), true) => "系统暂时无法处理，请稍后再试".into(),
            (StoreError::Db(_), false) => "The system could not process this; please retry".into(),
            (StoreError::NotFound, true) => "未找到".into(),
            (StoreError::NotFound, false) => "Not found".into(),
            (StoreError::Forbidden, true) => "无权查看或操作此案件".into(),
            (StoreError::Forbidden, false) => "You may not see or act on this case".into(),
            (StoreError::Transition(e), true) => e.message_zh(),
            (StoreError::Transition(e), false) => e.message_en(),
            (StoreError::Conflict, true) => "案件已被他人更新，请刷新后重试".into(),
            (StoreError::Conflict, false) => "The case changed meanwhile; reload and try again".into(),
            (StoreError::Invalid(m), _) => m.clone(),
            (StoreError::NoAgency, true) => "Redline 中尚无对此案有管辖权的市场监管部门，请通过12315提交".into(),
            (StoreError::NoAgency, false) => {
                "No market-supervision agency on Redline covers this case yet; please file through 12315".into()
            }
        }
    }
}
