//! Narratives consumers chose to publish (`store::narratives`): masked when
//! asked for, shown on the room's public page once a moderator approved them.
use crate::m001_spine::{a, big, id, text, text_null, ts, ts_null};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m016_narratives"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("public_narratives"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(big(a("live_room_id")))
                // The narrative after `rules::masking::scrub`; the original stays with the case.
                .col(text(a("masked")))
                // PENDING, APPROVED, REJECTED or WITHDRAWN.
                .col(text(a("status")))
                .col(ts(a("requested_at")))
                .col(ts_null(a("decided_at")))
                .col(ColumnDef::new(a("decided_by")).big_integer().null())
                .col(text_null(a("reason")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_public_narratives_case", "public_narratives", &["case_id"], true).await?;
        index(m, "ix_public_narratives_room", "public_narratives", &["live_room_id", "status", "requested_at"], false)
            .await?;
        index(m, "ix_public_narratives_status", "public_narratives", &["status", "requested_at"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("public_narratives")).to_owned()).await
    }
}
