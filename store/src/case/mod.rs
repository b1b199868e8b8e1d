//! Complaints (投诉) from filing to closure. Every state change goes through
//! [`transition::apply`]: one database transaction that checks who may act,
//! runs the pure transition table of `redline_rules::case`, appends the chained
//! case event, moves the clocks and writes the notifications.
//!
//! Dependencies run one way: `filing` → `transition` → `write` → `clocks`, and
//! `transition` → `access`;
//! `evidence`, `preservation` and `queries` build on those; `sweep` drives
//! `transition` and `preservation` from the clocks.
pub mod access;
pub mod clocks;
pub mod complainant;
pub mod dispute;
pub mod evidence;
pub mod figure;
pub mod filing;
pub mod fraud;
pub mod place;
pub mod preservation;
pub mod queries;
pub mod rating;
pub mod records;
pub mod sweep;
pub mod transition;
pub mod violation;
pub mod write;
