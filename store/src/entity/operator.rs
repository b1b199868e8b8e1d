use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "operators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub uscc: Option<String>,
    pub displayed_address: Option<String>,
    pub displayed_region: Option<String>,
    pub domicile_region: Option<String>,
    pub reachable: bool,
    pub created_at: DateTimeUtc,
    /// The actual business place (Order 117 Art. 8), for tip jurisdiction (Order 121 Art. 31).
    pub business_region: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
