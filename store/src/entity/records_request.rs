use sea_orm::entity::prelude::*;

/// A consumer's request for identity and records (Order 117 Art. 18).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "records_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// `rules::records::Record` codes, comma-separated.
    pub items: String,
    pub asked_at: DateTimeUtc,
    pub asked_by: i64,
    pub due_on: Date,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<i64>,
    pub answer: Option<String>,
    pub overdue: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
