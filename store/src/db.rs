//! Connecting to SQLite (default, zero set-up) or PostgreSQL, and migrating on start.
//!
//! SQLite is run as a server database: write-ahead log, so readers never wait
//! behind the writer nor it behind them; one writer connection, so writers
//! queue in the process instead of failing with SQLITE_BUSY when a read
//! transaction upgrades to a write; and a pool of readers that cannot write
//! (`query_only`).
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// The embedded default: an SQLite file under `./data/`.
pub const DEFAULT_URL: &str = "sqlite://data/redline.db?mode=rwc";

/// Readers on SQLite: enough for both cores to render pages while one waits on I/O.
const SQLITE_READERS: u32 = 4;

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The two ways into the database. On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Pools {
    /// Every transaction that writes, and reads that must see its own snapshot.
    pub write: DatabaseConnection,
    /// Pages and queues: reads that never hold up a writer.
    pub read: DatabaseConnection,
}

/// A connection is pinged when handed out only after a pause long enough for
/// the server or a proxy to have dropped it: a ping on every checkout is a
/// round trip per statement (sqlx pings each on release anyway).
fn postgres_options(url: &str) -> ConnectOptions {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .max_connections(16);
    opt
}

/// Connects and brings the schema up to date.
pub async fn connect(url: &str) -> Result<Pools, DbErr> {
    if !is_sqlite(url) {
        let db = Database::connect(postgres_options(url)).await?;
        migrate_exclusively(url).await?;
        return Ok(Pools { write: db.clone(), read: db });
    }
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = std::path::Path::new(&path).parent() {
            if !dir.as_os_str().is_empty() {
                let _ = std::fs::create_dir_all(dir);
            }
        }
    }
    let write = Database::connect(sqlite_options(url, 1, false)).await?;
    Migrator::up(&write, None).await?;
    // An in-memory database exists once per connection: readers would see another.
    let read = if sqlite_path(url).is_some() {
        Database::connect(sqlite_options(url, SQLITE_READERS, true)).await?
    } else {
        write.clone()
    };
    Ok(Pools { write, read })
}

/// One connection that neither migrates nor creates anything: for asking
/// whether the database is there and current (`config check`, `/readyz`,
/// `migrate --check`).
pub async fn open_unmigrated(url: &str) -> Result<DatabaseConnection, DbErr> {
    let url = url.replace("mode=rwc", "mode=rw");
    let mut opt = ConnectOptions::new(url);
    opt.sqlx_logging(false).connect_timeout(Duration::from_secs(5)).max_connections(1).min_connections(0);
    Database::connect(opt).await
}

/// Every migration this build knows, in order.
pub fn migration_names() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_owned()).collect()
}

/// The names of the migrations not yet applied to this database: a plain
/// read (unlike the migrator's own, which creates its table first), so a
/// read-only connection can ask.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Applied {
        version: String,
    }
    let backend = db.get_database_backend();
    let applied: std::collections::HashSet<String> =
        match Applied::find_by_statement(Statement::from_string(backend, "SELECT version FROM seaql_migrations"))
            .all(db)
            .await
        {
            Ok(rows) => rows.into_iter().map(|r| r.version).collect(),
            // No table yet: nothing applied.
            Err(_) => Default::default(),
        };
    Ok(Migrator::migrations().iter().map(|m| m.name().to_owned()).filter(|n| !applied.contains(n)).collect())
}

/// Durability is `synchronous=FULL`: a complaint acknowledged to its filer is
/// a legal filing, so its commit is on disk (the WAL fsynced) before the answer
/// leaves, surviving a crash of the process and of the machine. `NORMAL` would
/// survive only the former. The cost, one fsync per commit, is what
/// `./dev bench` measures against a bare insert loop with the same setting.
fn sqlite_options(url: &str, connections: u32, reader: bool) -> ConnectOptions {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .max_connections(connections)
        .min_connections(1)
        // A file has no other end to hang up: no ping before each statement
        // (a hand-off to the connection's thread and back; sqlx still pings
        // each connection as it comes back to the pool).
        .test_before_acquire(false)
        .map_sqlx_sqlite_opts(move |o| {
            let o = o
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Pages of memory per connection (negative: KiB), bounded so the
                // process stays small. No mmap: mapped pages count against the
                // process once per connection, and the kernel caches the file anyway.
                // A reader's cache is dropped whenever the writer has committed
                // since its last read (WAL), so under intake it holds one page's
                // reads at most: 2 MiB each kept a platform's queue as fast as
                // 8 MiB did and the server's peak 40 MiB lower (a search and the
                // desk at 8 connections, 10,000 cases). The writer's stays warm.
                .pragma("cache_size", if reader { "-2048" } else { "-16384" })
                .pragma("mmap_size", "0")
                .pragma("temp_store", "memory")
                .statement_cache_capacity(256)
                // Statistics for the planner, refreshed as connections close
                // (housekeeping also runs `PRAGMA optimize` daily).
                .analysis_limit(400);
            if reader {
                o.pragma("query_only", "ON")
            } else {
                o.optimize_on_close(true, None::<u32>)
            }
        });
    opt
}

/// SQLite's library-wide settings, made once before any connection opens and
/// while the process has one thread (`main`: `sqlite3_config` must not race a
/// connection). Its memory statistics, which nothing here reads, take one
/// mutex for the whole process on every allocation and free of every
/// connection: the writer and the readers queued on it. Off, intake went from
/// 1,163–1,173 to 1,252–1,258 filings/s (release, 16 connections).
pub fn tune_sqlite_library() {
    // SAFETY: called before SQLite is initialised, with no other thread
    // running; afterwards SQLite refuses it (SQLITE_MISUSE) and changes nothing.
    let rc = unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
    if rc != libsqlite3_sys::SQLITE_OK {
        // Before logging is set up: straight to standard error.
        eprintln!("SQLite's memory statistics left on (sqlite3_config: {rc})");
    }
}

/// Refreshes the planner's statistics where they have drifted: SQLite's
/// `PRAGMA optimize` (cheap when nothing changed); PostgreSQL's autovacuum
/// analyses by itself.
pub async fn optimize(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA optimize").await?;
    }
    Ok(())
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

pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No pool pings a connection on every checkout (a hand-off to SQLite's
    /// connection thread, a round trip to PostgreSQL); PostgreSQL's only
    /// after 30 seconds idle.
    #[test]
    fn no_ping_before_each_statement() {
        for (opt, idle) in [
            (sqlite_options("sqlite://x.db", 1, false), None),
            (sqlite_options("sqlite://x.db", 4, true), None),
            (postgres_options("postgres://localhost/x"), Some(Duration::from_secs(30))),
        ] {
            assert!(!opt.get_test_before_acquire());
            assert_eq!(opt.get_test_before_acquire_if_idle_for(), idle);
        }
    }
}
