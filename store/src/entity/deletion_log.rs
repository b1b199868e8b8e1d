use sea_orm::entity::prelude::*;

/// One record deleted when its retention ended (`store::retention`): what, when,
/// by which rule. It names the object by number only, never a person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deletion_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub deleted_at: DateTimeUtc,
    /// CASE, TIP or ACCOUNT.
    pub kind: String,
    pub object_ref: String,
    /// `rules::retention::Rule` code, or ACCOUNT_DELETION_REQUESTED.
    pub rule: String,
    pub basis: String,
    pub retained_until: Option<Date>,
    pub rows_deleted: i64,
    pub files_released: i64,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
