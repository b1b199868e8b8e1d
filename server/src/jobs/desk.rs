//! The monitoring desk's weekly rows (`store::desk`), rebuilt at most every
//! fifteen minutes from the last year of cases; a run within that does nothing.
use super::Run;
use redline_store::Store;

/// How stale a desk may be: the page says when its figures were counted.
pub const FRESH_MINUTES: i64 = 15;

pub async fn run(store: &Store) -> Result<Run, String> {
    let fresh = chrono::Duration::minutes(FRESH_MINUTES);
    match redline_store::desk::rebuild(store, fresh).await.map_err(|e| e.to_string())? {
        Some(n) => Ok(Run { claimed: n as usize, done: n as usize, failed: 0 }),
        None => Ok(Run::default()),
    }
}
