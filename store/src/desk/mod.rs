//! The monitoring desk (`rules::desk`): weekly rows rebuilt by the `desk` job
//! (`rebuild`), read per scope, period and breakdown (`figures`).
pub mod figures;
pub mod rebuild;

pub use figures::{desk, scope_of, Desk, Narrow, Scope, LINES};
pub use rebuild::rebuild;
