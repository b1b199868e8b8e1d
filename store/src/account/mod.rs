//! People and their access: password sign-in with back-off, sessions, emailed
//! registration and invitation links, and the administrator's staff lists.
pub mod admin;
pub mod auth;
pub mod email_links;
pub mod orgs;
pub mod throttle;
