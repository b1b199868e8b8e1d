use sea_orm::entity::prelude::*;

/// A signed checkpoint of the transparency log: its text exactly as signed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tree_size: i64,
    pub root: String,
    pub body: String,
    pub key_id: String,
    pub signature: String,
    pub case_events_through: i64,
    pub tip_events_through: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
