//! Cases: filing, authorization, the transitions between parties and the queues.
use crate::helpers::{
    case_row, clock_of, complaint_form, date, escalated_case, file_case, register, state_of, TestApp,
};
use redline_store::entity::{case_event, clock, complaint};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    t1_t3_filing_routes_to_operator_and_starts_d1,
    filing_with_errors_loses_nothing_typed,
    order117_art16_a_clock_time_is_pinned_to_its_session_and_one_outside_all_is_confirmed_first,
    authorization_limits_each_party_to_its_own_cases,
    full_chain_operator_platform_regulator_mediation_agreement,
    t17_regulator_refusal_closes_with_art16_reason,
    order121_arts13_41_t15_moves_a_case_up_or_down_never_sideways,
    order121_arts13_14_the_nearest_covering_agency_receives,
    t22_consumer_withdraws,
    refused_transition_is_reported_not_applied,
    queues_paginate_by_keyset_without_overlap,
    order121_art16_4_old_harm_is_a_warning_for_the_regulator_only,
    a_stale_page_cannot_accept_a_newer_offer,
    escalation_without_a_covering_agency_is_refused_not_stranded,
    an_unknown_stored_state_is_an_error_never_a_default,
    pipl_arts23_25_escalation_consent_cites_the_personal_information_law,
    order121_art16_4_three_years_count_to_the_regulators_receipt,
    t22_order121_art23_1_a_withdrawal_after_escalation_waits_for_the_agency,
);

