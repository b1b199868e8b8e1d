//! Tips (举报) with their own track and D9 clock, the notification outbox and
//! rate-limit counters (issue 4).
use crate::m001_spine::{a, big, big_null, fk, flag, id, text, text_null, ts, ts_null};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m003_tips_notices"
    }
}

fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(a(name)).date().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let add = |table: &str, col: ColumnDef| Table::alter().table(a(table)).add_column(col).to_owned();
        // The actual business place the platform verified (Order 117 Art. 8), which
        // decides tip jurisdiction (Order 121 Art. 31).
        m.alter_table(add("operators", text_null(a("business_region")))).await?;
        // How far a clock's notices have gone (0 none, 1 the 75 % reminder, 2 overdue),
        // so the reminder job handles each clock once per stage.
        m.alter_table(add("clocks", ColumnDef::new(a("notified")).integer().not_null().default(0).to_owned())).await?;
        // IMMEDIATE or DAILY_DIGEST.
        m.alter_table(add("users", text(a("email_mode")).default("IMMEDIATE").to_owned())).await?;
        m.create_table(
            Table::create()
                .table(a("tips"))
                .col(id(a("id")))
                .col(text(a("tip_no")).unique_key().to_owned())
                // Only the SHA-256 of the receipt code is kept.
                .col(text(a("receipt_hash")).unique_key().to_owned())
                .col(big_null(a("reporter_user_id")))
                .col(text_null(a("reporter_name")))
                .col(text_null(a("reporter_contact")))
                .col(text_null(a("reporter_fingerprint")))
                .col(text(a("reporter_locale")))
                .col(big(a("platform_id")))
                .col(big(a("live_room_id")))
                .col(text(a("moments_json")))
                .col(text(a("description")))
                .col(text(a("categories_json")))
                .col(text(a("facts_key")))
                .col(flag(a("cac_listed")))
                .col(text(a("platform_status")))
                .col(text_null(a("platform_measure")))
                .col(text_null(a("platform_note")))
                .col(big_null(a("agency_id")))
                .col(text(a("jurisdiction_json")))
                .col(text(a("regulator_status")))
                .col(ColumnDef::new(a("d9_start_on")).date().null())
                .col(date_null("d9_due_on"))
                .col(flag(a("d9_extended")))
                .col(text_null(a("d9_extension_reason")))
                .col(flag(a("d9_overdue")))
                // The D9 due date a 75 % reminder went out for (a restart or extension moves it).
                .col(date_null("d9_reminded_for"))
                .col(text_null(a("decision")))
                .col(text_null(a("regulator_note")))
                .col(big_null(a("linked_tip_id")))
                .col(big_null(a("linked_complaint_id")))
                .col(ColumnDef::new(a("chain_seq")).integer().not_null().default(0))
                .col(text_null(a("chain_head")))
                .col(ts(a("created_at")))
                .col(ts(a("updated_at")))
                .foreign_key(&mut fk(a("tips"), a("platform_id"), a("platforms")))
                .foreign_key(&mut fk(a("tips"), a("live_room_id"), a("live_rooms")))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_tips_platform", vec!["platform_id", "platform_status", "id"]),
            ("ix_tips_agency", vec!["agency_id", "regulator_status", "d9_due_on"]),
            ("ix_tips_reporter", vec!["reporter_fingerprint", "live_room_id"]),
        ] {
            let mut idx = Index::create().name(name).table(a("tips")).to_owned();
            for c in cols {
                idx.col(a(c));
            }
            m.create_index(idx).await?;
        }
        m.create_table(
            Table::create()
                .table(a("tip_events"))
                .col(id(a("id")))
                .col(big(a("tip_id")))
                .col(ColumnDef::new(a("seq")).integer().not_null())
                .col(ts(a("at")))
                .col(big_null(a("actor_user_id")))
                .col(text(a("actor_role")))
                .col(text(a("event_type")))
                .col(text(a("payload_json")))
                // The same hash chain as case events (防篡改记录, see redline_rules::chain).
                .col(text(a("prev_hash")))
                .col(text(a("hash")))
                .foreign_key(&mut fk(a("tip_events"), a("tip_id"), a("tips")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_tip_events_seq")
                .table(a("tip_events"))
                .col(a("tip_id"))
                .col(a("seq"))
                .unique()
                .to_owned(),
        )
        .await?;
        // A reporter's files: shown to the agency, never to respondents.
        m.create_table(
            Table::create()
                .table(a("tip_evidence"))
                .col(id(a("id")))
                .col(big(a("tip_id")))
                .col(text(a("sha256")))
                .col(text(a("kind")))
                .col(text(a("mime")))
                .col(big(a("size_bytes")))
                .col(text(a("file_name")))
                .col(ts(a("uploaded_at")))
                .foreign_key(&mut fk(a("tip_evidence"), a("tip_id"), a("tips")))
                .to_owned(),
        )
        .await?;
        // The outbox: written in the transaction of the event it reports.
        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(id(a("id")))
                .col(big_null(a("user_id")))
                .col(text_null(a("email")))
                .col(text(a("locale")))
                .col(text(a("kind")))
                .col(text(a("subject")))
                .col(text(a("body")))
                .col(text(a("link")))
                .col(text(a("dedup_key")).unique_key().to_owned())
                .col(ts(a("created_at")))
                .col(ts_null(a("read_at")))
                // PENDING, SENDING, SENT, FAILED, DIGEST (waits for the digest), DIGESTED, NONE (no address)
                .col(text(a("email_status")))
                .col(ColumnDef::new(a("attempts")).integer().not_null().default(0))
                .col(ts(a("next_attempt_at")))
                .col(ts_null(a("lease_until")))
                .col(ts_null(a("sent_at")))
                .col(text_null(a("last_error")))
                .col(big_null(a("digest_id")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_outbox")
                .table(a("notifications"))
                .col(a("email_status"))
                .col(a("next_attempt_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_user")
                .table(a("notifications"))
                .col(a("user_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        // Fixed-window counters shared by every server process (keys are hashed).
        m.create_table(
            Table::create()
                .table(a("rate_hits"))
                .col(id(a("id")))
                .col(text(a("key")))
                .col(ts(a("window_start")))
                .col(ColumnDef::new(a("hits")).integer().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_rate_hits")
                .table(a("rate_hits"))
                .col(a("key"))
                .col(a("window_start"))
                .unique()
                .to_owned(),
        )
        .await?;
        // Per-installation secrets, created on first use (e.g. the rate-limit key salt).
        m.create_table(
            Table::create()
                .table(a("secrets"))
                .col(id(a("id")))
                .col(text(a("name")).unique_key().to_owned())
                .col(text(a("value")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["secrets", "rate_hits", "notifications", "tip_evidence", "tip_events", "tips"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
