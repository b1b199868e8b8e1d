//! The four regulated parties as platforms report them (Order 117 Arts. 8–9,
//! 25): operators keyed by the platform's own ID, MCNs, marketers and who
//! appeared in which session, every reported change with when the platform
//! learned of it; complaints naming a marketer, the actual seller, an MCN or
//! the platform itself; the complainant's Order 121 Art. 10 details, asked at
//! escalation; and an organisation's own administrators.
use crate::m001_spine::{a, big, big_null, fk, flag, id, text, text_null, ts};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m009_parties"
    }
}

pub(crate) async fn add(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    m.alter_table(Table::alter().table(a(table)).add_column(col).to_owned()).await
}

pub(crate) async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(a(table));
    for c in cols {
        ix.col(a(c));
    }
    if unique {
        ix.unique();
    }
    m.create_index(ix.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            big_null(a("platform_id")),
            text_null(a("platform_ref")),
            text_null(a("contact")),
            text_null(a("masked_id")),
            text_null(a("business_address")),
            ColumnDef::new(a("licences_json")).text().not_null().default("[]").to_owned(),
            big_null(a("mcn_id")),
        ] {
            add(m, "operators", col).await?;
        }
        // A complaint may name its room by URL (`streams::find_room`).
        index(m, "ix_live_rooms_platform_url", "live_rooms", &["platform_id", "url"], false).await?;
        // NULLs never collide, so the seed's and older operators need no platform ID.
        index(m, "ux_operators_platform_ref", "operators", &["platform_id", "platform_ref"], true).await?;

        m.create_table(
            Table::create()
                .table(a("mcns"))
                .col(id(a("id")))
                .col(big(a("platform_id")))
                .col(text(a("platform_ref")))
                .col(text(a("name")))
                .col(text(a("uscc")))
                .col(text(a("address")))
                .col(text_null(a("region")))
                .col(ts(a("updated_at")))
                .foreign_key(&mut fk(a("mcns"), a("platform_id"), a("platforms")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_mcns_platform_ref", "mcns", &["platform_id", "platform_ref"], true).await?;
        // Tips and the regulator's filter name an MCN by its name.
        index(m, "ix_mcns_name", "mcns", &["name"], false).await?;

        m.create_table(
            Table::create()
                .table(a("marketers"))
                .col(id(a("id")))
                .col(big(a("platform_id")))
                .col(text(a("platform_ref")))
                .col(text(a("stage_name")))
                .col(text(a("platform_account")))
                .col(flag(a("is_virtual")))
                .col(big_null(a("mcn_id")))
                .col(text_null(a("identity_ref")))
                .col(ts(a("updated_at")))
                .foreign_key(&mut fk(a("marketers"), a("platform_id"), a("platforms")))
                .foreign_key(&mut fk(a("marketers"), a("mcn_id"), a("mcns")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_marketers_platform_ref", "marketers", &["platform_id", "platform_ref"], true).await?;
        index(m, "ix_marketers_mcn", "marketers", &["mcn_id"], false).await?;

        m.create_table(
            Table::create()
                .table(a("session_marketers"))
                .col(id(a("id")))
                .col(big(a("session_id")))
                .col(big(a("marketer_id")))
                .foreign_key(&mut fk(a("session_marketers"), a("session_id"), a("stream_sessions")))
                .foreign_key(&mut fk(a("session_marketers"), a("marketer_id"), a("marketers")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_session_marketers", "session_marketers", &["session_id", "marketer_id"], true).await?;
        index(m, "ix_session_marketers_marketer", "session_marketers", &["marketer_id"], false).await?;

        m.create_table(
            Table::create()
                .table(a("party_changes"))
                .col(id(a("id")))
                .col(big(a("platform_id")))
                .col(text(a("party_kind")))
                .col(text(a("party_ref")))
                .col(ts(a("learned_at")))
                .col(ts(a("reported_at")))
                .col(flag(a("late")))
                .col(text(a("channel")))
                .col(text(a("snapshot_json")))
                .foreign_key(&mut fk(a("party_changes"), a("platform_id"), a("platforms")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_party_changes_party", "party_changes", &["platform_id", "party_kind", "party_ref", "id"], false)
            .await?;
        index(m, "ix_party_changes_platform", "party_changes", &["platform_id", "id"], false).await?;
        index(m, "ix_party_changes_late", "party_changes", &["late", "id"], false).await?;

        for col in [
            ColumnDef::new(a("respondent_kind")).text().not_null().default("IN_PLATFORM_OPERATOR").to_owned(),
            big_null(a("marketer_id")),
            text_null(a("marketer_name")),
            text_null(a("seller_name")),
            big_null(a("mcn_id")),
        ] {
            add(m, "complaints", col).await?;
        }
        for col in [
            ColumnDef::new(a("target_kind")).text().not_null().default("IN_PLATFORM_OPERATOR").to_owned(),
            text_null(a("marketer_name")),
            big_null(a("mcn_id")),
        ] {
            add(m, "tips", col).await?;
        }
        // The regulator's queue filtered by marketer or MCN, in due order.
        // Partial: most cases name neither, and their inserts skip these.
        for (name, col) in [("ix_complaints_agency_marketer", "marketer_name"), ("ix_complaints_agency_mcn", "mcn_id")]
        {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(a("complaints"))
                    .col(a("agency_id"))
                    .col(a(col))
                    .col(a("next_due_on"))
                    .col(a("id"))
                    .and_where(Expr::col(a(col)).is_not_null())
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(a("complainant_details"))
                .col(ColumnDef::new(a("case_id")).big_integer().not_null().primary_key())
                .col(text(a("name")))
                .col(text(a("phone")))
                .col(text(a("address")))
                .col(flag(a("is_agent")))
                .col(flag(a("share_contact")))
                .col(ts(a("given_at")))
                .foreign_key(&mut fk(a("complainant_details"), a("case_id"), a("complaints")))
                .to_owned(),
        )
        .await?;

        add(m, "memberships", ColumnDef::new(a("role")).text().not_null().default("STAFF").to_owned()).await?;
        // The role an invitation grants.
        add(m, "email_links", text_null(a("role"))).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("email_links")).drop_column(a("role")).to_owned()).await?;
        m.alter_table(Table::alter().table(a("memberships")).drop_column(a("role")).to_owned()).await?;
        for t in ["complainant_details", "party_changes", "session_marketers", "marketers", "mcns"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        for ix in ["ix_complaints_agency_mcn", "ix_complaints_agency_marketer"] {
            m.drop_index(Index::drop().name(ix).table(a("complaints")).to_owned()).await?;
        }
        for c in ["mcn_id", "seller_name", "marketer_name", "marketer_id", "respondent_kind"] {
            m.alter_table(Table::alter().table(a("complaints")).drop_column(a(c)).to_owned()).await?;
        }
        for c in ["mcn_id", "marketer_name", "target_kind"] {
            m.alter_table(Table::alter().table(a("tips")).drop_column(a(c)).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_live_rooms_platform_url").table(a("live_rooms")).to_owned()).await?;
        m.drop_index(Index::drop().name("ux_operators_platform_ref").table(a("operators")).to_owned()).await?;
        for c in ["mcn_id", "licences_json", "business_address", "masked_id", "contact", "platform_ref", "platform_id"]
        {
            m.alter_table(Table::alter().table(a("operators")).drop_column(a(c)).to_owned()).await?;
        }
        Ok(())
    }
}