async fn t22_order121_art23_1_a_withdrawal_after_escalation_waits_for_the_agency(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    consumer.act(&case_no, "consumer", "WITHDRAW", &[("message", "已与商家和解")]).await;
    assert_eq!(state_of(&app, &case_no).await, "WITHDRAWN", "not closed until the agency records it");
    assert_eq!(clock_of(&app, &case_no, "D5").await.status, "RUNNING", "the agency's clock runs on");
    let reg = app.signed_in("regulator@demo.redline").await;
    let todo = reg.get("/regulator?tab=todo").await.body;
    assert!(todo.contains(&format!("data-case=\"{case_no}\"")), "in the agency's work list");
    assert!(reg.get(&format!("/cases/{case_no}")).await.body.contains("记录撤回，终止处理"));
    // Nobody else closes it.
    consumer.act(&case_no, "consumer", "CLOSE_WITHDRAWN", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "WITHDRAWN");
    reg.act(&case_no, "regulator", "CLOSE_WITHDRAWN", &[("message", "投诉人撤回，终止处理")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_WITHDRAWN");
    assert_eq!(clock_of(&app, &case_no, "D5").await.status, "STOPPED");
}

async fn order121_art16_4_three_years_count_to_the_regulators_receipt(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    form.iter_mut().filter(|(k, _)| *k == "harm_known_on").for_each(|(_, v)| *v = "2023-11-25".into());
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reg = app.signed_in("regulator@demo.redline").await;
    let to_ready = |case_no: String| {
        let (app, consumer) = (&app, &consumer);
        async move {
            crate::helpers::ready_to_escalate(app, consumer, &case_no).await;
            case_no
        }
    };
    // Both filed on Monday 2026-11-23, within three years of 2023-11-25.
    let file = || async {
        consumer.post_multipart("/do/complaints", &pairs, &[]).await.url.trim_start_matches("/cases/").to_owned()
    };
    let on_time = to_ready(file().await).await;
    let late = to_ready(file().await).await;
    consumer.act(&on_time, "consumer", "CONFIRM_ESCALATION", &crate::helpers::ESCALATION).await;
    // The warning list (the refusal form lists every Art. 16 ground anyway).
    let warned = |page: &str| page.contains("id=\"intake-warnings\"") && page.contains("知道权益受损已超过三年");
    let page = reg.get(&format!("/cases/{on_time}")).await.body;
    assert!(!warned(&page), "received 2026-11-23: within three years");
    // The other reaches market supervision on Thursday 2026-11-26: past 2026-11-25.
    app.advance_days(3);
    consumer.act(&late, "consumer", "CONFIRM_ESCALATION", &crate::helpers::ESCALATION).await;
    let page = reg.get(&format!("/cases/{late}")).await.body;
    assert!(warned(&page), "received 2026-11-26: past three years");
}

async fn pipl_arts23_25_escalation_consent_cites_the_personal_information_law(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    crate::helpers::ready_to_escalate(&app, &consumer, &case_no).await;
    let page = consumer.get(&format!("/cases/{case_no}")).await.body;
    let form = page.split("data-action=\"CONFIRM_ESCALATION\"").nth(1).unwrap().split("</form>").next().unwrap();
    let consent = form.split("name=\"consent\"").nth(1).unwrap().split("</label>").next().unwrap();
    // Giving one's details to the agency is consent to providing personal
    // information to another handler (PIPL Arts. 23, 25), not Order 121 Art. 10,
    // which only lists what a complaint must state.
    assert!(consent.contains("《个人信息保护法》第二十三条、第二十五条"), "{consent}");
    assert!(!consent.contains("第十条"), "{consent}");
}

async fn t1_t3_filing_routes_to_operator_and_starts_d1(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let p = c.get(&format!("/cases/{case_no}")).await;
    assert!(p.body.contains("data-state=\"ROUTED_TO_OPERATOR\""), "state shown");
    assert!(p.body.contains("data-clock=\"D1\""), "D1 shown");
    let m = case_row(&app, &case_no).await;
    assert_eq!(m.amount_fen, 29_900);
    let events =
        case_event::Entity::find().filter(case_event::Column::CaseId.eq(m.id)).all(&app.store().db).await.unwrap();
    // Records that change no state (preservation, evidence) are chained too; here only transitions count.
    let ids: Vec<_> = events.iter().map(|e| e.transition_id.as_str()).filter(|t| *t != "—").collect();
    assert_eq!(ids, ["T1", "T2", "T3"]);
    let d1 = clock_of(&app, &case_no, "D1").await;
    assert_eq!(d1.kind, "D1");
    assert_eq!(d1.status, "RUNNING");
    // Filed on Monday 2026-11-23: five working days end on Monday 2026-11-30.
    assert_eq!((d1.start_on, d1.due_on), (date("2026-11-23"), date("2026-11-30")));
    // Jurisdiction: displayed address (330105) first, platform domicile (330106) second.
    assert!(m.jurisdiction_json.find("330105").unwrap() < m.jurisdiction_json.find("330106").unwrap());
    let mine = c.get("/me/cases").await;
    assert!(mine.body.contains(&case_no));
}

async fn filing_with_errors_loses_nothing_typed(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "categories");
    for (k, v) in form.iter_mut() {
        if *k == "offset" {
            *v = "99:99:99".into();
        }
        if *k == "amount" {
            *v = "12.345".into();
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert_eq!(p.url, "/me/new");
    assert!(p.body.contains("请至少选择一个违法行为类别"));
    assert!(p.body.contains("时:分:秒"));
    assert!(p.body.contains("金额格式不正确"));
    assert!(p.body.contains("胶原蛋白饮品 30瓶装"), "product kept");
    assert!(p.body.contains("XH20261120001"), "order kept");
    assert!(p.body.contains("三天美白"), "narrative kept");
    assert!(p.body.contains("value=\"COMPENSATION\" checked"), "demand checkbox kept");
    // Unknown room: a field error on the room, still nothing lost.
    let mut form = complaint_form("1");
    form[1].1 = "NO-SUCH-ROOM".into();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.body.contains("未找到此直播间"));
    assert!(p.body.contains("NO-SUCH-ROOM"));
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 0);
}

async fn order117_art16_a_clock_time_is_pinned_to_its_session_and_one_outside_all_is_confirmed_first(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    // The seeded session started three hours ago and ended one hour ago.
    let t = (app.store().now() - chrono::Duration::minutes(150)).with_timezone(&chrono_tz::Asia::Shanghai);
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "session"); // found by its time alone
    form[2].1 = "clock".into();
    form.push(("clock", t.format("%Y-%m-%dT%H:%M").to_string()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.url.starts_with("/cases/"));
    let m = complaint::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert!(m.stream_session_id.is_some());
    let off = m.stream_offset_s.unwrap();
    assert!((29 * 60..=31 * 60).contains(&off), "offset {off}");
    // Outside every session the room reported, no session picked: said once,
    // with the nearest session's times; nothing filed, the time typed kept.
    let t = (app.store().now() - chrono::Duration::hours(30)).with_timezone(&chrono_tz::Asia::Shanghai);
    let typed = t.format("%Y-%m-%dT%H:%M").to_string();
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "session");
    form[2].1 = "clock".into();
    form.push(("clock", typed.clone()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.url.starts_with("/me/new"), "warned, not filed: {}", p.url);
    assert!(p.body.contains("该时刻不在平台报送的本直播间任何场次内"), "said why");
    assert!(
        p.body.contains(&format!("name=\"moment_confirmed\" value=\"{typed}\"")),
        "the confirmation of that time is offered"
    );
    assert!(p.body.contains(&format!("value=\"{typed}\"")), "the time typed is kept");
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 1);
    // A confirmation of another time confirms nothing.
    let mut stale = form.clone();
    stale.push(("moment_confirmed", "2026-01-01T00:00".into()));
    let pairs: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(c.post_multipart("/do/complaints", &pairs, &[]).await.url.starts_with("/me/new"), "still warned");
    // Confirmed: filed, flagged unknown.
    form.push(("moment_confirmed", typed.clone()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.url.starts_with("/cases/"), "filed once confirmed: {}", p.url);
    assert!(p.body.contains("场次未知"), "session unknown shown");
    // A time from the start without a session points at nothing: refused.
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "session");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.body.contains("只填写开播后的时长时，须先选择那一场直播"), "{}", p.url);
    assert_eq!(complaint::Entity::find().count(&app.store().db).await.unwrap(), 2);
}

