//! Webhooks against a real HTTP receiver on loopback (issue 12): signed per
//! Standard Webhooks, every event exactly once across an outage, a slow
//! receiver holding up nobody else, a case's events in order, the old secret
//! signing during a rotation, a receiver failing for five days switched off.
use crate::helpers::{file_case, TestApp};
use crate::platform_api::Api;
use base64::Engine;
use hmac::{Hmac, Mac};
use redline_store::entity::{notification, webhook_attempt, webhook_delivery};
use redline_store::seed::DEMO_API_KEY;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use server::webhook::Sender;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

on_both_backends!(
    standard_webhooks_signature_verifies_with_the_endpoints_secret,
    a_receiver_down_then_up_gets_every_event_exactly_once_in_case_order,
    a_slow_receiver_does_not_hold_up_another_endpoint,
    a_rotated_secret_signs_beside_the_old_one_for_24_hours,
    an_endpoint_failing_for_five_days_is_switched_off_and_its_owner_told,
    escalation_a_tip_and_a_nearing_deadline_are_announced_without_personal_data,
    a_delivery_is_replayed_from_the_page_by_its_owner_only,
);

#[derive(Clone, Debug)]
pub struct Got {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

/// A webhook receiver on loopback: answers `status` after `delay_ms`, and
/// records what it answered 2xx to (and everything it saw).
pub struct Receiver {
    pub url: String,
    pub status: Arc<AtomicU16>,
    pub delay_ms: Arc<AtomicU64>,
    pub accepted: Arc<Mutex<Vec<Got>>>,
    pub seen: Arc<Mutex<Vec<Got>>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let status = Arc::new(AtomicU16::new(200));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let accepted: Arc<Mutex<Vec<Got>>> = Default::default();
        let seen: Arc<Mutex<Vec<Got>>> = Default::default();
        let (s, d, a, sn) = (status.clone(), delay_ms.clone(), accepted.clone(), seen.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let (s, d, a, sn) = (s.clone(), d.clone(), a.clone(), sn.clone());
                async move {
                    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let got = Got {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body,
                    };
                    sn.lock().unwrap().push(got.clone());
                    tokio::time::sleep(std::time::Duration::from_millis(d.load(Ordering::SeqCst))).await;
                    let code = s.load(Ordering::SeqCst);
                    if (200..300).contains(&code) {
                        a.lock().unwrap().push(got);
                    }
                    (axum::http::StatusCode::from_u16(code).unwrap(), "received")
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, status, delay_ms, accepted, seen }
    }
    pub fn accepted(&self) -> Vec<Got> {
        self.accepted.lock().unwrap().clone()
    }
}

/// Registers an endpoint over the API: (id, secret).
pub async fn register(app: &TestApp, url: &str, events: &[&str]) -> (i64, String) {
    let r = Api::new(app, DEMO_API_KEY).post("/api/v1/webhooks", json!({ "url": url, "events": events }), &[]).await;
    assert_eq!(r.status, 201, "{}", r.json);
    (r.json["id"].as_i64().unwrap(), r.json["secret"].as_str().unwrap().to_owned())
}

/// The receiver's check, written from the Standard Webhooks specification.
fn verifies(secret: &str, g: &Got) -> bool {
    let key = base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", g.id, g.timestamp, g.body).as_bytes());
    let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    g.signature.split(' ').any(|s| s == expected)
}

fn sender() -> Sender {
    Sender::new(true)
}

async fn standard_webhooks_signature_verifies_with_the_endpoints_secret(app: TestApp) {
    let rx = Receiver::start().await;
    let (_, secret) = register(&app, &rx.url, &["case.created"]).await;
    assert!(secret.starts_with("whsec_"));
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    // Test time runs on, so the stamp is bounded by the send's start and end.
    let before = app.store().now().timestamp();
    assert_eq!(sender().run_once(app.store()).await, (1, 0));
    let after = app.store().now().timestamp();
    let got = rx.accepted();
    assert_eq!(got.len(), 1);
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "case.created");
    assert_eq!(body["data"]["case_no"], case_no.as_str());
    let stamp: i64 = got[0].timestamp.parse().unwrap();
    assert!((before..=after).contains(&stamp), "{before} <= {stamp} <= {after}");
    assert!(verifies(&secret, &got[0]), "the signature verifies");
    let mut forged = got[0].clone();
    forged.body = forged.body.replace("case.created", "case.escalated");
    assert!(!verifies(&secret, &forged), "the control: a changed body does not");
    // Thin: no narrative, no consumer.
    assert!(!got[0].body.contains("consumer") && !got[0].body.contains("narrative"));
}

