//! Indexes found by the plan test that records every statement of the hot
//! flows: the operator's queue finds its rooms by operator, and every notice
//! finds an organisation's staff by (org_kind, org_id). Both were full scans
//! (`ux_memberships` leads with user_id).
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m006_staff_lookups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create().name("ix_live_rooms_operator").table(a("live_rooms")).col(a("operator_id")).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_memberships_org")
                .table(a("memberships"))
                .col(a("org_kind"))
                .col(a("org_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_memberships_org").table(a("memberships")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_live_rooms_operator").table(a("live_rooms")).to_owned()).await
    }
}
