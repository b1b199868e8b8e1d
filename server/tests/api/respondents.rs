//! Who a complaint names and who answers: the operator, a marketer (the
//! operator answers, Order 117 Art. 63), the platform itself or an MCN (the
//! platform answers; Order 121 Art. 13 decides the agency); and the
//! complainant's Order 121 Art. 10 details, asked at escalation.
use crate::helpers::{case_row, clock_of, complaint_form, post_complaint, state_of, TestApp, ESCALATION};
use crate::onboarding::create_agency;
use crate::parties::{batch, code, report};
use redline_store::entity::{case_event, live_room, marketer, mcn, platform, stream_session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

on_both_backends!(
    order121_art10_escalation_asks_the_complainants_details_and_respondents_see_the_name_only,
    order121_art13_a_complaint_against_the_platform_goes_to_the_platform_and_its_domicile,
    order117_art28_a_complaint_names_the_marketer_the_platform_reported_for_the_session,
    a_new_platform_and_agency_take_a_complaint_from_onboarding_to_escalation,
    the_regulator_filters_its_queue_by_marketer_and_mcn,
);

mod tips {
    for_each_backend!(order117_art47_tips_about_the_platform_an_mcn_or_a_marketer_go_to_their_agencies);
    use super::*;
}

fn field(form: &mut Vec<(&'static str, String)>, k: &'static str, v: &str) {
    form.retain(|(n, _)| *n != k);
    form.push((k, v.to_owned()));
}

async fn to_escalation_ready(
    app: &TestApp,
    consumer: &crate::helpers::Client,
    form: &[(&'static str, String)],
) -> String {
    let p = post_complaint(consumer, form, &[]).await;
    assert!(p.url.starts_with("/cases/"), "filed: {}", p.url);
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let row = case_row(app, &case_no).await;
    let plat_staff = if row.platform_id == 1 { "platform@demo.redline" } else { "boss@xinfeng.example" };
    let plat = app.signed_in(plat_staff).await;
    if state_of(app, &case_no).await != "PLATFORM_INTERVENTION" {
        plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    }
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "不支持")]).await;
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    assert_eq!(state_of(app, &case_no).await, "ESCALATION_READY");
    case_no
}

async fn order121_art10_escalation_asks_the_complainants_details_and_respondents_see_the_name_only(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = to_escalation_ready(&app, &consumer, &complaint_form("1")).await;
    // Consent alone is not enough: every missing detail is named, what was typed kept.
    let p = consumer
        .act(
            &case_no,
            "consumer",
            "CONFIRM_ESCALATION",
            &[("consent", "1"), ("complainant_name", "李消费"), ("complainant_phone", "12345")],
        )
        .await;
    assert!(p.body.contains("请填写手机号") && p.body.contains("请填写联系地址"), "{}", p.url);
    assert!(p.body.contains("value=\"李消费\""), "the name is kept");
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR");
    let reg = app.signed_in("regulator@demo.redline").await.get(&format!("/cases/{case_no}")).await;
    assert!(
        reg.body.contains("id=\"complainant-phone\">13800138000") && reg.body.contains("文三路100号"),
        "the agency sees all"
    );
    for staff in ["operator@demo.redline", "platform@demo.redline"] {
        let page = app.signed_in(staff).await.get(&format!("/cases/{case_no}")).await;
        assert!(page.body.contains("id=\"complainant\">李消费"), "{staff} sees the name");
        assert!(!page.body.contains("13800138000") && !page.body.contains("文三路100号"), "{staff} sees no contact");
    }
    // The chained events, which every party reads, hold no details.
    let row = case_row(&app, &case_no).await;
    let events =
        case_event::Entity::find().filter(case_event::Column::CaseId.eq(row.id)).all(&app.store().db).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.payload_json.contains("13800138000") || e.payload_json.contains("文三路")).count(),
        0
    );
    assert_eq!(events.iter().filter(|e| e.payload_json.contains("complainant_details")).count(), 1);
    // Shared for mediation: the respondents see phone and address too.
    let case2 = to_escalation_ready(&app, &consumer, &complaint_form("1")).await;
    let mut shared = ESCALATION.to_vec();
    shared.push(("share_contact", "1"));
    consumer.act(&case2, "consumer", "CONFIRM_ESCALATION", &shared).await;
    let page = app.signed_in("operator@demo.redline").await.get(&format!("/cases/{case2}")).await;
    assert!(page.body.contains("13800138000"));
    // An agent needs the power of attorney among the evidence first.
    let case3 = to_escalation_ready(&app, &consumer, &complaint_form("1")).await;
    let mut agent = ESCALATION.to_vec();
    agent.push(("complainant_agent", "1"));
    let p = consumer.act(&case3, "consumer", "CONFIRM_ESCALATION", &agent).await;
    assert!(p.body.contains("授权委托书"));
    assert_eq!(state_of(&app, &case3).await, "ESCALATION_READY");
}

