//! Group commit. SQLite has one writer connection and, with
//! `synchronous=FULL`, each commit waits for its fsync: writes that arrive
//! together are therefore run one after another in one transaction and
//! committed once. Every caller is answered only after that commit, so an
//! acknowledged write is on disk exactly as if it had committed alone (the
//! kill -9 test in `server/tests/api/durability.rs` holds it to that).
//!
//! A write that fails must leave nothing behind. Failures are rare (what a
//! person can get wrong is checked before the writer), so the group first runs
//! without savepoints, which would cost two statements a write; when one fails,
//! the transaction is rolled back, that write answered with its error, and the
//! others run again, each in its own savepoint this time. A write is therefore
//! a closure that may run more than once; only the last run counts.
//!
//! On PostgreSQL, with a pool of connections and a server that already groups
//! the flushes of concurrent commits, each write is its own transaction.
use crate::StoreError;
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::{mpsc, oneshot};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// At most this many writes share one commit, so the first waits for few.
const GROUP: usize = 64;
/// Writes waiting for the writer; callers beyond it wait to enqueue.
const QUEUE: usize = 1024;

/// Where writes go: a queue to the one group-committing task (SQLite), or
/// straight to the pool (PostgreSQL).
#[derive(Clone)]
pub struct Writer {
    db: DatabaseConnection,
    queue: Option<mpsc::Sender<Box<dyn Job>>>,
    /// Commits and the writes in them, since the start (for `/metrics`).
    counts: Arc<(AtomicU64, AtomicU64)>,
}

impl Writer {
    /// Groups commits when asked to and a Tokio runtime is there to run the writer.
    pub fn new(db: DatabaseConnection, group: bool) -> Writer {
        let counts: Arc<(AtomicU64, AtomicU64)> = Default::default();
        let queue = (group && tokio::runtime::Handle::try_current().is_ok()).then(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            spawn_own_thread(run(db.clone(), rx, counts.clone()));
            tx
        });
        Writer { db, queue, counts }
    }

    /// Group commits so far, and the writes they carried.
    pub fn groups(&self) -> (u64, u64) {
        (self.counts.0.load(Ordering::Relaxed), self.counts.1.load(Ordering::Relaxed))
    }

    /// Runs `f` in a transaction and returns its result once that is committed;
    /// an error from `f` rolls back what `f` wrote, and only that. `f` may be
    /// run more than once (see the module's comment): it writes only through
    /// the transaction it is given.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> Fn(&'t DatabaseTransaction) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
    {
        let Some(queue) = &self.queue else {
            let txn = self.db.begin().await?;
            let out = f(&txn).await?;
            txn.commit().await?;
            return Ok(out);
        };
        let (tx, rx) = oneshot::channel();
        queue.send(Box::new(Pending { f, tx, out: None })).await.map_err(|_| stopped())?;
        // A dropped answer means the write panicked and was rolled back.
        rx.await.map_err(|_| stopped())?
    }
}

/// The writer runs on a thread of its own. Each write is a few hand-offs to
/// SQLite's connection thread and back, one after another for the whole
/// group; as a task among the requests' tasks it waited behind them after
/// every hand-off, so the one writer, not the cores, bounded intake (a third
/// of the CPU idle at 16 connections). Alone on its thread it is polled as
/// soon as its answer arrives: intake 1,250/s → 1,360–1,390/s (release, 16
/// connections, fresh SQLite). Where no runtime or thread can be had, it runs
/// as a task after all: slower, never without a writer.
fn spawn_own_thread(writer: impl Future<Output = ()> + Send + 'static) {
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::warn!(error = %e, "no runtime for the writer's thread; it runs as a task");
            tokio::spawn(writer);
            return;
        }
    };
    // The writer is handed over once the thread runs, so a thread that could
    // not start has not taken it with it.
    let (give, take) = std::sync::mpsc::channel::<std::pin::Pin<Box<dyn Future<Output = ()> + Send>>>();
    let started = std::thread::Builder::new().name("redline-writer".into()).spawn(move || {
        if let Ok(writer) = take.recv() {
            rt.block_on(writer);
        }
    });
    match started {
        Ok(_) => {
            let _ = give.send(Box::pin(writer));
        }
        Err(e) => {
            tracing::warn!(error = %e, "no thread for the writer; it runs as a task");
            tokio::spawn(writer);
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Db(DbErr::Custom("the write was not completed".into()))
}

trait Job: Send {
    /// Runs the write, keeping its result (the last run's); says whether it succeeded.
    fn run<'t>(&'t mut self, txn: &'t DatabaseTransaction) -> BoxFuture<'t, bool>;
    /// Answers with the kept result once the commit is known (a failed write's
    /// own error stands whatever the commit did).
    fn answer(self: Box<Self>, committed: Result<(), String>);
    /// Answers without running (no transaction could be begun).
    fn refuse(self: Box<Self>, why: String);
}

struct Pending<T, F> {
    f: F,
    tx: oneshot::Sender<Result<T, StoreError>>,
    out: Option<Result<T, StoreError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send + 'static,
    F: for<'t> Fn(&'t DatabaseTransaction) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
{
    fn run<'t>(&'t mut self, txn: &'t DatabaseTransaction) -> BoxFuture<'t, bool> {
        let write = (self.f)(txn);
        Box::pin(async move {
            let out = write.await;
            let ok = out.is_ok();
            self.out = Some(out);
            ok
        })
    }

    fn answer(self: Box<Self>, committed: Result<(), String>) {
        let Pending { tx, out, .. } = *self;
        let out = out.unwrap_or_else(|| Err(stopped()));
        let _ = tx.send(out.and_then(|v| committed.map(|()| v).map_err(|e| StoreError::Db(DbErr::Custom(e)))));
    }

    fn refuse(self: Box<Self>, why: String) {
        let _ = self.tx.send(Err(StoreError::Db(DbErr::Custom(why))));
    }
}

/// The writer: takes what is waiting (up to [`GROUP`]) and commits it together.
async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Box<dyn Job>>, counts: Arc<(AtomicU64, AtomicU64)>) {
    let mut jobs = Vec::with_capacity(GROUP);
    while rx.recv_many(&mut jobs, GROUP).await > 0 {
        counts.0.fetch_add(1, Ordering::Relaxed);
        counts.1.fetch_add(jobs.len() as u64, Ordering::Relaxed);
        commit_group(&db, std::mem::take(&mut jobs)).await;
    }
}

