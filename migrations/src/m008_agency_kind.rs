//! Agencies by kind: market supervision (市场监督管理部门) handles complaints
//! and tips; an internet information office (网信部门) is the other agency
//! Order 117 Art. 47 names. Every agency so far is market supervision.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m008_agency_kind"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("agencies"))
                .add_column(ColumnDef::new(a("kind")).string().not_null().default("MARKET_SUPERVISION"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("agencies")).drop_column(a("kind")).to_owned()).await
    }
}
