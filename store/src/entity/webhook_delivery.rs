use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub endpoint_id: i64,
    /// The `webhook-id` header: the same on every attempt and replay.
    pub msg_id: String,
    pub event_type: String,
    /// The case or tip number: deliveries of one subject go out in order.
    pub subject: String,
    pub payload: String,
    /// `PENDING`, `DELIVERED` or `FAILED` (attempts exhausted).
    pub status: String,
    pub attempts: i32,
    pub next_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
