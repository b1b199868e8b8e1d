//! Evidence pinned to the stream (issue 3): stream sessions reported by platforms
//! with the products they showed, per-platform API keys, the evidence vault index,
//! replay preservation requests (Order 117 Art. 16) and the hash chain on case
//! events.
use crate::m001_spine::{a, big, big_null, fk, flag, id, text, text_null, ts, ts_null};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m002_evidence"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let add = |table: &str, col: ColumnDef| Table::alter().table(a(table)).add_column(col).to_owned();
        m.alter_table(add("stream_sessions", text_null(a("platform_session_id")))).await?;
        m.alter_table(add("stream_sessions", text(a("reported_by")).default("seed").to_owned())).await?;
        m.create_index(
            Index::create()
                .name("ux_stream_sessions_platform_id")
                .table(a("stream_sessions"))
                .col(a("live_room_id"))
                .col(a("platform_session_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        // Products shown in a session, with what was displayed (Order 117 Art. 32).
        m.create_table(
            Table::create()
                .table(a("stream_products"))
                .col(id(a("id")))
                .col(big(a("session_id")))
                .col(text(a("sku")))
                .col(text(a("name")))
                .col(big(a("displayed_price_fen")))
                .col(big_null(a("reference_price_fen")))
                .col(text_null(a("discount_basis")))
                .col(text_null(a("claims")))
                .foreign_key(&mut fk(a("stream_products"), a("session_id"), a("stream_sessions")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_stream_products_sku")
                .table(a("stream_products"))
                .col(a("session_id"))
                .col(a("sku"))
                .unique()
                .to_owned(),
        )
        .await?;
        // Only the SHA-256 of a key is kept; the key itself is shown once.
        m.create_table(
            Table::create()
                .table(a("platform_api_keys"))
                .col(id(a("id")))
                .col(big(a("platform_id")))
                .col(text(a("key_hash")).unique_key().to_owned())
                .col(text(a("prefix")))
                .col(big_null(a("created_by")))
                .col(ts(a("created_at")))
                .col(ts_null(a("revoked_at")))
                .foreign_key(&mut fk(a("platform_api_keys"), a("platform_id"), a("platforms")))
                .to_owned(),
        )
        .await?;
        m.alter_table(add("complaints", big_null(a("product_id")))).await?;
        m.alter_table(add("complaints", flag(a("preservation_overdue")))).await?;
        // The vault index. Files live in blob storage under their SHA-256 and are
        // never modified; `display_sha256` is the metadata-free copy of an image.
        m.create_table(
            Table::create()
                .table(a("evidence"))
                .col(id(a("id")))
                .col(big(a("case_id")))
                .col(text(a("sha256")))
                .col(text_null(a("display_sha256")))
                .col(text(a("kind")))
                .col(text(a("mime")))
                .col(big(a("size_bytes")))
                .col(text(a("file_name")))
                .col(text_null(a("note")))
                .col(big_null(a("uploaded_by")))
                .col(text(a("uploaded_role")))
                .col(ts(a("uploaded_at")))
                .col(big_null(a("offset_start_s")))
                .col(big_null(a("offset_end_s")))
                .col(flag(a("legal_hold")))
                .col(ColumnDef::new(a("retain_until")).date().null())
                .foreign_key(&mut fk(a("evidence"), a("case_id"), a("complaints")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_evidence_case").table(a("evidence")).col(a("case_id")).to_owned())
            .await?;
        // Order 117 Art. 16: the replay segment a complaint is about.
        m.create_table(
            Table::create()
                .table(a("preservation_requests"))
                .col(id(a("id")))
                .col(big(a("case_id")).unique_key().to_owned())
                .col(big(a("platform_id")))
                .col(big_null(a("session_id")))
                .col(big_null(a("from_offset_s")))
                .col(big_null(a("to_offset_s")))
                .col(ts_null(a("from_at")))
                .col(ts_null(a("to_at")))
                .col(text(a("status")))
                .col(flag(a("overdue")))
                .col(text_null(a("replay_ref")))
                .col(ColumnDef::new(a("retain_until")).date().null())
                .col(text_null(a("answer")))
                .col(ts(a("requested_at")))
                .col(ts_null(a("answered_at")))
                .col(big_null(a("answered_by")))
                .foreign_key(&mut fk(a("preservation_requests"), a("case_id"), a("complaints")))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_preservation_platform")
                .table(a("preservation_requests"))
                .col(a("platform_id"))
                .col(a("status"))
                .to_owned(),
        )
        .await?;
        m.alter_table(add("case_events", text_null(a("prev_hash")))).await?;
        m.alter_table(add("case_events", text_null(a("hash")))).await?;
        // The head of each case's chain, so removing the newest events shows too.
        m.alter_table(add("complaints", ColumnDef::new(a("chain_seq")).integer().not_null().default(0).to_owned()))
            .await?;
        m.alter_table(add("complaints", text_null(a("chain_head")))).await?;
        crate::chain_legacy::chain_existing(m).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["preservation_requests", "evidence", "platform_api_keys", "stream_products"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
