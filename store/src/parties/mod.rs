//! The regulated parties as their platform reports them: `report` (bulk,
//! idempotent, with change history) and `views` (what each reader sees).
pub mod report;
pub mod views;
