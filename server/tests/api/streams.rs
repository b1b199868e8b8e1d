//! Live sessions and products: reported over the platform API and in the app,
//! and the moment of a complaint pinned to a session (Order 117 Arts. 16, 32).
use crate::helpers::{case_row, complaint_form, error_fields, post_complaint, preservation_of, TestApp};
use redline_store::entity::{stream_product, stream_session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    clock_time_inside_a_session_is_pinned_with_its_offset,
    offset_in_a_picked_session_gives_the_clock_time_and_product,
    order117_art16_the_place_is_read_in_one_statement_and_each_mistake_named,
    platform_api_reports_sessions_with_its_key_idempotently,
    platform_api_refuses_bad_reports_with_localized_field_errors,
    platform_staff_report_sessions_in_the_app_and_keep_typed_values,
);

async fn clock_time_inside_a_session_is_pinned_with_its_offset(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let session = stream_session::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    let t = (session.started_at + chrono::Duration::minutes(75)).with_timezone(&chrono_tz::Asia::Shanghai);
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "session"); // found by its time alone
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
    form.retain(|(k, _)| *k != "session");
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
    // Order 117 Art. 16: a moment past the end of the picked session is a
    // mistake to correct, said with the session's times; nothing is filed and
    // what was typed comes back.
    let filed = || async { redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap() };
    let before = filed().await;
    let mut late = form.clone();
    late.retain(|(k, _)| !matches!(*k, "offset" | "product_id" | "product"));
    late.push(("offset", "05:00:00".into()));
    late.push(("product", "燕窝".into()));
    let p = post_complaint(&c, &late, &[]).await;
    assert!(p.url.starts_with("/me/new"), "refused: {}", p.url);
    assert!(p.body.contains("该时刻不在所选场次内"), "said why");
    assert!(p.body.contains("value=\"05:00:00\""), "the offset typed is kept");
    // A clock time after the session ended, likewise.
    let end = session.ended_at.expect("the demo session has ended").with_timezone(&chrono_tz::Asia::Shanghai);
    let mut after = form.clone();
    after.retain(|(k, _)| !matches!(*k, "offset" | "moment_kind"));
    after.push(("moment_kind", "clock".into()));
    after.push(("clock", (end + chrono::Duration::minutes(30)).format("%Y-%m-%dT%H:%M").to_string()));
    let p = post_complaint(&c, &after, &[]).await;
    assert!(p.url.starts_with("/me/new") && p.body.contains("该时刻不在所选场次内"), "{}", p.url);
    assert_eq!(filed().await, before, "nothing filed");
}

/// The usual form (room by its ID, a session of it) is read in one joined
/// statement; what it does not find is looked up a statement at a time, so a
/// room given by its address still files and each mistake is named.
async fn order117_art16_the_place_is_read_in_one_statement_and_each_mistake_named(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let filed = || async { redline_store::entity::complaint::Entity::find().count(&app.store().db).await.unwrap() };
    let with = |changes: &[(&'static str, &str)]| {
        let mut form = complaint_form("1");
        form.retain(|(k, _)| !changes.iter().any(|(c, _)| c == k));
        form.extend(changes.iter().map(|(k, v)| (*k, v.to_string())));
        form
    };
    // The room by its address (a shared link with a query), the session of it.
    let p = post_complaint(&c, &with(&[("room", "https://live.xinghe.example/room/XH-8801/?from=share")]), &[]).await;
    assert!(p.url.starts_with("/cases/LC-"), "filed by the room's address: {}", p.url);
    let m = case_row(&app, p.url.trim_start_matches("/cases/")).await;
    assert_eq!((m.live_room_id, m.stream_session_id, m.stream_offset_s), (1, Some(1), Some(2530)));
    assert_eq!(filed().await, 1);
    // A session of another room (the demo session is XH-8801's), and one that does not exist.
    let other_room = with(&[("platform", "2"), ("room", "YG-1024")]);
    let unknown = with(&[("session", "999999")]);
    for (form, what) in [(other_room, "another room's session"), (unknown, "an unknown session")] {
        let p = post_complaint(&c, &form, &[]).await;
        assert!(p.url.starts_with("/me/new"), "{what} refused: {}", p.url);
        assert!(p.body.contains("该场次不属于此直播间"), "{what}: said why");
    }
    // A room the platform does not have; a platform that does not exist.
    let p = post_complaint(&c, &with(&[("room", "YG-1024")]), &[]).await;
    assert!(p.body.contains("在该平台上未找到此直播间"), "no such room on platform 1: {}", p.url);
    assert!(p.body.contains("value=\"YG-1024\""), "the room typed is kept");
    let p = post_complaint(&c, &with(&[("platform", "99")]), &[]).await;
    assert!(p.url.starts_with("/me/new") && p.body.contains("请选择平台"), "no such platform: {}", p.url);
    assert_eq!(filed().await, 1, "nothing more filed");
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
    let page = staff.post_form("/do/orgs/platform/1/keys", &[("name", "直播中台"), ("scopes", "sessions:write")]).await;
    let new_key = crate::helpers::new_key_on(&page.body);
    assert!(new_key.starts_with("rk_"), "key shown once: {new_key}");
    assert!(!staff.get("/org/integrations").await.body.contains(&new_key), "shown only once");
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
    assert_eq!(ok.body.matches("场次已报送。").count(), 1, "said once");
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
