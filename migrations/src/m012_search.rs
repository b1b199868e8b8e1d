//! Chinese full-text search over cases (`store::search`). One row per case:
//! its folded text and its terms (character pairs and Latin words, from
//! `rules::search::terms`). On SQLite the terms are a space-separated string
//! indexed by an FTS5 table kept in step by triggers (FTS5's trigram
//! tokenizer cannot serve two-character queries such as 美白; pairs can); on
//! PostgreSQL an array with a GIN index (pg_trgm would need three
//! characters too). Rows of existing cases are written by the store at start.
use crate::m001_spine::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m012_search"
    }
}

const SQLITE_UP: [&str; 5] = [
    "CREATE TABLE case_search (case_id INTEGER PRIMARY KEY REFERENCES complaints (id), folded TEXT NOT NULL, terms TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE case_search_fts USING fts5(terms, content='case_search', content_rowid='case_id')",
    "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN \
       INSERT INTO case_search_fts (rowid, terms) VALUES (new.case_id, new.terms); END",
    "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN \
       INSERT INTO case_search_fts (case_search_fts, rowid, terms) VALUES ('delete', old.case_id, old.terms); END",
    "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN \
       INSERT INTO case_search_fts (case_search_fts, rowid, terms) VALUES ('delete', old.case_id, old.terms); \
       INSERT INTO case_search_fts (rowid, terms) VALUES (new.case_id, new.terms); END",
];

const POSTGRES_UP: [&str; 2] = [
    "CREATE TABLE case_search (case_id BIGINT PRIMARY KEY REFERENCES complaints (id), folded TEXT NOT NULL, terms TEXT[] NOT NULL)",
    "CREATE INDEX ix_case_search_terms ON case_search USING gin (terms)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: &[&str] =
            if m.get_database_backend() == DatabaseBackend::Postgres { &POSTGRES_UP } else { &SQLITE_UP };
        for s in statements {
            db.execute_unprepared(s).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() != DatabaseBackend::Postgres {
            for t in ["case_search_ai", "case_search_ad", "case_search_au"] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t}")).await?;
            }
            db.execute_unprepared("DROP TABLE IF EXISTS case_search_fts").await?;
        }
        m.drop_table(Table::drop().table(a("case_search")).to_owned()).await
    }
}
