//! The case sweep: clocks past their due date get the transition the table
//! gives them (`redline_store::case::sweep`), batch after batch until none is
//! left; jurisdiction disputes past D11 are flagged for their referee, and
//! notices of an unreachable party the platform let pass D15 for the agency.
use super::Run;
use redline_store::case::sweep::{sweep_after, SweepReport};
use redline_store::Store;

/// Batches one run takes at most (200 clocks each): a backlog is worked off
/// over several runs, so a run under way at shutdown ends soon.
const BATCHES_PER_RUN: usize = 25;

pub async fn run(store: &Store) -> Result<Run, String> {
    let r = batches(store, BATCHES_PER_RUN).await;
    crate::web::metrics::transitions("sweep", r.transitions as u64);
    let disputes = redline_store::case::dispute::flag_overdue(store).await.map_err(|e| e.to_string())?;
    let d15 = redline_store::parties::unreachable::flag_overdue(store).await.map_err(|e| e.to_string())?;
    let flags = disputes + d15;
    Ok(Run { claimed: r.expired + flags, done: r.transitions + flags, failed: r.failed })
}

/// Every due clock (tests and the test hook).
pub async fn until_idle(store: &Store) -> SweepReport {
    batches(store, usize::MAX).await
}

async fn batches(store: &Store, most: usize) -> SweepReport {
    let mut total = SweepReport::default();
    let mut after = None;
    for _ in 0..most {
        match sweep_after(store, after, 200).await {
            Ok((r, last)) => {
                total.expired += r.expired;
                total.transitions += r.transitions;
                total.skipped += r.skipped;
                total.failed += r.failed;
                if last.is_none() {
                    return total;
                }
                after = last;
            }
            Err(e) => {
                tracing::error!(error = %e, "overdue sweep failed");
                total.failed += 1;
                return total;
            }
        }
    }
    total
}
