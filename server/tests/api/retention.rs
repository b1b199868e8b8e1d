//! Retention that deletes (Order 117 Art. 16; PIPL Arts. 19, 47). A closed
//! case file is kept three years after closure, then the daily job deletes it
//! whole with a line in the deletion log; a regulator's legal hold keeps it;
//! an evidence file goes only when no kept case holds the same content; the
//! chains of the cases kept still verify. Tips without a case go after a year.
//! A consumer deletes their account: what no duty keeps goes at once.
use crate::helpers::{case_events, case_row, escalated_case, file_case, state_of, Client, TestApp};
use redline_store::entity::{
    case_event, clock, complainant_detail, complaint, evidence, preservation_request, tip, user,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::jobs::{Job, JobContext};

on_both_backends!(
    order117_art16_a_case_file_is_deleted_three_years_after_closure_unless_held,
    pipl_art19_a_tip_without_a_case_is_deleted_a_year_after_closure,
    pipl_art47_an_account_is_deleted_and_its_case_files_stay_until_their_day,
    order121_art37_an_art9_tip_that_outlives_its_case_stays_hidden_from_the_platform,
    order117_art16_records_closed_before_retention_get_their_day,
);

fn png(tag: &[u8]) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    b.extend_from_slice(tag);
    b
}

async fn attach(c: &Client, case_no: &str, name: &str, bytes: Vec<u8>) {
    let p = c
        .post_multipart(&format!("/do/cases/{case_no}/evidence"), &[("role", "consumer")], &[("files", name, bytes)])
        .await;
    assert!(p.body.contains(name), "{name} attached to {case_no}");
}

async fn shas_of(app: &TestApp, case_no: &str) -> Vec<String> {
    let id = case_row(app, case_no).await.id;
    let rows = evidence::Entity::find().filter(evidence::Column::CaseId.eq(id)).all(&app.store().db).await.unwrap();
    rows.into_iter().flat_map(|e| std::iter::once(e.sha256).chain(e.display_sha256)).collect()
}

async fn in_vault(app: &TestApp, sha: &str) -> bool {
    app.running.vault.blobs.get(sha).await.unwrap().is_some()
}

async fn retention_run(app: &TestApp) -> server::jobs::Run {
    let ctx = JobContext {
        store: app.store().clone(),
        vault: app.running.vault.clone(),
        log: app.running.log.clone(),
        tsa_url: app.config.tsa_url.clone(),
    };
    Job::Retention.run(&ctx).await.unwrap()
}

/// Every row of a case, table by table, as the deletion must remove them.
async fn rows_of(app: &TestApp, id: i64) -> u64 {
    let db = &app.store().db;
    let clocks = clock::Entity::find().filter(clock::Column::CaseId.eq(id)).count(db).await.unwrap();
    let events = case_event::Entity::find().filter(case_event::Column::CaseId.eq(id)).count(db).await.unwrap();
    let files = evidence::Entity::find().filter(evidence::Column::CaseId.eq(id)).count(db).await.unwrap();
    let preserve = preservation_request::Entity::find()
        .filter(preservation_request::Column::CaseId.eq(id))
        .count(db)
        .await
        .unwrap();
    let details =
        complainant_detail::Entity::find().filter(complainant_detail::Column::CaseId.eq(id)).count(db).await.unwrap();
    let row = complaint::Entity::find_by_id(id).count(db).await.unwrap();
    // The search row is one per case.
    clocks + events + files + preserve + details + row + row
}

