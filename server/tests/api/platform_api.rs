//! The platform API (issue 12): a platform (or operator) works its side of
//! cases and tips with its key alone; scopes, idempotent writes and the
//! filing form's one-time token. Each check on SQLite and on PostgreSQL.
use crate::helpers::{case_row, complaint_form, file_case, TestApp};
use redline_store::api::keys::{insert, KeyOrg, Scope};
use redline_store::entity::{complaint, idempotency, platform_api_key};
use redline_store::seed::DEMO_API_KEY;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both_backends!(
    order117_art20_a_platform_runs_its_side_of_a_case_with_its_key_alone,
    order117_art12_a_platform_answers_a_tip_over_the_api_without_seeing_the_reporter,
    keys_are_scoped_401_for_a_bad_key_403_for_a_missing_scope_404_for_anothers_case,
    the_case_list_filters_and_pages_by_an_opaque_cursor,
    an_idempotency_key_replays_refuses_another_body_and_expires_after_24_hours,
    the_filing_forms_one_time_token_files_a_resubmitted_complaint_once,
    the_export_streams_every_case_as_csv_and_jsonl,
    keys_are_issued_named_rotated_with_a_days_grace_and_revoked_on_the_page,
    order117_art20_an_operators_key_answers_for_its_own_rooms_only,
);

pub struct Api {
    pub base: String,
    pub key: String,
    pub http: reqwest::Client,
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Api {
    pub fn new(app: &TestApp, key: &str) -> Api {
        Api { base: app.client().base.clone(), key: key.to_owned(), http: reqwest::Client::new() }
    }
    async fn answer(r: reqwest::Response) -> Answer {
        let (status, headers) = (r.status().as_u16(), r.headers().clone());
        let text = r.text().await.unwrap();
        Answer { status, headers, json: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
    }
    pub async fn get(&self, path: &str) -> Answer {
        Self::answer(self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.key).send().await.unwrap()).await
    }
    pub async fn post(&self, path: &str, body: Value, headers: &[(&str, &str)]) -> Answer {
        let mut r = self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.key).json(&body);
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        Self::answer(r.send().await.unwrap()).await
    }
}

/// The actor a demo account acts as.
pub async fn actor_of(store: &redline_store::Store, email: &str) -> redline_store::Actor {
    use redline_store::entity::user;
    let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(&store.read).await.unwrap().unwrap();
    redline_store::account::auth::actor_for_user(store, u.id).await.unwrap().unwrap()
}

async fn key_with(app: &TestApp, platform: i64, scopes: &[Scope]) -> String {
    let key = format!("rk_test_{}", rand::random::<u64>());
    insert(&app.store().db, platform, KeyOrg::Platform(platform), "test", scopes, &key, None, app.store().now())
        .await
        .unwrap();
    key
}

