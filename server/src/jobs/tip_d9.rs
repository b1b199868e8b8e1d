//! Tips whose D9 verification period (Penalty Procedure Rules Art. 18) has
//! run out are flagged once on the agency's queue; the law gives no automatic effect.
use super::Run;
use redline_store::Store;

pub async fn run(store: &Store) -> Result<Run, String> {
    let n = redline_store::tip::handling::flag_overdue(store).await.map_err(|e| e.to_string())?;
    Ok(Run { claimed: n, done: n, failed: 0 })
}
