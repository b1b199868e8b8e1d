use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clock_pauses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub clock_id: i64,
    pub reason: String,
    pub paused_at: DateTimeUtc,
    pub resumed_at: Option<DateTimeUtc>,
    pub actor_user_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
