use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "marketers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub platform_ref: String,
    pub stage_name: String,
    pub platform_account: String,
    pub is_virtual: bool,
    pub mcn_id: Option<i64>,
    /// The platform's reference to the verified identity it holds (Order 117 Art. 8).
    pub identity_ref: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