async fn order117_art20_a_platform_runs_its_side_of_a_case_with_its_key_alone(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let api = Api::new(&app, DEMO_API_KEY);

    // It sees the new case in its list, and the dossier with its version as ETag.
    let list = api.get("/api/v1/cases?tier=operator").await;
    assert_eq!(list.status, 200);
    let nos: Vec<&str> = list.json["data"].as_array().unwrap().iter().map(|c| c["case_no"].as_str().unwrap()).collect();
    assert_eq!(nos, vec![case_no.as_str()]);
    let d = api.get(&format!("/api/v1/cases/{case_no}")).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.json["state"], "ROUTED_TO_OPERATOR");
    let v = d.json["version"].as_i64().unwrap();
    assert_eq!(d.headers["etag"], format!("\"{v}\"").as_str());
    assert_eq!(d.json["clocks"][0]["kind"], "D1");
    assert_eq!(d.json["clocks"][0]["due_on"], "2026-11-30", "D1: 5 working days from Mon 2026-11-23");
    assert!(d.json["allowed_actions"].as_array().unwrap().contains(&json!("PLATFORM_INTERVENE")));
    assert_eq!(d.json["timeline"].as_array().unwrap().len(), 4, "T1–T3 and the preservation request");

    // Preservation answered and evidence attached over the API.
    let p = api
        .post(
            &format!("/api/v1/cases/{case_no}/preservation"),
            json!({ "decision": "confirm", "replay_ref": "replay://xh/8801/2026-11-20", "retain_until": "2029-12-31" }),
            &[],
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.json);
    let form = reqwest::multipart::Form::new().text("note", "平台调取的订单截图").part(
        "files",
        reqwest::multipart::Part::bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).file_name("order.png"),
    );
    let r = api
        .http
        .post(format!("{}/api/v1/cases/{case_no}/evidence", api.base))
        .bearer_auth(DEMO_API_KEY)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let ev: Value = r.json().await.unwrap();
    assert_eq!(ev["data"][0]["uploaded_role"], "platform");
    assert_eq!(ev["data"][0]["sha256"].as_str().unwrap().len(), 64);

    // Intervene, then decide; a stale version is 412 and changes nothing.
    let v = api.get(&format!("/api/v1/cases/{case_no}")).await.json["version"].as_i64().unwrap();
    let stale = format!("\"{}\"", v - 1);
    let refused = api
        .post(
            &format!("/api/v1/cases/{case_no}/actions"),
            json!({ "event": "PLATFORM_INTERVENE" }),
            &[("if-match", &stale)],
        )
        .await;
    assert_eq!(refused.status, 412, "{}", refused.json);
    assert_eq!(refused.json["error"]["code"], "stale_version");
    let fresh = format!("\"{v}\"");
    let ok = api
        .post(
            &format!("/api/v1/cases/{case_no}/actions"),
            json!({ "event": "PLATFORM_INTERVENE" }),
            &[("if-match", &fresh)],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.json);
    assert_eq!(ok.json["state"], "PLATFORM_INTERVENTION");
    // The state machine's refusal, in both languages.
    let wrong =
        api.post(&format!("/api/v1/cases/{case_no}/actions"), json!({ "event": "PLATFORM_INTERVENE" }), &[]).await;
    assert_eq!(wrong.status, 409);
    assert!(wrong.json["error"]["message"]["zh"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    let bad = api.post(&format!("/api/v1/cases/{case_no}/actions"), json!({ "event": "PLATFORM_DECIDE" }), &[]).await;
    assert_eq!((bad.status, crate::helpers::error_fields(&bad.json)), (422, vec!["offer".to_owned()]));
    let decided = api
        .post(
            &format!("/api/v1/cases/{case_no}/actions"),
            json!({ "event": "PLATFORM_DECIDE", "offer": "FULL", "message": "平台裁定全额退款" }),
            &[],
        )
        .await;
    assert_eq!(decided.status, 200, "{}", decided.json);
    assert_eq!(decided.json["state"], "CONSUMER_REVIEW");
    let row = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(&case_no))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.state, "CONSUMER_REVIEW");
    assert!(row.platform_decided);
}

async fn order117_art12_a_platform_answers_a_tip_over_the_api_without_seeing_the_reporter(app: TestApp) {
    let anon = app.client();
    let (tip_no, _) =
        crate::tips::file(&anon, "主播宣称“三天美白”，但商品并无相关功效证明。", "zhao6.secret@example.com").await;
    let api = Api::new(&app, DEMO_API_KEY);
    let list = api.get("/api/v1/tips?status=REVIEWING").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
    let one = api.get(&format!("/api/v1/tips/{tip_no}")).await;
    assert_eq!(one.status, 200);
    let text = one.json.to_string();
    assert!(text.contains("三天美白"), "the control: the tip's text is there");
    for secret in ["zhao6.secret", "举报人赵六", "reporter"] {
        assert!(
            !text.contains(secret) && !list.json.to_string().contains(secret),
            "{secret} must not reach the platform"
        );
    }
    let none = api.post(&format!("/api/v1/tips/{tip_no}/answer"), json!({ "answer": "measure" }), &[]).await;
    assert_eq!((none.status, crate::helpers::error_fields(&none.json)), (422, vec!["measure".to_owned()]));
    let done = api
        .post(
            &format!("/api/v1/tips/{tip_no}/answer"),
            json!({ "answer": "measure", "measure": "WARNING", "message": "已警示主播" }),
            &[],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.json);
    assert_eq!(done.json["platform_status"], "ACTION_TAKEN");
    assert_eq!(done.json["platform_measure"], "WARNING");
}

