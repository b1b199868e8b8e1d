//! Black-box tests of issue 3: live sessions and products, the evidence vault,
//! replay preservation (Order 117 Art. 16) and the tamper-evident history; each
//! on SQLite and on PostgreSQL.
use crate::helpers::{
    case_row, complaint_form, error_fields, escalated_case, file_case, register, Backend, Client, TestApp,
};
use redline_store::entity::{case_event, clock, evidence, preservation_request, stream_product, stream_session};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

on_both_backends!(
    order117_art16_filing_opens_a_preservation_request_on_d4,
    clock_time_inside_a_session_is_pinned_with_its_offset,
    offset_in_a_picked_session_gives_the_clock_time_and_product,
    platform_api_reports_sessions_with_its_key_idempotently,
    platform_api_refuses_bad_reports_with_localized_field_errors,
    platform_staff_report_sessions_in_the_app_and_keep_typed_values,
    evidence_is_sniffed_hashed_stored_once_and_served_without_metadata,
    evidence_follows_case_visibility,
    order117_art16_platform_confirms_preservation_and_d4_stops,
    order117_art16_retention_shorter_than_three_years_is_refused,
    order117_art16_missed_d4_is_flagged_on_the_regulator_view_once,
    tampering_with_one_event_is_reported_where_the_chain_breaks,
    evidence_can_be_attached_when_filing,
);

/// A JPEG whose EXIF block carries a location and a device serial.
fn jpeg_with_exif() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let exif = b"Exif\0\0GPS 30.27N 120.15E SN-PHONE-4711";
    b.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    b.extend_from_slice(exif);
    b.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x05, 0x00, 0x01, 0x02]);
    b.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
    b
}

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

