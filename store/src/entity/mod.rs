//! sea-orm entities, one per table of `migrations/`.
pub mod agency;
pub mod case_event;
pub mod clock;
pub mod clock_pause;
pub mod complaint;
pub mod evidence;
pub mod form_flash;
pub mod live_room;
pub mod membership;
pub mod operator;
pub mod platform;
pub mod platform_api_key;
pub mod preservation_request;
pub mod session;
pub mod stream_product;
pub mod stream_session;
pub mod user;
