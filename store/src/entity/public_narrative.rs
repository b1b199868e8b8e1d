use sea_orm::entity::prelude::*;

/// A narrative its consumer chose to publish (`crate::narratives`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "public_narratives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub live_room_id: i64,
    /// The narrative as the public may read it (`rules::masking::scrub`).
    pub masked: String,
    /// `rules::public::NarrativeStatus`.
    pub status: String,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