async fn authorization_limits_each_party_to_its_own_cases(app: TestApp) {
    let owner = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&owner).await;
    let path = format!("/cases/{case_no}");
    let other = app.client();
    register(&app, &other, "路人", "other@example.com").await;
    let p = other.get(&path).await;
    assert_eq!(p.status, 404, "another consumer is not told the case exists");
    assert!(p.body.contains("未找到"));
    assert!(!p.body.contains("三天美白"));
    let anon = app.client().get(&path).await;
    assert!(anon.body.contains("请先登录"));
    assert!(!anon.body.contains("三天美白"));
    // The regulator sees nothing before escalation; the platform and operator do.
    let reg = app.signed_in("regulator@demo.redline").await;
    assert_eq!(reg.get(&path).await.status, 404);
    assert!(!reg.get("/regulator").await.body.contains(&case_no));
    let op = app.signed_in("operator@demo.redline").await;
    assert!(op.get("/operator").await.body.contains(&case_no));
    assert!(op.get(&path).await.body.contains("三天美白"));
    // Writes are checked too: another consumer cannot accept, the operator cannot act as platform.
    other.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    op.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    let m = complaint::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(m.state, "ROUTED_TO_OPERATOR");
    // Operator staff cannot open the platform queue.
    assert!(op.get("/platform").await.body.contains("无权查看此队列"));
}

