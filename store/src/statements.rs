//! Statements run, counted per pool: `/metrics` shows them, and tests pin how
//! many a page or a filing takes (each is a round trip: on SQLite a hop to the
//! connection's thread and back, on PostgreSQL one over the network).
use sea_orm::{DatabaseConnection, Statement};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

type Observer = Box<dyn Fn(Pool, &Statement) + Send + Sync>;

/// Which of the store's connections ran a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    /// `Store::db` and the writer.
    Write,
    /// `Store::read`.
    Read,
}

#[derive(Default)]
pub struct Statements {
    written: AtomicU64,
    read: AtomicU64,
    observer: OnceLock<Observer>,
}

impl Statements {
    /// Counts what runs on `write` (`Store::db` and the writer) and on `read`.
    pub(crate) fn attach(self: &Arc<Self>, write: &mut DatabaseConnection, read: &mut DatabaseConnection) {
        for (conn, pool) in [(write, Pool::Write), (read, Pool::Read)] {
            let me = self.clone();
            conn.set_metric_callback(move |info| {
                let n = if pool == Pool::Write { &me.written } else { &me.read };
                n.fetch_add(1, Ordering::Relaxed);
                if let Some(see) = me.observer.get() {
                    see(pool, info.statement);
                }
            });
        }
    }

    /// (on the write pool, on the read pool) since the start.
    pub fn counts(&self) -> (u64, u64) {
        (self.written.load(Ordering::Relaxed), self.read.load(Ordering::Relaxed))
    }

    /// Shows every statement to `see` (a test's record); once per store.
    pub fn observe(&self, see: impl Fn(Pool, &Statement) + Send + Sync + 'static) {
        assert!(self.observer.set(Box::new(see)).is_ok(), "a store is observed once");
    }
}