async fn post_complaint(
    c: &Client,
    form: &[(&'static str, String)],
    files: &[(&str, &str, Vec<u8>)],
) -> crate::helpers::Page {
    let p: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_multipart("/do/complaints", &p, files).await
}

async fn preservation_of(app: &TestApp, case_no: &str) -> preservation_request::Model {
    let m = case_row(app, case_no).await;
    preservation_request::Entity::find()
        .filter(preservation_request::Column::CaseId.eq(m.id))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("a preservation request")
}

async fn d4(app: &TestApp, case_no: &str) -> clock::Model {
    let m = case_row(app, case_no).await;
    clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D4"))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("a D4 clock")
}

async fn order117_art16_filing_opens_a_preservation_request_on_d4(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await; // offset 00:42:10, no session picked
    let p = preservation_of(&app, &case_no).await;
    assert_eq!(p.status, "PENDING");
    assert_eq!((p.from_offset_s, p.to_offset_s), (Some(2530 - 300), Some(2530 + 300)), "moment ± 5 minutes");
    assert_eq!(p.session_id, None);
    let k = d4(&app, &case_no).await;
    assert_eq!(k.status, "RUNNING");
    let due = redline_rules::calendar::Calendar::official()
        .deadline(app.store().today(), 3, redline_rules::calendar::CalendarKind::Working)
        .due;
    assert_eq!(k.due_on, due, "3 working days by default");
    let page = c.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("id=\"preservation\""), "request shown on the dossier");
    assert!(page.body.contains("data-known=\"false\""), "session unknown is flagged, not refused");
}

async fn clock_time_inside_a_session_is_pinned_with_its_offset(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let session = stream_session::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let t = (session.started_at + chrono::Duration::minutes(75)).with_timezone(&chrono_tz::Asia::Shanghai);
    let mut form = complaint_form("1");
    form[2].1 = "clock".into();
    form.push(("clock", t.format("%Y-%m-%dT%H:%M").to_string()));
    let p = post_complaint(&c, &form, &[]).await;
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let m = case_row(&app, &case_no).await;
    assert_eq!(m.stream_session_id, Some(session.id));
    let expect = (chrono::DateTime::parse_from_rfc3339(&t.format("%Y-%m-%dT%H:%M:00%:z").to_string()).unwrap()
        - session.started_at.fixed_offset())
    .num_seconds();
    assert_eq!(m.stream_offset_s, Some(expect), "offset = clock time − session start");
    assert!(p.body.contains("data-known=\"true\""));
    let pr = preservation_of(&app, &case_no).await;
    assert_eq!(pr.session_id, Some(session.id));
    assert_eq!(pr.from_at.map(|f| (m.stream_clock_at.unwrap() - f).num_seconds()), Some(300));
}

async fn offset_in_a_picked_session_gives_the_clock_time_and_product(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let session = stream_session::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let product = stream_product::Entity::find()
        .filter(stream_product::Column::Sku.eq("SKU-1001"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    // The room page lists the session and its products, and links to the form.
    let room = c.get("/rooms/find?platform=1&room=XH-8801").await;
    assert!(room.url.starts_with("/rooms/"), "room lookup lands on the room page: {}", room.url);
    assert!(room.body.contains("SKU-1001") && room.body.contains("划线价"), "products with Art. 32 facts");
    let form_page = c.get(&format!("/me/new?session={}", session.id)).await;
    assert!(form_page.body.contains("id=\"session-box\"") && form_page.body.contains("燕窝礼盒"));
    let mut form: Vec<(&'static str, String)> =
        complaint_form("1").into_iter().filter(|(k, _)| *k != "product").collect();
    form.push(("session", session.id.to_string()));
    form.push(("product_id", product.id.to_string()));
    form.push(("product", String::new()));
    let p = post_complaint(&c, &form, &[]).await;
    assert!(p.url.starts_with("/cases/"), "filed: {}", p.url);
    let m = case_row(&app, p.url.trim_start_matches("/cases/")).await;
    assert_eq!(m.stream_session_id, Some(session.id));
    assert_eq!(m.stream_clock_at, Some(session.started_at + chrono::Duration::seconds(2530)));
    assert_eq!(m.product_id, Some(product.id));
    assert_eq!(m.product_name, product.name, "the picked product's name is used");
    assert!(p.body.contains("id=\"picked-product\""));
    // An offset past the end of the session is kept, flagged "session unknown".
    let mut late = form.clone();
    late.retain(|(k, _)| !matches!(*k, "offset" | "product_id" | "product"));
    late.push(("offset", "05:00:00".into()));
    late.push(("product", "燕窝".into()));
    let p = post_complaint(&c, &late, &[]).await;
    let m = case_row(&app, p.url.trim_start_matches("/cases/")).await;
    assert_eq!((m.stream_session_id, m.stream_offset_s), (None, Some(5 * 3600)));
}

async fn report(app: &TestApp, key: Option<&str>, body: serde_json::Value) -> (u16, serde_json::Value) {
    let mut r = reqwest::Client::new().post(format!("{}/api/v1/platform/sessions", app.url)).json(&body);
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

fn session_json(psid: &str, price: i64) -> serde_json::Value {
    serde_json::json!({
        "room": "XH-8801",
        "platform_session_id": psid,
        "started_at": "2026-11-20T12:00:00Z",
        "ended_at": "2026-11-20T15:00:00Z",
        "replay_ref": "replay://xinghe/XH-8801/20261120",
        "products": [
            { "sku": "SKU-9", "name": "胶原蛋白饮品", "displayed_price_fen": price, "reference_price_fen": 99900,
              "discount_basis": "品牌建议零售价", "claims": "三天美白" }
        ]
    })
}

async fn platform_api_reports_sessions_with_its_key_idempotently(app: TestApp) {
    let key = redline_store::seed::DEMO_API_KEY;
    assert_eq!(report(&app, None, session_json("S-1", 29900)).await.0, 401);
    assert_eq!(report(&app, Some("rk_wrong"), session_json("S-1", 29900)).await.0, 401);
    let (status, body) = report(&app, Some(key), session_json("S-1", 29900)).await;
    assert_eq!(status, 201, "{body}");
    let (status, again) = report(&app, Some(key), session_json("S-1", 19900)).await;
    assert_eq!(status, 200, "a retry updates");
    assert_eq!(body["session_id"], again["session_id"]);
    let n = stream_session::Entity::find()
        .filter(stream_session::Column::PlatformSessionId.eq("S-1"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let p = stream_product::Entity::find()
        .filter(stream_product::Column::Sku.eq("SKU-9"))
        .all(&app.store().db)
        .await
        .unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].displayed_price_fen, 19900);
    // A key issued in the app works too, and is stored only as a hash.
    let staff = app.signed_in("platform@demo.redline").await;
    let page = staff.post_form("/do/platforms/1/apikey", &[]).await;
    let new_key = page.body.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
    assert!(new_key.starts_with("rk_"), "key shown once: {new_key}");
    assert!(!staff.get("/platform/sessions").await.body.contains(&new_key), "shown only once");
    assert_eq!(report(&app, Some(&new_key), session_json("S-2", 100)).await.0, 201);
    let stored: Vec<String> = redline_store::entity::platform_api_key::Entity::find()
        .all(&app.store().db)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.key_hash)
        .collect();
    assert!(!stored.iter().any(|h| h == &new_key));
}

async fn platform_api_refuses_bad_reports_with_localized_field_errors(app: TestApp) {
    let key = redline_store::seed::DEMO_API_KEY;
    let mut j = session_json("S-3", 100);
    j["room"] = "YG-1024".into(); // a room of another platform
    let (status, body) = report(&app, Some(key), j).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_input");
    assert_eq!(error_fields(&body), ["room"]);
    assert!(body["error"]["fields"]["room"]["zh"].as_str().unwrap().contains("直播间"));
    let mut j = session_json("S-3", 100);
    j["products"][0]["discount_basis"] = serde_json::Value::Null;
    let (status, body) = report(&app, Some(key), j).await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["products"]["en"].as_str().unwrap().contains("Art. 32"));
    let mut j = session_json("S-3", 100);
    j["ended_at"] = "2026-11-20T11:00:00Z".into();
    assert_eq!(
        report(&app, Some(key), j).await.1["error"]["fields"]["ended_at"]["en"],
        "The end cannot be before the start"
    );
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/sessions", app.url))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["error"]["code"].as_str(), error_fields(&body)), (Some("bad_request"), vec!["body".to_owned()]));
}

async fn platform_staff_report_sessions_in_the_app_and_keep_typed_values(app: TestApp) {
    let staff = app.signed_in("platform@demo.redline").await;
    let bad = staff
        .post_form(
            "/do/platforms/1/sessions",
            &[("room", "XH-8801"), ("started_at", ""), ("products", "SKU-7 | 面膜 | 59 | 199 | 专柜价 | 祛斑")],
        )
        .await;
    assert!(bad.body.contains("请填写开播时间"), "error shown");
    assert!(bad.body.contains("SKU-7 | 面膜 | 59 | 199 | 专柜价 | 祛斑"), "typed products kept");
    let ok = staff
        .post_form(
            "/do/platforms/1/sessions",
            &[
                ("room", "XH-8801"),
                ("started_at", "2026-11-21T20:00"),
                ("ended_at", "2026-11-21T22:30"),
                ("products", "SKU-7 | 面膜 | 59 | 199 | 专柜价 | 祛斑"),
            ],
        )
        .await;
    assert!(ok.body.contains("data-sku=\"SKU-7\""), "reported session listed");
    // Another platform's staff cannot report for this platform.
    let consumer = app.signed_in("consumer@demo.redline").await;
    let p = consumer
        .post_form("/do/platforms/1/sessions", &[("room", "XH-8801"), ("started_at", "2026-11-21T20:00")])
        .await;
    // Refused (the page it lands on shows nothing to a non-member either way;
    // the row count below is what proves it).
    assert!(p.body.contains("仅平台工作人员"), "told it is for platform staff");
    assert_eq!(stream_session::Entity::find().count(&app.store().db).await.unwrap(), 2);
}

async fn upload(
    c: &Client,
    case_no: &str,
    role: &str,
    extra: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
) -> crate::helpers::Page {
    let mut p = vec![("role", role)];
    p.extend_from_slice(extra);
    c.post_multipart(&format!("/do/cases/{case_no}/evidence"), &p, files).await
}

async fn evidence_is_sniffed_hashed_stored_once_and_served_without_metadata(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let jpeg = jpeg_with_exif();
    let page = upload(
        &c,
        &case_no,
        "consumer",
        &[("clip_start", "00:42:00"), ("clip_end", "00:43:30"), ("note", "主播口播截图")],
        &[("files", "../../etc/passwd.jpg", jpeg.clone())],
    )
    .await;
    assert!(page.body.contains("passwd.jpg") && page.body.contains("00:42:00–00:43:30"), "listed with its clip");
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.sha256, sha(&jpeg));
    assert_eq!((e.kind.as_str(), e.mime.as_str(), e.file_name.as_str()), ("IMAGE", "image/jpeg", "passwd.jpg"));
    assert_eq!((e.offset_start_s, e.offset_end_s), (Some(2520), Some(2610)));
    // Stored under its content address, never under the name it came with.
    let dir = std::path::PathBuf::from(&app.running_config().evidence_dir);
    assert!(dir.join(&e.sha256[..2]).join(&e.sha256[2..4]).join(&e.sha256).exists());
    assert!(!dir.join("etc").exists() && !dir.parent().unwrap().join("etc").exists());
    // Shown as a metadata-free copy; the original is kept byte for byte.
    let shown = c.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(shown.headers()["content-type"], "image/jpeg");
    assert_eq!(shown.headers()["x-content-type-options"], "nosniff");
    let shown = shown.bytes().await.unwrap();
    assert!(!shown.windows(3).any(|w| w == b"GPS") && !shown.windows(9).any(|w| w == b"SN-PHONE-"));
    let orig = c.http.get(format!("{}/evidence/{}/original", app.url, e.id)).send().await.unwrap();
    assert!(orig.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(orig.bytes().await.unwrap().to_vec(), jpeg);
    // The same file again is a second record of the same blob.
    upload(&c, &case_no, "consumer", &[], &[("files", "again.jpg", jpeg.clone())]).await;
    let rows = evidence::Entity::find().all(&app.store().db).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sha256, rows[1].sha256);
    // Each upload is a chained case event.
    let m = case_row(&app, &case_no).await;
    let added = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m.id))
        .filter(case_event::Column::EventType.eq("EVIDENCE_ADDED"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(added, 2);
}

async fn evidence_follows_case_visibility(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    upload(&c, &case_no, "consumer", &[], &[("files", "chat.txt", "客服：不退不换".as_bytes().to_vec())]).await;
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.kind, "CHAT");
    let operator = app.signed_in("operator@demo.redline").await;
    let op_page = operator.get(&format!("/cases/{case_no}")).await;
    assert!(op_page.body.contains("chat.txt"), "the operator of the room sees it");
    let r = operator.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"), "text is never rendered");
    // A different consumer and an agency not (yet) handling it see nothing.
    let other = app.client();
    register(&app, &other, "王五", "wang5@example.com").await;
    let r = other.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404, "what a viewer may not see does not exist for them");
    let reg = app.signed_in("regulator@demo.redline").await;
    assert_eq!(reg.http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(
        app.client().http.get(format!("{}/evidence/{}", app.url, e.id)).send().await.unwrap().status().as_u16(),
        401
    );
    // Closing the case sets how long its evidence is kept: three years, a policy term (no law
    // fixes one for the portal's case file; it matches the three years of Order 117 Art. 16).
    c.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    let e = evidence::Entity::find_by_id(e.id).one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(e.retain_until, Some(redline_rules::retention::min_retain_until(app.store().today())));
    // The operator cannot upload as the consumer.
    upload(&operator, &case_no, "consumer", &[], &[("files", "x.txt", b"hello".to_vec())]).await;
    assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), 1);
}

