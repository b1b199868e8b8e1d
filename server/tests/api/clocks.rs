//! Clocks: the working-day deadline API, the overdue sweep and the platform's policy.
use crate::helpers::{
    case_row, clock_of, complaint_form, date, error_fields, escalated_case, file_case, post_complaint, state_of,
    TestApp,
};
use redline_store::entity::case_event;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order121_art45_deadline_api_counts_working_days_across_spring_festival,
    deadline_api_refuses_bad_input_with_localized_errors,
    t5_sweep_moves_overdue_operator_case_to_platform_exactly_once,
    t11_platform_overdue_becomes_escalation_ready,
    t9_d2_expiry_after_full_offer_closes_without_feedback,
    t9_order121_art16_4_a_case_closed_for_no_feedback_reopens_while_d12_runs,
    t9_d2_expiry_after_partial_offer_goes_to_platform,
    order117_art20_platform_sets_its_own_policy_clock_lengths,
    two_processes_sweep_at_once_and_each_clock_fires_once,
    t21_termination_closes_unresolved_and_starts_d7_notice_clock,
    order121_art23_5_sixty_days_of_mediation_count_from_acceptance,
    order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted,
    one_broken_case_does_not_stall_the_sweep,
    an_unknown_clock_and_an_unflaggable_preservation_clock_are_failures_left_for_the_next_run,
    order121_art45_d1_and_d4_run_across_spring_festival @ "2026-02-12 10:00",
    order121_art45_d1_and_d4_run_across_national_day @ "2026-09-29 10:00",
);

/// Files the standard complaint with a harm date before the app's "today";
/// returns the case's D1 and D4 due dates.
async fn file_on(app: &TestApp, harm_known_on: &str) -> (String, chrono::NaiveDate, chrono::NaiveDate) {
    let c = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    for (k, v) in form.iter_mut() {
        if *k == "harm_known_on" {
            *v = harm_known_on.to_owned();
        }
    }
    let p = post_complaint(&c, &form, &[]).await;
    assert!(p.url.starts_with("/cases/"), "filed: {}", p.url);
    let case_no = p.url.trim_start_matches("/cases/").to_owned();
    let (d1, d4) = (clock_of(app, &case_no, "D1").await, clock_of(app, &case_no, "D4").await);
    (case_no, d1.due_on, d4.due_on)
}

/// A case the code cannot read (here: a state no version of Redline wrote) is
/// reported and left for the next run; the clocks after it still fire, in the
/// same run and through the background job's paging.
async fn one_broken_case_does_not_stall_the_sweep(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..3 {
        cases.push(file_case(&consumer).await);
    }
    let broken = case_row(&app, &cases[0]).await;
    app.store()
        .db
        .execute_unprepared(&format!("UPDATE complaints SET state = 'NO_SUCH_STATE' WHERE id = {}", broken.id))
        .await
        .unwrap();
    app.advance_days(12);
    // As the background job runs it: batch after batch, paging past failures.
    let ctx = server::jobs::JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: None,
    };
    let run = server::jobs::Job::Sweep.run(&ctx).await.unwrap();
    assert_eq!(run.failed, 1, "{run:?}");
    for c in &cases[1..] {
        assert_eq!(state_of(&app, c).await, "PLATFORM_INTERVENTION", "{c} moved on");
    }
    let d1 = clock_of(&app, &cases[0], "D1").await;
    assert_eq!(d1.status, "RUNNING", "the failed claim was rolled back, to be tried again");
    // The next run tries it again, and only it.
    let again = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!((again.expired, again.transitions, again.failed), (0, 0, 1), "{again:?}");
}

