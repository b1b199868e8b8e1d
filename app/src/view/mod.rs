//! Serializable read models shared by the server and the browser.
mod form;
mod pages;
mod parties;

pub use form::*;
pub use pages::*;
pub use parties::*;
