use sea_orm::entity::prelude::*;

/// Cases filed in one week (per place and platform) or one period (per place
/// and room), as the desk sums them (`crate::desk`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "desk_weeks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 0: one week's row per place and platform; 4, 13 or 52: that period's
    /// row per place and room (`crate::desk::rebuild`).
    pub period: i32,
    /// The Monday of the week the cases were filed, or of the period's first week.
    pub week: Date,
    /// The region code of the handling agency, else of the case's first place
    /// of jurisdiction ("" when none).
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
