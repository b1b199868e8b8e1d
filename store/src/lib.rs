//! The persistence room: sea-orm entities, transactional case commands, queries
//! scoped by who is asking, sessions, the overdue sweep and demo seed data.
//! Rules themselves live in `redline-rules`; this crate only applies and stores them.
pub mod account;
pub mod actor;
pub mod alerts;
pub mod api;
pub mod batch;
pub mod case;
pub mod chain;
pub mod db;
pub mod desk;
pub mod entity;
pub mod error;
pub mod jurisdiction;
pub mod narratives;
pub mod notices;
pub mod parties;
pub mod public;
pub mod retention;
pub mod search;
pub mod seed;
pub mod statements;
pub mod streams;
pub mod time;
pub mod tip;
pub mod transparency;
pub mod vault;
pub mod web;
pub mod writer;

pub use actor::Actor;
pub use error::StoreError;
pub use time::{ShiftableTime, TimeSource};

use std::sync::Arc;

/// Everything a request or a job needs: the database and "now".
#[derive(Clone)]
pub struct Store {
    /// Writes, and reads inside a writing transaction.
    pub db: sea_orm::DatabaseConnection,
    /// Pages and queues (on SQLite a pool of read-only connections; see `db`).
    pub read: sea_orm::DatabaseConnection,
    pub time: Arc<dyn TimeSource>,
    /// Transactions whose commit is grouped with others' (see [`writer`]):
    /// the hot writes (filing, case steps, rate counters) go through it.
    pub writer: writer::Writer,
    /// Installation secrets once read (they never change once created).
    pub(crate) secrets: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
    /// When complaints about a room make a cluster alert (`alerts`).
    pub cluster: redline_rules::cluster::ClusterPolicy,
    /// Readers who see fewer cases than this are searched from their cases (`search`).
    pub search_narrow: u64,
    /// Statements run on each pool (`statements`).
    pub statements: Arc<statements::Statements>,
}

impl Store {
    pub fn new(mut pools: db::Pools, time: Arc<dyn TimeSource>) -> Store {
        let statements = Arc::new(statements::Statements::default());
        statements.attach(&mut pools.write, &mut pools.read);
        let group = pools.write.get_database_backend() == sea_orm::DbBackend::Sqlite;
        let writer = writer::Writer::new(pools.write.clone(), group);
        Store {
            db: pools.write,
            read: pools.read,
            time,
            writer,
            secrets: Default::default(),
            cluster: Default::default(),
            search_narrow: search::NARROW,
            statements,
        }
    }
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.time.now()
    }
    pub fn today(&self) -> chrono::NaiveDate {
        time::china_date(self.now())
    }
}
