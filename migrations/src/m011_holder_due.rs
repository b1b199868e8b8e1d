//! A case's queue position is the due date of the clock of whoever holds it.
//! Until now it was the nearest running clock of any kind, so the platform's
//! replay preservation (D4, which runs on after a case closes) put closed
//! cases at the top of every queue. Each case's `next_due_on` is computed
//! again without D4; cases without such a clock sort last (9999-12-31).
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m011_holder_due"
    }
}

const RECOMPUTE: &str = "UPDATE complaints SET next_due_on = COALESCE(
    (SELECT MIN(k.due_on) FROM clocks k WHERE k.case_id = complaints.id AND k.status = 'RUNNING' AND k.kind <> 'D4'),
    '9999-12-31')";

const WITH_D4: &str = "UPDATE complaints SET next_due_on = COALESCE(
    (SELECT MIN(k.due_on) FROM clocks k WHERE k.case_id = complaints.id AND k.status = 'RUNNING'),
    '9999-12-31')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared(RECOMPUTE).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared(WITH_D4).await?;
        Ok(())
    }
}