/// A missed preservation clock (D4) whose flag cannot be written is counted as
/// failed and left running for the next run; the other clocks fire in the
/// same run. A clock of a kind this code does not know is never listed, and
/// fails if handed to `fire` anyway.
async fn an_unknown_clock_and_an_unflaggable_preservation_clock_are_failures_left_for_the_next_run(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let cases = [file_case(&consumer).await, file_case(&consumer).await, file_case(&consumer).await];
    let db = &app.store().db;
    let unknown = clock_of(&app, &cases[0], "D1").await;
    db.execute_unprepared(&format!("UPDATE clocks SET kind = 'D99' WHERE id = {}", unknown.id)).await.unwrap();
    // Every PRESERVATION_OVERDUE event is refused by the database.
    let refuse = if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        "CREATE TRIGGER refuse_flag BEFORE INSERT ON case_events WHEN NEW.event_type = 'PRESERVATION_OVERDUE' \
         BEGIN SELECT RAISE(ABORT, 'refused'); END"
            .to_owned()
    } else {
        db.execute_unprepared("CREATE FUNCTION refuse_flag() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql")
            .await
            .unwrap();
        "CREATE TRIGGER refuse_flag BEFORE INSERT ON case_events FOR EACH ROW \
         WHEN (NEW.event_type = 'PRESERVATION_OVERDUE') EXECUTE FUNCTION refuse_flag()"
            .to_owned()
    };
    db.execute_unprepared(&refuse).await.unwrap();
    // D4 was due 2026-11-26 and D1 2026-11-30: both have run out.
    app.move_to("2026-12-01 10:00");
    let run = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    // Three D4 flags refused; two D1s fired; the D99 clock is not listed.
    assert_eq!((run.expired, run.transitions, run.failed), (2, 2, 3), "{run:?}");
    for c in &cases {
        assert_eq!(clock_of(&app, c, "D4").await.status, "RUNNING", "{c}: the refused flag's claim rolled back");
        assert!(!case_row(&app, c).await.preservation_overdue);
    }
    assert_eq!(state_of(&app, &cases[0]).await, "ROUTED_TO_OPERATOR");
    for c in &cases[1..] {
        assert_eq!(state_of(&app, c).await, "PLATFORM_INTERVENTION");
    }
    let d99 = vec![clock_of(&app, &cases[0], "D99").await];
    let fired = redline_store::case::sweep::fire(app.store(), d99).await.unwrap();
    assert_eq!((fired.expired, fired.transitions, fired.failed), (0, 0, 1), "{fired:?}");
    assert_eq!(clock_of(&app, &cases[0], "D99").await.status, "RUNNING");
    // Once the flag can be written, the next run flags all three.
    db.execute_unprepared(if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        "DROP TRIGGER refuse_flag"
    } else {
        "DROP TRIGGER refuse_flag ON case_events"
    })
    .await
    .unwrap();
    let again = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!((again.expired, again.transitions, again.failed), (3, 0, 0), "{again:?}");
    for c in &cases {
        assert!(case_row(&app, c).await.preservation_overdue, "{c} flagged");
    }
}

/// Sweeps at `at` and returns (clocks expired, transitions applied).
async fn sweep_at(app: &TestApp, at: &str) -> (usize, usize) {
    app.move_to(at);
    let r = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    (r.expired, r.transitions)
}

async fn order121_art45_d1_and_d4_run_across_spring_festival(app: TestApp) {
    // Thursday 2026-02-12. Working days: Fri 02-13, Sat 02-14 (make-up day), then
    // the Spring Festival rest days 02-15..02-23, then Tue 02-24, Wed 02-25, Thu 02-26.
    let (case_no, d1, d4) = file_on(&app, "2026-02-10").await;
    assert_eq!((d1, d4), (date("2026-02-26"), date("2026-02-24")));
    assert_eq!(sweep_at(&app, "2026-02-24 23:59").await, (0, 0), "the due day itself is not missed");
    assert_eq!(sweep_at(&app, "2026-02-25 00:01").await, (1, 0), "D4 missed, flagged only");
    assert_eq!(sweep_at(&app, "2026-02-26 23:59").await, (0, 0));
    assert_eq!(state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR");
    assert_eq!(sweep_at(&app, "2026-02-27 00:01").await, (1, 1), "D1 missed: T5");
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
}

async fn order121_art45_d1_and_d4_run_across_national_day(app: TestApp) {
    // Tuesday 2026-09-29. Working days: Wed 09-30, then National Day 10-01..10-07,
    // then Thu 10-08, Fri 10-09, Sat 10-10 (make-up day), Mon 10-12.
    let (case_no, d1, d4) = file_on(&app, "2026-09-28").await;
    assert_eq!((d1, d4), (date("2026-10-12"), date("2026-10-09")));
    assert_eq!(sweep_at(&app, "2026-10-09 23:59").await, (0, 0));
    assert_eq!(sweep_at(&app, "2026-10-10 00:01").await, (1, 0), "D4 missed, flagged only");
    assert_eq!(sweep_at(&app, "2026-10-12 23:59").await, (0, 0), "the make-up Saturday counted");
    assert_eq!(state_of(&app, &case_no).await, "ROUTED_TO_OPERATOR");
    assert_eq!(sweep_at(&app, "2026-10-13 00:01").await, (1, 1), "D1 missed: T5");
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
}

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
    assert_eq!(j["error"]["code"], "bad_request");
    assert_eq!(error_fields(&j), ["start"]);
    assert!(j["error"]["fields"]["start"]["zh"].as_str().unwrap().contains("日期"));
    assert!(j["error"]["fields"]["start"]["en"].as_str().unwrap().contains("YYYY-MM-DD"));
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=-1").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["days".to_owned()]));
    let (s, j) = c.json("/api/v1/deadlines?start=%2B262142-12-31&days=1").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["start".to_owned()]), "far-future years are refused, not a panic");
    let (s, j) = c.json("/api/v1/deadlines?start=2026-01-01&days=1&calendar=lunar").await;
    assert_eq!((s, error_fields(&j)), (400, vec!["calendar".to_owned()]));
}