async fn full_chain_operator_platform_regulator_mediation_agreement(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(
        &case_no,
        "operator",
        "OPERATOR_RESPOND",
        &[("offer", "PARTIAL"), ("remedy", "退款50元"), ("message", "仅同意部分退款")],
    )
    .await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[("message", "不接受")]).await;
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
    let plat = app.signed_in("platform@demo.redline").await;
    assert!(plat.get("/platform").await.body.contains(&case_no));
    plat.act(
        &case_no,
        "platform",
        "PLATFORM_DECIDE",
        &[("offer", "PARTIAL"), ("remedy", "退款100元"), ("advance_compensation", "1")],
    )
    .await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
    // Escalation needs consent: without it nothing changes and the error is shown.
    let p = consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &[]).await;
    assert!(p.body.contains("需要您的同意"));
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &crate::helpers::ESCALATION).await;
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR");
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator").await;
    assert!(q.body.contains(&case_no), "case in the Gongshu queue (displayed address, Art. 13)");
    assert!(!app.signed_in("regulator2@demo.redline").await.get("/regulator").await.body.contains(&case_no));
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION");
    reg.act(&case_no, "regulator", "PAUSE_MEDIATION", &[("reason", "TESTING")]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION_PAUSED");
    // Paused for 71 hours: any started day counts, so three days are added.
    app.running.time.advance(71 * 3600);
    reg.act(&case_no, "regulator", "RESUME_MEDIATION", &[]).await;
    let m = case_row(&app, &case_no).await;
    let d6 = clock_of(&app, &case_no, "D6").await;
    assert!((71 * 3600..72 * 3600).contains(&d6.paused_secs), "{}", d6.paused_secs);
    // 60 natural days from 2026-11-23 end on 2027-01-22; the three paused days
    // move the end to Monday 2027-01-25 (Order 121 Art. 22).
    assert_eq!((d6.start_on, d6.due_on), (date("2026-11-23"), date("2027-01-25")));
    reg.act(&case_no, "regulator", "AGREE", &[("message", "双方同意退款299元")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_RESOLVED");
    let events =
        case_event::Entity::find().filter(case_event::Column::CaseId.eq(m.id)).all(&app.store().db).await.unwrap();
    // Records that change no state (preservation, evidence) are chained too; here only transitions count.
    let ids: Vec<_> = events.iter().map(|e| e.transition_id.as_str()).filter(|t| *t != "—").collect();
    assert_eq!(
        ids,
        ["T1", "T2", "T3", "T4", "T6", "T8", "T10", "T12", "T13", "T14", "T16", "T18", "T19", "T19", "T20", "T20"]
    );
    let open = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Status.is_in(["RUNNING", "PAUSED"]))
        .filter(clock::Column::Kind.ne("D4"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(open, 0, "no complaint clock left running on a closed case");
    let page = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-event=\"AGREE\""));
}

async fn t17_regulator_refusal_closes_with_art16_reason(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(
        &case_no,
        "regulator",
        "REGULATOR_REFUSE",
        &[("reason", "NOT_PERSONAL_CONSUMPTION"), ("message", "非生活消费")],
    )
    .await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_REJECTED");
    let page = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(
        page.body.contains("《市场监督管理投诉举报处理办法》第十六条第（三）项"),
        "refusal reason shown with its article, as the law is cited"
    );
    // Order 121 Art. 15: the refusal names the other routes of Consumer Protection Law Art. 39.
    let routes = page.body.split("id=\"other-routes\"").nth(1).expect("the other routes");
    assert!(routes.contains("向人民法院提起诉讼") && routes.contains("消费者协会"), "{routes}");
}

async fn agency_in(app: &TestApp, region: &str) -> redline_store::entity::agency::Model {
    redline_store::entity::agency::Entity::find()
        .filter(redline_store::entity::agency::Column::RegionCode.eq(region))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap()
}

/// T15 moves a case only where Order 121 allows: not sideways to a peer
/// (Art. 41: no transfer on its own; Art. 33: a common higher level designates),
/// up to the city bureau (Art. 13, last paragraph), and down from it to the
/// competent district (Art. 41). Each move records its article.
async fn order121_arts13_41_t15_moves_a_case_up_or_down_never_sideways(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let (xihu, city) = (agency_in(&app, "330106").await, agency_in(&app, "330100").await);
    let reg = app.signed_in("regulator@demo.redline").await;
    // The form offers the city bureau, not the neighbouring district.
    let page = reg.get(&format!("/cases/{case_no}")).await.body;
    let form = page.split("data-action=\"DISPATCH\"").nth(1).expect("the move form");
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains(&format!("<option value=\"{}\">", city.id)), "city bureau offered");
    assert!(!form.contains(&format!("<option value=\"{}\">", xihu.id)), "peer not offered");
    let refused = reg.act(&case_no, "regulator", "DISPATCH", &[("agency_id", &xihu.id.to_string())]).await;
    assert!(refused.body.contains("同级之间须由共同上级指定"), "refused with its articles");
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR");
    reg.act(&case_no, "regulator", "DISPATCH", &[("agency_id", &city.id.to_string())]).await;
    assert_eq!(state_of(&app, &case_no).await, "REGULATOR_DISPATCHED");
    let city_staff = app.signed_in("regulator-city@demo.redline").await;
    assert!(city_staff.get("/regulator").await.body.contains(&case_no));
    city_staff.act(&case_no, "regulator", "DISPATCH", &[("agency_id", &xihu.id.to_string())]).await;
    assert!(!reg.get("/regulator").await.body.contains(&case_no));
    assert!(!city_staff.get("/regulator").await.body.contains(&case_no));
    let reg2 = app.signed_in("regulator2@demo.redline").await;
    assert!(reg2.get("/regulator").await.body.contains(&case_no));
    reg2.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "REGULATOR_ACCEPTED");
    let c = complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(&case_no))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    let moves: Vec<String> = redline_store::entity::case_event::Entity::find()
        .filter(redline_store::entity::case_event::Column::CaseId.eq(c.id))
        .filter(redline_store::entity::case_event::Column::EventType.eq("DISPATCH"))
        .all(&app.store().db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.payload_json).unwrap()["basis"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(moves, ["Order 121 Art. 13", "Order 121 Art. 41"]);
}

