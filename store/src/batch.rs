//! Several statements in one round trip. On SQLite every statement is a
//! hand-off from the async task to sqlx's connection thread and back, and
//! those hand-offs (thread wake-ups, not SQLite) are most of a filing's CPU;
//! sqlx runs a query text of several statements in one command, binding the
//! values to the statements' `?` in order, so a write's gathered statements
//! cost one hand-off. PostgreSQL's extended protocol prepares one statement at
//! a time: there they run one after another, as before.
//!
//! Rows come back from every statement that returns any (a `RETURNING`, a
//! `SELECT`), in order; give each such statement's columns names of their own
//! so the caller can tell them apart ([`Ran::column`]).
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, QueryResult, Statement, TryGetable, Value, Values};

#[derive(Default)]
pub struct Batch {
    statements: Vec<Statement>,
}

impl Batch {
    pub fn push(&mut self, s: Statement) {
        self.statements.push(s);
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// Runs every statement, in order. Run it in a transaction: when one fails,
    /// those before it stand until the transaction is rolled back.
    pub async fn run<C: ConnectionTrait>(self, db: &C) -> Result<Ran, DbErr> {
        let mut rows = Vec::new();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite if self.statements.len() > 1 => {
                let (mut sql, mut values) = (String::new(), Vec::<Value>::new());
                for s in self.statements {
                    sql.push_str(s.sql.trim_end().trim_end_matches(';'));
                    sql.push_str(";\n");
                    values.extend(s.values.map(|v| v.0).unwrap_or_default());
                }
                let one = Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, Values(values));
                rows = db.query_all_raw(one).await?;
            }
            _ => {
                for s in self.statements {
                    rows.extend(db.query_all_raw(s).await?);
                }
            }
        }
        Ok(Ran { rows })
    }
}

impl Extend<Statement> for Batch {
    fn extend<I: IntoIterator<Item = Statement>>(&mut self, iter: I) {
        self.statements.extend(iter);
    }
}

/// What a batch returned: the rows of its statements that return rows.
pub struct Ran {
    rows: Vec<QueryResult>,
}

impl Ran {
    /// The rows that have a column named `marker` (one statement's, when its
    /// columns are its own).
    pub fn rows_with<'r>(&'r self, marker: &'r str) -> impl Iterator<Item = &'r QueryResult> + 'r {
        self.rows.iter().filter(move |r| r.column_names().iter().any(|c| c == marker))
    }

    /// Those rows as models.
    pub fn models<M: sea_orm::FromQueryResult>(&self, marker: &str) -> Result<Vec<M>, DbErr> {
        self.rows_with(marker).map(|r| M::from_query_result(r, "")).collect()
    }

    /// The values of the column named `name`, from the rows that have it.
    pub fn column<T: TryGetable>(&self, name: &str) -> Vec<T> {
        self.rows.iter().filter_map(|r| r.try_get::<T>("", name).ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{Database, TransactionTrait};

    fn stmt(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, values)
    }

    /// The values bind to the statements' placeholders in order, each statement's
    /// rows come back, and a failing statement fails the batch (the caller's
    /// transaction then rolls all of it back).
    #[tokio::test]
    async fn statements_in_one_round_trip_bind_in_order_and_fail_together() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared("CREATE TABLE t (n INTEGER NOT NULL UNIQUE, s TEXT NOT NULL)").await.unwrap();
        let mut b = Batch::default();
        b.push(stmt("INSERT INTO t (n, s) VALUES (?, ?), (?, ?)", vec![1.into(), "a".into(), 2.into(), "b".into()]));
        b.push(stmt("UPDATE t SET s = ? WHERE n = ? RETURNING n AS updated", vec!["c".into(), 2.into()]));
        b.push(stmt("SELECT count(*) AS total FROM t WHERE s <> ?", vec!["x".into()]));
        let ran = b.run(&db).await.unwrap();
        assert_eq!(ran.column::<i64>("updated"), vec![2]);
        assert_eq!(ran.column::<i64>("total"), vec![2]);
        let txn = db.begin().await.unwrap();
        let mut b = Batch::default();
        b.push(stmt("INSERT INTO t (n, s) VALUES (?, ?)", vec![3.into(), "d".into()]));
        b.push(stmt("INSERT INTO t (n, s) VALUES (?, ?)", vec![1.into(), "dup".into()]));
        assert!(b.run(&txn).await.is_err(), "the second insert breaks the unique n");
        txn.rollback().await.unwrap();
        let left = db.query_all_raw(stmt("SELECT n, s FROM t ORDER BY n", vec![])).await.unwrap();
        let left: Vec<(i64, String)> =
            left.iter().map(|r| (r.try_get("", "n").unwrap(), r.try_get("", "s").unwrap())).collect();
        assert_eq!(left, vec![(1, "a".to_owned()), (2, "c".to_owned())]);
    }
}
