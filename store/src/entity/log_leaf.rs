use sea_orm::entity::prelude::*;

/// A leaf of the transparency log: a case's or tip's chain head as logged
/// (`store::transparency`). Never changed once written.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log_leaves")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub leaf_index: i64,
    /// case or tip.
    pub kind: String,
    pub number: String,
    pub seq: i64,
    pub head: String,
    /// The tree size of the checkpoint that first included it.
    pub checkpoint_size: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