/// The receiving agency covers the place: a county bureau of any candidate
/// first (Order 121 Art. 13: generally the county level), in the candidates'
/// order (Art. 14); without one, the bureau of the city above (a city bureau
/// covers its counties); without any, none.
async fn order121_arts13_14_the_nearest_covering_agency_receives(app: TestApp) {
    use redline_store::jurisdiction::{first_agency_of, Jurisdiction};
    use sea_orm::TransactionTrait;
    let at = |regions: &[&str]| -> Vec<Jurisdiction> {
        regions
            .iter()
            .map(|r| Jurisdiction { region: (*r).into(), basis: String::new(), basis_zh: String::new() })
            .collect()
    };
    let (gongshu, xihu, city) =
        (agency_in(&app, "330105").await.id, agency_in(&app, "330106").await.id, agency_in(&app, "330100").await.id);
    let txn = app.store().db.begin().await.unwrap();
    // Binjiang (330108) has no bureau on Redline; Xihu's county bureau comes before the city's.
    assert_eq!(first_agency_of(&txn, &at(&["330108", "330106"])).await.unwrap(), Some(xihu));
    assert_eq!(first_agency_of(&txn, &at(&["330105", "330106"])).await.unwrap(), Some(gongshu));
    assert_eq!(first_agency_of(&txn, &at(&["330106", "330105"])).await.unwrap(), Some(xihu));
    assert_eq!(first_agency_of(&txn, &at(&["330108"])).await.unwrap(), Some(city));
    // Ningbo: no bureau of its own, its city's or Zhejiang's on Redline.
    assert_eq!(first_agency_of(&txn, &at(&["330203"])).await.unwrap(), None);
}

