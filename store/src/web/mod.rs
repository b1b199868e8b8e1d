//! State the web transport keeps in the database: the installation's keys
//! (browser ids, CSRF tokens), kept form input between a refused post and its
//! re-rendered page, and rate-limit counters.
pub mod flash;
pub mod keys;
pub mod ratelimit;