async fn t5_sweep_moves_overdue_operator_case_to_platform_exactly_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    // Nothing is due yet.
    assert_eq!(redline_store::case::sweep::sweep(app.store(), 100).await.unwrap().transitions, 0);
    app.advance_days(12);
    // Two sweepers at the same moment: exactly one applies T5.
    let (a, b) = tokio::join!(
        redline_store::case::sweep::sweep(app.store(), 100),
        redline_store::case::sweep::sweep(app.store(), 100)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    // D1 (due 2026-11-30) and D4 (due 2026-11-26) have run out by 2026-12-05.
    assert_eq!((a.expired + b.expired, a.transitions + b.transitions), (2, 1), "{a:?} {b:?}");
    let again = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
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
    let d3 = clock_of(&app, &case_no, "D3").await;
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

async fn t9_d2_expiry_after_full_offer_closes_without_feedback(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CONSUMER_REVIEW");
    app.advance_days(9); // D2: 7 natural days
    let r = redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(r.transitions, 1);
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_NO_FEEDBACK");
}

async fn t9_order121_art16_4_a_case_closed_for_no_feedback_reopens_while_d12_runs(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // One harm known on 2026-11-20, one on 2023-11-25: three years end on 2026-11-25.
    let recent = file_case(&consumer).await;
    let mut form = complaint_form("1");
    form.iter_mut().filter(|(k, _)| *k == "harm_known_on").for_each(|(_, v)| *v = "2023-11-25".into());
    let old = post_complaint(&consumer, &form, &[]).await.url.trim_start_matches("/cases/").to_owned();
    let op = app.signed_in("operator@demo.redline").await;
    for c in [&recent, &old] {
        op.act(c, "operator", "OPERATOR_RESPOND", &[("offer", "FULL"), ("remedy", "全额退款")]).await;
    }
    app.advance_days(9); // D2: 7 natural days; now Wednesday 2026-12-02
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    for c in [&recent, &old] {
        assert_eq!(state_of(&app, c).await, "CLOSED_NO_FEEDBACK");
    }
    let consumer = app.signed_in("consumer@demo.redline").await;
    let page = consumer.get(&format!("/cases/{recent}")).await.body;
    assert!(page.contains("value=\"REOPEN\""), "the closed case offers to reopen");
    consumer.act(&recent, "consumer", "REOPEN", &[]).await;
    assert_eq!(state_of(&app, &recent).await, "ESCALATION_READY", "on to market supervision");
    // Past the three years: the offer is gone and a forged post changes nothing.
    assert!(!consumer.get(&format!("/cases/{old}")).await.body.contains("value=\"REOPEN\""));
    consumer.act(&old, "consumer", "REOPEN", &[]).await;
    assert_eq!(state_of(&app, &old).await, "CLOSED_NO_FEEDBACK");
}

async fn t9_d2_expiry_after_partial_offer_goes_to_platform(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let op = app.signed_in("operator@demo.redline").await;
    op.act(&case_no, "operator", "OPERATOR_RESPOND", &[("offer", "PARTIAL")]).await;
    app.advance_days(9);
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "PLATFORM_INTERVENTION");
}

