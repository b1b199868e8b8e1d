//! Cluster alerts (Order 117 Art. 20 monitoring): complaints about one room
//! bunching in time raise one alert for the platform and the agency. The
//! window's count reads a room's complaints by filing time.
use crate::m001_spine::{a, big, big_null, id, text, text_null, ts};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m013_alerts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, "ix_complaints_room_created", "complaints", &["live_room_id", "created_at"], false).await?;
        m.create_table(
            Table::create()
                .table(a("cluster_alerts"))
                .col(id(a("id")))
                .col(big(a("live_room_id")))
                .col(big(a("platform_id")))
                .col(big_null(a("agency_id")))
                .col(text(a("state")))
                // The cases of the cluster, in filing order (JSON array of ids).
                .col(text(a("case_ids_json")))
                .col(ts(a("first_at")))
                .col(ts(a("last_at")))
                .col(text_null(a("note")))
                .col(ts(a("created_at")))
                .col(ts(a("updated_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_cluster_alerts_room_state", "cluster_alerts", &["live_room_id", "state"], false).await?;
        index(m, "ix_cluster_alerts_platform", "cluster_alerts", &["platform_id", "id"], false).await?;
        index(m, "ix_cluster_alerts_agency", "cluster_alerts", &["agency_id", "id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("cluster_alerts")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_complaints_room_created").table(a("complaints")).to_owned()).await
    }
}
