use sea_orm::entity::prelude::*;

/// A write's stored response, replayed when the same key comes again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Whose key: `key:<api key id>` or `user:<user id>`.
    pub owner: String,
    pub idem_key: String,
    pub request_hash: String,
    /// None while the first request is still running.
    pub status_code: Option<i32>,
    pub body: Option<String>,
    pub location: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
