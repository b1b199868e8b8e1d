//! Serializable read models shared by the server and the browser.
mod alerts;
mod case;
mod desk;
mod form;
mod integrations;
mod link;
mod pages;
mod parties;
mod tips;

pub use alerts::*;
pub use case::*;
pub use desk::*;
pub use form::*;
pub use integrations::*;
pub use link::*;
pub use pages::*;
pub use parties::*;
pub use tips::*;