async fn t22_consumer_withdraws(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    consumer.act(&case_no, "consumer", "WITHDRAW", &[("message", "已自行协商解决")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_WITHDRAWN");
    let m = complaint::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    // The platform's duty to keep the replay (D4, Order 117 Art. 16) outlives the withdrawal.
    let running = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Status.eq("RUNNING"))
        .filter(clock::Column::Kind.ne("D4"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(running, 0);
}

async fn refused_transition_is_reported_not_applied(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let p = consumer.act(&case_no, "consumer", "CONSUMER_ACCEPT", &[]).await;
    assert!(p.body.contains("field-error"), "error shown on the case page");
    assert_eq!(state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR");
    let n = case_event::Entity::find()
        .filter(case_event::Column::TransitionId.ne("—"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(n, 3);
}

/// The operator's queue is read nearest deadline first, 20 a page, by keyset
/// (due date, id): the second page starts inside a group of equal due dates and
/// runs on into a later one, so both halves of the keyset condition are used.
async fn queues_paginate_by_keyset_without_overlap(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // Filed Mon 11-23, Tue 11-24, Wed 11-25, Thu 11-26: each day's cases fall
    // due on the operator's D1 (five working days), a day later than the day
    // before's. The platform's D4 runs beside it and orders nothing.
    let mut expected = Vec::new();
    for (day, n) in [10, 8, 3, 2].into_iter().enumerate() {
        if day > 0 {
            app.advance_days(1);
        }
        for _ in 0..n {
            expected.push(file_case(&consumer).await);
        }
    }
    let dues: Vec<_> = {
        let mut d = Vec::new();
        for c in &expected {
            d.push(case_row(&app, c).await.next_due_on);
        }
        d
    };
    assert_eq!(
        (dues[0], dues[10], dues[18], dues[21]),
        (date("2026-11-30"), date("2026-12-01"), date("2026-12-02"), date("2026-12-03"))
    );
    let op = app.signed_in("operator@demo.redline").await;
    let listed = |body: &str| -> Vec<String> {
        body.split("data-case=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .filter(|c| expected.contains(c))
            .collect()
    };
    let first = op.get("/operator").await;
    // The "next page" link's cursor (its attributes come in any order).
    let link = first.body.split("<a ").find(|a| a.contains("class=\"next\"")).expect("next link");
    let next = link.split("after=").nth(1).and_then(|s| s.split('"').next()).expect("a cursor").to_owned();
    let second = op.get(&format!("/operator?tab=todo&after={next}")).await;
    assert_eq!(listed(&first.body), expected[..20], "nearest deadline first, then by filing");
    assert_eq!(listed(&second.body), expected[20..], "the rest, in order, none twice");
    assert!(!second.body.contains("after="), "no page after the last");
}

async fn order121_art16_4_old_harm_is_a_warning_for_the_regulator_only(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    for (k, v) in form.iter_mut() {
        if *k == "harm_known_on" {
            *v = "2021-03-01".into();
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = consumer.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.url.starts_with("/cases/"), "an old harm is accepted, not refused");
    assert!(!p.body.contains("intake-warnings"), "the consumer is not shown regulator signals");
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "超过期限")]).await;
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &crate::helpers::ESCALATION).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get(&format!("/cases/{case_no}")).await;
    let warnings = page.body.split("id=\"intake-warnings\"").nth(1).expect("the regulator sees warnings");
    assert!(warnings.split("</ul>").next().unwrap().contains("知道权益受损已超过三年"));
}

fn version_on(page: &str) -> String {
    page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn a_stale_page_cannot_accept_a_newer_offer(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    // The consumer's page shows the operator's full offer ...
    let seen = version_on(&consumer.get(&format!("/cases/{case_no}")).await.body);
    // ... meanwhile the platform steps in and decides a partial remedy.
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "PARTIAL")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    let p = consumer.act(&case_no, "consumer", "CONSUMER_ACCEPT", &[("version", &seen)]).await;
    assert!(p.body.contains("案件已被他人更新"), "stale action refused with a clear message");
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    let fresh = version_on(&p.body);
    consumer.act(&case_no, "consumer", "CONSUMER_ACCEPT", &[("version", &fresh)]).await;
    assert_eq!(state_of(&app, &case_no).await, "RESOLVED");
}

async fn escalation_without_a_covering_agency_is_refused_not_stranded(app: TestApp) {
    use redline_store::entity::agency;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    plat.act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("message", "不支持")]).await;
    consumer.act(&case_no, "consumer", "CONSUMER_REJECT", &[]).await;
    // Neither candidate county (330105, 330106) nor the city above them
    // (330100) has an agency on Redline.
    agency::Entity::delete_many()
        .filter(agency::Column::RegionCode.is_in(["330105", "330106", "330100"]))
        .exec(&app.store().db)
        .await
        .unwrap();
    let p = consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &crate::helpers::ESCALATION).await;
    assert!(p.body.contains("12315"), "told where to go instead");
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
}

/// A stored value the code does not know is reported, never read as a default
/// state (which could offer the wrong actions or apply the wrong transition).
async fn an_unknown_stored_state_is_an_error_never_a_default(app: TestApp) {
    use sea_orm::sea_query::Expr;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::State, Expr::value("NOT_A_STATE"))
        .filter(complaint::Column::CaseNo.eq(&case_no))
        .exec(&app.store().db)
        .await
        .unwrap();
    let p = consumer.act(&case_no, "consumer", "WITHDRAW", &[("message", "撤回")]).await;
    assert_eq!(state_of(&app, &case_no).await, "NOT_A_STATE", "nothing applied");
    // The case page says the service cannot show it, and offers no action.
    assert!(p.body.contains("服务暂时不可用"), "{}", &p.body[..p.body.len().min(600)]);
    assert!(!p.body.contains("value=\"WITHDRAW\""));
}

