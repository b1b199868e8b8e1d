//! The regulated parties as their platform reports them: `report` (bulk,
//! idempotent, with change history), `sessions` (who appeared in a session)
//! and `views` (what each reader sees).
pub mod report;
pub mod sessions;
pub mod unreachable;
pub mod views;
