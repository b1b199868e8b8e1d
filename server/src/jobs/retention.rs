//! The daily deletion of records whose retention ended
//! (`redline_store::retention::purge`): cases and tips past their day and not
//! under a legal hold, then the evidence files nothing else holds.
use super::Run;
use redline_store::retention::purge;
use redline_store::vault::intake::Vault;
use redline_store::Store;

/// Records of each kind per batch, and batches per run: a backlog is worked
/// off over several days, so a run under way at shutdown ends soon.
const BATCH: u64 = 200;
const BATCHES_PER_RUN: usize = 25;

pub async fn run(store: &Store, vault: &Vault) -> Result<Run, String> {
    let mut r = Run::default();
    for _ in 0..BATCHES_PER_RUN {
        let p = purge::run(store, vault, BATCH).await.map_err(|e| e.to_string())?;
        r.claimed += p.cases + p.tips;
        r.done += p.cases + p.tips;
        if (p.cases as u64) < BATCH && (p.tips as u64) < BATCH {
            break;
        }
    }
    Ok(r)
}
