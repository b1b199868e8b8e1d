//! Group commit. SQLite has one writer connection and, with
//! `synchronous=FULL`, each commit waits for its fsync: writes that arrive
//! together are therefore run one after another in one transaction, each in
//! its own savepoint (one that fails is rolled back alone), and committed
//! once. Every caller is answered only after that commit, so an acknowledged
//! write is on disk exactly as if it had committed alone (the kill -9 test in
//! `server/tests/api/durability.rs` holds it to that).
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
            tokio::spawn(run(db.clone(), rx, counts.clone()));
            tx
        });
        Writer { db, queue, counts }
    }

    /// Group commits so far, and the writes they carried.
    pub fn groups(&self) -> (u64, u64) {
        (self.counts.0.load(Ordering::Relaxed), self.counts.1.load(Ordering::Relaxed))
    }

    /// Runs `f` in a transaction and returns its result once that is committed;
    /// an error from `f` rolls back what `f` wrote, and only that.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t DatabaseTransaction) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
    {
        let Some(queue) = &self.queue else {
            let txn = self.db.begin().await?;
            let out = f(&txn).await?;
            txn.commit().await?;
            return Ok(out);
        };
        let (tx, rx) = oneshot::channel();
        queue.send(Box::new(Pending { f, tx })).await.map_err(|_| stopped())?;
        // A dropped answer means the write panicked and was rolled back.
        rx.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Db(DbErr::Custom("the write was not completed".into()))
}

/// How a caller is answered once the group's commit is known.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

trait Job: Send {
    /// Runs the write; says whether it is to be kept, and how to answer.
    fn run<'t>(self: Box<Self>, txn: &'t DatabaseTransaction) -> BoxFuture<'t, (bool, Answer)>;
    /// Answers without running (no transaction could be begun).
    fn refuse(self: Box<Self>, why: String);
}

struct Pending<T, F> {
    f: F,
    tx: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t DatabaseTransaction) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
{
    fn run<'t>(self: Box<Self>, txn: &'t DatabaseTransaction) -> BoxFuture<'t, (bool, Answer)> {
        let Pending { f, tx } = *self;
        Box::pin(async move {
            let out = f(txn).await;
            let kept = out.is_ok();
            let answer: Answer = Box::new(move |committed: Result<(), String>| {
                let _ = tx.send(out.and_then(|v| committed.map(|()| v).map_err(|e| StoreError::Db(DbErr::Custom(e)))));
            });
            (kept, answer)
        })
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

async fn commit_group(db: &DatabaseConnection, group: Vec<Box<dyn Job>>) {
    let txn = match db.begin().await {
        Ok(t) => t,
        Err(e) => return group.into_iter().for_each(|j| j.refuse(e.to_string())),
    };
    let mut answers = Vec::with_capacity(group.len());
    if group.len() == 1 {
        // Alone, a write needs no savepoint: its failure rolls back the transaction.
        let job = group.into_iter().next().expect("one job");
        let ran = CatchUnwind(job.run(&txn)).await;
        match ran {
            Ok((true, answer)) => answers.push(answer),
            Ok((false, answer)) => {
                let _ = txn.rollback().await;
                return answer(Ok(()));
            }
            Err(_) => return panicked(txn.rollback().await),
        }
    } else {
        for job in group {
            let sp = match txn.begin().await {
                Ok(sp) => sp,
                Err(e) => {
                    job.refuse(e.to_string());
                    continue;
                }
            };
            let ran = CatchUnwind(job.run(&sp)).await;
            match ran {
                Ok((true, answer)) => match sp.commit().await {
                    Ok(()) => answers.push(answer),
                    Err(e) => answer(Err(e.to_string())),
                },
                // Its own error is its answer; the commit does not change it.
                Ok((false, answer)) => {
                    let _ = sp.rollback().await;
                    answer(Ok(()));
                }
                Err(_) => panicked(sp.rollback().await),
            }
        }
    }
    let committed = txn.commit().await.map_err(|e| e.to_string());
    if let Err(e) = &committed {
        tracing::error!(error = %e, writes = answers.len(), "group commit failed; every write in it is refused");
    }
    for a in answers {
        a(committed.clone());
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

    fn insert(n: i64) -> impl for<'t> FnOnce(&'t DatabaseTransaction) -> BoxFuture<'t, Result<i64, StoreError>> {
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
