use sea_orm::entity::prelude::*;

/// A jurisdiction dispute referred to the common higher level (Order 121 Art. 33).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jurisdiction_disputes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// The handling agency that referred it.
    pub raised_by: i64,
    pub raised_by_user: i64,
    /// The agency it disputes with.
    pub other_agency: i64,
    /// The agency that designates (`rules::jurisdiction::dispute::referee`).
    pub referee: i64,
    pub reason: String,
    pub raised_at: DateTimeUtc,
    /// D11.
    pub due_on: Date,
    /// OPEN or DESIGNATED.
    pub status: String,
    pub designated: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    pub note: Option<String>,
    pub overdue: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
