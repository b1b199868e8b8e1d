use sea_orm::entity::prelude::*;

/// An agency's notice that a party cannot be reached, and the platform's
/// reminder within D15 (Order 117 Art. 22).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unreachable_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub agency_id: i64,
    /// `rules::parties::unreachable::Unreachable` code.
    pub party: String,
    pub note: String,
    pub notified_at: DateTimeUtc,
    pub notified_by: i64,
    pub due_on: Date,
    pub reminded_at: Option<DateTimeUtc>,
    pub reminded_by: Option<i64>,
    pub answer: Option<String>,
    pub overdue: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