/// All the writes in one transaction without savepoints; on the first that
/// fails, everything is rolled back, it is answered, and the rest go on in
/// savepoints.
async fn commit_group(db: &DatabaseConnection, mut group: Vec<Box<dyn Job>>) {
    let txn = match db.begin().await {
        Ok(t) => t,
        Err(e) => return group.into_iter().for_each(|j| j.refuse(e.to_string())),
    };
    let mut failed = None;
    for (i, job) in group.iter_mut().enumerate() {
        match CatchUnwind(job.run(&txn)).await {
            Ok(true) => {}
            Ok(false) => failed = Some((i, false)),
            Err(_) => failed = Some((i, true)),
        }
        if failed.is_some() {
            break;
        }
    }
    let Some((i, panic)) = failed else {
        return finish(txn, group).await;
    };
    let rolled_back = txn.rollback().await;
    let job = group.remove(i);
    if panic {
        panicked(rolled_back);
    } else {
        job.answer(Ok(()));
    }
    if !group.is_empty() {
        commit_in_savepoints(db, group).await;
    }
}

/// Each write in its own savepoint: one that fails is rolled back alone.
async fn commit_in_savepoints(db: &DatabaseConnection, group: Vec<Box<dyn Job>>) {
    let txn = match db.begin().await {
        Ok(t) => t,
        Err(e) => return group.into_iter().for_each(|j| j.refuse(e.to_string())),
    };
    let mut kept = Vec::with_capacity(group.len());
    for mut job in group {
        let sp = match txn.begin().await {
            Ok(sp) => sp,
            Err(e) => {
                job.refuse(e.to_string());
                continue;
            }
        };
        match CatchUnwind(job.run(&sp)).await {
            Ok(true) => match sp.commit().await {
                Ok(()) => kept.push(job),
                Err(e) => job.answer(Err(e.to_string())),
            },
            Ok(false) => {
                let _ = sp.rollback().await;
                job.answer(Ok(()));
            }
            Err(_) => panicked(sp.rollback().await),
        }
    }
    finish(txn, kept).await;
}

/// Commits, then answers every write that is kept.
async fn finish(txn: DatabaseTransaction, kept: Vec<Box<dyn Job>>) {
    let committed = txn.commit().await.map_err(|e| e.to_string());
    if let Err(e) = &committed {
        tracing::error!(error = %e, writes = kept.len(), "group commit failed; every write in it is refused");
    }
    for job in kept {
        job.answer(committed.clone());
    }
}

/// A write that panicked is rolled back; its caller sees its answer dropped.
fn panicked(rolled_back: Result<(), DbErr>) {
    tracing::error!(rolled_back = rolled_back.is_ok(), "a write panicked and was rolled back");
}

