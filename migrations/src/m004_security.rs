//! Security hardening: sign-in back-off counters, and links sent to an email
//! address (registration, staff invitations).
use crate::m001_spine::{a, big_null, id, text, text_null, ts, ts_null};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m004_security"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Failed sign-ins per account and per client address (salted hashes).
        m.create_table(
            Table::create()
                .table(a("login_throttles"))
                .col(id(a("id")))
                .col(text(a("key")).unique_key().to_owned())
                .col(ColumnDef::new(a("failures")).integer().not_null())
                .col(ts(a("last_failure_at")))
                .col(ts_null(a("locked_until")))
                .to_owned(),
        )
        .await?;
        // A link sent to an email address: finishing a registration or taking a
        // staff invitation. Whoever opens it proves control of the address.
        // Only the token's SHA-256 is kept.
        m.create_table(
            Table::create()
                .table(a("email_links"))
                .col(id(a("id")))
                .col(text(a("token_hash")).unique_key().to_owned())
                .col(text(a("purpose")))
                .col(text(a("email")))
                .col(text(a("name")))
                .col(text_null(a("password_hash")))
                .col(text(a("locale")))
                .col(text_null(a("org_kind")))
                .col(big_null(a("org_id")))
                .col(big_null(a("invited_by")))
                .col(ts(a("created_at")))
                .col(ts(a("expires_at")))
                .col(ts_null(a("used_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_email_links_email").table(a("email_links")).col(a("email")).to_owned())
            .await?;
        // Every write to the evidence vault, recorded before it happens, so files
        // no case or tip ends up holding can be found without listing the vault.
        m.create_table(
            Table::create()
                .table(a("vault_writes"))
                .col(id(a("id")))
                .col(text(a("sha256")))
                .col(ts(a("written_at")))
                .to_owned(),
        )
        .await?;
        let ix = |name: &str, table: &str, col: &str| Index::create().name(name).table(a(table)).col(a(col)).to_owned();
        m.create_index(ix("ix_vault_writes_written_at", "vault_writes", "written_at")).await?;
        m.create_index(ix("ix_vault_writes_sha256", "vault_writes", "sha256")).await?;
        // The collector asks whether a case or tip holds a file.
        m.create_index(ix("ix_evidence_sha256", "evidence", "sha256")).await?;
        m.create_index(ix("ix_evidence_display_sha256", "evidence", "display_sha256")).await?;
        m.create_index(ix("ix_tip_evidence_sha256", "tip_evidence", "sha256")).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("vault_writes")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("email_links")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("login_throttles")).to_owned()).await
    }
}
