//! The day the consumer ordered (optional): with the end of the stream it
//! dates the transaction that Order 117 Art. 16 counts retention from.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m018_order_date"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let col = ColumnDef::new(a("ordered_on")).date().null().to_owned();
        m.alter_table(Table::alter().table(a("complaints")).add_column(col).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("complaints")).drop_column(a("ordered_on")).to_owned()).await
    }
}
