//! Cluster alerts about a product or a marketer as well as a room
//! (`rules::cluster::Subject`): the subject on each alert, and the windows
//! read at filing on the complaints of one product or one marketer.
use crate::m001_spine::a;
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m017_cluster_subjects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(a("subject")).text().not_null().default("ROOM").to_owned(),
            ColumnDef::new(a("subject_id")).big_integer().not_null().default(0).to_owned(),
        ] {
            m.alter_table(Table::alter().table(a("cluster_alerts")).add_column(col).to_owned()).await?;
        }
        // Alerts so far were about rooms.
        m.get_connection().execute_unprepared("UPDATE cluster_alerts SET subject_id = live_room_id").await?;
        index(m, "ix_cluster_alerts_subject", "cluster_alerts", &["subject", "subject_id", "state"], false).await?;
        index(m, "ix_complaints_product_created", "complaints", &["product_id", "created_at"], false).await?;
        index(m, "ix_complaints_marketer_created", "complaints", &["marketer_id", "created_at"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (ix, table) in [
            ("ix_complaints_marketer_created", "complaints"),
            ("ix_complaints_product_created", "complaints"),
            ("ix_cluster_alerts_subject", "cluster_alerts"),
        ] {
            m.drop_index(Index::drop().name(ix).table(a(table)).to_owned()).await?;
        }
        for col in ["subject_id", "subject"] {
            m.alter_table(Table::alter().table(a("cluster_alerts")).drop_column(a(col)).to_owned()).await?;
        }
        Ok(())
    }
}
