use sea_orm::entity::prelude::*;

/// A live room's public figures over the last twelve months (`crate::public`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "room_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub live_room_id: i64,
    pub platform_id: i64,
    pub operator_id: i64,
    pub received: i64,
    pub answered: i64,
    pub timely: i64,
    pub closed: i64,
    pub resolved: i64,
    pub escalated: i64,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
