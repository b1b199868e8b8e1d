//! T7 ratings: a consumer's stars for each party that handled a closed case
//! (`rules::rating`), one row per case and party; the desk reads them grouped
//! with the case's week and place (`store::desk::rebuild`).
use crate::m001_spine::{a, big, id, text, text_null, ts};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m023_ratings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let stars = |n: &str| ColumnDef::new(a(n)).small_integer().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(a("ratings"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(text(a("handler")))
                .col(stars("attitude"))
                .col(stars("speed"))
                .col(stars("outcome"))
                .col(text_null(a("comment")))
                .col(ts(a("rated_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_ratings_case_handler", "ratings", &["case_id", "handler"], true).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("ratings")).to_owned()).await
    }
}
