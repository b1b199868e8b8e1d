//! Black-box tests of the spine, each run on SQLite and on PostgreSQL.
mod common;
use common::{case_row, complaint_form, escalated_case, file_case, mailed_link, register, state_of, TestApp};
use redline_store::entity::{case_event, clock, complaint};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order121_art45_deadline_api_counts_working_days_across_spring_festival,
    deadline_api_refuses_bad_input_with_localized_errors,
    consumer_registers_and_bad_input_keeps_typed_values,
    t1_t3_filing_routes_to_operator_and_starts_d1,
    filing_with_errors_loses_nothing_typed,
    clock_time_is_located_in_a_known_stream_session,
    authorization_limits_each_party_to_its_own_cases,
    full_chain_operator_platform_regulator_mediation_agreement,
    t5_sweep_moves_overdue_operator_case_to_platform_exactly_once,
    t11_platform_overdue_becomes_escalation_ready,
    t17_regulator_refusal_closes_with_art16_reason,
    t15_regulator_reassigns_to_another_agency,
    t22_consumer_withdraws,
    refused_transition_is_reported_not_applied,
    queues_paginate_by_keyset_without_overlap,
    language_switch_persists,
    t9_d2_expiry_after_full_offer_closes_without_feedback,
    t9_d2_expiry_after_partial_offer_goes_to_platform,
    order117_art20_platform_sets_its_own_policy_clock_lengths,
    admin_adds_staff_who_then_sees_their_queue,
    two_processes_sweep_at_once_and_each_clock_fires_once,
    t21_termination_closes_unresolved_and_starts_d7_notice_clock,
    order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted,
    sessions_expire_and_housekeeping_removes_them,
    order121_art16_4_old_harm_is_a_warning_for_the_regulator_only,
    a_stale_page_cannot_accept_a_newer_offer,
    escalation_without_a_covering_agency_is_refused_not_stranded,
);

async fn order121_art45_deadline_api_counts_working_days_across_spring_festival(app: TestApp) {
    let c = app.client();
    let (s, j) = c.json("/api/v1/deadlines?start=2026-02-13&days=7&calendar=working").await;
    assert_eq!(s, 200);
    assert_eq!(j["due"], "2026-03-02");
    assert_eq!(j["provisional"], false);
    assert!(j["summary_zh"].as_str().unwrap().contains("春节"));
    let (_, j) = c.json("/api/v1/deadlines?start=2027-03-01&days=5&calendar=working").await;
    assert_eq!(j["provisional"], true);
    let (_, j) = c.json("/api/v1/deadlines?start=2026-09-01&days=30&calendar=natural").await;
    // 2026-10-01 is National Day: a natural period ending on it moves past the holiday.
    assert_eq!(j["due"], "2026-10-08");
}

async fn deadline_api_refuses_bad_input_with_localized_errors(app: TestApp) {
    let c = app.client();
    let (s, j) = c.json("/api/v1/deadlines?start=2026-13-01&days=7").await;
    assert_eq!(s, 400);
    assert_eq!(j["field"], "start");
    assert!(j["error_zh"].as_str().unwrap().contains("日期"));
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=-1").await;
    assert_eq!((s, j["field"].as_str()), (400, Some("days")));
    let (s, j) = c.json("/api/v1/deadlines?start=%2B262142-12-31&days=1").await;
    assert_eq!((s, j["field"].as_str()), (400, Some("start")), "far-future years are refused, not a panic");
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=1&calendar=lunar").await;
    assert_eq!((s, j["field"].as_str()), (400, Some("calendar")));
}

