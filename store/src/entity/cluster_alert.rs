use sea_orm::entity::prelude::*;

/// Complaints about one room bunching in time (`crate::alerts`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cluster_alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub live_room_id: i64,
    pub platform_id: i64,
    pub agency_id: Option<i64>,
    /// `rules::cluster::AlertState`.
    pub state: String,
    /// The cluster's case ids in filing order (JSON array).
    pub case_ids_json: String,
    pub first_at: DateTimeUtc,
    pub last_at: DateTimeUtc,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// `rules::cluster::Subject`: what the complaints share.
    pub subject: String,
    /// The room's, the product's or the marketer's id.
    pub subject_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
