use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    /// OPERATOR, ROOM, MARKETER or MCN.
    pub party_kind: String,
    pub party_ref: String,
    pub learned_at: DateTimeUtc,
    pub reported_at: DateTimeUtc,
    /// Reported after the Order 117 Art. 15 period.
    pub late: bool,
    /// "api" or "staff".
    pub channel: String,
    /// The reported state, as stored.
    pub snapshot_json: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