async fn keys_are_scoped_401_for_a_bad_key_403_for_a_missing_scope_404_for_anothers_case(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let bad = Api::new(&app, "rk_not_a_key").get("/api/v1/cases").await;
    assert_eq!((bad.status, bad.json["error"]["code"].as_str()), (401, Some("unauthorized")));
    let reader = Api::new(&app, &key_with(&app, 1, &[Scope::CasesRead]).await);
    assert_eq!(reader.get(&format!("/api/v1/cases/{case_no}")).await.status, 200, "the control: reading is in scope");
    let act =
        reader.post(&format!("/api/v1/cases/{case_no}/actions"), json!({ "event": "PLATFORM_INTERVENE" }), &[]).await;
    assert_eq!((act.status, act.json["error"]["code"].as_str()), (403, Some("insufficient_scope")));
    assert_eq!(reader.get("/api/v1/tips").await.status, 403);
    // Platform 2's key: our case does not exist for it, read or write.
    let other = Api::new(&app, &key_with(&app, 2, &Scope::ALL).await);
    assert_eq!(other.get(&format!("/api/v1/cases/{case_no}")).await.status, 404);
    let o =
        other.post(&format!("/api/v1/cases/{case_no}/actions"), json!({ "event": "PLATFORM_INTERVENE" }), &[]).await;
    assert_eq!((o.status, o.json["error"]["code"].as_str()), (404, Some("not_found")));
    assert_eq!(other.get("/api/v1/cases").await.json["data"].as_array().unwrap().len(), 0);
    // A revoked key is a bad key.
    platform_api_key::Entity::update_many()
        .col_expr(platform_api_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(app.store().now()))
        .filter(platform_api_key::Column::Name.eq("test"))
        .exec(&app.store().db)
        .await
        .unwrap();
    assert_eq!(reader.get("/api/v1/cases").await.status, 401);
}

async fn the_case_list_filters_and_pages_by_an_opaque_cursor(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut filed = Vec::new();
    for _ in 0..5 {
        filed.push(file_case(&consumer).await);
    }
    let api = Api::new(&app, DEMO_API_KEY);
    let mut seen = Vec::new();
    let mut path = "/api/v1/cases?limit=2&total=true".to_owned();
    let mut pages = 0;
    loop {
        let page = api.get(&path).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.json["total"], 5);
        pages += 1;
        seen.extend(page.json["data"].as_array().unwrap().iter().map(|c| c["case_no"].as_str().unwrap().to_owned()));
        match page.json["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/cases?limit=2&total=true&cursor={c}"),
            None => break,
        }
    }
    assert_eq!((pages, &seen), (3, &filed), "filing order, each once");
    assert_eq!(api.get("/api/v1/cases?tier=regulator").await.json["data"].as_array().unwrap().len(), 0);
    assert_eq!(
        api.get("/api/v1/cases?state=ROUTED_TO_OPERATOR&overdue=false").await.json["data"].as_array().unwrap().len(),
        5
    );
    assert_eq!(api.get("/api/v1/cases?overdue=true").await.json["data"].as_array().unwrap().len(), 0);
    assert_eq!(
        api.get("/api/v1/cases?updated_since=2026-11-24T00:00:00%2B08:00").await.json["data"].as_array().unwrap().len(),
        0
    );
    for bad in
        ["limit=501", "limit=0", "tier=mars", "state=NOPE", "cursor=%21%21", "overdue=maybe", "updated_since=yesterday"]
    {
        let r = api.get(&format!("/api/v1/cases?{bad}")).await;
        assert_eq!((r.status, r.json["error"]["code"].as_str()), (400, Some("bad_request")), "{bad}");
    }
}

