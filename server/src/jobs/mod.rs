//! Background jobs, one file each, behind one small interface. Every job is
//! idempotent and safe to run in several processes at once (claims are
//! conditional updates in the store), so each process starts them all from
//! [`spawn_all`], each on its own interval, and logs one line per run.
//! The mail sender has its own timer (`crate::mail::spawn`).
mod checkpoint;
mod desk;
mod digests;
mod housekeeping;
mod reminders;
mod retention;
mod stats;
mod sweep;
mod tip_d9;

use crate::config::Config;
use redline_store::vault::intake::Vault;
use redline_store::Store;
use std::time::Duration;

/// What a run did: items claimed, finished and failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub claimed: usize,
    pub done: usize,
    pub failed: usize,
}

/// What every job gets.
#[derive(Clone)]
pub struct JobContext {
    pub store: Store,
    pub vault: Vault,
    pub log: std::sync::Arc<crate::transparency::LogSigner>,
    /// The time-stamping authority for checkpoints, if any.
    pub tsa_url: Option<String>,
}

/// The background jobs, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Missed case deadlines → their transitions (D1–D4, D7).
    Sweep,
    /// Tips past D9 flagged for the agency.
    TipD9,
    /// Reminders at 75 % of a clock and overdue notices.
    Reminders,
    /// The daily digest mail.
    Digests,
    /// Expired sessions, stale form values, old counters and links, orphans.
    Housekeeping,
    /// The public figures per room (at most hourly).
    Stats,
    /// The monitoring desk's weekly rows (at most every fifteen minutes).
    Desk,
    /// Cases and tips whose retention ended, deleted (daily by default).
    Retention,
    /// Changed chain heads appended to the transparency log, its root signed (hourly).
    Checkpoint,
}

impl Job {
    /// In the order they run when several are due at once: missed deadlines
    /// first, so reminders never announce what the sweep is about to decide.
    pub const ALL: [Job; 9] = [
        Job::Sweep,
        Job::Reminders,
        Job::TipD9,
        Job::Digests,
        Job::Housekeeping,
        Job::Stats,
        Job::Desk,
        Job::Retention,
        Job::Checkpoint,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::Sweep => "sweep",
            Job::TipD9 => "tip_d9",
            Job::Reminders => "reminders",
            Job::Digests => "digests",
            Job::Housekeeping => "housekeeping",
            Job::Stats => "stats",
            Job::Desk => "desk",
            Job::Retention => "retention",
            Job::Checkpoint => "checkpoint",
        }
    }

    /// Seconds between runs: `REDLINE_JOB_<NAME>_SECS`, else `REDLINE_SWEEP_SECS`
    /// (the retention job: daily; the checkpoint: hourly).
    pub fn interval(self, config: &Config) -> u64 {
        let default = match self {
            Job::Retention => 86_400,
            Job::Checkpoint => 3_600,
            _ => config.sweep_secs,
        };
        config.job_secs.get(self.name()).copied().unwrap_or(default)
    }

    pub async fn run(self, ctx: &JobContext) -> Result<Run, String> {
        match self {
            Job::Sweep => sweep::run(&ctx.store).await,
            Job::TipD9 => tip_d9::run(&ctx.store).await,
            Job::Reminders => reminders::run(&ctx.store).await,
            Job::Digests => digests::run(&ctx.store).await,
            Job::Housekeeping => housekeeping::run(&ctx.store, &ctx.vault).await,
            Job::Stats => stats::run(&ctx.store).await,
            Job::Desk => desk::run(&ctx.store).await,
            Job::Retention => retention::run(&ctx.store, &ctx.vault).await,
            Job::Checkpoint => checkpoint::run(&ctx.store, &ctx.log, ctx.tsa_url.as_deref()).await,
        }
    }

    /// One run with its log line.
    pub async fn run_logged(self, ctx: &JobContext) -> Run {
        match self.run(ctx).await {
            Ok(r) => {
                tracing::info!(job = self.name(), claimed = r.claimed, done = r.done, failed = r.failed, "job run");
                crate::web::metrics::job_run(self.name(), true, r.done as u64, r.failed as u64);
                r
            }
            Err(e) => {
                tracing::warn!(job = self.name(), error = %e, "job failed");
                crate::web::metrics::job_run(self.name(), false, 0, 0);
                Run { failed: 1, ..Run::default() }
            }
        }
    }
}

/// Starts the scheduler: every job with a non-zero interval runs when its
/// interval has passed, one after another in [`Job::ALL`] order, so jobs of one
/// process never race each other (`REDLINE_SWEEP_SECS=0` stops all). At the
/// shutdown the run under way finishes and no other starts.
pub fn spawn_all(ctx: JobContext, config: &Config, shutdown: &crate::shutdown::Shutdown) {
    if config.sweep_secs == 0 {
        return;
    }
    let plan: Vec<(Job, Duration)> = Job::ALL
        .into_iter()
        .filter_map(|j| Some((j, Duration::from_secs(Some(j.interval(config)).filter(|s| *s > 0)?))))
        .collect();
    if plan.is_empty() {
        return;
    }
    let stop = shutdown.clone();
    shutdown.spawn(async move {
        let mut next = vec![tokio::time::Instant::now(); plan.len()];
        loop {
            for (i, (job, every)) in plan.iter().enumerate() {
                if stop.is_stopping() {
                    return;
                }
                if tokio::time::Instant::now() >= next[i] {
                    job.run_logged(&ctx).await;
                    next[i] = tokio::time::Instant::now() + *every;
                }
            }
            let wake = *next.iter().min().expect("a job is planned");
            if !stop.sleep_until(wake).await {
                return;
            }
        }
    });
}

/// Sweeps batch after batch until nothing is left (tests and the test hook).
pub async fn run_until_idle(store: &Store) -> redline_store::case::sweep::SweepReport {
    sweep::until_idle(store).await
}

/// The notice jobs in order (tests): reminders, D9 flags, digests.
pub async fn notify(store: &Store) -> Result<(), String> {
    reminders::run(store).await?;
    tip_d9::run(store).await?;
    digests::run(store).await?;
    Ok(())
}

/// The housekeeping job once (tests); a failed step is an error.
pub async fn housekeeping(store: &Store, vault: &Vault) -> Result<Run, String> {
    let r = housekeeping::run(store, vault).await?;
    if r.failed > 0 {
        return Err(format!("{} housekeeping steps failed", r.failed));
    }
    Ok(r)
}
