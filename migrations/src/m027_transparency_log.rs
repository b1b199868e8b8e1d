//! The transparency log (`store::transparency`): its leaves (a case's or
//! tip's chain head as logged), the hashes of its perfect subtrees, its
//! signed checkpoints and the public keys that signed them.
use crate::m001_spine::{a, big, id, text, text_null, ts};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m027_transparency_log"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("log_leaves"))
                // The leaf's index in the tree: 0, 1, 2, … never reused.
                .col(ColumnDef::new(a("leaf_index")).big_integer().not_null().primary_key())
                // case or tip, and its number.
                .col(text(a("kind")))
                .col(text(a("number")))
                .col(big(a("seq")))
                .col(text(a("head")))
                .col(big(a("checkpoint_size")))
                .to_owned(),
        )
        .await?;
        // A record's logged heads, newest first (receipts, the verifier).
        index(m, "ix_log_leaves_record", "log_leaves", &["kind", "number", "leaf_index"], false).await?;
        m.create_table(
            Table::create()
                .table(a("log_nodes"))
                .col(ColumnDef::new(a("level")).integer().not_null())
                .col(ColumnDef::new(a("node_index")).big_integer().not_null())
                .col(text(a("hash")))
                .primary_key(Index::create().col(a("level")).col(a("node_index")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("log_checkpoints"))
                .col(id(a("id")))
                .col(big(a("tree_size")))
                .col(text(a("root")))
                // The signed text, exactly as signed.
                .col(text(a("body")))
                .col(text(a("key_id")))
                .col(text(a("signature")))
                .col(ts(a("created_at")))
                // The RFC 3161 token (DER, hex) of a time-stamping authority
                // over the text's SHA-256, and the time it stamped; none when
                // no authority is configured or it has not answered yet.
                .col(text_null(a("tsa_token")))
                .col(text_null(a("tsa_time")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_log_checkpoints_size", "log_checkpoints", &["tree_size"], true).await?;
        m.create_table(
            Table::create()
                .table(a("log_keys"))
                .col(ColumnDef::new(a("key_id")).string().not_null().primary_key())
                .col(text(a("public_key")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        // Addresses an organisation asked to be sent every checkpoint at, so
        // that copies exist outside Redline.
        m.create_table(
            Table::create()
                .table(a("log_subscribers"))
                .col(id(a("id")))
                .col(text(a("org_kind")))
                .col(big(a("org_id")))
                .col(text(a("email")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_log_subscribers_org_email", "log_subscribers", &["org_kind", "org_id", "email"], true).await?;
        // A record whose chain grew and is not yet logged: set in the
        // transaction that appends the event, cleared by the checkpoint only
        // if the chain has not grown since it was read. (An id high-water mark
        // would skip an event whose id was taken before a checkpoint but
        // committed after it.) Every record made before this migration waits.
        for t in ["complaints", "tips"] {
            let col = ColumnDef::new(a("log_pending")).boolean().not_null().default(true).to_owned();
            m.alter_table(Table::alter().table(a(t)).add_column(col).to_owned()).await?;
            index(m, &format!("ix_{t}_log_pending"), t, &["log_pending", "id"], false).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["complaints", "tips"] {
            m.drop_index(Index::drop().name(format!("ix_{t}_log_pending")).table(a(t)).to_owned()).await?;
            m.alter_table(Table::alter().table(a(t)).drop_column(a("log_pending")).to_owned()).await?;
        }
        for t in ["log_subscribers", "log_keys", "log_checkpoints", "log_nodes", "log_leaves"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