async fn order117_art20_platform_sets_its_own_policy_clock_lengths(app: TestApp) {
    let plat = app.signed_in("platform@demo.redline").await;
    let bad = plat.post_form("/do/platforms/1/policy", &[("d1", "45"), ("d2", "x"), ("d3", "")]).await;
    assert!(bad.body.contains("1到10之间的整数"), "D1 at most 10 working days");
    assert!(bad.body.contains("7到30之间的整数"), "D2 never below 7 days");
    assert!(bad.body.contains("value=\"45\""), "typed value kept");
    // Each within range, but together past the ODR window: refused, values kept.
    let long = plat.post_form("/do/platforms/1/policy", &[("d1", "8"), ("d2", ""), ("d3", "5")]).await;
    assert!(long.body.contains("合计不得超过 10 个工作日"), "D1 + D3 at most 10 working days");
    assert!(long.body.contains("value=\"8\""), "typed value kept");
    let ok = plat.post_form("/do/platforms/1/policy", &[("d1", "3"), ("d2", ""), ("d3", "")]).await;
    assert_eq!(ok.url, "/platform/settings");
    assert_eq!(ok.body.matches("设置已保存。").count(), 1, "said once after saving");
    assert!(!plat.get("/platform/settings").await.body.contains("设置已保存。"), "and not again");
    // Another platform's settings are refused.
    let other = plat.post_form("/do/platforms/2/policy", &[("d1", "9")]).await;
    assert!(other.body.contains("无权"));
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    let d1 = clock_of(&app, &case_no, "D1").await;
    assert_eq!(d1.days, 3);
    let mine = consumer.get("/me/cases").await;
    assert!(mine.body.contains("data-clock=\"D1\""), "running clock shown in my cases");
}