async fn a_receiver_down_then_up_gets_every_event_exactly_once_in_case_order(app: TestApp) {
    let rx = Receiver::start().await;
    register(&app, &rx.url, &["*"]).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let a = file_case(&consumer).await;
    let b = file_case(&consumer).await;
    // Each filing: created, three state changes, preservation requested.
    let api = Api::new(&app, DEMO_API_KEY);
    api.post(&format!("/api/v1/cases/{a}/actions"), json!({ "event": "PLATFORM_INTERVENE" }), &[]).await;
    let total = webhook_delivery::Entity::find().count(&app.store().db).await.unwrap();
    assert_eq!(total, 11, "5 + 5 + 1 state change");
    rx.status.store(503, Ordering::SeqCst);
    // Down: one attempt per case (later events of a case wait behind the first).
    assert_eq!(sender().run_once(app.store()).await, (0, 2));
    assert_eq!(sender().run_once(app.store()).await, (0, 0), "not due again yet");
    app.running.time.advance(10);
    assert_eq!(sender().run_once(app.store()).await, (0, 2), "retried after 5 s, failing again");
    rx.status.store(200, Ordering::SeqCst);
    // Up, but the first events wait 300 s now: the later ones must wait behind them.
    app.running.time.advance(70);
    assert_eq!(sender().run_once(app.store()).await, (0, 0), "nothing overtakes a case's first event");
    let mut rounds = 0;
    // Up: each run moves past the backoff (5 s, then at once).
    while webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq("PENDING"))
        .count(&app.store().db)
        .await
        .unwrap()
        > 0
    {
        app.move_to(&format!("2026-11-23 10:{:02}", 6 + rounds));
        sender().run_once(app.store()).await;
        rounds += 1;
        assert!(rounds < 20, "drained");
    }
    let got = rx.accepted();
    let mut ids: Vec<&str> = got.iter().map(|g| g.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (11, 11), "every event, each exactly once");
    let seqs = |case: &str| -> Vec<i64> {
        got.iter()
            .map(|g| serde_json::from_str::<Value>(&g.body).unwrap())
            .filter(|v| v["data"]["case_no"] == case && v["type"] == "case.state_changed")
            .map(|v| v["data"]["seq"].as_i64().unwrap())
            .collect()
    };
    // Seq 4 is the preservation request, which changes no state.
    assert_eq!(seqs(&a), vec![1, 2, 3, 5], "case A's changes in order");
    assert_eq!(seqs(&b), vec![1, 2, 3]);
    let attempts = webhook_attempt::Entity::find().count(&app.store().db).await.unwrap();
    assert_eq!(attempts, 15, "four refused, eleven accepted");
    assert_eq!(rx.seen.lock().unwrap().len(), 15, "the receiver saw each attempt");
}

async fn a_slow_receiver_does_not_hold_up_another_endpoint(app: TestApp) {
    let (slow, fast) = (Receiver::start().await, Receiver::start().await);
    slow.delay_ms.store(3000, Ordering::SeqCst);
    register(&app, &slow.url, &["case.created"]).await;
    register(&app, &fast.url, &["case.created"]).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    let started = std::time::Instant::now();
    let tasks = sender().tick(app.store()).await;
    assert_eq!(tasks.len(), 2, "one task per endpoint");
    while fast.accepted().is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(started.elapsed().as_millis() < 2500, "the fast receiver waited for the slow one");
    }
    assert!(slow.accepted().is_empty(), "the slow one is still answering");
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(slow.accepted().len(), 1);
}

