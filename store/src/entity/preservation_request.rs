use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preservation_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub session_id: Option<i64>,
    pub from_offset_s: Option<i64>,
    pub to_offset_s: Option<i64>,
    pub from_at: Option<DateTimeUtc>,
    pub to_at: Option<DateTimeUtc>,
    pub status: String,
    pub overdue: bool,
    pub replay_ref: Option<String>,
    pub retain_until: Option<Date>,
    pub answer: Option<String>,
    pub requested_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
