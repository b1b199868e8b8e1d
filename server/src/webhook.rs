//! The webhook sender: claims due deliveries (`store::api::deliveries`),
//! posts each, signed, to its endpoint, and records the attempt. Endpoints
//! are served side by side, each by one task at a time, so a slow or dead
//! receiver never holds up another's events; within one endpoint a case's
//! events go out in order (the store holds a later one back). Without
//! `REDLINE_WEBHOOK_ALLOW_LOCAL`, an endpoint resolving to a loopback,
//! private or link-local address is refused, and redirects are not followed.
use redline_store::api::deliveries::{self, Attempt};
use redline_store::api::webhooks;
use redline_store::entity::{webhook_delivery as delivery, webhook_endpoint as endpoint};
use redline_store::Store;
use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A receiver gets this long to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Leased this long: a crashed sender's deliveries are taken up again after it.
const LEASE_SECS: i64 = 60;
const BATCH: u64 = 100;

#[derive(Clone)]
pub struct Sender {
    allow_local: bool,
    timeout: Duration,
    /// Endpoints with a task running: not claimed for again until it ends.
    busy: Arc<Mutex<HashSet<i64>>>,
}

fn public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| !public_address(IpAddr::V4(v4))))
        }
    }
}

impl Sender {
    pub fn new(allow_local: bool) -> Sender {
        Sender { allow_local, timeout: TIMEOUT, busy: Default::default() }
    }

    /// With a shorter answer time (tests of slow receivers).
    pub fn with_timeout(mut self, t: Duration) -> Sender {
        self.timeout = t;
        self
    }

    /// Claims what is due and starts a task per endpoint; returns the tasks.
    pub async fn tick(&self, store: &Store) -> Vec<tokio::task::JoinHandle<(usize, usize)>> {
        let claimed = match deliveries::claim(store, BATCH, chrono::Duration::seconds(LEASE_SECS)).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "webhooks: claim failed");
                return Vec::new();
            }
        };
        let mut by_endpoint: BTreeMap<i64, (endpoint::Model, Vec<delivery::Model>)> = BTreeMap::new();
        for (d, ep) in claimed {
            by_endpoint.entry(ep.id).or_insert_with(|| (ep, Vec::new())).1.push(d);
        }
        let mut tasks = Vec::new();
        for (id, (ep, ds)) in by_endpoint {
            if !self.busy.lock().expect("busy set").insert(id) {
                // Its task still runs; the leases lapse and these are claimed again later.
                continue;
            }
            let (me, store) = (self.clone(), store.clone());
            tasks.push(tokio::spawn(async move {
                let r = me.serve_endpoint(&store, &ep, ds).await;
                me.busy.lock().expect("busy set").remove(&id);
                r
            }));
        }
        tasks
    }

    /// One tick, waiting for every task: (delivered, failed).
    pub async fn run_once(&self, store: &Store) -> (usize, usize) {
        let mut total = (0, 0);
        for t in self.tick(store).await {
            if let Ok((ok, failed)) = t.await {
                total.0 += ok;
                total.1 += failed;
            }
        }
        total
    }

    /// Sends an endpoint's deliveries in order; stops at the first failure of
    /// a subject so its later events wait behind it.
    async fn serve_endpoint(&self, store: &Store, ep: &endpoint::Model, ds: Vec<delivery::Model>) -> (usize, usize) {
        let (mut ok, mut failed) = (0, 0);
        let mut stalled: HashSet<String> = HashSet::new();
        let client = match self.client_for(&ep.url).await {
            Ok(c) => Some(c),
            Err(why) => {
                for d in &ds {
                    self.record(
                        store,
                        d,
                        ep,
                        Attempt { status_code: None, error: Some(why.clone()), excerpt: String::new(), took_ms: 0 },
                    )
                    .await;
                }
                return (0, ds.len());
            }
        };
        let client = client.expect("set above");
        for d in ds {
            if stalled.contains(&d.subject) {
                continue;
            }
            let a = self.send(&client, store, ep, &d).await;
            if a.succeeded() {
                ok += 1;
            } else {
                failed += 1;
                stalled.insert(d.subject.clone());
            }
            self.record(store, &d, ep, a).await;
        }
        (ok, failed)
    }

    async fn record(&self, store: &Store, d: &delivery::Model, ep: &endpoint::Model, a: Attempt) {
        let jitter = rand::random::<f64>() * 2.0 - 1.0;
        if let Err(e) = deliveries::record(store, d, ep, a, jitter).await {
            tracing::warn!(delivery = d.id, error = %e, "webhooks: recording an attempt failed");
        }
    }

    /// A client for this URL: its host resolved and checked once, and pinned,
    /// so a second lookup cannot point elsewhere.
    async fn client_for(&self, url: &str) -> Result<reqwest::Client, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("bad URL: {e}"))?;
        let host = parsed.host_str().ok_or("no host")?.to_owned();
        let port = parsed.port_or_known_default().ok_or("no port")?;
        let mut b = reqwest::Client::builder()
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Redline-Webhooks/1");
        if !self.allow_local {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
                .await
                .map_err(|e| format!("cannot resolve {host}: {e}"))?
                .collect();
            let addr = addrs
                .iter()
                .copied()
                .find(|a| public_address(a.ip()))
                .ok_or_else(|| format!("{host} resolves to no public address"))?;
            if addrs.iter().any(|a| !public_address(a.ip())) {
                return Err(format!("{host} resolves to a private address"));
            }
            b = b.resolve(&host, addr);
        }
        b.build().map_err(|e| e.to_string())
    }

    async fn send(
        &self,
        client: &reqwest::Client,
        store: &Store,
        ep: &endpoint::Model,
        d: &delivery::Model,
    ) -> Attempt {
        let now = store.now();
        let ts = now.timestamp();
        let started = Instant::now();
        let res = client
            .post(&ep.url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.msg_id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", webhooks::signatures(ep, &d.msg_id, ts, &d.payload, now))
            .body(d.payload.clone())
            .send()
            .await;
        let took_ms = started.elapsed().as_millis() as i64;
        match res {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.bytes().await.unwrap_or_default();
                let excerpt = String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned();
                Attempt { status_code: Some(status), error: None, excerpt, took_ms }
            }
            Err(e) => {
                let why = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
                Attempt { status_code: None, error: Some(why), excerpt: String::new(), took_ms }
            }
        }
    }
}

/// Sends every `secs` seconds, without waiting for slow receivers; at the
/// shutdown, the sends under way are awaited (bounded by the grace period).
pub fn spawn(store: Store, sender: Sender, secs: u64, shutdown: &crate::shutdown::Shutdown) {
    let stop = shutdown.clone();
    shutdown.spawn(async move {
        let every = Duration::from_secs(secs.max(1));
        let mut running = Vec::new();
        let mut next = tokio::time::Instant::now();
        while stop.sleep_until(next).await {
            running.retain(|t: &tokio::task::JoinHandle<(usize, usize)>| !t.is_finished());
            running.extend(sender.tick(&store).await);
            next = tokio::time::Instant::now() + every;
        }
        for t in running {
            let _ = t.await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::public_address;

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(!public_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["1.1.1.1", "114.114.114.114", "2400:3200::1"] {
            assert!(public_address(ip.parse().unwrap()), "{ip}");
        }
    }
}
