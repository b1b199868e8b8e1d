//! A consumer's work-list tabs by state. 待处理, 即将到期 and 已逾期 hold the
//! cases awaiting the consumer (`rules::case::states_awaiting`); walking
//! `ix_complaints_consumer_due` for them read every case of that consumer,
//! and a complainant with tens of thousands of cases waiting on others paid
//! for all of them on each page. Led by (consumer_id, state), each tab and its
//! count seek only the states it shows.
use crate::m001_spine::a;
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m028_consumer_states"
    }
}

const NAME: &str = "ix_complaints_consumer_state_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, NAME, "complaints", &["consumer_id", "state", "next_due_on", "id"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table(a("complaints")).to_owned()).await
    }
}
