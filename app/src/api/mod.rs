//! Server functions: thin reads that resolve the caller from the session cookie
//! and call into `redline-store`, one file per group of pages. Writes are plain
//! HTML form posts handled by the server crate, so every form works without
//! JavaScript.
mod account;
mod alerts;
mod cases;
mod desk;
mod integrations;
mod narratives;
mod platform;
mod search;
#[cfg(feature = "ssr")]
pub mod ssr;
mod tips;

pub use account::*;
pub use alerts::*;
pub use cases::*;
pub use desk::*;
pub use integrations::*;
pub use narratives::*;
pub use platform::*;
pub use search::*;
pub use tips::*;
