//! The parties a platform reports (Order 117 Arts. 8–9, 15, 25), over the API
//! in bulk and in the app one at a time, and what the public sees of them.
use crate::helpers::{error_fields, TestApp};
use redline_store::entity::{live_room, marketer, mcn, operator, party_change};
use redline_store::seed::DEMO_API_KEY;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

on_both_backends!(
    order117_art9_a_platform_reports_its_parties_in_bulk_and_a_resend_changes_nothing,
    order117_art15_a_change_reported_after_7_working_days_is_recorded_late,
    a_bulk_report_names_every_bad_item_and_writes_nothing,
    ten_thousand_rooms_in_one_call,
    order117_art25_the_room_page_shows_a_natural_person_by_account_name_and_city_and_the_session_marketers,
    platform_staff_report_a_party_in_the_app_and_keep_typed_values,
);

/// A valid credit code from its first 17 characters (GB 32100-2015).
pub fn code(first17: &str) -> String {
    let b: [u8; 17] = first17.as_bytes().try_into().unwrap();
    format!("{first17}{}", redline_rules::credit_code::check_char(&b).unwrap())
}

pub async fn report(app: &TestApp, body: &Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/parties", app.url))
        .bearer_auth(DEMO_API_KEY)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

pub fn batch() -> Value {
    json!({
        "mcns": [{ "id": "mcn-1", "name": "杭州星火网络科技有限公司", "credit_code": code("91330106MA2H0K1L3"),
                   "address": "浙江省杭州市西湖区文三路90号", "region": "330106" }],
        "operators": [
            { "id": "op-1", "kind": "LEGAL_PERSON", "name": "杭州新店电子商务有限公司", "credit_code": code("91330105MA2C0DE4B"),
              "displayed_address": "浙江省杭州市拱墅区莫干山路1号", "displayed_region": "330105", "business_region": "330105",
              "contact": "0571-86000000",
              "licences": [{ "name": "食品经营许可证", "number": "JY13301050000001", "valid_until": "2029-06-30" }] },
            { "id": "op-2", "kind": "UNREGISTERED_PERSON", "name": "李小红", "masked_id": "330106********1234",
              "business_address": "浙江省杭州市西湖区文一路1号", "business_region": "330106", "contact": "13800000000", "mcn": "mcn-1" }
        ],
        "marketers": [
            { "id": "host-1", "name": "小新", "account": "xiaoxin_live", "mcn": "mcn-1", "identity_ref": "VR-0001" },
            { "id": "host-2", "name": "虚拟主播阿星", "account": "axing_ai", "is_virtual": true }
        ],
        "rooms": [
            { "id": "XH-2001", "name": "新店好物", "url": "https://live.xinghe.example/room/XH-2001", "operator": "op-1" },
            { "id": "XH-2002", "name": "小红的店", "url": "https://live.xinghe.example/room/XH-2002", "operator": "op-2" }
        ]
    })
}

async fn changes(app: &TestApp) -> u64 {
    party_change::Entity::find().count(&app.store().db).await.unwrap()
}

async fn order117_art9_a_platform_reports_its_parties_in_bulk_and_a_resend_changes_nothing(app: TestApp) {
    let (status, out) = report(&app, &batch()).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["mcns"], json!({ "created": 1, "updated": 0, "unchanged": 0 }));
    assert_eq!(out["operators"], json!({ "created": 2, "updated": 0, "unchanged": 0 }));
    assert_eq!(out["marketers"], json!({ "created": 2, "updated": 0, "unchanged": 0 }));
    assert_eq!(out["rooms"], json!({ "created": 2, "updated": 0, "unchanged": 0 }));
    assert_eq!(out["late"], 0);
    assert_eq!(changes(&app).await, 7);
    let db = &app.store().db;
    let op2 = operator::Entity::find().filter(operator::Column::PlatformRef.eq("op-2")).one(db).await.unwrap().unwrap();
    let m = mcn::Entity::find().filter(mcn::Column::PlatformRef.eq("mcn-1")).one(db).await.unwrap().unwrap();
    assert_eq!(
        (op2.kind.as_str(), op2.mcn_id, op2.masked_id.as_deref()),
        ("UNREGISTERED_PERSON", Some(m.id), Some("330106********1234"))
    );
    let op1 = operator::Entity::find().filter(operator::Column::PlatformRef.eq("op-1")).one(db).await.unwrap().unwrap();
    assert_eq!(op1.domicile_region.as_deref(), Some("330105"), "a registered operator's domicile is its code's region");
    let host =
        marketer::Entity::find().filter(marketer::Column::PlatformRef.eq("host-1")).one(db).await.unwrap().unwrap();
    assert_eq!(host.mcn_id, Some(m.id));

    // The same report again: nothing written, nothing recorded.
    let (status, again) = report(&app, &batch()).await;
    assert_eq!(status, 200);
    for k in ["mcns", "operators", "marketers", "rooms"] {
        assert_eq!(again[k]["created"].as_u64().unwrap() + again[k]["updated"].as_u64().unwrap(), 0, "{k}: {again}");
    }
    assert_eq!(again["rooms"]["unchanged"], 2);
    assert_eq!(changes(&app).await, 7);

    // One room renamed and moved to the other operator: one update, one record.
    let mut b = batch();
    b["rooms"][0]["name"] = "新店好物（旗舰）".into();
    b["rooms"][0]["operator"] = "op-2".into();
    let (_, out) = report(&app, &b).await;
    assert_eq!(out["rooms"], json!({ "created": 0, "updated": 1, "unchanged": 1 }));
    assert_eq!(changes(&app).await, 8);
    let room = live_room::Entity::find()
        .filter(live_room::Column::PlatformRoomId.eq("XH-2001"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((room.display_name.as_str(), room.operator_id), ("新店好物（旗舰）", op2.id));
}

async fn order117_art15_a_change_reported_after_7_working_days_is_recorded_late(app: TestApp) {
    // Learned Tuesday 2026-11-10: due Thursday 2026-11-19; reported Monday 2026-11-23 → late.
    // Learned Friday 2026-11-20: due Monday 2026-12-01 → on time.
    let b = json!({
        "mcns": [],
        "operators": [{ "id": "op-9", "kind": "LEGAL_PERSON", "name": "迟报公司", "credit_code": code("91330105MA2C0DE4C"),
                        "learned_at": "2026-11-10T10:00:00+08:00" }],
        "rooms": [{ "id": "XH-2009", "name": "迟报直播间", "url": "https://live.xinghe.example/room/XH-2009", "operator": "op-9",
                    "learned_at": "2026-11-20T10:00:00+08:00" }]
    });
    let (status, out) = report(&app, &b).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["late"], 1);
    let rows = party_change::Entity::find().order_by_asc(party_change::Column::Id).all(&app.store().db).await.unwrap();
    let flags: Vec<(&str, bool)> = rows.iter().map(|r| (r.party_kind.as_str(), r.late)).collect();
    assert_eq!(flags, vec![("OPERATOR", true), ("ROOM", false)]);
    // The regulator sees the late report; the platform sees its own history.
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get("/regulator/late-reports").await;
    assert!(page.body.contains("迟报公司") || page.body.contains("op-9"), "{}", page.body);
    assert_eq!(page.body.matches("data-late-report").count(), 1);
}

async fn a_bulk_report_names_every_bad_item_and_writes_nothing(app: TestApp) {
    let before = operator::Entity::find().count(&app.store().db).await.unwrap();
    let mut b = batch();
    b["operators"][0]["credit_code"] = "91330105MA2C0DE4B".into();
    b["marketers"][1]["id"] = "host 2".into();
    b["rooms"][1]["url"] = "javascript:alert(1)".into();
    let (status, body) = report(&app, &b).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), vec!["marketers[1].id", "operators[0].credit_code", "rooms[1].url"]);
    assert!(body["error"]["fields"]["operators[0].credit_code"]["zh"].as_str().unwrap().contains("统一社会信用代码"));
    // References to IDs the platform never reported, and a duplicate ID.
    let mut b = batch();
    b["rooms"][0]["operator"] = "op-404".into();
    b["marketers"][0]["mcn"] = "mcn-404".into();
    b["rooms"][1]["id"] = "XH-2001".into();
    let (status, body) = report(&app, &b).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), vec!["rooms[1].id"]);
    b["rooms"][1]["id"] = "XH-2002".into();
    let (status, body) = report(&app, &b).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_fields(&body), vec!["marketers[0].mcn", "rooms[0].operator"]);
    assert_eq!(operator::Entity::find().count(&app.store().db).await.unwrap(), before, "all or nothing");
    assert_eq!(changes(&app).await, 0);
    // No key, no report.
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/parties", app.url))
        .json(&batch())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

