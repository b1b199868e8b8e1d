//! Tips (举报, Order 121 Arts. 3 and 28): anyone may report a live room. The
//! reporter's identity and contact never reach the platform or the public;
//! only a receipt (shown once, stored as a hash) follows the tip.
//!
//! `filing` → `handling` (the platform's and the agency's answers, D9) and
//! `views` (what each reader may see); all three append to `crate::chain`.
pub mod filing;
pub mod handling;
pub mod lead;
pub mod reporter;
pub mod views;
