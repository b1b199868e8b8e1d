//! The monitoring desk (`store::desk`): weekly counts per room and place (the
//! handling agency's region once a case reached market supervision, else its
//! first place of jurisdiction),
//! and per platform and place the categories and the working days cases took
//! to be resolved, rebuilt by the `desk` job so that a desk page sums a few
//! thousand rows instead of counting a million cases.
use crate::m001_spine::{a, big, id, text};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m015_desk"
    }
}

fn date(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).date().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut weeks = Table::create();
        // Two kinds of row: a week's counts per place and platform (`period` 0;
        // operator and room 0), for the totals and the weekly chart; and each
        // offered period's counts per place and room (`period` 4, 13 or 52
        // weeks, `week` its first Monday), for the tables by operator or room,
        // so a year by room sums one row per room, not fifty-two.
        weeks
            .table(a("desk_weeks"))
            .col(id(a("id")))
            .col(ColumnDef::new(a("period")).integer().not_null())
            .col(date("week"))
            .col(text(a("place")));
        for c in [
            "platform_id",
            "operator_id",
            "live_room_id",
            "received",
            "to_platform",
            "to_regulator",
            "open_operator",
            "open_platform",
            "open_regulator",
            "closed",
            "resolved",
            "d1_ended",
            "d1_in_time",
            "d3_ended",
            "d3_in_time",
            "d5_ended",
            "d5_in_time",
            "d6_ended",
            "d6_in_time",
        ] {
            weeks.col(big(a(c)));
        }
        m.create_table(weeks.to_owned()).await?;
        // When the rows were last counted: one row, read by its key.
        m.create_table(
            Table::create()
                .table(a("desk_runs"))
                .col(ColumnDef::new(a("id")).big_integer().not_null().primary_key())
                .col(ColumnDef::new(a("computed_at")).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // A regulator's desk reads its region's range of places, a platform's its own rows.
        index(m, "ix_desk_weeks_place", "desk_weeks", &["period", "place", "week"], false).await?;
        index(m, "ix_desk_weeks_platform", "desk_weeks", &["period", "platform_id", "week"], false).await?;
        // One row per key: a second writer fails rather than doubling the figures.
        index(
            m,
            "ux_desk_weeks_key",
            "desk_weeks",
            &["period", "week", "place", "platform_id", "operator_id", "live_room_id"],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("desk_facets"))
                .col(id(a("id")))
                .col(date("week"))
                .col(text(a("place")))
                .col(big(a("platform_id")))
                // `category` (a category's code) or `days` (working days to resolution).
                .col(text(a("facet")))
                .col(text(a("value")))
                .col(big(a("n")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_desk_facets_place", "desk_facets", &["place", "week"], false).await?;
        index(m, "ux_desk_facets_key", "desk_facets", &["week", "place", "platform_id", "facet", "value"], true)
            .await?;
        index(m, "ix_desk_facets_platform", "desk_facets", &["platform_id", "week"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("desk_runs")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("desk_facets")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("desk_weeks")).to_owned()).await
    }
}
