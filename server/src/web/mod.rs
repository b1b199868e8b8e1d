//! What every route shares: the request guard (`security`), the signed-in
//! actor and language (`extract`), refused forms and their kept values
//! (`form_error`, `flash`), API errors (`api_error`) and common responses
//! (`respond`). Routes depend on this module, never the other way round.
pub mod api_error;
pub mod api_key;
pub mod csv;
pub mod extract;
pub mod flash;
pub mod form_error;
pub mod idempotency;
pub mod metrics;
pub mod respond;
pub mod security;
