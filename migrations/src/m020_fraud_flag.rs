//! T24: a case marked as suspected fraud (Order 121 Arts. 23(6), 42) by the
//! platform or the agency (`store::case::fraud`); the chain keeps who, when
//! and why, the case row what every queue shows.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m020_fraud_flag"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(a("fraud_suspected")).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(a("fraud_reason")).text().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(a("complaints")).add_column(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["fraud_reason", "fraud_suspected"] {
            m.alter_table(Table::alter().table(a("complaints")).drop_column(a(col)).to_owned()).await?;
        }
        Ok(())
    }
}
