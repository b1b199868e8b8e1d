//! What platforms and operators use from their own systems: API keys with
//! scopes, idempotent writes, webhook endpoints and their deliveries.
pub mod cases;
pub mod deliveries;
pub mod idempotency;
pub mod keys;
pub mod webhooks;
