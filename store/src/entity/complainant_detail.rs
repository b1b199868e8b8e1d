use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complainant_details")]
pub struct Model {
    /// The case these Order 121 Art. 10 details belong to.
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    pub name: String,
    pub phone: String,
    pub address: String,
    /// Filed by an agent, whose power of attorney is in the evidence.
    pub is_agent: bool,
    /// The consumer agreed that respondents see phone and address.
    pub share_contact: bool,
    pub given_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