async fn order117_art16_a_case_file_is_deleted_three_years_after_closure_unless_held(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // A: withdrawn the day it was filed, Monday 2026-11-23: kept until 2029-11-23.
    let a = file_case(&consumer).await;
    attach(&consumer, &a, "only-a.png", png(b"only in case A")).await;
    attach(&consumer, &a, "shared.png", png(b"in A and in C")).await;
    consumer.act(&a, "consumer", "WITHDRAW", &[("message", "已与商家和解")]).await;
    assert_eq!(state_of(&app, &a).await, "CLOSED_WITHDRAWN");
    let a_row = case_row(&app, &a).await;
    assert_eq!(a_row.retain_until, Some(crate::helpers::date("2029-11-23")));
    // B: refused by the agency the same day, then held for a lawsuit.
    let b = escalated_case(&app, &consumer).await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.act(&b, "regulator", "REGULATOR_REFUSE", &[("reason", "NOT_PERSONAL_CONSUMPTION"), ("message", "非生活消费")])
        .await;
    assert_eq!(state_of(&app, &b).await, "CLOSED_REJECTED");
    let why = "（2027）浙0106民初4521号诉讼未结";
    for who in ["consumer@demo.redline", "platform@demo.redline"] {
        let p = app.signed_in(who).await.post_form(&format!("/do/cases/{b}/hold"), &[("reason", why)]).await;
        assert!(p.body.contains("无权查看或执行此操作"), "{who} cannot hold a case");
    }
    let blank = reg.post_form(&format!("/do/cases/{b}/hold"), &[("reason", " ")]).await;
    assert!(blank.body.contains("请写明保全理由"));
    let held = reg.post_form(&format!("/do/cases/{b}/hold"), &[("reason", why)]).await;
    assert!(held.body.contains("已设置法律保全"), "{}", held.url);
    assert!(held.body.contains(why), "the agency reads the reason");
    let seen = consumer.get(&format!("/cases/{b}")).await.body;
    assert!(seen.contains("法律保全中") && seen.contains(why), "the parties see the hold and its reason");
    assert!(!seen.contains("id=\"hold-form\""), "only the agency sets or lifts it");
    assert_eq!(case_events(&app, &b, "LEGAL_HOLD_SET").await, 1, "audited in the case's chain");
    // C: filed and closed half a year later, holding the same shared file.
    app.move_to("2027-06-01 10:00");
    let consumer = app.signed_in("consumer@demo.redline").await;
    let c = file_case(&consumer).await;
    attach(&consumer, &c, "shared-again.png", png(b"in A and in C")).await;
    consumer.act(&c, "consumer", "WITHDRAW", &[]).await;
    assert_eq!(case_row(&app, &c).await.retain_until, Some(crate::helpers::date("2030-06-01")));
    // D: still open.
    let d = file_case(&consumer).await;
    let shared = shas_of(&app, &c).await;
    let a_only: Vec<String> = {
        let mut v = shas_of(&app, &a).await;
        v.retain(|s| !shared.contains(s));
        v
    };
    assert_eq!((a_only.len(), shared.len()), (1, 1), "one file A alone holds, one both hold");
    assert!(in_vault(&app, &a_only[0]).await && in_vault(&app, &shared[0]).await);
    let a_rows = rows_of(&app, a_row.id).await;
    let before = complaint::Entity::find().count(&app.store().db).await.unwrap();

    // On its last day A is kept; the job does nothing.
    app.move_to("2029-11-23 23:00");
    assert_eq!(retention_run(&app).await.done, 0);
    // The day after, A goes, whole; B (held), C (not yet) and D (open) stay.
    app.move_to("2029-11-24 03:00");
    let run = retention_run(&app).await;
    assert_eq!(run.done, 1);
    let db = &app.store().db;
    assert_eq!(complaint::Entity::find().count(db).await.unwrap(), before - 1);
    assert!(complaint::Entity::find_by_id(a_row.id).one(db).await.unwrap().is_none());
    assert_eq!(rows_of(&app, a_row.id).await, 0, "no row of A is left");
    for kept in [&b, &c, &d] {
        assert!(complaint::Entity::find()
            .filter(complaint::Column::CaseNo.eq(kept.as_str()))
            .one(db)
            .await
            .unwrap()
            .is_some());
    }
    assert!(!in_vault(&app, &a_only[0]).await, "the file only A held is gone");
    assert!(in_vault(&app, &shared[0]).await, "the file C still holds stays");
    let log = redline_store::retention::purge::logged(app.store(), 50).await.unwrap();
    assert_eq!(log.len(), 1);
    let l = &log[0];
    assert_eq!(
        (
            l.kind.as_str(),
            l.object_ref.as_str(),
            l.rule.as_str(),
            l.retained_until,
            l.rows_deleted as u64,
            l.files_released
        ),
        ("CASE", a.as_str(), "CASE_FILE_3Y_AFTER_CLOSURE", Some(crate::helpers::date("2029-11-23")), a_rows, 2)
    );
    let line = format!("{l:?}");
    for personal in ["consumer@demo.redline", "李消费", "13800138000", "文三路", "已与商家和解"] {
        assert!(!line.contains(personal), "the log holds no personal data: {line}");
    }
    // The kept cases' chains still verify.
    let audit = redline_store::vault::audit::verify_all_chains(db).await.unwrap();
    assert!(audit.broken.is_empty(), "{:?}", audit.broken);
    // Run again: nothing more (idempotent).
    assert_eq!(retention_run(&app).await.done, 0);
    // The hold lifted, B goes at the next run.
    let reg = app.signed_in("regulator@demo.redline").await;
    let lifted = reg.post_form(&format!("/do/cases/{b}/hold/lift"), &[("reason", "判决已生效")]).await;
    assert!(lifted.body.contains("已解除法律保全"));
    assert_eq!(retention_run(&app).await.done, 1);
    assert!(complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(b.as_str()))
        .one(db)
        .await
        .unwrap()
        .is_none());
    assert_eq!(redline_store::retention::purge::logged(app.store(), 50).await.unwrap().len(), 2);
}

