use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<i64>,
    pub actor_role: String,
    pub event_type: String,
    pub transition_id: String,
    pub from_state: String,
    pub to_state: String,
    pub payload_json: String,
    /// Hash of the previous event of this case (the chain, see redline_rules::chain).
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