async fn a_rotated_secret_signs_beside_the_old_one_for_24_hours(app: TestApp) {
    let rx = Receiver::start().await;
    let (id, old) = register(&app, &rx.url, &["case.created"]).await;
    let api = Api::new(&app, DEMO_API_KEY);
    let r = api.post(&format!("/api/v1/webhooks/{id}/rotate-secret"), json!({}), &[]).await;
    let new = r.json["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    api.post(&format!("/api/v1/webhooks/{id}/test"), json!({}), &[]).await;
    sender().run_once(app.store()).await;
    let g = rx.accepted().pop().unwrap();
    assert_eq!(g.signature.split(' ').count(), 2);
    assert!(verifies(&old, &g) && verifies(&new, &g));
    app.move_to("2026-11-24 10:01");
    api.post(&format!("/api/v1/webhooks/{id}/test"), json!({}), &[]).await;
    sender().run_once(app.store()).await;
    let g = rx.accepted().pop().unwrap();
    assert_eq!(g.signature.split(' ').count(), 1);
    assert!(verifies(&new, &g) && !verifies(&old, &g), "the old secret is done after a day");
}

async fn an_endpoint_failing_for_five_days_is_switched_off_and_its_owner_told(app: TestApp) {
    let rx = Receiver::start().await;
    rx.status.store(500, Ordering::SeqCst);
    let (id, _) = register(&app, &rx.url, &["*"]).await;
    let api = Api::new(&app, DEMO_API_KEY);
    let mut day = 23;
    let mut disabled = false;
    // A test event a day: each fails; the first failure starts the record.
    for i in 0..7 {
        if i > 0 {
            app.advance_days(1);
        }
        api.post(&format!("/api/v1/webhooks/{id}/test"), json!({}), &[]).await;
        sender().run_once(app.store()).await;
        disabled = !api.get(&format!("/api/v1/webhooks/{id}")).await.json["enabled"].as_bool().unwrap();
        if disabled {
            break;
        }
        day += 1;
    }
    assert!(disabled);
    assert_eq!(day, 28, "five days after the first failure on the 23rd");
    let told = notification::Entity::find()
        .filter(notification::Column::Kind.eq("WEBHOOK_DISABLED"))
        .order_by_asc(notification::Column::Id)
        .all(&app.store().db)
        .await
        .unwrap();
    assert_eq!(told.len(), 1, "the platform's one administrator, once");
    assert!(told[0].body.contains(&rx.url));
    // Switched off, it is sent nothing; switched on again, it resumes.
    rx.status.store(200, Ordering::SeqCst);
    app.move_to("2026-11-30 10:00");
    assert_eq!(sender().run_once(app.store()).await, (0, 0));
    api.post(&format!("/api/v1/webhooks/{id}/enable"), json!({}), &[]).await;
    let (ok, failed) = sender().run_once(app.store()).await;
    assert_eq!((ok, failed), (1, 0), "one per subject at a time: the oldest test event first");
}

async fn kinds(app: &TestApp) -> Vec<String> {
    webhook_delivery::Entity::find()
        .order_by_asc(webhook_delivery::Column::Id)
        .all(&app.store().db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.event_type)
        .collect()
}

async fn escalation_a_tip_and_a_nearing_deadline_are_announced_without_personal_data(app: TestApp) {
    let rx = Receiver::start().await;
    register(&app, &rx.url, &["case.escalated", "tip.received", "case.deadline_approaching"]).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let escalated = crate::helpers::escalated_case(&app, &consumer).await;
    let (tip_no, _) =
        crate::tips::file(&app.client(), "主播宣称“三天美白”，但商品并无相关功效证明。", "zhao6.secret@example.com")
            .await;
    let pending = file_case(&consumer).await;
    assert_eq!(
        kinds(&app).await,
        vec!["case.escalated", "tip.received"],
        "the rest is not what the endpoint asked for"
    );
    // D4 (three working days, Mon 23rd → Thu 26th) of both cases: 75 % spent on Thursday.
    app.move_to("2026-11-26 10:00");
    server::jobs::notify(app.store()).await.unwrap();
    let approaching = || async {
        webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EventType.eq("case.deadline_approaching"))
            .order_by_asc(webhook_delivery::Column::Id)
            .all(&app.store().db)
            .await
            .unwrap()
            .into_iter()
            .map(|d| {
                let v: Value = serde_json::from_str(&d.payload).unwrap();
                format!(
                    "{} {} {}",
                    v["data"]["case_no"].as_str().unwrap(),
                    v["data"]["clock"].as_str().unwrap(),
                    v["data"]["due_on"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(approaching().await, vec![format!("{escalated} D4 2026-11-26"), format!("{pending} D4 2026-11-26")]);
    // D1 of the pending case (Mon 23rd → Mon 30th, five working days): 80 % spent on Friday.
    app.move_to("2026-11-27 10:00");
    server::jobs::notify(app.store()).await.unwrap();
    assert_eq!(approaching().await.last().unwrap(), &format!("{pending} D1 2026-11-30"));
    assert_eq!(kinds(&app).await.len(), 5);
    // One per case a round: two rounds.
    assert_eq!(sender().run_once(app.store()).await, (3, 0));
    assert_eq!(sender().run_once(app.store()).await, (2, 0));
    let got: Vec<Value> = rx.accepted().iter().map(|g| serde_json::from_str(&g.body).unwrap()).collect();
    assert_eq!(got.len(), 5);
    assert_eq!(
        (got[0]["data"]["case_no"].as_str(), got[0]["data"]["to"].as_str()),
        (Some(escalated.as_str()), Some("ESCALATED_TO_REGULATOR"))
    );
    assert_eq!(got[1]["data"]["tip_no"], tip_no.as_str());
    let all = rx.accepted().iter().map(|g| g.body.clone()).collect::<String>();
    for secret in ["zhao6.secret", "举报人赵六", "consumer@demo", "李消费", "13800"] {
        assert!(!all.contains(secret), "{secret} reached a webhook");
    }
}

async fn a_delivery_is_replayed_from_the_page_by_its_owner_only(app: TestApp) {
    let rx = Receiver::start().await;
    let (id, _) = register(&app, &rx.url, &["case.created"]).await;
    let consumer = app.signed_in("consumer@demo.redline").await;
    file_case(&consumer).await;
    sender().run_once(app.store()).await;
    let d = webhook_delivery::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(d.status, "DELIVERED");
    let path = format!("/do/webhooks/{id}/deliveries/{}/replay", d.id);
    consumer.post_form(&path, &[]).await;
    let still = webhook_delivery::Entity::find_by_id(d.id).one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(still.status, "DELIVERED", "not the consumer's to replay");
    let staff = app.signed_in("platform@demo.redline").await;
    let page = staff.get("/org/integrations").await;
    assert!(page.body.contains(&format!("data-delivery=\"{}\"", d.msg_id)), "listed on the page");
    staff.post_form(&path, &[]).await;
    sender().run_once(app.store()).await;
    let got = rx.accepted();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, got[1].id, "the same webhook-id: the receiver can tell");
    assert_eq!(webhook_attempt::Entity::find().count(&app.store().db).await.unwrap(), 2);
}
