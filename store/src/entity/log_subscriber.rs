use sea_orm::entity::prelude::*;

/// An address an organisation asked to be mailed every checkpoint at.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log_subscribers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// PLATFORM or AGENCY, as memberships name them.
    pub org_kind: String,
    pub org_id: i64,
    pub email: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