async fn order117_art16_platform_confirms_preservation_and_d4_stops(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let staff = app.signed_in("platform@demo.redline").await;
    let page = staff.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("id=\"preservation-form\""), "platform staff may answer");
    assert!(
        !c.get(&format!("/cases/{case_no}")).await.body.contains("id=\"preservation-form\""),
        "the consumer may not"
    );
    let until = (app.store().today() + chrono::Duration::days(3 * 366)).to_string();
    let p = staff
        .post_form(
            &format!("/do/cases/{case_no}/preservation"),
            &[("decision", "confirm"), ("replay_ref", "replay://xinghe/XH-8801/clip-42"), ("retain_until", &until)],
        )
        .await;
    assert!(p.body.contains("data-status=\"CONFIRMED\""), "confirmed on the page");
    assert_eq!(d4(&app, &case_no).await.status, "STOPPED");
    let again = staff
        .post_form(&format!("/do/cases/{case_no}/preservation"), &[("decision", "decline"), ("reason", "已答复过了")])
        .await;
    assert!(again.body.contains("已答复"), "a second answer is refused");
    // Over the API, with the platform's key: a decline with its reason.
    let case2 = file_case(&c).await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/cases/{case2}/preservation", app.url))
        .bearer_auth(redline_store::seed::DEMO_API_KEY)
        .json(&serde_json::json!({ "decision": "decline", "reason": "该场次未开启录制" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let pr = preservation_of(&app, &case2).await;
    assert_eq!((pr.status.as_str(), pr.answer.as_deref()), ("DECLINED", Some("该场次未开启录制")));
}

async fn order117_art16_retention_shorter_than_three_years_is_refused(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let staff = app.signed_in("platform@demo.redline").await;
    let soon = (app.store().today() + chrono::Duration::days(365)).to_string();
    let p = staff
        .post_form(
            &format!("/do/cases/{case_no}/preservation"),
            &[("decision", "confirm"), ("replay_ref", "replay://x"), ("retain_until", &soon)],
        )
        .await;
    assert!(p.body.contains("至少三年"), "refused with the reason");
    assert!(p.body.contains("replay://x"), "typed values kept");
    assert_eq!(preservation_of(&app, &case_no).await.status, "PENDING");
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/cases/{case_no}/preservation", app.url))
        .bearer_auth(redline_store::seed::DEMO_API_KEY)
        .json(&serde_json::json!({ "decision": "confirm", "replay_ref": "r", "retain_until": soon }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(error_fields(&body), ["retain_until"]);
    assert!(body["error"]["message"]["en"].is_string());
}

async fn order117_art16_missed_d4_is_flagged_on_the_regulator_view_once(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &c).await;
    app.advance_days(10);
    let (a, b) = tokio::join!(
        redline_store::case::sweep::sweep(app.store(), 100),
        redline_store::case::sweep::sweep(app.store(), 100)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.expired + b.expired >= 1);
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    let pr = preservation_of(&app, &case_no).await;
    assert!(pr.overdue && pr.status == "PENDING");
    let m = case_row(&app, &case_no).await;
    assert!(m.preservation_overdue);
    let flagged = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m.id))
        .filter(case_event::Column::EventType.eq("PRESERVATION_OVERDUE"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(flagged, 1, "flagged exactly once");
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator").await;
    let row =
        q.body.split(&format!("data-case=\"{case_no}\"")).nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    assert!(row.contains("回放保全逾期"), "flag on the regulator's queue: {row}");
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("data-overdue=\"true\""));
}

async fn tampering_with_one_event_is_reported_where_the_chain_breaks(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &c).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let (status, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!(status, 200);
    assert_eq!(j["intact"], true);
    let n = j["events"].as_u64().unwrap();
    assert!(n >= 8, "{j}");
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("data-intact=\"true\""));
    // Someone with database access rewrites the operator's answer.
    let m = case_row(&app, &case_no).await;
    app.store()
        .db
        .execute_unprepared(&format!(
            "UPDATE case_events SET payload_json = '{{\"type\":\"PLATFORM_DECIDE\",\"offer\":\"FULL\"}}' WHERE case_id = {} AND seq = 5",
            m.id
        ))
        .await
        .unwrap();
    let (_, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!(j["intact"], false);
    assert_eq!(j["broken_at_seq"], 5);
    assert_eq!(j["problem"], "CONTENT_ALTERED");
    let page = reg.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-broken-at=\"5\""), "the case page shows where");
    // Deleting an event shows as a gap.
    app.store()
        .db
        .execute_unprepared(&format!("DELETE FROM case_events WHERE case_id = {} AND seq = 3", m.id))
        .await
        .unwrap();
    let (_, j) = reg.json(&format!("/api/v1/cases/{case_no}/chain")).await;
    assert_eq!((j["broken_at_seq"].as_i64(), j["problem"].as_str()), (Some(4), Some("SEQUENCE_GAP")));
    // Removing the newest events is caught by the head kept on the case.
    let case2 = file_case(&c).await;
    let m2 = case_row(&app, &case2).await;
    app.store()
        .db
        .execute_unprepared(&format!("DELETE FROM case_events WHERE case_id = {} AND seq >= 3", m2.id))
        .await
        .unwrap();
    let (_, j) = c.json(&format!("/api/v1/cases/{case2}/chain")).await;
    assert_eq!(j["problem"], "TRUNCATED", "{j}");
    // Not a party: no verification.
    let other = app.signed_in("regulator2@demo.redline").await;
    assert_eq!(other.json(&format!("/api/v1/cases/{case_no}/chain")).await.0, 404);
}

