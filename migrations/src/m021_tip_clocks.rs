//! A tip's verification held for testing (D9 does not count those days) and
//! the decision clock of a case opened on a tip (D10, Penalty Procedure Rules
//! Art. 64): `store::tip::handling`.
use crate::m001_spine::a;
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m021_tip_clocks"
    }
}

const COLUMNS: [&str; 7] =
    ["d9_paused_at", "d9_paused_days", "d10_start_on", "d10_due_on", "d10_extended", "d10_approval", "d10_overdue"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(a("d9_paused_at")).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(a("d9_paused_days")).integer().not_null().default(0).to_owned(),
            ColumnDef::new(a("d10_start_on")).date().null().to_owned(),
            ColumnDef::new(a("d10_due_on")).date().null().to_owned(),
            ColumnDef::new(a("d10_extended")).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(a("d10_approval")).text().null().to_owned(),
            ColumnDef::new(a("d10_overdue")).boolean().not_null().default(false).to_owned(),
        ] {
            m.alter_table(Table::alter().table(a("tips")).add_column(col).to_owned()).await?;
        }
        // The overdue flags' reads (`store::tip::handling::flag_overdue`), a range each.
        index(m, "ix_tips_d9_flag", "tips", &["regulator_status", "d9_overdue", "d9_due_on"], false).await?;
        index(m, "ix_tips_d10_flag", "tips", &["regulator_status", "d10_overdue", "d10_due_on"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for ix in ["ix_tips_d10_flag", "ix_tips_d9_flag"] {
            m.drop_index(Index::drop().name(ix).table(a("tips")).to_owned()).await?;
        }
        for col in COLUMNS.iter().rev() {
            m.alter_table(Table::alter().table(a("tips")).drop_column(a(col)).to_owned()).await?;
        }
        Ok(())
    }
}