mod choices {
    use crate::helpers::{file_case, TestApp};

    on_both_backends!(
        a_refused_answer_comes_back_with_every_choice_as_it_was_chosen,
        order117_art12_a_tip_verdict_has_no_default_and_keeps_its_choice,
        a_refused_filing_asks_for_the_chosen_files_again,
        order121_art23_withdrawing_is_confirmed_and_every_step_says_it_was_taken,
    );

    /// The selected option of a `<select name=…>` inside the form for `event`.
    fn selected(body: &str, event: &str, name: &str) -> Option<String> {
        let form = body.split(&format!("data-action=\"{event}\"")).nth(1)?.split("</form>").next()?;
        let select = form.split(&format!("<select name=\"{name}\"")).nth(1)?.split("</select>").next()?;
        let opt = select.split("<option").find(|o| o.contains(" selected"))?;
        opt.split("value=\"").nth(1)?.split('"').next().map(str::to_owned)
    }

    async fn a_refused_answer_comes_back_with_every_choice_as_it_was_chosen(app: TestApp) {
        let consumer = app.signed_in("consumer@demo.redline").await;
        let case_no = file_case(&consumer).await;
        let op = app.signed_in("operator@demo.redline").await;
        // Nothing is chosen for the operator: no accidental full acceptance.
        let page = op.get(&format!("/cases/{case_no}")).await;
        assert_eq!(selected(&page.body, "OPERATOR_RESPOND", "offer").as_deref(), Some(""));
        // A rejection without a reason is refused and comes back still a rejection.
        let p = op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "REJECT"), ("remedy", "补发赠品")]).await;
        assert!(p.body.contains("拒绝时必须说明理由"), "the reason is asked for");
        assert_eq!(selected(&p.body, "OPERATOR_RESPOND", "offer").as_deref(), Some("REJECT"));
        assert!(p.body.contains("value=\"补发赠品\""), "the remedy kept");
        assert!(p.body.contains("aria-describedby=\"err-message\"") && p.body.contains("id=\"err-message\""));
        // Without a choice at all, the offer itself is asked for.
        let p = op.act(&case_no, "operator", "OPERATOR_RESPOND", &[]).await;
        assert!(p.body.contains("请选择处理方案"));
        assert_eq!(crate::helpers::state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR");
        // The platform's decision keeps its offer and advance compensation.
        let plat = app.signed_in("platform@demo.redline").await;
        plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
        let p = plat
            .act(&case_no, "platform", "PLATFORM_DECIDE", &[("offer", "REJECT"), ("advance_compensation", "1")])
            .await;
        assert_eq!(selected(&p.body, "PLATFORM_DECIDE", "offer").as_deref(), Some("REJECT"));
        let form = p.body.split("data-action=\"PLATFORM_DECIDE\"").nth(1).unwrap().split("</form>").next().unwrap();
        assert!(form.contains("name=\"advance_compensation\" value=\"1\" checked"), "先行赔付 kept");
    }

    async fn order117_art12_a_tip_verdict_has_no_default_and_keeps_its_choice(app: TestApp) {
        let (tip_no, _) = crate::tips::file(&app.client(), "主播宣称“三天美白”，但商品并无相关功效证明。", "").await;
        let plat = app.signed_in("platform@demo.redline").await;
        let page = plat.get(&format!("/staff/tips/{tip_no}")).await;
        let form =
            page.body.split("id=\"platform-tip-form\"").nth(1).unwrap().split("</form>").next().unwrap().to_owned();
        assert_eq!(form.matches("checked").count(), 0, "no verdict chosen in advance");
        let url = format!("/do/staff/tips/{tip_no}/platform");
        let p = plat.post_form(&url, &[]).await;
        assert!(p.body.contains("请选择处置结果"));
        let p = plat.post_form(&url, &[("answer", "no_action"), ("message", "")]).await;
        let form = p.body.split("id=\"platform-tip-form\"").nth(1).unwrap().split("</form>").next().unwrap().to_owned();
        assert!(form.contains("value=\"no_action\" checked"), "the choice kept: {form}");
        assert!(p.body.contains("不予处置时须说明理由"));
        let p = plat.post_form(&url, &[("answer", "measure"), ("measure", "TRAFFIC_LIMIT"), ("message", "")]).await;
        assert!(p.url.starts_with("/staff/tips/"), "{}", p.url);
        assert_eq!(p.body.matches("平台处置已记录。").count(), 1, "said once");
        use sea_orm::EntityTrait;
        let row = redline_store::entity::tip::Entity::find().one(&app.store().db).await.unwrap().unwrap();
        assert_eq!(row.platform_measure.as_deref(), Some("TRAFFIC_LIMIT"));
    }

    async fn a_refused_filing_asks_for_the_chosen_files_again(app: TestApp) {
        let c = app.signed_in("consumer@demo.redline").await;
        let mut form = crate::helpers::complaint_form("1");
        form.retain(|(k, _)| *k != "narrative");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let p = c.post_multipart("/do/complaints", &pairs, &[("evidence", "截图.png", png)]).await;
        assert_eq!(p.url, "/me/new");
        assert!(p.body.contains("请重新选择文件"), "the lost files are named");
        // Every problem listed at the top, each linked to its field's message.
        let summary = p.body.split("id=\"error-summary\"").nth(1).unwrap().split("</div>").next().unwrap().to_owned();
        assert!(summary.contains("href=\"#err-evidence\"") && summary.contains("href=\"#err-narrative\""), "{summary}");
        assert!(p.body.contains("id=\"err-narrative\""), "the link has its target");
        // The control: without files nothing is said about them.
        let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
        assert!(!p.body.contains("请重新选择文件"));
    }

    async fn order121_art23_withdrawing_is_confirmed_and_every_step_says_it_was_taken(app: TestApp) {
        let c = app.signed_in("consumer@demo.redline").await;
        let case_no = file_case(&c).await;
        let page = c.get(&format!("/cases/{case_no}")).await;
        let form =
            page.body.split("data-action=\"WITHDRAW\"").nth(1).unwrap().split("</form>").next().unwrap().to_owned();
        let tag =
            page.body.split("data-action=\"WITHDRAW\"").next().unwrap().rsplit("<form").next().unwrap().to_owned();
        assert!(tag.contains("irreversible") || form.starts_with(" class=\"action irreversible\""), "set apart: {tag}");
        assert!(form.contains("name=\"confirm\" value=\"1\" required"), "asks to confirm");
        // Unticked (as a browser without `required` support would send it): refused, nothing changes.
        let url = format!("/do/cases/{case_no}/act");
        let p = c.post_form(&url, &[("event", "WITHDRAW"), ("role", "consumer")]).await;
        assert!(p.body.contains("此操作不可撤销，请勾选确认后再提交"));
        assert_eq!(crate::helpers::state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR");
        let p = c.post_form(&url, &[("event", "WITHDRAW"), ("role", "consumer"), ("confirm", "1")]).await;
        assert!(p.body.contains("id=\"notice\"") && p.body.contains("已提交"), "the step is acknowledged");
        assert_eq!(crate::helpers::state_of(&app, &case_no).await, "CLOSED_WITHDRAWN");
    }
}
