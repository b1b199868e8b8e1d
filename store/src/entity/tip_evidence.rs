use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tip_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tip_id: i64,
    pub sha256: String,
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
    pub file_name: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