async fn evidence_can_be_attached_when_filing(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let pdf = b"%PDF-1.4\n% test report\n".to_vec();
    let p = post_complaint(&c, &complaint_form("1"), &[("evidence", "检测报告.pdf", pdf.clone())]).await;
    assert!(p.url.starts_with("/cases/"));
    assert!(p.body.contains("检测报告.pdf"));
    let e = evidence::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!((e.kind.as_str(), e.uploaded_role.as_str()), ("PDF", "consumer"));
    // A bad file refuses the whole filing and keeps what was typed.
    let before = redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap();
    let p = post_complaint(&c, &complaint_form("1"), &[("evidence", "report.pdf", b"MZ\x90\0binary".to_vec())]).await;
    assert!(p.url.starts_with("/me/new"));
    assert!(p.body.contains("不支持的文件类型") && p.body.contains("胶原蛋白饮品 30瓶装"));
    assert_eq!(redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap(), before);
}

/// Limits are configuration; these run with small ones (1 MiB a file, 2 MiB a case).
mod limits {
    use super::*;

    async fn small(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |c| {
            c.evidence_max_file = 1 << 20;
            c.evidence_max_case = 2 << 20;
        })
        .await
    }

    async fn rejected(app: TestApp) {
        let c = app.signed_in("consumer@demo.redline").await;
        let case_no = file_case(&c).await;
        let note = [("note", "保留这段说明"), ("clip_start", "00:01:00"), ("clip_end", "00:02:00")];
        // Wrong magic bytes, whatever the name says.
        let p =
            upload(&c, &case_no, "consumer", &note, &[("files", "photo.jpg", b"MZ\x90\0\x03\0\0\0".to_vec())]).await;
        assert!(p.body.contains("不支持的文件类型"), "localized reason");
        assert!(p.body.contains("保留这段说明"), "the note is kept");
        // Too large for one file.
        let big = [vec![0xFF, 0xD8, 0xFF], vec![0u8; (1 << 20) + 10]].concat();
        let p = upload(&c, &case_no, "consumer", &note, &[("files", "big.jpg", big)]).await;
        assert!(p.body.contains("超过单个文件 1 MiB"), "names the limit");
        assert!(p.body.contains("保留这段说明"));
        // A bad clip range.
        let p = upload(
            &c,
            &case_no,
            "consumer",
            &[("clip_start", "00:05:00"), ("clip_end", "00:01:00")],
            &[("files", "a.txt", b"hi".to_vec())],
        )
        .await;
        assert!(p.body.contains("片段结束时间不能早于开始时间"));
        // The per-case total.
        let chunk = |n: u8| [b"%PDF-".to_vec(), vec![n; 900 << 10]].concat();
        upload(&c, &case_no, "consumer", &[], &[("files", "1.pdf", chunk(1))]).await;
        upload(&c, &case_no, "consumer", &[], &[("files", "2.pdf", chunk(2))]).await;
        let p = upload(&c, &case_no, "consumer", &[], &[("files", "3.pdf", chunk(3))]).await;
        assert!(p.body.contains("本案证据总量已达上限"), "per-case limit");
        assert_eq!(evidence::Entity::find().count(&app.store().db).await.unwrap(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_rejected_uploads_say_why_and_keep_the_form() {
        rejected(small(Backend::Sqlite).await).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_rejected_uploads_say_why_and_keep_the_form() {
        rejected(small(Backend::Postgres).await).await
    }
}
