//! Schema migrations. They run on server start (see `redline_store::db::connect`).
pub use sea_orm_migration::prelude::*;

mod chain_legacy;
mod m001_spine;
mod m002_evidence;
mod m003_tips_notices;
mod m004_security;
mod m005_query_plans;
mod m006_staff_lookups;
mod m007_queue_order;
mod m008_agency_kind;
mod m009_parties;
mod m010_api;
mod m011_holder_due;
mod m012_search;
mod m013_alerts;
mod m014_room_stats;
mod m015_desk;
mod m016_narratives;
mod m017_cluster_subjects;
mod m018_order_date;
mod m019_records_requests;
mod m020_fraud_flag;
mod m021_tip_clocks;
mod m022_retention;
mod m023_ratings;
mod m024_tip_origin;
mod m025_jurisdiction_disputes;
mod m026_unreachable_notices;
mod m027_transparency_log;
mod m028_consumer_states;
mod m029_sweep_order;
mod m030_operator_states;
pub mod retention_backfill;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m001_spine::Migration),
            Box::new(m002_evidence::Migration),
            Box::new(m003_tips_notices::Migration),
            Box::new(m004_security::Migration),
            Box::new(m005_query_plans::Migration),
            Box::new(m006_staff_lookups::Migration),
            Box::new(m007_queue_order::Migration),
            Box::new(m008_agency_kind::Migration),
            Box::new(m009_parties::Migration),
            Box::new(m010_api::Migration),
            Box::new(m011_holder_due::Migration),
            Box::new(m012_search::Migration),
            Box::new(m013_alerts::Migration),
            Box::new(m014_room_stats::Migration),
            Box::new(m015_desk::Migration),
            Box::new(m016_narratives::Migration),
            Box::new(m017_cluster_subjects::Migration),
            Box::new(m018_order_date::Migration),
            Box::new(m019_records_requests::Migration),
            Box::new(m020_fraud_flag::Migration),
            Box::new(m021_tip_clocks::Migration),
            Box::new(m022_retention::Migration),
            Box::new(m023_ratings::Migration),
            Box::new(m024_tip_origin::Migration),
            Box::new(m025_jurisdiction_disputes::Migration),
            Box::new(m026_unreachable_notices::Migration),
            Box::new(m027_transparency_log::Migration),
            Box::new(m028_consumer_states::Migration),
            Box::new(m029_sweep_order::Migration),
            Box::new(m030_operator_states::Migration),
        ]
    }
}
