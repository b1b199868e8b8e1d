use sea_orm::entity::prelude::*;

/// A count of one week's cases of one platform at one place by a facet's
/// value: a category, or the working days resolution took (`crate::desk`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "desk_facets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub week: Date,
    pub place: String,
    pub platform_id: i64,
    pub facet: String,
    pub value: String,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