async fn pipl_art19_a_tip_without_a_case_is_deleted_a_year_after_closure(app: TestApp) {
    let anon = app.client();
    let (no_case, _) = crate::tips::file(&anon, "主播称该饮品可以三天美白，画面中的数字人未作标识。", "").await;
    let (with_case, _) = crate::tips::file(&anon, "直播间销售的奶粉标注产地与实物不符，疑似假冒。", "").await;
    let (held, _) = crate::tips::file(&anon, "主播虚构原价，划线价从未销售过。", "").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    let plat = app.signed_in("platform@demo.redline").await;
    for t in [&no_case, &with_case, &held] {
        plat.post_form(&format!("/do/staff/tips/{t}/platform"), &[("answer", "no_action"), ("message", "未发现违规")])
            .await;
    }
    for t in [&no_case, &held] {
        reg.post_form(&format!("/do/staff/tips/{t}/regulator"), &[("act", "not_file"), ("message", "经核查不予立案")])
            .await;
    }
    let url = format!("/do/staff/tips/{with_case}/regulator");
    reg.post_form(&url, &[("act", "file"), ("message", "立案调查")]).await;
    reg.post_form(&url, &[("act", "decide"), ("decision", "PENALTY"), ("message", "罚款二万元")]).await;
    let d = crate::helpers::date;
    let r = |t: tip::Model| (t.retain_until, t.retain_rule);
    assert_eq!(
        r(crate::tips::row(&app, &no_case).await),
        (Some(d("2027-11-23")), Some("TIP_WITHOUT_CASE_1Y_AFTER_CLOSURE".to_owned()))
    );
    assert_eq!(
        r(crate::tips::row(&app, &with_case).await),
        (Some(d("2029-11-23")), Some("TIP_WITH_CASE_3Y_AFTER_CLOSURE".to_owned()))
    );
    let h = reg.post_form(&format!("/do/staff/tips/{held}/hold"), &[("reason", "关联行政处罚案件待结")]).await;
    assert!(h.body.contains("已设置法律保全"), "{}", h.url);
    let tips_before = tip::Entity::find().count(&app.store().db).await.unwrap();
    app.move_to("2027-11-24 03:00");
    assert_eq!(retention_run(&app).await.done, 1);
    let db = &app.store().db;
    assert_eq!(tip::Entity::find().count(db).await.unwrap(), tips_before - 1);
    assert!(tip::Entity::find().filter(tip::Column::TipNo.eq(no_case.as_str())).one(db).await.unwrap().is_none());
    for kept in [&with_case, &held] {
        assert!(tip::Entity::find().filter(tip::Column::TipNo.eq(kept.as_str())).one(db).await.unwrap().is_some());
    }
    let log = redline_store::retention::purge::logged(app.store(), 50).await.unwrap();
    assert_eq!(
        log.iter().map(|l| (l.kind.as_str(), l.object_ref.as_str(), l.rule.as_str())).collect::<Vec<_>>(),
        [("TIP", no_case.as_str(), "TIP_WITHOUT_CASE_1Y_AFTER_CLOSURE")]
    );
    let audit = redline_store::vault::audit::verify_all_chains(db).await.unwrap();
    assert!(audit.broken.is_empty(), "{:?}", audit.broken);
}

