//! Serializable read models shared by the server and the browser.
mod alerts;
mod desk;
mod form;
mod integrations;
mod link;
mod pages;
mod parties;

pub use alerts::*;
pub use desk::*;
pub use form::*;
pub use integrations::*;
pub use link::*;
pub use pages::*;
pub use parties::*;
