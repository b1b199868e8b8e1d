use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: String,
    pub is_admin: bool,
    pub created_at: DateTimeUtc,
    /// IMMEDIATE or DAILY_DIGEST (staff may choose digests).
    pub email_mode: String,
    /// The holder deleted the account (PIPL Art. 47): its personal data is gone.
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