async fn ten_thousand_rooms_in_one_call(app: TestApp) {
    let rooms: Vec<Value> = (0..10_000)
        .map(|i| json!({ "id": format!("R-{i:05}"), "name": format!("直播间{i}"), "url": format!("https://live.xinghe.example/room/R-{i:05}"), "operator": "op-1" }))
        .collect();
    let mut b = batch();
    b["rooms"] = Value::Array(rooms);
    let t = std::time::Instant::now();
    let (status, out) = report(&app, &b).await;
    let first = t.elapsed();
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["rooms"]["created"], 10_000);
    let t = std::time::Instant::now();
    let (_, again) = report(&app, &b).await;
    let second = t.elapsed();
    assert_eq!(again["rooms"]["unchanged"], 10_000);
    let n = live_room::Entity::find().filter(live_room::Column::PlatformId.eq(1)).count(&app.store().db).await.unwrap();
    assert_eq!(n, 10_001, "the seed's room and the 10,000");
    assert_eq!(changes(&app).await, 1 + 2 + 2 + 10_000);
    // Printed for the record (debug build); `./dev bench` measures release builds.
    println!("10,000-room upsert: first {first:?}, resend {second:?}");
}

async fn order117_art25_the_room_page_shows_a_natural_person_by_account_name_and_city_and_the_session_marketers(
    app: TestApp,
) {
    assert_eq!(report(&app, &batch()).await.0, 200);
    let session = json!({ "room": "XH-2002", "platform_session_id": "S-XH-2002-1", "started_at": "2026-11-22T12:00:00Z",
                          "ended_at": "2026-11-22T14:00:00Z", "marketers": ["host-1", "host-2"] });
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/sessions", app.url))
        .bearer_auth(DEMO_API_KEY)
        .json(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let mut unknown = session.clone();
    unknown["marketers"] = json!(["host-404"]);
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/sessions", app.url))
        .bearer_auth(DEMO_API_KEY)
        .json(&unknown)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let room = live_room::Entity::find()
        .filter(live_room::Column::PlatformRoomId.eq("XH-2002"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let page = app.client().get(&format!("/rooms/{}", room.id)).await;
    assert!(page.body.contains("小红的店"), "the account name");
    // The city by its name (from the agency whose area it is), not its code.
    assert!(page.body.contains("<dt>所在地区</dt><dd>杭州市</dd>"), "the city");
    assert!(!page.body.contains("330100"), "not the raw division code");
    for private in ["李小红", "13800000000", "文一路", "330106********1234"] {
        assert!(!page.body.contains(private), "{private} is not public");
    }
    assert_eq!(page.body.matches("data-marketer=").count(), 2);
    assert!(
        page.body.contains("小新")
            && page.body.contains("虚拟主播阿星")
            && page.body.contains("杭州星火网络科技有限公司")
    );
    assert!(!page.body.contains("VR-0001"), "the identity reference stays with the platform");
    // A registered business is shown as disclosed.
    let r1 = live_room::Entity::find()
        .filter(live_room::Column::PlatformRoomId.eq("XH-2001"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let page = app.client().get(&format!("/rooms/{}", r1.id)).await;
    assert!(page.body.contains("杭州新店电子商务有限公司") && page.body.contains("莫干山路1号"));
    assert!(page.body.contains("食品经营许可证 · JY13301050000001 · 有效期至 2029-06-30"), "its licence (Art. 25 ¶1)");
}

async fn platform_staff_report_a_party_in_the_app_and_keep_typed_values(app: TestApp) {
    let staff = app.signed_in("platform@demo.redline").await;
    let bad = staff
        .post_form(
            "/do/platforms/1/parties/operator",
            &[
                ("id", "op-7"),
                ("kind", "LEGAL_PERSON"),
                ("name", "<b>手工录入公司</b>"),
                ("credit_code", "91330105MA2C0DE4B"),
            ],
        )
        .await;
    assert!(bad.url.starts_with("/platform/parties"), "{}", bad.url);
    assert!(bad.body.contains("统一社会信用代码应为18位"), "the field's message");
    let kept = bad.body.split("name=\"name\"").nth(1).unwrap_or_default().chars().take(80).collect::<String>();
    assert!(kept.contains("手工录入公司") && !bad.body.contains("<b>手工"), "the typed name is kept, escaped: {kept}");
    let code = code("91330105MA2C0DE4B");
    let ok = staff
        .post_form(
            "/do/platforms/1/parties/operator",
            &[
                ("id", "op-7"),
                ("kind", "LEGAL_PERSON"),
                ("name", "手工录入公司"),
                ("credit_code", &code),
                ("learned_at", "2026-11-02T09:00"),
            ],
        )
        .await;
    assert!(ok.body.contains("已记为迟报"), "late: learned 2026-11-02, due 2026-11-11");
    assert!(ok.body.contains("手工录入公司"), "listed among the platform's changes");
    let row = party_change::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!((row.channel.as_str(), row.late), ("staff", true));
    // Another platform's staff cannot report for this one.
    let other = staff.post_form("/do/platforms/2/parties/operator", &[("id", "x")]).await;
    assert!(other.body.contains("无权"), "{}", other.url);
}
