//! Jurisdiction disputes (Order 121 Art. 33; `store::case::dispute`): the
//! handling agency refers a dispute with another agency to the nearest agency
//! covering both, which designates one within D11.
use crate::m001_spine::{a, big, id, text, text_null, ts, ts_null};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m025_jurisdiction_disputes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("jurisdiction_disputes"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(big(a("raised_by")))
                .col(big(a("raised_by_user")))
                .col(big(a("other_agency")))
                .col(big(a("referee")))
                .col(text(a("reason")))
                .col(ts(a("raised_at")))
                .col(ColumnDef::new(a("due_on")).date().not_null())
                // OPEN, then DESIGNATED.
                .col(text(a("status")))
                .col(ColumnDef::new(a("designated")).big_integer().null())
                .col(ts_null(a("decided_at")))
                .col(ColumnDef::new(a("decided_by")).big_integer().null())
                .col(text_null(a("note")))
                .col(ColumnDef::new(a("overdue")).boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        // The referee's list and the overdue flag's range; a case's disputes.
        index(m, "ix_disputes_referee", "jurisdiction_disputes", &["referee", "status", "due_on"], false).await?;
        index(m, "ix_disputes_open_due", "jurisdiction_disputes", &["status", "overdue", "due_on"], false).await?;
        index(m, "ix_disputes_case", "jurisdiction_disputes", &["case_id", "id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("jurisdiction_disputes")).to_owned()).await
    }
}
