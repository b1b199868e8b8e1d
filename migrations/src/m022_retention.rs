//! Retention that deletes (`store::retention`): the day each case and tip may
//! go (`rules::retention`), a regulator's legal hold with its reason, the
//! deletion log (what went, when, by which rule: no personal data), and the
//! day an account was deleted at its holder's request (PIPL Art. 47).
use crate::m001_spine::{a, big, id, text, text_null, ts};
use crate::m009_parties::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m022_retention"
    }
}

/// Rows that point at a deleted case, tip, clock or user.
const REFERENCES: [(&str, &str, &str); 5] = [
    ("ix_tips_linked_complaint", "tips", "linked_complaint_id"),
    ("ix_tips_linked_tip", "tips", "linked_tip_id"),
    ("ix_tip_evidence_tip", "tip_evidence", "tip_id"),
    ("ix_clock_pauses_clock", "clock_pauses", "clock_id"),
    ("ix_sessions_user", "sessions", "user_id"),
];

fn kept() -> [(&'static str, ColumnDef); 3] {
    [
        ("retain_until", ColumnDef::new(a("retain_until")).date().null().to_owned()),
        ("legal_hold", ColumnDef::new(a("legal_hold")).boolean().not_null().default(false).to_owned()),
        ("legal_hold_reason", ColumnDef::new(a("legal_hold_reason")).text().null().to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["complaints", "tips"] {
            for (_, col) in kept() {
                m.alter_table(Table::alter().table(a(table)).add_column(col).to_owned()).await?;
            }
        }
        let rule = ColumnDef::new(a("retain_rule")).text().null().to_owned();
        m.alter_table(Table::alter().table(a("tips")).add_column(rule).to_owned()).await?;
        // The daily job reads what expired before today, oldest first: a range each.
        index(m, "ix_complaints_retain_until", "complaints", &["retain_until"], false).await?;
        index(m, "ix_tips_retain_until", "tips", &["retain_until"], false).await?;
        // What a deletion finds by the record it deletes, a seek each.
        for (ix, t, col) in REFERENCES {
            index(m, ix, t, &[col], false).await?;
        }
        // A holder's cases, newest first (the account page, PIPL Art. 47).
        index(m, "ix_complaints_consumer_id", "complaints", &["consumer_id", "id"], false).await?;
        let deleted = ColumnDef::new(a("deleted_at")).timestamp_with_time_zone().null().to_owned();
        m.alter_table(Table::alter().table(a("users")).add_column(deleted).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(a("deletion_log"))
                .col(id(a("id")))
                .col(ts(a("deleted_at")))
                // CASE, TIP, ACCOUNT: what went; its number, never whose it was.
                .col(text(a("kind")))
                .col(text(a("object_ref")))
                .col(text(a("rule")))
                .col(text(a("basis")))
                .col(ColumnDef::new(a("retained_until")).date().null())
                .col(big(a("rows_deleted")))
                .col(big(a("files_released")))
                .col(text_null(a("note")))
                .to_owned(),
        )
        .await?;
        index(m, "ix_deletion_log_at", "deletion_log", &["deleted_at"], false).await?;
        crate::retention_backfill::backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("deletion_log")).to_owned()).await?;
        m.alter_table(Table::alter().table(a("users")).drop_column(a("deleted_at")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_complaints_consumer_id").table(a("complaints")).to_owned()).await?;
        for (ix, t, _) in REFERENCES.iter().rev() {
            m.drop_index(Index::drop().name(*ix).table(a(t)).to_owned()).await?;
        }
        for (ix, t) in [("ix_tips_retain_until", "tips"), ("ix_complaints_retain_until", "complaints")] {
            m.drop_index(Index::drop().name(ix).table(a(t)).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(a("tips")).drop_column(a("retain_rule")).to_owned()).await?;
        for table in ["tips", "complaints"] {
            for (name, _) in kept().into_iter().rev() {
                m.alter_table(Table::alter().table(a(table)).drop_column(a(name)).to_owned()).await?;
            }
        }
        Ok(())
    }
}
