//! The public figures per room (`store::public`), rebuilt at most hourly
//! from the last twelve months of cases; a run within the hour does nothing.
use super::Run;
use redline_store::Store;

pub async fn run(store: &Store) -> Result<Run, String> {
    match redline_store::public::rebuild(store, chrono::Duration::hours(1)).await.map_err(|e| e.to_string())? {
        Some(n) => Ok(Run { claimed: n as usize, done: n as usize, failed: 0 }),
        None => Ok(Run::default()),
    }
}
