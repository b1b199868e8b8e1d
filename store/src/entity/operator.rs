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
    /// The reporting platform and its own ID of the operator (none for seeded rows).
    pub platform_id: Option<i64>,
    pub platform_ref: Option<String>,
    pub contact: Option<String>,
    /// A natural person's masked ID number (never the number itself).
    pub masked_id: Option<String>,
    pub business_address: Option<String>,
    /// Licences with validity (Order 117 Art. 25), as JSON.
    pub licences_json: String,
    pub mcn_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
