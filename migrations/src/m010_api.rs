//! The platform API: keys with names, scopes, last use and a rotation grace;
//! stored responses of idempotent writes (API posts and the filing form);
//! webhook endpoints, the deliveries written with the events they announce,
//! and every delivery attempt.
use crate::m001_spine::{a, big, big_null, fk, flag, id, text, text_null, ts, ts_null};
use crate::m009_parties::{add, index};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m010_api"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Keys issued before scopes existed keep what they could do: sessions and preservation.
        for col in [
            ColumnDef::new(a("name")).text().not_null().default("").to_owned(),
            ColumnDef::new(a("scopes"))
                .text()
                .not_null()
                .default("sessions:write parties:write cases:write")
                .to_owned(),
            big_null(a("operator_id")),
            ts_null(a("last_used_at")),
            ts_null(a("expires_at")),
        ] {
            add(m, "platform_api_keys", col).await?;
        }
        index(m, "ix_platform_api_keys_platform", "platform_api_keys", &["platform_id", "id"], false).await?;

        // The API's lists and exports: an organisation's cases in filing order (tips have theirs, m007).
        index(m, "ix_complaints_platform_id", "complaints", &["platform_id", "id"], false).await?;
        index(m, "ix_complaints_operator_id", "complaints", &["operator_id", "id"], false).await?;

        m.create_table(
            Table::create()
                .table(a("idempotency"))
                .col(id(a("id")))
                .col(text(a("owner")))
                .col(text(a("idem_key")))
                .col(text(a("request_hash")))
                .col(ColumnDef::new(a("status_code")).integer().null().to_owned())
                .col(text_null(a("body")))
                .col(text_null(a("location")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_idempotency_owner_key", "idempotency", &["owner", "idem_key"], true).await?;
        index(m, "ix_idempotency_created", "idempotency", &["created_at"], false).await?;

        m.create_table(
            Table::create()
                .table(a("webhook_endpoints"))
                .col(id(a("id")))
                .col(text(a("org_kind")))
                .col(big(a("org_id")))
                .col(text(a("url")))
                .col(text(a("event_types")))
                .col(text(a("secret")))
                .col(text_null(a("previous_secret")))
                .col(ts_null(a("previous_until")))
                .col(flag(a("enabled")))
                .col(ts_null(a("failing_since")))
                .col(ts_null(a("disabled_at")))
                .col(ts(a("created_at")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_webhook_endpoints_org", "webhook_endpoints", &["org_kind", "org_id", "enabled"], false).await?;

        m.create_table(
            Table::create()
                .table(a("webhook_deliveries"))
                .col(id(a("id")))
                .col(big(a("endpoint_id")))
                .col(text(a("msg_id")))
                .col(text(a("event_type")))
                .col(text(a("subject")))
                .col(text(a("payload")))
                .col(text(a("status")))
                .col(ColumnDef::new(a("attempts")).integer().not_null().default(0).to_owned())
                .col(ts(a("next_at")))
                .col(ts_null(a("lease_until")))
                .col(ts(a("created_at")))
                .col(ts_null(a("delivered_at")))
                .foreign_key(&mut fk(a("webhook_deliveries"), a("endpoint_id"), a("webhook_endpoints")))
                .to_owned(),
        )
        .await?;
        index(m, "ux_webhook_deliveries_msg", "webhook_deliveries", &["msg_id"], true).await?;
        // The worker's claim: pending deliveries by when they are due.
        index(m, "ix_webhook_deliveries_due", "webhook_deliveries", &["status", "next_at", "id"], false).await?;
        // Order within one case: an earlier pending delivery of the same subject holds later ones.
        index(
            m,
            "ix_webhook_deliveries_subject",
            "webhook_deliveries",
            &["endpoint_id", "subject", "status", "id"],
            false,
        )
        .await?;
        // The endpoint page lists its latest deliveries.
        index(m, "ix_webhook_deliveries_endpoint", "webhook_deliveries", &["endpoint_id", "id"], false).await?;

        m.create_table(
            Table::create()
                .table(a("webhook_attempts"))
                .col(id(a("id")))
                .col(big(a("delivery_id")))
                .col(ts(a("at")))
                .col(ColumnDef::new(a("status_code")).integer().null().to_owned())
                .col(text_null(a("error")))
                .col(text(a("excerpt")))
                .col(big(a("took_ms")))
                .foreign_key(&mut fk(a("webhook_attempts"), a("delivery_id"), a("webhook_deliveries")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_webhook_attempts_delivery", "webhook_attempts", &["delivery_id", "id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["webhook_attempts", "webhook_deliveries", "webhook_endpoints", "idempotency"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        for (ix, t) in [("ix_complaints_platform_id", "complaints"), ("ix_complaints_operator_id", "complaints")] {
            m.drop_index(Index::drop().name(ix).table(a(t)).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_platform_api_keys_platform").table(a("platform_api_keys")).to_owned())
            .await?;
        for c in ["expires_at", "last_used_at", "operator_id", "scopes", "name"] {
            m.alter_table(Table::alter().table(a("platform_api_keys")).drop_column(a(c)).to_owned()).await?;
        }
        Ok(())
    }
}
