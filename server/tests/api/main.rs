//! Black-box tests of the whole server: one binary, a module per capability,
//! each check run against a freshly spawned app on SQLite and on PostgreSQL.
#[macro_use]
mod helpers;
mod smtp_sink;

mod accounts;
mod addresses;
mod alerts;
mod backup;
mod cases;
mod clocks;
mod config;
mod deploy;
mod desk;
mod disputes;
mod dossier;
mod durability;
mod evidence;
mod export;
mod fraud;
mod jobs;
mod migrations;
mod notices;
mod onboarding;
mod openapi;
mod outbox;
mod pages;
mod parties;
mod plans;
mod platform_api;
mod preservation;
mod public;
mod queues;
mod ratings;
mod records;
mod respondents;
mod retention;
mod search;
mod security;
mod streams;
mod tip_clocks;
mod tips;
mod transparency;
mod unreachable;
mod violations;
mod webhooks;
mod wire;
