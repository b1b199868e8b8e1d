//! The persistence room: sea-orm entities, transactional case commands, queries
//! scoped by who is asking, sessions, the overdue sweep and demo seed data.
//! Rules themselves live in `redline-rules`; this crate only applies and stores them.
pub mod actor;
pub mod admin;
pub mod auth;
pub mod cases;
pub mod chain;
pub mod db;
pub mod email_links;
pub mod entity;
pub mod error;
pub mod evidence;
pub mod flash;
pub mod notices;
pub mod orphans;
pub mod preservation;
pub mod queries;
pub mod ratelimit;
pub mod seed;
pub mod streams;
pub mod sweep;
pub mod throttle;
pub mod time;
pub mod tips;
pub mod vault;
pub mod websec;

pub use actor::Actor;
pub use error::StoreError;
pub use time::{ShiftableTime, TimeSource};

use std::sync::Arc;

/// Everything a request or a job needs: the database and "now".
#[derive(Clone)]
pub struct Store {
    pub db: sea_orm::DatabaseConnection,
    pub time: Arc<dyn TimeSource>,
}

impl Store {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.time.now()
    }
    pub fn today(&self) -> chrono::NaiveDate {
        time::china_date(self.now())
    }
}
