//! An operator's work-list tabs by state, as `m028_consumer_states` for the
//! consumer: 待处理, 即将到期 and 已逾期 hold the cases awaiting the operator,
//! and their bounded counts walked `ix_complaints_operator_due` reading each
//! case's state from its row. Led by (operator_id, state), they seek.
use crate::m001_spine::a;
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m030_operator_states"
    }
}

const NAME: &str = "ix_complaints_operator_state_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, NAME, "complaints", &["operator_id", "state", "next_due_on", "id"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table(a("complaints")).to_owned()).await
    }
}
