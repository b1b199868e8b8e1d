//! D11 (Order 121 Art. 33): the agency handling a case refers a jurisdiction
//! dispute with a peer to the nearest agency covering both, which designates
//! one within seven working days; a designation of the peer moves the case
//! there; a missed D11 is flagged once. The demo case is placed in Gongshu
//! (the operator's displayed address) and Xihu (the platform's domicile);
//! Hangzhou's bureau covers both. Referred Monday 2026-11-23: due Wednesday
//! 2026-12-02.
use crate::helpers::{case_events, case_row, date, escalated_case, state_of, TestApp};
use redline_store::entity::{agency, jurisdiction_dispute as jd};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::jobs::{Job, JobContext};

on_both_backends!(
    d11_order121_art33_the_common_higher_level_designates_and_the_case_moves,
    d11_order121_art33_a_designation_not_made_in_7_working_days_is_flagged_once,
);

async fn agency_id(app: &TestApp, code: &str) -> i64 {
    agency::Entity::find().filter(agency::Column::RegionCode.eq(code)).one(&app.store().db).await.unwrap().unwrap().id
}

async fn d11_order121_art33_the_common_higher_level_designates_and_the_case_moves(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let (xihu, city) = (agency_id(&app, "330106").await, agency_id(&app, "330100").await);
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get(&format!("/cases/{case_no}")).await.body;
    let form = page.split("id=\"dispute-form\"").nth(1).expect("the dispute form");
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains(&format!("<option value=\"{xihu}\"")));
    assert!(!form.contains(&format!("<option value=\"{city}\"")), "the city takes a case up; no dispute with it");
    let path = format!("/do/cases/{case_no}/dispute");
    let blank = reg.post_form(&path, &[("other_agency", &xihu.to_string()), ("reason", "")]).await;
    assert!(blank.body.contains("请写明争议的理由"));
    let up = reg.post_form(&path, &[("other_agency", &city.to_string()), ("reason", "应由市局管辖")]).await;
    assert!(up.body.contains("上下级之间无需指定"), "{}", up.url);
    let why = "经营者实际经营地在西湖区，展示地址已迁出拱墅区";
    let p = reg.post_form(&path, &[("other_agency", &xihu.to_string()), ("reason", why)]).await;
    assert!(p.body.contains("已报请上级部门指定管辖"), "{}", p.url);
    let d = jd::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!((d.referee, d.other_agency, d.due_on, d.status.as_str()), (city, xihu, date("2026-12-02"), "OPEN"));
    assert_eq!(case_events(&app, &case_no, "JURISDICTION_DISPUTED").await, 1);
    let again = reg.post_form(&path, &[("other_agency", &xihu.to_string()), ("reason", why)]).await;
    assert!(again.body.contains("已报请指定管辖，请等待上级部门指定"));
    // Only the referee designates, and only one of the two.
    let designate = format!("/do/disputes/{}/designate", d.id);
    let west = app.signed_in("regulator2@demo.redline").await;
    assert!(west
        .post_form(&designate, &[("designated", &xihu.to_string())])
        .await
        .body
        .contains("无权查看或执行此操作"));
    let judge = app.signed_in("regulator-city@demo.redline").await;
    let list = judge.get("/regulator/disputes").await.body;
    assert!(list.contains(&format!("data-case=\"{case_no}\"")) && list.contains(why));
    let wrong = judge.post_form(&designate, &[("designated", &city.to_string())]).await;
    assert!(wrong.body.contains("请在争议双方中指定一方"));
    let done = judge.post_form(&designate, &[("designated", &xihu.to_string()), ("note", "以实际经营地为准")]).await;
    assert!(done.body.contains("已指定管辖"), "{}", done.url);
    let c = case_row(&app, &case_no).await;
    assert_eq!((c.agency_id, state_of(&app, &case_no).await.as_str()), (Some(xihu), "REGULATOR_DISPATCHED"));
    assert_eq!(case_events(&app, &case_no, "JURISDICTION_DESIGNATED").await, 1);
    assert!(west.get("/regulator").await.body.contains(&case_no), "in Xihu's queue now");
    let twice = judge.post_form(&designate, &[("designated", &xihu.to_string())]).await;
    assert!(twice.body.contains("该争议已经指定"));
}

async fn d11_order121_art33_a_designation_not_made_in_7_working_days_is_flagged_once(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = escalated_case(&app, &consumer).await;
    let xihu = agency_id(&app, "330106").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.post_form(
        &format!("/do/cases/{case_no}/dispute"),
        &[("other_agency", &xihu.to_string()), ("reason", "争议管辖地")],
    )
    .await;
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    app.move_to("2026-12-02 23:00");
    Job::Sweep.run(&ctx).await.unwrap();
    assert!(!jd::Entity::find().one(&app.store().db).await.unwrap().unwrap().overdue, "due on its last day");
    app.move_to("2026-12-03 09:00");
    Job::Sweep.run(&ctx).await.unwrap();
    let d = jd::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert!(d.overdue && d.status == "OPEN", "flagged, nothing else");
    assert_eq!(case_row(&app, &case_no).await.agency_id, Some(agency_id(&app, "330105").await));
    let judge = app.signed_in("regulator-city@demo.redline").await;
    assert_eq!(judge.get("/regulator/disputes").await.body.matches("badge red").count(), 1);
    let notices = judge.get("/notifications").await.body;
    assert_eq!(notices.matches("· D11").count(), 1);
    Job::Sweep.run(&ctx).await.unwrap();
    assert_eq!(judge.get("/notifications").await.body.matches("· D11").count(), 1, "once");
}
