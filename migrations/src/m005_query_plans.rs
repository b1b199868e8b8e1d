//! Indexes for the plans of hot queries. A case's nearest running clock
//! (looked up on every filing and transition) was planned on
//! `ix_clocks_status_due`, scanning every running clock of every case in due
//! order until one of this case turned up: filing grew slower with the number
//! of open cases. `(case_id, status, due_on)` answers it with one index seek,
//! and serves every lookup by case that `ix_clocks_case` served.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m005_query_plans"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_clocks_case_status_due")
                .table(a("clocks"))
                .col(a("case_id"))
                .col(a("status"))
                .col(a("due_on"))
                .to_owned(),
        )
        .await?;
        m.drop_index(Index::drop().name("ix_clocks_case").table(a("clocks")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(Index::create().name("ix_clocks_case").table(a("clocks")).col(a("case_id")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_clocks_case_status_due").table(a("clocks")).to_owned()).await
    }
}
