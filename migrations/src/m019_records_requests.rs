//! A consumer's requests for the operator's and marketer's identity and the
//! transaction's records (Order 117 Art. 18; `store::case::records`), and the
//! case's flag when the platform let one go unanswered past its D4R clock.
use crate::m001_spine::{a, big, id, text, text_null, ts, ts_null};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m019_records_requests"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("records_requests"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                // `rules::records::Record` codes, comma-separated.
                .col(text(a("items")))
                .col(ts(a("asked_at")))
                .col(big(a("asked_by")))
                .col(ColumnDef::new(a("due_on")).date().not_null())
                .col(ts_null(a("answered_at")))
                .col(ColumnDef::new(a("answered_by")).big_integer().null())
                .col(text_null(a("answer")))
                .col(ColumnDef::new(a("overdue")).boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        index(m, "ix_records_requests_case", "records_requests", &["case_id", "id"], false).await?;
        let flag = ColumnDef::new(a("records_overdue")).boolean().not_null().default(false).to_owned();
        m.alter_table(Table::alter().table(a("complaints")).add_column(flag).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("complaints")).drop_column(a("records_overdue")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("records_requests")).to_owned()).await
    }
}