async fn order121_art13_a_complaint_against_the_platform_goes_to_the_platform_and_its_domicile(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    field(&mut form, "respondent", "PLATFORM");
    let p = post_complaint(&consumer, &form, &[]).await;
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION", "the platform answers for itself");
    assert_eq!(clock_of(&app, &case_no, "D3").await.status, "RUNNING");
    let row = case_row(&app, &case_no).await;
    assert_eq!(row.respondent_kind, "PLATFORM_ITSELF");
    let juris: serde_json::Value = serde_json::from_str(&row.jurisdiction_json).unwrap();
    assert_eq!(juris.as_array().unwrap().len(), 1);
    assert_eq!(juris[0]["region"], "330106", "the platform's domicile (Art. 13 ¶1), not the room's 330105");
    let operator = app.signed_in("operator@demo.redline").await;
    assert!(!operator.get("/operator").await.body.contains(&case_no));
    assert_eq!(operator.get(&format!("/cases/{case_no}")).await.status, 404, "not a party");
    assert!(app.signed_in("platform@demo.redline").await.get("/platform").await.body.contains(&case_no));
    assert!(p.body.contains("平台本身"));
    // Escalated, it reaches the Xihu bureau (330106), not Gongshu (330105).
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "不支持")]).await;
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;
    assert!(app.signed_in("regulator2@demo.redline").await.get("/regulator").await.body.contains(&case_no));
    assert!(!app.signed_in("regulator@demo.redline").await.get("/regulator").await.body.contains(&case_no));
}

