use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clocks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub basis: String,
    pub legal: bool,
    pub calendar: String,
    pub days: i32,
    pub start_on: Date,
    pub started_at: DateTimeUtc,
    pub due_on: Date,
    pub paused_secs: i64,
    pub paused_at: Option<DateTimeUtc>,
    pub status: String,
    pub provisional: bool,
    pub explanation_json: String,
    pub stopped_at: Option<DateTimeUtc>,
    /// Notices sent: 0 none, 1 the 75 % reminder, 2 overdue.
    pub notified: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