async fn consumer_registers_and_bad_input_keeps_typed_values(app: TestApp) {
    let c = app.client();
    let p = c.post_form("/do/register", &[("name", "王小明"), ("email", "not-an-email"), ("password", "short")]).await;
    assert_eq!(p.url, "/register");
    assert!(p.body.contains("邮箱格式不正确"), "email error shown");
    assert!(p.body.contains("密码至少10位"));
    assert!(p.body.contains("王小明"), "typed name kept");
    assert!(p.body.contains("not-an-email"), "typed email kept");
    assert!(!p.body.contains("short\""), "password is never echoed");
    register(&app, &c, "王小明", "wang@example.com").await;
    // Registering a taken address answers exactly as for a new one (no
    // enumeration); the mail tells the owner instead.
    let fresh = app
        .client()
        .post_form(
            "/do/register",
            &[("name", "X"), ("email", "new-person@example.com"), ("password", "a-long-password")],
        )
        .await;
    let again = app
        .client()
        .post_form("/do/register", &[("name", "X"), ("email", "WANG@example.com"), ("password", "a-long-password")])
        .await;
    assert_eq!(again.url, fresh.url);
    let notice = |b: &str| {
        b.split("id=\"notice\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap().to_owned()
    };
    assert_eq!(
        notice(&again.body).replace("wang@example.com", "X"),
        notice(&fresh.body).replace("new-person@example.com", "X")
    );
    assert!(!again.body.contains("已注册"));
    assert_eq!(mailed_link(&app, "wang@example.com").await.as_deref(), Some("/login"), "the owner is told by mail");
    let login =
        app.client().post_form("/do/login", &[("email", "wang@example.com"), ("password", "wrong-password")]).await;
    assert!(login.body.contains("邮箱或密码不正确"));
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
    let d1 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D1"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d1.kind, "D1");
    assert_eq!(d1.status, "RUNNING");
    let expected = redline_rules::calendar::Calendar::official()
        .deadline(app.store().today(), 5, redline_rules::calendar::CalendarKind::Working)
        .due;
    assert_eq!(d1.due_on, expected);
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

async fn clock_time_is_located_in_a_known_stream_session(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    // The seeded session started three hours ago and ended one hour ago.
    let t = (app.store().now() - chrono::Duration::minutes(150)).with_timezone(&chrono_tz::Asia::Shanghai);
    let mut form = complaint_form("1");
    form[2].1 = "clock".into();
    form.push(("clock", t.format("%Y-%m-%dT%H:%M").to_string()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.url.starts_with("/cases/"));
    let m = complaint::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert!(m.stream_session_id.is_some());
    let off = m.stream_offset_s.unwrap();
    assert!((29 * 60..=31 * 60).contains(&off), "offset {off}");
    // Outside every session: accepted, flagged unknown.
    let t = (app.store().now() - chrono::Duration::hours(30)).with_timezone(&chrono_tz::Asia::Shanghai);
    let mut form = complaint_form("1");
    form[2].1 = "clock".into();
    form.push(("clock", t.format("%Y-%m-%dT%H:%M").to_string()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(p.body.contains("场次未知"), "session unknown shown");
}

async fn authorization_limits_each_party_to_its_own_cases(app: TestApp) {
    let owner = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&owner).await;
    let path = format!("/cases/{case_no}");
    let other = app.client();
    register(&app, &other, "路人", "other@example.com").await;
    let p = other.get(&path).await;
    assert!(p.body.contains("无权查看"), "another consumer is refused");
    assert!(!p.body.contains("三天美白"));
    let anon = app.client().get(&path).await;
    assert!(anon.body.contains("请先登录"));
    assert!(!anon.body.contains("三天美白"));
    // The regulator sees nothing before escalation; the platform and operator do.
    let reg = app.signed_in("regulator@demo.redline").await;
    assert!(reg.get(&path).await.body.contains("无权查看"));
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

/// The stored case row, for assertions the pages do not show.
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
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &[("consent", "1")]).await;
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
    app.advance_days(3);
    reg.act(&case_no, "regulator", "RESUME_MEDIATION", &[]).await;
    let m = case_row(&app, &case_no).await;
    let d6 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D6"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert!(d6.paused_secs >= 3 * 86_400);
    let unpaused = redline_rules::calendar::Calendar::official()
        .deadline(d6.start_on, 60, redline_rules::calendar::CalendarKind::Natural)
        .due;
    assert!(d6.due_on >= unpaused + chrono::Duration::days(3), "pause added to the due date (Order 121 Art. 22)");
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

async fn t5_sweep_moves_overdue_operator_case_to_platform_exactly_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    // Nothing is due yet.
    assert_eq!(redline_store::sweep::sweep(app.store(), 100).await.unwrap().transitions, 0);
    app.advance_days(12);
    // Two sweepers at the same moment: exactly one applies T5.
    let (a, b) =
        tokio::join!(redline_store::sweep::sweep(app.store(), 100), redline_store::sweep::sweep(app.store(), 100));
    assert_eq!(a.unwrap().transitions + b.unwrap().transitions, 1);
    let again = redline_store::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(again.transitions, 0);
    let m = case_row(&app, &case_no).await;
    assert_eq!(m.state, "PLATFORM_INTERVENTION");
    assert!(m.operator_untimely);
    let t5 = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(m.id))
        .filter(case_event::Column::TransitionId.eq("T5"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(t5, 1);
    let d3 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D3"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d3.status, "RUNNING");
}

async fn t11_platform_overdue_becomes_escalation_ready(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let plat = app.signed_in("platform@demo.redline").await;
    plat.act(&case_no, "platform", "PLATFORM_INTERVENE", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
    app.advance_days(12);
    let c = app.client();
    let r = c.http.post(format!("{}/api/test/sweep", app.url)).send().await.unwrap();
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["transitions"], 1);
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
    let m = case_row(&app, &case_no).await;
    assert!(m.platform_untimely);
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
    assert!(page.body.contains("Art. 16(3)"), "refusal reason shown with its article");
}

async fn t15_regulator_reassigns_to_another_agency(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let xihu = redline_store::entity::agency::Entity::find()
        .filter(redline_store::entity::agency::Column::RegionCode.eq("330106"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    reg.act(&case_no, "regulator", "DISPATCH", &[("agency_id", &xihu.id.to_string())]).await;
    assert_eq!(state_of(&app, &case_no).await, "REGULATOR_DISPATCHED");
    assert!(!reg.get("/regulator").await.body.contains(&case_no));
    let reg2 = app.signed_in("regulator2@demo.redline").await;
    assert!(reg2.get("/regulator").await.body.contains(&case_no));
    reg2.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "REGULATOR_ACCEPTED");
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

async fn queues_paginate_by_keyset_without_overlap(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut all = Vec::new();
    for _ in 0..23 {
        all.push(file_case(&consumer).await);
    }
    let op = app.signed_in("operator@demo.redline").await;
    let first = op.get("/operator").await;
    let next = first
        .body
        .split("href=\"/operator?after=")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .expect("next link");
    let second = op.get(&format!("/operator?after={next}")).await;
    let count = |b: &str| all.iter().filter(|c| b.contains(&format!("data-case=\"{c}\""))).count();
    assert_eq!(count(&first.body), 20);
    assert_eq!(count(&second.body), 3);
    assert!(all
        .iter()
        .all(|c| first.body.contains(&format!("data-case=\"{c}\""))
            != second.body.contains(&format!("data-case=\"{c}\""))));
    assert!(!second.body.contains("?after="));
}

async fn language_switch_persists(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let zh = c.get("/me/cases").await;
    assert!(zh.body.contains("我的投诉"));
    let r = c
        .http
        .get(format!("{}/lang/en", app.url))
        .header("referer", format!("{}/me/cases", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().path(), "/me/cases");
    let en = r.text().await.unwrap();
    assert!(en.contains("My cases"));
    // Persisted on the account: a fresh sign-in (new cookie jar) gets English too.
    let again = app.signed_in("consumer@demo.redline").await;
    assert!(again.get("/me/cases").await.body.contains("My cases"));
}

async fn t9_d2_expiry_after_full_offer_closes_without_feedback(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    app.advance_days(9); // D2: 7 natural days
    let r = redline_store::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(r.transitions, 1);
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_NO_FEEDBACK");
}

async fn t9_d2_expiry_after_partial_offer_goes_to_platform(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "PARTIAL")]).await;
    app.advance_days(9);
    redline_store::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
}

async fn order117_art20_platform_sets_its_own_policy_clock_lengths(app: TestApp) {
    let plat = app.signed_in("platform@demo.redline").await;
    let bad = plat.post_form("/do/platforms/1/policy", &[("d1", "45"), ("d2", "x"), ("d3", "")]).await;
    assert!(bad.body.contains("1到10之间的整数"), "D1 at most 10 working days");
    assert!(bad.body.contains("7到30之间的整数"), "D2 never below 7 days");
    assert!(bad.body.contains("value=\"45\""), "typed value kept");
    let ok = plat.post_form("/do/platforms/1/policy", &[("d1", "3"), ("d2", ""), ("d3", "")]).await;
    assert_eq!(ok.url, "/platform/settings");
    // Another platform's settings are refused.
    let other = plat.post_form("/do/platforms/2/policy", &[("d1", "9")]).await;
    assert!(other.body.contains("无权"));
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let m = case_row(&app, &case_no).await;
    let d1 = clock::Entity::find()
        .filter(clock::Column::CaseId.eq(m.id))
        .filter(clock::Column::Kind.eq("D1"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d1.days, 3);
    let mine = consumer.get("/me/cases").await;
    assert!(mine.body.contains("data-clock=\"D1\""), "running clock shown in my cases");
}

async fn admin_adds_staff_who_then_sees_their_queue(app: TestApp) {
    let admin = app.signed_in("admin@demo.redline").await;
    let page = admin.get("/admin").await;
    assert!(page.body.contains("operator@demo.redline"));
    // A consumer cannot administer.
    let consumer = app.signed_in("consumer@demo.redline").await;
    assert!(consumer.get("/admin").await.body.contains("仅管理员可访问"));
    let refused = consumer
        .post_form(
            "/do/admin/grant",
            &[("email", "x@example.com"), ("org", "agency:3"), ("name", "X"), ("password", "a-long-password")],
        )
        .await;
    assert!(refused.body.contains("仅管理员可访问") || refused.body.contains("无权"));
    // An invitation grants nothing until it is taken through the mailed link.
    let p = admin
        .post_form("/do/admin/grant", &[("email", "haidian@example.com"), ("org", "agency:3"), ("name", "海淀")])
        .await;
    assert!(p.body.contains("已向 haidian@example.com 发送邀请链接"), "the admin is told");
    let link = mailed_link(&app, "haidian@example.com").await.unwrap();
    let staff = app.client();
    let page = staff.get(&link).await;
    assert!(page.body.contains("接受邀请"));
    let short = staff.post_form(&format!("/do{link}"), &[("name", "海淀"), ("password", "short")]).await;
    assert!(short.body.contains("密码至少10位"), "a short password is refused, the link still works");
    let r = staff.post_form(&format!("/do{link}"), &[("name", "海淀"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/regulator");
    let again = app.client().post_form(&format!("/do{link}"), &[("password", "another-long-password")]).await;
    assert!(again.body.contains("此链接无效、已使用或已过期"), "a link is taken once");
    let r =
        app.client().post_form("/do/login", &[("email", "haidian@example.com"), ("password", "a-long-password")]).await;
    assert_eq!(r.url, "/regulator");
}

async fn two_processes_sweep_at_once_and_each_clock_fires_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..6 {
        cases.push(file_case(&consumer).await);
    }
    app.advance_days(12);
    let other = app.second_process().await;
    let (a, b) = tokio::join!(redline_store::sweep::sweep(app.store(), 100), redline_store::sweep::sweep(&other, 100));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.transitions + b.transitions, 6, "{a:?} {b:?}");
    let t5 = case_event::Entity::find()
        .filter(case_event::Column::TransitionId.eq("T5"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(t5, 6);
    for c in cases {
        assert_eq!(state_of(&app, &c).await, "PLATFORM_INTERVENTION");
    }
}

async fn t21_termination_closes_unresolved_and_starts_d7_notice_clock(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    reg.act(&case_no, "regulator", "TERMINATE", &[("reason", "NO_AGREEMENT_POSSIBLE")]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION_TERMINATED");
    let m = case_row(&app, &case_no).await;
    let d7 = || async {
        clock::Entity::find()
            .filter(clock::Column::CaseId.eq(m.id))
            .filter(clock::Column::Kind.eq("D7"))
            .one(&app.store().db)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(d7().await.status, "RUNNING", "the notice clock runs (Order 121 Art. 23 ¶2)");
    assert!(d7().await.legal);
    let page = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-clock=\"D7\""));
    // Recording the notice closes the case and stops D7: nothing stays overdue on a closed case.
    reg.act(&case_no, "regulator", "CLOSE_TERMINATED", &[("message", "已电话及短信告知双方")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_UNRESOLVED");
    assert_eq!(d7().await.status, "STOPPED");
}

async fn order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    app.advance_days(15);
    redline_store::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR", "D5 has no automatic effect");
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator").await;
    let row =
        q.body.split(&format!("data-case=\"{case_no}\"")).nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    assert!(row.contains("已逾期"), "overdue marked: {row}");
}

async fn sessions_expire_and_housekeeping_removes_them(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    assert!(consumer.get("/me/cases").await.body.contains("我的投诉"));
    app.advance_days(15);
    assert!(consumer.get("/me/cases").await.body.contains("请先登录"), "a 14-day session has expired");
    server::jobs::housekeeping(app.store(), &app.running.vault).await;
    let left = redline_store::entity::session::Entity::find().count(&app.store().db).await.unwrap();
    assert_eq!(left, 0);
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
    consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &[("consent", "1")]).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("第16条第4项"));
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
    // Neither candidate county (330105, 330106) has an agency on Redline.
    agency::Entity::delete_many()
        .filter(agency::Column::RegionCode.is_in(["330105", "330106"]))
        .exec(&app.store().db)
        .await
        .unwrap();
    let p = consumer.act(&case_no, "consumer", "CONFIRM_ESCALATION", &[("consent", "1")]).await;
    assert!(p.body.contains("12315"), "told where to go instead");
    assert_eq!(state_of(&app, &case_no).await, "ESCALATION_READY");
}

/// Several processes starting together on one empty PostgreSQL: one migrates
/// and seeds, the others wait and find it done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_processes_starting_together_migrate_and_seed_once() {
    use sea_orm::{ConnectionTrait, Database};
    let schema = format!("t_{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff);
    let admin = Database::connect(common::pg_base()).await.unwrap();
    admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.unwrap();
    let url = format!("{}?options=-c%20search_path%3D{schema}", common::pg_base());
    let config = |url: &str| server::config::Config { test_hooks: false, ..common::test_config(url) };
    let (a, b, c) = tokio::join!(server::start(config(&url)), server::start(config(&url)), server::start(config(&url)));
    let (a, _b, _c) = (a.unwrap(), b.unwrap(), c.unwrap());
    let platforms = redline_store::entity::platform::Entity::find().count(&a.store.db).await.unwrap();
    assert_eq!(platforms, 2);
}
