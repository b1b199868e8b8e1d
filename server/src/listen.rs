//! Accepting connections. A client that stalls its headers is cut off, a body
//! that stops arriving times out (see `body_idle`), and no single address may
//! hold more than its share of connections: a handful of slow clients cannot
//! tie up the server.
use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub struct ConnLimits {
    /// Time a client has to send a request's headers (also the keep-alive idle limit).
    pub header_timeout: Duration,
    /// Open connections one address may hold; 0 = no limit (behind a proxy,
    /// every connection comes from the proxy, which must do this itself).
    pub per_address: usize,
}

/// Open connections per address; a slot is given back when its guard drops.
#[derive(Clone, Default)]
struct Slots(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Slot(Slots, IpAddr);

impl Slots {
    fn take(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut m = self.0.lock().expect("slot map");
        let n = m.entry(ip).or_default();
        if max > 0 && *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot(self.clone(), ip))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut m = self.0 .0.lock().expect("slot map");
        if let Some(n) = m.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.1);
            }
        }
    }
}

/// Serves `router` on `listener` until `stop` fires; then accepts nothing
/// more, lets every request in flight finish (for at most `grace`; idle
/// keep-alive connections are closed at once) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ConnLimits,
    stop: CancellationToken,
    grace: Duration,
) {
    let slots = Slots::default();
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = slots.take(peer.ip(), limits.per_address) else {
            tracing::warn!("connection refused: too many open connections from one address");
            drop(stream);
            continue;
        };
        let router = router.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _slot = slot;
            let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                router.clone().oneshot(req)
            });
            let mut b = Builder::new(TokioExecutor::new());
            b.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            b.http2().timer(TokioTimer::new()).keep_alive_interval(Some(limits.header_timeout));
            if let Err(e) = watcher.watch(b.serve_connection(TokioIo::new(stream), svc)).await {
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    let open = graceful.count();
    tracing::info!(connections = open, "no longer accepting; finishing requests in flight");
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(grace_secs = grace.as_secs(), "requests still running after the grace period were cut off");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_the_slots_come_back() {
        let s = Slots::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let a = s.take(ip, 2).unwrap();
        let _b = s.take(ip, 2).unwrap();
        assert!(s.take(ip, 2).is_none());
        assert!(s.take("192.0.2.2".parse().unwrap(), 2).is_some());
        drop(a);
        assert!(s.take(ip, 2).is_some());
        assert!(s.take(ip, 0).is_some(), "0 means no limit");
    }
}
