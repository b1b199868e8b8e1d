use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub sha256: String,
    pub display_sha256: Option<String>,
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
    pub file_name: String,
    pub note: Option<String>,
    pub uploaded_by: Option<i64>,
    pub uploaded_role: String,
    pub uploaded_at: DateTimeUtc,
    pub offset_start_s: Option<i64>,
    pub offset_end_s: Option<i64>,
    pub legal_hold: bool,
    pub retain_until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
