//! Stopping cleanly. One [`Shutdown`] per process: the listener and every
//! background loop watch its token; on SIGTERM or SIGINT the listener stops
//! accepting and lets requests in flight finish, each loop finishes the batch
//! it is on (every batch is transactions, so a cut-off one would only be
//! redone, but a clean stop does not leave it to the next start) and takes no
//! other, and the database is closed last.
use std::future::Future;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

#[derive(Clone, Debug, Default)]
pub struct Shutdown {
    token: CancellationToken,
    tasks: TaskTracker,
}

impl Shutdown {
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    pub fn is_stopping(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Runs a background loop that the shutdown waits for.
    pub fn spawn<F: Future<Output = ()> + Send + 'static>(&self, task: F) {
        self.tasks.spawn(task);
    }

    /// Waits until `deadline` or the stop, whichever is first; false on the stop.
    pub async fn sleep_until(&self, deadline: tokio::time::Instant) -> bool {
        tokio::select! {
            _ = self.token.cancelled() => false,
            _ = tokio::time::sleep_until(deadline) => true,
        }
    }

    /// Tells everything to stop; then waits up to `grace` for the background
    /// loops to finish their batches. False if some were still running.
    pub async fn stop(&self, grace: Duration) -> bool {
        self.token.cancel();
        self.tasks.close();
        tokio::time::timeout(grace, self.tasks.wait()).await.is_ok()
    }
}

/// Resolves on SIGTERM (systemd, docker stop) or SIGINT (Ctrl-C).
pub async fn signalled() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM can be watched");
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = tokio::signal::ctrl_c() => "SIGINT",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
