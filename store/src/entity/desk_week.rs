use sea_orm::entity::prelude::*;

/// One week's cases of one room filed at one place (`crate::desk`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "desk_weeks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The Monday of the week the cases were filed.
    pub week: Date,
    /// The region code of the case's first place of jurisdiction ("" when none).
    pub place: String,
    pub platform_id: i64,
    pub operator_id: i64,
    pub live_room_id: i64,
    pub received: i64,
    pub to_platform: i64,
    pub to_regulator: i64,
    pub open_operator: i64,
    pub open_platform: i64,
    pub open_regulator: i64,
    pub closed: i64,
    pub resolved: i64,
    pub d1_ended: i64,
    pub d1_in_time: i64,
    pub d3_ended: i64,
    pub d3_in_time: i64,
    pub d5_ended: i64,
    pub d5_in_time: i64,
    pub d6_ended: i64,
    pub d6_in_time: i64,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
