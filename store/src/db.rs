//! Connecting to SQLite (default, zero set-up) or PostgreSQL, and migrating on start.
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// The embedded default: an SQLite file under `./data/`.
pub const DEFAULT_URL: &str = "sqlite://data/redline.db?mode=rwc";

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Connects and brings the schema up to date. SQLite gets one pooled connection:
/// writers are serialised by the database anyway, and one connection rules out
/// SQLITE_BUSY when a read transaction upgrades to a write.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if is_sqlite(url) {
        if let Some(path) = sqlite_path(url) {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                if !dir.as_os_str().is_empty() {
                    let _ = std::fs::create_dir_all(dir);
                }
            }
        }
    }
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30));
    if is_sqlite(url) {
        opt.max_connections(1).min_connections(1);
    } else {
        opt.max_connections(10);
    }
    let db = Database::connect(opt).await?;
    if is_sqlite(url) {
        Migrator::up(&db, None).await?;
    } else {
        migrate_exclusively(url).await?;
    }
    Ok(db)
}

/// Advisory-lock keys, so processes sharing one PostgreSQL take turns.
pub const MIGRATE_LOCK: i64 = 0x5245_444c_0001;
pub const SEED_LOCK: i64 = 0x5245_444c_0002;

/// Several server processes may start at once on one PostgreSQL: one at a
/// time migrates, on a single session that holds an advisory lock.
async fn migrate_exclusively(url: &str) -> Result<(), DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false).max_connections(1).min_connections(1);
    let one = Database::connect(opt).await?;
    one.execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})")).await?;
    let result = Migrator::up(&one, None).await;
    one.execute_unprepared(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})")).await?;
    one.close().await?;
    result
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}