async fn an_idempotency_key_replays_refuses_another_body_and_expires_after_24_hours(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let api = Api::new(&app, DEMO_API_KEY);
    let path = format!("/api/v1/cases/{case_no}/actions");
    let body = json!({ "event": "PLATFORM_INTERVENE" });
    let first = api.post(&path, body.clone(), &[("idempotency-key", "intervene-1")]).await;
    assert_eq!(first.status, 200);
    let again = api.post(&path, body.clone(), &[("idempotency-key", "intervene-1")]).await;
    assert_eq!((again.status, &again.json), (200, &first.json), "the same answer, not a 409 from the state machine");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let events = redline_store::entity::case_event::Entity::find()
        .filter(redline_store::entity::case_event::Column::EventType.eq("PLATFORM_INTERVENE"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(events, 1, "applied once");
    let other = api
        .post(&path, json!({ "event": "PLATFORM_DECIDE", "offer": "FULL" }), &[("idempotency-key", "intervene-1")])
        .await;
    assert_eq!((other.status, other.json["error"]["code"].as_str()), (422, Some("idempotency_key_reused")));
    // A first request still running: the duplicate is 409.
    let owner = format!("key:{}:{path}", &redline_store::api::keys::hash(DEMO_API_KEY)[..32]);
    redline_store::api::idempotency::begin(app.store(), &owner, "in-flight", "whatever").await.unwrap();
    let busy = api.post(&path, body.clone(), &[("idempotency-key", "in-flight")]).await;
    assert_eq!((busy.status, busy.json["error"]["code"].as_str()), (409, Some("idempotency_in_flight")));
    assert_eq!(idempotency::Entity::find().count(&app.store().db).await.unwrap(), 2);
    app.move_to("2026-11-24 10:01");
    server::jobs::housekeeping(app.store(), &app.running.vault).await.unwrap();
    assert_eq!(idempotency::Entity::find().count(&app.store().db).await.unwrap(), 0, "kept 24 hours");
}

async fn the_filing_forms_one_time_token_files_a_resubmitted_complaint_once(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let page = c.get("/me/new").await;
    let once = crate::helpers::hidden_of(&page.body, "once").expect("the form's one-time token");
    assert_eq!(once.len(), 32);
    let mut form = complaint_form("1");
    form.push(("once", once.clone()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) =
        tokio::join!(c.post_multipart("/do/complaints", &pairs, &[]), c.post_multipart("/do/complaints", &pairs, &[]));
    assert!(a.url.starts_with("/cases/LC-"), "{}", a.url);
    assert_eq!(a.url, b.url, "both land on the one case");
    let again = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert_eq!(again.url, a.url);
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 1);
    // A refused form keeps its token; corrected, it files.
    let mut bad = complaint_form("1");
    bad.retain(|(k, _)| *k != "narrative");
    let fresh = c.get("/me/new").await;
    let once2 = crate::helpers::hidden_of(&fresh.body, "once").expect("a fresh token");
    assert_ne!(once2, once);
    bad.push(("once", once2.clone()));
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert_eq!(refused.url, "/me/new");
    assert!(refused.body.contains(&format!("name=\"once\" value=\"{once2}\"")), "the token comes back with the form");
    let mut good = complaint_form("1");
    good.push(("once", once2));
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(c.post_multipart("/do/complaints", &pairs, &[]).await.url.starts_with("/cases/LC-"));
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 2);
    // A token an older release claimed and never answered is taken over, not refused.
    let me = case_row(&app, a.url.trim_start_matches("/cases/")).await.consumer_id;
    let legacy = "0123456789abcdef0123456789abcdef";
    let claimed = redline_store::api::idempotency::begin(app.store(), &format!("user:{me}"), legacy, "form").await;
    assert_eq!(claimed.unwrap(), redline_store::api::idempotency::Begin::Fresh);
    let mut old = complaint_form("1");
    old.push(("once", legacy.to_owned()));
    let pairs: Vec<(&str, &str)> = old.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let filed = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(filed.url.starts_with("/cases/LC-"), "{}", filed.url);
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 3);
    assert_eq!(c.post_multipart("/do/complaints", &pairs, &[]).await.url, filed.url, "then answered");
}

