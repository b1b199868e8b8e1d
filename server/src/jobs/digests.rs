//! The daily digest: notices that can wait are gathered into one message per
//! person from 09:00 on working days.
use super::Run;
use redline_store::Store;

pub async fn run(store: &Store) -> Result<Run, String> {
    let n = redline_store::notices::build_digests(store).await.map_err(|e| e.to_string())?;
    Ok(Run { claimed: n, done: n, failed: 0 })
}
