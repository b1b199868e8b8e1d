use sea_orm::entity::prelude::*;

/// A consumer's stars for one party that handled a closed case (T7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// `rules::rating::Handler` code.
    pub handler: String,
    pub attitude: i16,
    pub speed: i16,
    pub outcome: i16,
    pub comment: Option<String>,
    pub rated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