/// The claim (`RUNNING` → `EXPIRED` by a conditional update) is the only thing
/// that stops a second process from firing a clock again: D4 has no state
/// transition to refuse a repeat, so without the claim its flag and event
/// would be written twice, and `expired` would count clocks twice.
async fn two_processes_sweep_at_once_and_each_clock_fires_once(app: TestApp) {
    use redline_store::case::sweep::{due_clocks, fire, sweep};
    const CASES: usize = 12;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let mut cases = Vec::new();
    for _ in 0..2 * CASES {
        cases.push(file_case(&consumer).await);
    }
    // From 2026-11-23 to 2026-12-05: D4 (due 11-26) and D1 (due 11-30) have run out.
    app.advance_days(12);
    // Two processes, each with its own connections, list the same due clocks;
    // then their firing interleaves: A fires the first half of its list, B its
    // whole list, A the rest of its (now stale) list.
    let other = app.second_process().await;
    let (a_list, b_list) =
        (due_clocks(app.store(), None, 1000).await.unwrap(), due_clocks(&other, None, 1000).await.unwrap());
    assert_eq!((a_list.len(), b_list.len()), (4 * CASES, 4 * CASES));
    let (a_first, a_rest) = (a_list[..2 * CASES].to_vec(), a_list[2 * CASES..].to_vec());
    let a1 = fire(app.store(), a_first).await.unwrap();
    let b = fire(&other, b_list).await.unwrap();
    let a2 = fire(app.store(), a_rest).await.unwrap();
    assert_eq!((a1.expired, a1.skipped), (2 * CASES, 0), "{a1:?}");
    assert_eq!((b.expired, b.skipped), (2 * CASES, 2 * CASES), "B skips what A claimed: {b:?}");
    assert_eq!((a2.expired, a2.skipped), (0, 2 * CASES), "A skips what B claimed: {a2:?}");
    assert_eq!(a1.transitions + b.transitions + a2.transitions, 2 * CASES, "one T5 per case");
    assert_eq!(a1.failed + b.failed + a2.failed, 0);
    for c in &cases {
        let m = case_row(&app, c).await;
        assert_eq!(m.state, "PLATFORM_INTERVENTION");
        let events = |kind: &'static str| {
            case_event::Entity::find()
                .filter(case_event::Column::CaseId.eq(m.id))
                .filter(case_event::Column::EventType.eq(kind))
                .count(&app.store().db)
        };
        assert_eq!(events("PRESERVATION_OVERDUE").await.unwrap(), 1, "{c}");
        assert_eq!(events("D1_EXPIRED").await.unwrap(), 1, "{c}");
    }
    assert_eq!(sweep(&other, 1000).await.unwrap(), Default::default(), "nothing left to do");
    // And truly at once, as two timers would: the sum is the same whoever wins.
    for _ in 0..CASES {
        file_case(&consumer).await;
    }
    // By 2026-12-17 the new cases' D1 and D4 have run out, and so has the
    // platform's D3 on each of the first 24 (T11).
    app.advance_days(12);
    let (x, y) = tokio::join!(sweep(app.store(), 1000), sweep(&other, 1000));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!((x.expired + y.expired, x.transitions + y.transitions), (4 * CASES, 3 * CASES), "{x:?} {y:?}");
    let flags = case_event::Entity::find()
        .filter(case_event::Column::EventType.eq("PRESERVATION_OVERDUE"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(flags as usize, 3 * CASES);
}

async fn t21_termination_closes_unresolved_and_starts_d7_notice_clock(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    reg.act(&case_no, "regulator", "TERMINATE", &[("reason", "NO_AGREEMENT_POSSIBLE")]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION_TERMINATED");
    let d7 = || clock_of(&app, &case_no, "D7");
    assert_eq!(d7().await.status, "RUNNING", "the notice clock runs (Order 121 Art. 23 ¶2)");
    assert!(d7().await.legal);
    let page = consumer.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("data-clock=\"D7\""));
    // Recording the notice closes the case and stops D7: nothing stays overdue on a closed case.
    reg.act(&case_no, "regulator", "CLOSE_TERMINATED", &[("message", "已电话及短信告知双方")]).await;
    assert_eq!(state_of(&app, &case_no).await, "CLOSED_UNRESOLVED");
    assert_eq!(d7().await.status, "STOPPED");
    // Order 121 Art. 25: arbitration or the courts.
    let page = consumer.get(&format!("/cases/{case_no}")).await.body;
    let routes = page.split("id=\"other-routes\"").nth(1).expect("the other routes");
    assert!(routes.contains("申请仲裁") && routes.contains("向人民法院提起诉讼"), "{routes}");
}

async fn order121_art23_5_sixty_days_of_mediation_count_from_acceptance(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    // Accepted on Monday 2026-11-23; both parties agree to mediate three days later.
    reg.act(&case_no, "regulator", "REGULATOR_ACCEPT", &[]).await;
    let d6 = || clock_of(&app, &case_no, "D6");
    assert_eq!(d6().await.status, "RUNNING", "D6 runs from acceptance");
    app.advance_days(3);
    reg.act(&case_no, "regulator", "START_MEDIATION", &[]).await;
    assert_eq!(state_of(&app, &case_no).await, "MEDIATION");
    let k = d6().await;
    // Sixty natural days after 2026-11-23 (the start day not counted): 2027-01-22.
    assert_eq!((k.start_on, k.due_on, k.status.as_str()), (date("2026-11-23"), date("2027-01-22"), "RUNNING"));
    let running = redline_store::entity::clock::Entity::find()
        .filter(redline_store::entity::clock::Column::CaseId.eq(case_row(&app, &case_no).await.id))
        .filter(redline_store::entity::clock::Column::Kind.eq("D6"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(running, 1, "starting mediation starts no second clock");
}

async fn order121_art15_d5_overdue_is_marked_in_the_regulator_queue_not_deemed_accepted(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    app.advance_days(15);
    redline_store::case::sweep::sweep(app.store(), 100).await.unwrap();
    assert_eq!(state_of(&app, &case_no).await, "ESCALATED_TO_REGULATOR", "D5 has no automatic effect");
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator").await;
    let row =
        q.body.split(&format!("data-case=\"{case_no}\"")).nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
    assert!(row.contains("已逾期"), "overdue marked: {row}");
    // The consumer is told the agency is late and where to follow it up (12315), once.
    server::jobs::notify(app.store()).await.unwrap();
    server::jobs::notify(app.store()).await.unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let told = redline_store::entity::notification::Entity::find()
        .filter(redline_store::entity::notification::Column::Kind.eq("REGULATOR_OVERDUE"))
        .all(&app.store().db)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].user_id, Some(case_row(&app, &case_no).await.consumer_id));
    assert!(told[0].body.contains("12315") && told[0].body.contains("不能视为已受理"), "{}", told[0].body);
}
