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
    pub created_at: DateTimeUtc,
    /// The RFC 3161 token over the text's SHA-256 (DER in hex), and its time.
    pub tsa_token: Option<String>,
    pub tsa_time: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