async fn pipl_art47_an_account_is_deleted_and_its_case_files_stay_until_their_day(app: TestApp) {
    let email = "erase-me@example.cn";
    let me = app.client();
    crate::helpers::register(&app, &me, "王删除", email).await;
    let open = file_case(&me).await;
    let page = me.get("/account").await;
    assert!(page.body.contains("id=\"open-cases\""), "an open case blocks deletion");
    assert!(!page.body.contains("id=\"delete-form\""));
    let refused = me.post_form("/do/account/delete", &[("confirm", email)]).await;
    assert!(refused.body.contains("您还有未办结的投诉"), "{}", refused.url);
    me.act(&open, "consumer", "WITHDRAW", &[]).await;
    let page = me.get("/account").await;
    assert!(page.body.contains(&format!("data-case=\"{open}\"")) && page.body.contains("保存至 2029-11-23"));
    let typo = me.post_form("/do/account/delete", &[("confirm", "someone@else.cn")]).await;
    assert!(typo.body.contains("请输入本账户的邮箱地址以确认"));
    let uid = case_row(&app, &open).await.consumer_id;
    let gone = me.post_form("/do/account/delete", &[("confirm", email)]).await;
    assert!(gone.url == "/" && gone.body.contains("账户已注销"), "{}", gone.url);
    let db = &app.store().db;
    let u = user::Entity::find_by_id(uid).one(db).await.unwrap().unwrap();
    assert_eq!(
        (u.email.as_str(), u.display_name.as_str()),
        (format!("deleted-{uid}@deleted.invalid").as_str(), "已注销用户")
    );
    assert!(u.deleted_at.is_some());
    let after = me.get("/account").await;
    assert!(
        after.body.contains("请先登录") && !after.body.contains("id=\"delete-account\""),
        "signed out: the session is gone"
    );
    let again = app.client();
    let login = again.post_form("/do/login", &[("email", email), ("password", "a-long-password")]).await;
    assert!(!login.url.contains("/me/cases"), "no sign-in any more");
    // The case file stays until its day, then goes with the daily run.
    assert!(case_row(&app, &open).await.retain_until.is_some());
    assert_eq!(case_events(&app, &open, "SUBMIT").await, 1);
    app.move_to("2029-11-24 03:00");
    assert_eq!(retention_run(&app).await.done, 1);
    assert!(complaint::Entity::find()
        .filter(complaint::Column::CaseNo.eq(open.as_str()))
        .one(db)
        .await
        .unwrap()
        .is_none());
    let log = redline_store::retention::purge::logged(app.store(), 50).await.unwrap();
    let kinds: Vec<(&str, &str)> = log.iter().map(|l| (l.kind.as_str(), l.rule.as_str())).collect();
    assert_eq!(kinds, [("ACCOUNT", "ACCOUNT_DELETED_ON_REQUEST"), ("CASE", "CASE_FILE_3Y_AFTER_CLOSURE")]);
    assert!(!format!("{log:?}").contains(email));
}

async fn order121_art37_an_art9_tip_that_outlives_its_case_stays_hidden_from_the_platform(app: TestApp) {
    let c = app.signed_in("consumer@demo.redline").await;
    let mut form = crate::helpers::complaint_form("1");
    form.push(("demands", "PUNISH".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let case_no = c.post_multipart("/do/complaints", &pairs, &[]).await.url.trim_start_matches("/cases/").to_owned();
    c.act(&case_no, "consumer", "WITHDRAW", &[]).await;
    let case = case_row(&app, &case_no).await;
    let t = tip::Entity::find().one(&app.store().db).await.unwrap().unwrap();
    assert_eq!(t.linked_complaint_id, Some(case.id));
    // The tip is still being verified long after the case closed.
    app.move_to("2029-11-24 03:00");
    assert_eq!(retention_run(&app).await.done, 1);
    assert!(complaint::Entity::find_by_id(case.id).one(&app.store().db).await.unwrap().is_none());
    let kept = crate::tips::row(&app, &t.tip_no).await;
    assert_eq!(kept.linked_complaint_id, Some(case.id), "the link stays as a tombstone");
    let plat = app.signed_in("platform@demo.redline").await;
    assert!(!plat.get("/platform/tips").await.body.contains(&t.tip_no), "still not the platform's");
    assert_eq!(plat.get(&format!("/staff/tips/{}", t.tip_no)).await.status, 404);
}

async fn order117_art16_records_closed_before_retention_get_their_day(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let consumer = app.signed_in("consumer@demo.redline").await;
    let closed = file_case(&consumer).await;
    consumer.act(&closed, "consumer", "WITHDRAW", &[]).await;
    let open = file_case(&consumer).await;
    let db = &app.store().db;
    // As a database migrated before m022 has them: closed, with no day.
    db.execute_unprepared("UPDATE complaints SET retain_until = NULL").await.unwrap();
    migration::retention_backfill::backfill(&migration::SchemaManager::new(db)).await.unwrap();
    assert_eq!(case_row(&app, &closed).await.retain_until, Some(crate::helpers::date("2029-11-23")));
    assert_eq!(case_row(&app, &open).await.retain_until, None, "an open case has no day yet");
}
