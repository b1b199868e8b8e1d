//! Reminders at 75 % of a running clock and notices once it is overdue; each
//! clock is claimed once per stage, so repeated runs send nothing twice.
use super::Run;
use redline_store::Store;

pub async fn run(store: &Store) -> Result<Run, String> {
    let n = redline_store::notices::remind_clocks(store).await.map_err(|e| e.to_string())?;
    Ok(Run { claimed: n, done: n, failed: 0 })
}
