//! The agency's notice that an operator or marketer cannot be reached at its
//! registered address, and the platform's reminder within D15 (Order 117
//! Art. 22; `store::parties::unreachable`).
use crate::m001_spine::{a, big, id, text, text_null, ts, ts_null};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m026_unreachable_notices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("unreachable_notices"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(big(a("platform_id")))
                .col(big(a("agency_id")))
                // OPERATOR or MARKETER.
                .col(text(a("party")))
                .col(text(a("note")))
                .col(ts(a("notified_at")))
                .col(big(a("notified_by")))
                .col(ColumnDef::new(a("due_on")).date().not_null())
                .col(ts_null(a("reminded_at")))
                .col(ColumnDef::new(a("reminded_by")).big_integer().null())
                .col(text_null(a("answer")))
                .col(ColumnDef::new(a("overdue")).boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        index(m, "ix_unreachable_case", "unreachable_notices", &["case_id", "id"], false).await?;
        index(m, "ix_unreachable_open_due", "unreachable_notices", &["overdue", "due_on"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("unreachable_notices")).to_owned()).await
    }
}