async fn the_export_streams_every_case_as_csv_and_jsonl(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let a = file_case(&consumer).await;
    let b = file_case(&consumer).await;
    let api = Api::new(&app, DEMO_API_KEY);
    let r =
        api.http.get(format!("{}/api/v1/cases/export.csv", api.base)).bearer_auth(DEMO_API_KEY).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("\u{feff}case_no,state,tier"), "BOM and header");
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with(&format!("{a},ROUTED_TO_OPERATOR,operator,")) && lines[2].starts_with(&b));
    let jl =
        api.http.get(format!("{}/api/v1/cases/export.jsonl", api.base)).bearer_auth(DEMO_API_KEY).send().await.unwrap();
    let text = jl.text().await.unwrap();
    let rows: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.iter().map(|r| r["case_no"].as_str().unwrap()).collect::<Vec<_>>(), vec![a.as_str(), b.as_str()]);
    let none = api
        .http
        .get(format!("{}/api/v1/cases/export.csv?tier=closed", api.base))
        .bearer_auth(DEMO_API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(none.text().await.unwrap().split("\r\n").filter(|l| !l.is_empty()).count(), 1, "the header alone");
}

async fn keys_are_issued_named_rotated_with_a_days_grace_and_revoked_on_the_page(app: TestApp) {
    let staff = app.signed_in("platform@demo.redline").await;
    let p = staff
        .post_form(
            "/do/orgs/platform/1/keys",
            &[("name", "客服系统"), ("scopes", "cases:read"), ("scopes", "cases:write")],
        )
        .await;
    assert_eq!(p.url, "/org/integrations");
    let key = crate::helpers::new_key_on(&p.body);
    assert!(key.starts_with("rk_"));
    let shown_again = staff.get("/org/integrations").await;
    assert!(!shown_again.body.contains(&key), "shown once");
    assert!(shown_again.body.contains("客服系统") && shown_again.body.contains(&key[..10]));
    let api = Api::new(&app, &key);
    assert_eq!(api.get("/api/v1/cases").await.status, 200);
    assert_eq!(api.get("/api/v1/tips").await.status, 403, "not in its scopes");
    let row = platform_api_key::Entity::find()
        .filter(platform_api_key::Column::Name.eq("客服系统"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.key_hash.len(), 64);
    assert!(row.last_used_at.is_some(), "last use recorded");
    // Without a scope the form is refused and keeps the name.
    let none = staff.post_form("/do/orgs/platform/1/keys", &[("name", "空权限")]).await;
    assert!(none.body.contains("请至少选择一项权限") && none.body.contains("value=\"空权限\""));
    // Rotation: a new key; the old one works for 24 hours more.
    let r = staff.post_form(&format!("/do/keys/{}/rotate", row.id), &[]).await;
    let new_key = crate::helpers::new_key_on(&r.body);
    assert_ne!(new_key, key);
    assert_eq!(api.get("/api/v1/cases").await.status, 200, "the old key within its grace");
    app.move_to("2026-11-24 10:01");
    assert_eq!(api.get("/api/v1/cases").await.status, 401, "the old key after it");
    let api2 = Api::new(&app, &new_key);
    assert_eq!(api2.get("/api/v1/cases").await.status, 200);
    let new_row = platform_api_key::Entity::find()
        .filter(platform_api_key::Column::Prefix.eq(&new_key[..10]))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    staff.post_form(&format!("/do/keys/{}/revoke", new_row.id), &[]).await;
    assert_eq!(api2.get("/api/v1/cases").await.status, 401);
    // Another platform's staff cannot touch these keys.
    let consumer = app.signed_in("consumer@demo.redline").await;
    let refused = consumer.post_form(&format!("/do/keys/{}/revoke", row.id), &[]).await;
    // Sent back to a page that is not theirs: 403, and the key untouched.
    assert_eq!((refused.status, refused.url.as_str()), (403, "/org/integrations"));
    assert!(platform_api_key::Entity::find_by_id(row.id)
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_none());
}

async fn order117_art20_an_operators_key_answers_for_its_own_rooms_only(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = redline_store::entity::operator::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let key = "rk_test_operator_key";
    insert(&app.store().db, 1, KeyOrg::Operator(op.id), "op", &Scope::OPERATOR, key, None, app.store().now())
        .await
        .unwrap();
    let api = Api::new(&app, key);
    let list = api.get("/api/v1/cases").await;
    assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
    let d = api.get(&format!("/api/v1/cases/{case_no}")).await;
    assert_eq!(d.json["allowed_actions"], json!(["OPERATOR_RESPOND"]));
    let step_in =
        api.post(&format!("/api/v1/cases/{case_no}/actions"), json!({ "event": "PLATFORM_INTERVENE" }), &[]).await;
    assert_eq!(step_in.status, 409, "the platform's step, refused by the state machine: {}", step_in.json);
    let answered = api
        .post(
            &format!("/api/v1/cases/{case_no}/actions"),
            json!({ "event": "OPERATOR_RESPOND", "offer": "PARTIAL", "message": "退一半" }),
            &[],
        )
        .await;
    assert_eq!((answered.status, answered.json["state"].as_str()), (200, Some("CONSUMER_REVIEW")), "{}", answered.json);
    let tips = api.get("/api/v1/tips").await;
    assert_eq!((tips.status, tips.json["error"]["code"].as_str()), (403, Some("insufficient_scope")));
    // Another operator's key sees nothing of it.
    let other = redline_store::entity::operator::Entity::find()
        .filter(redline_store::entity::operator::Column::Id.ne(op.id))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    insert(
        &app.store().db,
        1,
        KeyOrg::Operator(other.id),
        "op2",
        &Scope::OPERATOR,
        "rk_test_other_op",
        None,
        app.store().now(),
    )
    .await
    .unwrap();
    let stranger = Api::new(&app, "rk_test_other_op");
    assert_eq!(stranger.get(&format!("/api/v1/cases/{case_no}")).await.status, 404);
    assert_eq!(stranger.get("/api/v1/cases").await.json["data"].as_array().unwrap().len(), 0);
}

/// Checks that start their own app (its rate set low).
mod rate {
    use super::*;

    for_each_backend!(a_key_past_its_rate_is_told_when_to_retry);

    async fn a_key_past_its_rate_is_told_when_to_retry(backend: crate::helpers::Backend) {
        let app = TestApp::spawn_with(backend, |c| c.api_rate = 3).await;
        let api = Api::new(&app, DEMO_API_KEY);
        for _ in 0..3 {
            assert_eq!(api.get("/api/v1/cases").await.status, 200);
        }
        let r = api.get("/api/v1/cases").await;
        assert_eq!((r.status, r.json["error"]["code"].as_str()), (429, Some("rate_limited")));
        let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait));
        let other = Api::new(&app, &key_with(&app, 1, &[Scope::CasesRead]).await);
        assert_eq!(other.get("/api/v1/cases").await.status, 200, "per key");
        app.running.time.advance(wait as i64);
        assert_eq!(api.get("/api/v1/cases").await.status, 200, "a new minute");
    }
}
