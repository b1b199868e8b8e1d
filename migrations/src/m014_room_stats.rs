//! Public figures per live room (`store::public`): the last twelve months'
//! counts, rebuilt by the `stats` job from the cases, so that a public page
//! reads one row per room instead of counting cases on every view.
use crate::m001_spine::{a, big, ts};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m014_room_stats"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("room_stats"))
                .col(ColumnDef::new(a("live_room_id")).big_integer().not_null().primary_key().to_owned())
                .col(big(a("platform_id")))
                .col(big(a("operator_id")))
                .col(big(a("received")))
                .col(big(a("answered")))
                .col(big(a("timely")))
                .col(big(a("closed")))
                .col(big(a("resolved")))
                .col(big(a("escalated")))
                .col(ts(a("computed_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_room_stats_platform", "room_stats", &["platform_id"], false).await?;
        index(m, "ix_room_stats_operator", "room_stats", &["operator_id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("room_stats")).to_owned()).await
    }
}
