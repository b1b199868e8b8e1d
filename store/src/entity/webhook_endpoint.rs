use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `platform` or `operator` (`crate::actor::ORG_*`).
    pub org_kind: String,
    pub org_id: i64,
    pub url: String,
    /// Space-separated event types, or `*`.
    pub event_types: String,
    /// `whsec_` + base64 of the signing key (Standard Webhooks).
    pub secret: String,
    /// After a rotation the old secret also signs, until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<DateTimeUtc>,
    pub enabled: bool,
    pub failing_since: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