/// Catches a panic while polling, so one broken write cannot stop the writer.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let f = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| Pin::new(&mut *f).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(p) => Poll::Ready(Err(p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, Database, Statement};
    use std::time::Duration;

    /// A writer on a fresh SQLite file with one table, and its connection.
    async fn writer() -> (Writer, DatabaseConnection) {
        let path = std::env::temp_dir().join(format!("redline-writer-{}.db", rand::random::<u64>()));
        let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (n INTEGER NOT NULL UNIQUE)").await.unwrap();
        (Writer::new(db.clone(), true), db)
    }

    fn insert(
        n: i64,
    ) -> impl for<'t> Fn(&'t DatabaseTransaction) -> BoxFuture<'t, Result<i64, StoreError>> + Send + 'static {
        move |txn| {
            Box::pin(async move {
                let sql = format!("INSERT INTO t (n) VALUES ({n})");
                txn.execute_raw(Statement::from_string(txn.get_database_backend(), sql)).await?;
                // Odd writes fail after writing: only their own row goes.
                if n % 2 == 1 {
                    return Err(StoreError::Conflict);
                }
                Ok(n)
            })
        }
    }

    /// Starts a write that holds the writer for 300 ms (it writes 100), so the
    /// writes sent next queue up behind it.
    async fn behind_a_slow_write(w: &Writer) -> tokio::task::JoinHandle<Result<i64, StoreError>> {
        let slow = w.clone();
        let first = tokio::spawn(async move {
            slow.write(|txn| {
                Box::pin(async move {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    insert(100)(txn).await
                })
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        first
    }

    async fn rows(db: &DatabaseConnection) -> Vec<i64> {
        let sql = Statement::from_string(db.get_database_backend(), "SELECT n FROM t ORDER BY n");
        db.query_all_raw(sql).await.unwrap().iter().map(|r| r.try_get::<i64>("", "n").unwrap()).collect()
    }

    /// Twenty writes queued behind a slow one commit as one group; each failing
    /// one loses only its own row, and each caller gets its own answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_that_arrive_together_share_a_commit_and_fail_alone() {
        let (w, db) = writer().await;
        let first = behind_a_slow_write(&w).await;
        let queued: Vec<_> = (0..20)
            .map(|n| {
                tokio::spawn({
                    let w = w.clone();
                    async move { w.write(insert(n)).await }
                })
            })
            .collect();
        assert_eq!(first.await.unwrap().unwrap(), 100);
        let mut ok = 0;
        for (n, q) in queued.into_iter().enumerate() {
            match q.await.unwrap() {
                Ok(v) => {
                    assert_eq!(v, n as i64);
                    ok += 1;
                }
                Err(e) => assert!(matches!(e, StoreError::Conflict) && n % 2 == 1, "write {n}: {e}"),
            }
        }
        assert_eq!(ok, 10);
        assert_eq!(rows(&db).await, vec![0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 100]);
        assert_eq!(w.groups(), (2, 21), "the twenty queued writes were one group");
    }

    /// The group runs once without savepoints; when a write fails, the writes
    /// before it run again (in savepoints), those after it once, and the failed
    /// one is not run again: each caller still gets exactly its own answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn after_a_failure_the_others_run_again_and_only_their_last_run_counts() {
        use std::sync::atomic::AtomicUsize;
        let (w, db) = writer().await;
        let first = behind_a_slow_write(&w).await;
        let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..6).map(|_| AtomicUsize::new(0)).collect());
        let mut queued = Vec::new();
        for (i, n) in [0, 2, 3, 4, 6, 8].into_iter().enumerate() {
            let (w, runs) = (w.clone(), runs.clone());
            queued.push(tokio::spawn(async move {
                w.write(move |txn| {
                    runs[i].fetch_add(1, Ordering::Relaxed);
                    insert(n)(txn)
                })
                .await
            }));
            // Queued in this order behind the slow write.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(first.await.unwrap().unwrap(), 100);
        let answers: Vec<_> = futures_answers(queued).await;
        assert_eq!(answers, vec![Some(0), Some(2), None, Some(4), Some(6), Some(8)]);
        let runs: Vec<usize> = runs.iter().map(|r| r.load(Ordering::Relaxed)).collect();
        assert_eq!(runs, vec![2, 2, 1, 1, 1, 1]);
        assert_eq!(rows(&db).await, vec![0, 2, 4, 6, 8, 100]);
        assert_eq!(w.groups(), (2, 7), "the six queued writes were one group");
    }

    async fn futures_answers(jobs: Vec<tokio::task::JoinHandle<Result<i64, StoreError>>>) -> Vec<Option<i64>> {
        let mut out = Vec::new();
        for j in jobs {
            out.push(j.await.unwrap().ok());
        }
        out
    }

    /// A write that panics is rolled back alone, its caller is told, and the
    /// writer goes on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_that_panics_is_refused_and_the_writer_goes_on() {
        let (w, db) = writer().await;
        let first = behind_a_slow_write(&w).await;
        let a = tokio::spawn({
            let w = w.clone();
            async move { w.write(insert(2)).await }
        });
        let boom = tokio::spawn({
            let w = w.clone();
            async move {
                w.write(|txn| {
                    Box::pin(async move {
                        let written: Result<i64, StoreError> = insert(4)(txn).await;
                        if written.is_ok() {
                            panic!("a broken write");
                        }
                        written
                    })
                })
                .await
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let b = tokio::spawn({
            let w = w.clone();
            async move { w.write(insert(6)).await }
        });
        assert_eq!(first.await.unwrap().unwrap(), 100);
        assert_eq!(a.await.unwrap().unwrap(), 2);
        assert!(boom.await.unwrap().is_err());
        assert_eq!(b.await.unwrap().unwrap(), 6);
        assert_eq!(w.write(insert(8)).await.unwrap(), 8);
        assert_eq!(rows(&db).await, vec![2, 6, 8, 100]);
    }
}
