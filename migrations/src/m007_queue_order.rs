//! Queues come a page at a time in due order; two of them sorted every
//! matching case first (found by `./dev bench` at scale). The operator's queue
//! filtered by the operator's rooms (an IN list of every room, merged and
//! sorted): the operator now stands on the case, as filed, with
//! `(operator_id, next_due_on, id)`. The consumer's queue had only
//! `(consumer_id, id)`; it gets `(consumer_id, next_due_on, id)` in its place.
//! The tip queues (a platform's newest first, an agency's by D9 due date)
//! sorted every tip of the platform or agency: `(platform_id, id)` and
//! `(agency_id, d9_due_on, id)` give their order. Every page's header counts
//! the reader's unread notices (up to 100): `(user_id, read_at)` makes the
//! unread a range instead of a walk through all of a person's notices.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m007_queue_order"
    }
}

fn keyset(name: &str, scope: &str) -> IndexCreateStatement {
    Index::create().name(name).table(a("complaints")).col(a(scope)).col(a("next_due_on")).col(a("id")).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("complaints"))
                .add_column(ColumnDef::new(a("operator_id")).big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE complaints SET operator_id = \
                 (SELECT operator_id FROM live_rooms WHERE live_rooms.id = complaints.live_room_id)",
            )
            .await?;
        m.create_index(keyset("ix_complaints_operator_due", "operator_id")).await?;
        m.create_index(keyset("ix_complaints_consumer_due", "consumer_id")).await?;
        m.drop_index(Index::drop().name("ix_complaints_consumer").table(a("complaints")).to_owned()).await?;
        m.create_index(
            Index::create().name("ix_tips_platform_id").table(a("tips")).col(a("platform_id")).col(a("id")).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_tips_agency_due")
                .table(a("tips"))
                .col(a("agency_id"))
                .col(a("d9_due_on"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_unread")
                .table(a("notifications"))
                .col(a("user_id"))
                .col(a("read_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_notifications_unread").table(a("notifications")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_tips_agency_due").table(a("tips")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_tips_platform_id").table(a("tips")).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_complaints_consumer")
                .table(a("complaints"))
                .col(a("consumer_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.drop_index(Index::drop().name("ix_complaints_consumer_due").table(a("complaints")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_complaints_operator_due").table(a("complaints")).to_owned()).await?;
        m.alter_table(Table::alter().table(a("complaints")).drop_column(a("operator_id")).to_owned()).await
    }
}
