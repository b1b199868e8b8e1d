//! Serializable read models shared by the server and the browser.
mod form;
mod integrations;
mod pages;
mod parties;

pub use form::*;
pub use integrations::*;
pub use pages::*;
pub use parties::*;
