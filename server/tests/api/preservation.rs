//! Replay preservation (Order 117 Art. 16): the request opened on filing, the
//! platform's answer, the three-year minimum and the D4 clock.
use crate::helpers::{
    case_row, clock_of, complaint_form, date, error_fields, escalated_case, file_case, post_complaint, preservation_of,
    TestApp,
};
use redline_store::entity::{case_event, clock, stream_session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order117_art16_filing_opens_a_preservation_request_on_d4,
    order117_art16_platform_confirms_preservation_and_d4_stops,
    order117_art16_retention_shorter_than_three_years_is_refused,
    order117_art16_missed_d4_is_flagged_on_the_regulator_view_once,
    order117_art16_retention_runs_from_the_transaction_not_the_filing,
);

async fn d4(app: &TestApp, case_no: &str) -> clock::Model {
    clock_of(app, case_no, "D4").await
}

async fn order117_art16_filing_opens_a_preservation_request_on_d4(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await; // 00:42:10 into the demo session
    let p = preservation_of(&app, &case_no).await;
    assert_eq!(p.status, "PENDING");
    assert_eq!((p.from_offset_s, p.to_offset_s), (Some(2530 - 300), Some(2530 + 300)), "moment ± 5 minutes");
    assert_eq!(p.session_id, Some(1), "the demo session");
    let k = d4(&app, &case_no).await;
    assert_eq!(k.status, "RUNNING");
    // Three working days from Monday 2026-11-23.
    assert_eq!(k.due_on, date("2026-11-26"), "3 working days by default");
    let page = c.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("id=\"preservation\""), "request shown on the dossier");
    assert!(page.body.contains("data-known=\"true\""), "the session is known");
}

async fn order117_art16_platform_confirms_preservation_and_d4_stops(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&c).await;
    let staff = app.signed_in("platform@demo.redline").await;
    let page = staff.get(&format!("/cases/{case_no}")).await;
    assert!(page.body.contains("id=\"preservation-form\""), "platform staff may answer");
    let form = page.body.split("id=\"preservation-form\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert_eq!(form.matches("checked").count(), 0, "neither answer is chosen in advance");
    assert!(
        !c.get(&format!("/cases/{case_no}")).await.body.contains("id=\"preservation-form\""),
        "the consumer may not"
    );
    // Exactly three years from the filing day (2026-11-23) is enough.
    let until = "2029-11-23".to_owned();
    let p = staff
        .post_form(
            &format!("/do/cases/{case_no}/preservation"),
            &[("decision", "confirm"), ("replay_ref", "replay://xinghe/XH-8801/clip-42"), ("retain_until", &until)],
        )
        .await;
    assert!(p.body.contains("data-status=\"CONFIRMED\""), "confirmed on the page");
    assert_eq!(p.body.matches("保全答复已提交。").count(), 1, "and said once");
    assert_eq!(d4(&app, &case_no).await.status, "STOPPED");
    let again = staff
        .post_form(&format!("/do/cases/{case_no}/preservation"), &[("decision", "decline"), ("reason", "已答复过了")])
        .await;
    assert!(again.body.contains("该保全请求已答复"), "a second answer is refused with the reason");
    assert!(!again.body.contains("已答复过了"), "the refused text is not kept: there is no form to keep it in");
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
    // One day short of three years from the filing day (2026-11-23).
    let soon = "2029-11-22".to_owned();
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
    // D4 is the one sweepable clock due (D1 stopped on escalation; D5 has no sweep effect).
    assert_eq!(a.expired + b.expired, 1, "{a:?} {b:?}");
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

/// The seeded session of XH-8801 ended on 2026-11-23 (Beijing); the complaint
/// is filed on 2026-11-28 about an order of 2026-11-22. The transaction was
/// complete when the stream ended, so the replay must be kept until
/// 2029-11-23 at least: not until 2029-11-28 (three years from the filing).
async fn order117_art16_retention_runs_from_the_transaction_not_the_filing(app: TestApp) {
    let session = stream_session::Entity::find()
        .filter(stream_session::Column::PlatformSessionId.eq("XH-8801-demo"))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("the seeded session");
    app.move_to("2026-11-28 10:00");
    let c = app.signed_in("consumer@demo.redline").await;
    let mut form = complaint_form("1");
    form.retain(|(k, _)| *k != "session");
    form.push(("session", session.id.to_string()));
    form.push(("ordered_on", "2026-11-22".into()));
    let filed = post_complaint(&c, &form, &[]).await;
    assert!(filed.url.starts_with("/cases/LC-"), "{}", filed.url);
    let case_no = filed.url.trim_start_matches("/cases/").to_owned();
    assert_eq!(case_row(&app, &case_no).await.ordered_on, Some(date("2026-11-22")));
    assert!(filed.body.contains("<dd id=\"ordered-on\">2026-11-22</dd>"));
    let staff = app.signed_in("platform@demo.redline").await;
    assert!(staff.get(&format!("/cases/{case_no}")).await.body.contains("min=\"2029-11-23\""));
    let answer = |until: &'static str| {
        let staff = &staff;
        let case_no = case_no.clone();
        async move {
            staff
                .post_form(
                    &format!("/do/cases/{case_no}/preservation"),
                    &[
                        ("decision", "confirm"),
                        ("replay_ref", "replay://xinghe/XH-8801/latest"),
                        ("retain_until", until),
                    ],
                )
                .await
        }
    };
    let short = answer("2029-11-22").await;
    assert!(short.body.contains("保存期限须不早于 2029-11-23（交易完成后至少三年，办法第十六条）"), "refused");
    assert_eq!(preservation_of(&app, &case_no).await.status, "PENDING");
    answer("2029-11-23").await;
    let pr = preservation_of(&app, &case_no).await;
    assert_eq!((pr.status.as_str(), pr.retain_until), ("CONFIRMED", Some(date("2029-11-23"))));
    // A date in the future is no order date; the form comes back with it kept.
    let mut future = complaint_form("1");
    future.push(("ordered_on", "2026-11-29".into()));
    let refused = post_complaint(&c, &future, &[]).await;
    assert!(refused.body.contains("id=\"err-ordered_on\""), "{}", refused.url);
    assert!(refused.body.contains("value=\"2026-11-29\""));
}
