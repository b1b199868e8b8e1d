use sea_orm::entity::prelude::*;

/// A platform's (or one of its operators') API key: stored as SHA-256 only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "platform_api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub key_hash: String,
    pub prefix: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub name: String,
    /// Space-separated scopes (`store::api::keys::Scope`).
    pub scopes: String,
    /// Set for a live-room operator's key: it sees and acts for that operator's rooms only.
    pub operator_id: Option<i64>,
    pub last_used_at: Option<DateTimeUtc>,
    /// A rotated key stays valid until then.
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
