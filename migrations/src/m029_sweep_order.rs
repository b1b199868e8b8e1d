//! The overdue sweep reads running clocks in due order. Its batches were
//! ordered by id alone, and PostgreSQL's generic plan for that prepared
//! statement (a due date bound as a parameter, guessed to match a third of
//! the rows) walked the primary key from the first clock ever started,
//! filtering every running one: at a million cases each batch read 2.7
//! million clocks. Ordered by (due date, id) on an index of (status, due
//! date, id), a batch reads only what is due, in index order, on both
//! backends. It replaces `ix_clocks_status_due`, whose reads it serves.
use crate::m001_spine::a;
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m029_sweep_order"
    }
}

const NAME: &str = "ix_clocks_status_due_id";
const REPLACED: &str = "ix_clocks_status_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, NAME, "clocks", &["status", "due_on", "id"], false).await?;
        m.drop_index(Index::drop().name(REPLACED).table(a("clocks")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, REPLACED, "clocks", &["status", "due_on"], false).await?;
        m.drop_index(Index::drop().name(NAME).table(a("clocks")).to_owned()).await
    }
}
