//! Scheduled jobs, run on one timer in each server process: the overdue sweep
//! (`redline_store::sweep` makes concurrent runs safe), reminders and
//! housekeeping. The mail sender has its own timer (`mail::spawn`).
use redline_store::evidence::Vault;
use redline_store::Store;
use std::time::Duration;

pub fn spawn_sweeper(store: Store, vault: Vault, every_secs: u64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every_secs));
        loop {
            tick.tick().await;
            run_until_idle(&store).await;
            notify(&store).await;
            housekeeping(&store, &vault).await;
        }
    });
}

/// Sweeps batch after batch until nothing is left (or an error is logged).
pub async fn run_until_idle(store: &Store) -> redline_store::sweep::SweepReport {
    let mut total = redline_store::sweep::SweepReport::default();
    let mut after = 0;
    loop {
        match redline_store::sweep::sweep_after(store, after, 200).await {
            Ok((r, last)) => {
                total.expired += r.expired;
                total.transitions += r.transitions;
                total.skipped += r.skipped;
                total.failed += r.failed;
                match last {
                    Some(id) => after = id,
                    None => return total,
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "overdue sweep failed");
                return total;
            }
        }
    }
}

/// Reminders at 75 % and overdue notices, missed D9 flags and daily digests;
/// each is idempotent, so several processes may run them.
pub async fn notify(store: &Store) {
    if let Err(e) = redline_store::notices::remind_clocks(store).await {
        tracing::warn!(error = %e, "clock reminders failed");
    }
    if let Err(e) = redline_store::tips::flag_overdue(store).await {
        tracing::warn!(error = %e, "D9 overdue flags failed");
    }
    if let Err(e) = redline_store::notices::build_digests(store).await {
        tracing::warn!(error = %e, "digests failed");
    }
}

/// Expired sessions, stale form values, old rate-limit windows and mailed
/// links, orphaned vault files and abandoned uploads; idempotent.
pub async fn housekeeping(store: &Store, vault: &Vault) {
    if let Err(e) = redline_store::auth::purge_expired_sessions(store).await {
        tracing::warn!(error = %e, "session purge failed");
    }
    if let Err(e) = redline_store::flash::purge_stale(store).await {
        tracing::warn!(error = %e, "form value purge failed");
    }
    if let Err(e) = redline_store::ratelimit::purge(store).await {
        tracing::warn!(error = %e, "rate-limit purge failed");
    }
    if let Err(e) = redline_store::email_links::purge(store).await {
        tracing::warn!(error = %e, "mailed link purge failed");
    }
    match redline_store::orphans::collect(store, vault, 500).await {
        Ok(c) if c.deleted > 0 => tracing::info!(checked = c.checked, deleted = c.deleted, "orphaned vault files"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "orphan collection failed"),
    }
    if let Err(e) = redline_store::orphans::purge_staging(vault).await {
        tracing::warn!(error = %e, "staging purge failed");
    }
}