async fn order117_art28_a_complaint_names_the_marketer_the_platform_reported_for_the_session(app: TestApp) {
    assert_eq!(report(&app, &batch()).await.0, 200);
    let session = json!({ "room": "XH-8801", "platform_session_id": "XH-8801-demo", "started_at": "2026-11-23T01:00:00Z",
                          "marketers": ["host-1", "host-2"] });
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/sessions", app.url))
        .bearer_auth(redline_store::seed::DEMO_API_KEY)
        .json(&session)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let db = &app.store().db;
    let s = stream_session::Entity::find()
        .filter(stream_session::Column::PlatformSessionId.eq("XH-8801-demo"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let host =
        marketer::Entity::find().filter(marketer::Column::PlatformRef.eq("host-1")).one(db).await.unwrap().unwrap();
    let consumer = app.signed_in("consumer@demo.redline").await;
    let form_page = consumer.get(&format!("/me/new?session={}", s.id)).await;
    assert!(form_page.body.contains("小新（xiaoxin_live）") && form_page.body.contains("虚拟主播阿星"));
    let mut form = complaint_form("1");
    field(&mut form, "session", &s.id.to_string());
    field(&mut form, "marketer_id", &host.id.to_string());
    field(&mut form, "seller", "杭州某某贸易有限公司");
    let p = post_complaint(&consumer, &form, &[]).await;
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let row = case_row(&app, &case_no).await;
    let m = mcn::Entity::find().filter(mcn::Column::PlatformRef.eq("mcn-1")).one(db).await.unwrap().unwrap();
    assert_eq!((row.marketer_id, row.marketer_name.as_deref(), row.mcn_id), (Some(host.id), Some("小新"), Some(m.id)));
    assert_eq!(row.seller_name.as_deref(), Some("杭州某某贸易有限公司"));
    assert_eq!(state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR", "the operator answers for its marketer");
    assert!(p.body.contains("杭州星火网络科技有限公司") && p.body.contains("小新"));
    // Against the MCN: the platform answers, the MCN's domicile decides.
    field(&mut form, "respondent", "MCN");
    let p = post_complaint(&consumer, &form, &[]).await;
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
    let juris: serde_json::Value = serde_json::from_str(&case_row(&app, &case_no).await.jurisdiction_json).unwrap();
    assert_eq!(juris[0]["region"], "330106");
    // A marketer of another platform is refused, the form kept.
    let other =
        marketer::Entity::find().filter(marketer::Column::PlatformRef.eq("host-2")).one(db).await.unwrap().unwrap();
    marketer::Entity::update_many()
        .col_expr(marketer::Column::PlatformId, sea_orm::sea_query::Expr::value(2))
        .filter(marketer::Column::Id.eq(other.id))
        .exec(db)
        .await
        .unwrap();
    field(&mut form, "respondent", "MARKETER");
    field(&mut form, "marketer_id", &other.id.to_string());
    let p = post_complaint(&consumer, &form, &[]).await;
    assert!(p.body.contains("该主播不属于此平台"), "{}", p.url);
}

/// The whole path: a new platform and agency, their staff, the
/// parties reported, a complaint naming the marketer, escalation with the
/// Art. 10 details, and the new agency by jurisdiction.
async fn a_new_platform_and_agency_take_a_complaint_from_onboarding_to_escalation(app: TestApp) {
    let admin = app.signed_in("admin@demo.redline").await;
    // The platform's domicile and the operator's displayed address are in Binjiang (330108).
    let p = admin
        .post_form(
            "/do/admin/platforms",
            &[
                ("name", "新风直播"),
                ("name_en", "Xinfeng Live"),
                ("code", "xinfeng"),
                ("credit_code", &code("91330108MA2J0K1L3")),
                ("domicile_region", "330108"),
                ("domicile_address", "浙江省杭州市滨江区江南大道1号"),
            ],
        )
        .await;
    assert!(p.body.contains("已创建平台"));
    assert!(create_agency(&admin, "330108").await.body.contains("已创建"));
    let db = &app.store().db;
    let plat = platform::Entity::find().filter(platform::Column::Code.eq("xinfeng")).one(db).await.unwrap().unwrap();
    let ag = redline_store::entity::agency::Entity::find()
        .filter(redline_store::entity::agency::Column::RegionCode.eq("330108"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    for (email, org) in [
        ("boss@xinfeng.example", format!("platform:{}", plat.id)),
        ("binjiang@amr.example", format!("agency:{}", ag.id)),
    ] {
        admin.post_form("/do/admin/grant", &[("email", email), ("org", &org), ("role", "ADMIN")]).await;
        let link = crate::helpers::mailed_link(&app, email).await.unwrap();
        app.client()
            .post_form(&format!("/do{link}"), &[("name", "新同事"), ("password", redline_store::seed::DEMO_PASSWORD)])
            .await;
    }
    // The platform's staff issue a key and report the parties over the API.
    let boss = app.signed_in("boss@xinfeng.example").await;
    let page = boss
        .post_form(&format!("/do/orgs/platform/{}/keys", plat.id), &[("name", "ERP"), ("scopes", "parties:write")])
        .await;
    let key = crate::helpers::new_key_on(&page.body);
    let mut b = batch();
    b["operators"][0]["displayed_region"] = "330108".into();
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/platform/parties", app.url))
        .bearer_auth(&key)
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let room = live_room::Entity::find()
        .filter(live_room::Column::PlatformId.eq(plat.id))
        .filter(live_room::Column::PlatformRoomId.eq("XH-2001"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(room.platform_id, plat.id, "the key's platform owns what it reported");
    // A consumer files against that room naming the marketer by stage name.
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form(&plat.id.to_string());
    field(&mut form, "room", "XH-2001");
    // The new room reported no session: the moment is given as a clock time.
    field(&mut form, "session", "");
    field(&mut form, "moment_kind", "clock");
    field(&mut form, "clock", &redline_store::time::china_time(app.store().now() - chrono::Duration::hours(1)));
    field(&mut form, "respondent", "MARKETER");
    field(&mut form, "marketer_name", "小新");
    let case_no = to_escalation_ready(&app, &consumer, &form).await;
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR");
    assert_eq!(case_row(&app, &case_no).await.agency_id, Some(ag.id), "the new Binjiang bureau");
    let q = app.signed_in("binjiang@amr.example").await.get("/regulator").await;
    assert!(q.body.contains(&case_no));
    let page = app.signed_in("binjiang@amr.example").await.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("13800138000") && page.body.contains("小新"));
}

async fn the_regulator_filters_its_queue_by_marketer_and_mcn(app: TestApp) {
    assert_eq!(report(&app, &batch()).await.0, 200);
    let db = &app.store().db;
    let host =
        marketer::Entity::find().filter(marketer::Column::PlatformRef.eq("host-1")).one(db).await.unwrap().unwrap();
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut named = complaint_form("1");
    field(&mut named, "marketer_id", &host.id.to_string());
    let mut typed = complaint_form("1");
    field(&mut typed, "marketer_name", "路人主播");
    let mut cases = Vec::new();
    for form in [named, typed, complaint_form("1")] {
        let c = to_escalation_ready(&app, &consumer, &form).await;
        consumer.act(&c, "consumer", "CONFIRM_ESCALATION", &ESCALATION).await;
        cases.push(c);
    }
    let reg = app.signed_in("regulator@demo.redline").await;
    let rows =
        |body: &str| cases.iter().filter(|c| body.contains(&format!("data-case=\"{c}\""))).cloned().collect::<Vec<_>>();
    assert_eq!(rows(&reg.get("/regulator").await.body), cases, "unfiltered: all three");
    let by_host = reg.get("/regulator?marketer=%E5%B0%8F%E6%96%B0").await.body;
    assert_eq!(rows(&by_host), vec![cases[0].clone()]);
    assert!(by_host.contains("杭州星火网络科技有限公司"), "the row names the MCN");
    let by_mcn =
        reg.get(&format!("/regulator?mcn={}", crate::helpers::urlencode("杭州星火网络科技有限公司"))).await.body;
    assert_eq!(rows(&by_mcn), vec![cases[0].clone()]);
    assert_eq!(
        rows(&reg.get(&format!("/regulator?marketer={}", crate::helpers::urlencode("路人主播"))).await.body),
        vec![cases[1].clone()]
    );
    assert_eq!(rows(&reg.get("/regulator?marketer=nobody").await.body), Vec::<String>::new());
}

async fn order117_art47_tips_about_the_platform_an_mcn_or_a_marketer_go_to_their_agencies(
    backend: crate::helpers::Backend,
) {
    // Six tips from one address: above the default hourly limit of five.
    let app = TestApp::spawn_with(backend, |c| c.tip_limit = 10).await;
    let mut b = batch();
    b["mcns"][0]["region"] = "110108".into(); // registered in Haidian, Beijing
    assert_eq!(report(&app, &b).await.0, 200);
    let db = &app.store().db;
    let anon = app.client();
    // A tip about an MCN without its name is refused, the typed values kept.
    let mut form = crate::tips::tip_form("主播称该饮品可以三天美白，实际为普通饮料。", "");
    form.push(("target", "MCN"));
    let p = anon.post_multipart("/do/tips", &form, &[]).await;
    assert!(
        p.body.contains("举报机构时请填写机构名称"),
        "{}",
        p.body.split("field-error").nth(1).unwrap_or("none").chars().take(300).collect::<String>()
    );
    let mut filed = Vec::new();
    for (target, marketer, mcn_name) in [
        ("OPERATOR", "", ""),
        ("MARKETER", "小新", ""),
        ("PLATFORM", "", ""),
        ("MCN", "", "杭州星火网络科技有限公司"),
        ("MCN", "", "不存在的机构"),
    ] {
        let mut form = crate::tips::tip_form("主播称该饮品可以三天美白，实际为普通饮料。", "");
        form.extend([("target", target), ("marketer_name", marketer), ("mcn_name", mcn_name)]);
        let p = anon.post_multipart("/do/tips", &form, &[]).await;
        assert_eq!(p.url, "/tips/filed", "{target}");
        let t = redline_store::entity::tip::Entity::find()
            .filter(redline_store::entity::tip::Column::Description.contains("三天美白"))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .max_by_key(|t| t.id)
            .unwrap();
        filed.push(t);
    }
    let mut regions = Vec::new();
    for t in &filed {
        let a = redline_store::entity::agency::Entity::find_by_id(t.agency_id.unwrap()).one(db).await.unwrap().unwrap();
        regions.push(a.region_code);
    }
    // The room's operator does business in Gongshu (330105); the marketer follows the room;
    // the platform is domiciled in Xihu (330106); the MCN in Haidian (110108); an MCN the
    // platform never reported falls back to the platform's domicile.
    assert_eq!(regions, vec!["330105", "330105", "330106", "110108", "330106"]);
    let kinds: Vec<&str> = filed.iter().map(|t| t.target_kind.as_str()).collect();
    assert_eq!(kinds, vec!["IN_PLATFORM_OPERATOR", "MARKETER", "PLATFORM_ITSELF", "MCN", "MCN"]);
    assert_eq!(filed[1].marketer_name.as_deref(), Some("小新"));
    assert_eq!((filed[3].mcn_id.is_some(), filed[4].mcn_id), (true, None));
}
