use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stream_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub live_room_id: i64,
    pub started_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub replay_ref: Option<String>,
    /// The platform's own ID of the broadcast.
    pub platform_session_id: Option<String>,
    /// "api", "staff" or "seed".
    pub reported_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
