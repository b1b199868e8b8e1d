//! Where a tip came from (`rules::tip::Origin`): a report, or a violation the
//! mediating agency found (Order 121 Art. 27, T23), verified under D8.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m024_tip_origin"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let col = ColumnDef::new(a("origin")).text().not_null().default("REPORT").to_owned();
        m.alter_table(Table::alter().table(a("tips")).add_column(col).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("tips")).drop_column(a("origin")).to_owned()).await
    }
}
