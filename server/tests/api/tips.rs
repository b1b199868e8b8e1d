//! Social-supervision tips (举报), issue 4; each on SQLite and on PostgreSQL.
use crate::helpers::{date, Backend, Client, TestApp};
use crate::smtp_sink::Sink;
use redline_store::entity::{membership, notification, tip, tip_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

const NAME: &str = "举报人赵六";
const CONTACT: &str = "zhao6.secret@example.com";

pub(crate) fn tip_form<'a>(desc: &'a str, contact: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("platform", "1"),
        ("room", "XH-8801"),
        ("moments", "00:42:10\n2026-11-20 20:15"),
        ("description", desc),
        ("categories", "FALSE_ADVERTISING"),
        ("categories", "AI_PERSON_UNLABELLED"),
        ("reporter_name", NAME),
        ("reporter_contact", contact),
    ]
}

/// Files a tip and returns (tip number, receipt code) from the receipt page.
pub(crate) async fn file(c: &Client, desc: &str, contact: &str) -> (String, String) {
    let p = c
        .post_multipart(
            "/do/tips",
            &tip_form(desc, contact),
            &[("evidence", "录屏截图.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())],
        )
        .await;
    assert_eq!(p.url, "/tips/filed", "filed: {}", &p.body[..p.body.len().min(600)]);
    let grab = |id: &str| p.body.split(&format!("id=\"{id}\">")).nth(1).unwrap().split('<').next().unwrap().to_owned();
    (grab("tip-no"), grab("receipt"))
}

/// The names of a tip's recorded events, in order.
pub(crate) async fn events_of(app: &TestApp, tip_id: i64) -> Vec<String> {
    let events = tip_event::Entity::find().filter(tip_event::Column::TipId.eq(tip_id)).all(&app.store().db).await;
    events.unwrap().into_iter().map(|e| e.event_type).collect()
}

/// How many people belong to an organisation.
async fn members_of(app: &TestApp, org_kind: &str, org_id: i64) -> usize {
    let m = membership::Entity::find()
        .filter(membership::Column::OrgKind.eq(org_kind))
        .filter(membership::Column::OrgId.eq(org_id));
    m.count(&app.store().db).await.unwrap() as usize
}

/// The bodies of the notifications of a kind about a tip.
async fn notices_of(app: &TestApp, tip_no: &str, kind: &str) -> Vec<String> {
    let n = notification::Entity::find()
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::Link.eq(format!("/staff/tips/{tip_no}")));
    n.all(&app.store().db).await.unwrap().into_iter().map(|n| n.body).collect()
}

pub(crate) async fn row(app: &TestApp, tip_no: &str) -> tip::Model {
    tip::Entity::find().filter(tip::Column::TipNo.eq(tip_no)).one(&app.store().db).await.unwrap().unwrap()
}

on_both_backends_with_mail!(
    anyone_files_a_tip_without_an_account_and_follows_it_by_receipt,
    reporter_identity_never_reaches_respondents_or_the_public,
    order121_art35_same_facts_are_linked_and_new_facts_merged_restarting_d9,
    order121_art35_the_same_facts_as_a_tip_closed_within_a_year_are_not_handled_again,
    d9_extends_once_with_a_recorded_reason_then_the_case_is_filed_and_decided @ "2026-09-21 10:00",
    order121_art31_tips_go_to_the_business_place_and_ai_labelling_is_listed_for_cac,
    order117_art12_platform_records_a_measure_and_the_reporter_hears_of_progress,
    order117_art12_a_measure_is_reported_where_the_platform_is_domiciled,
    order121_art9_a_punish_demand_spawns_a_linked_tip,
    a_missed_d9_is_flagged_once_for_the_agency,
    the_receipt_is_mailed_on_request_and_never_stored_in_the_clear,
);

/// The value of the hidden or typed `name` field on a page.
fn field_value(body: &str, name: &str) -> String {
    body.split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn the_receipt_is_mailed_on_request_and_never_stored_in_the_clear(app: TestApp, sink: Arc<Sink>) {
    let anon = app.client();
    let p =
        anon.post_multipart("/do/tips", &tip_form("主播称该饮品可以三天美白，画面中的数字人未作标识。", ""), &[]).await;
    let (tip_no, receipt) = (field_value(&p.body, "tip_no"), field_value(&p.body, "receipt"));
    assert_eq!(receipt.len(), 24, "{}", &p.body[..p.body.len().min(400)]);
    // A bad address is refused where it was typed; the code is still shown.
    let bad = anon
        .post_form("/do/tips/receipt-mail", &[("receipt", &receipt), ("tip_no", &tip_no), ("email", "not-an-address")])
        .await;
    assert!(bad.body.contains("邮箱格式不正确") && bad.body.contains(&receipt), "{}", bad.url);
    // A receipt that is not this tip's mails nothing.
    let forged = anon
        .post_form(
            "/do/tips/receipt-mail",
            &[("receipt", "AAAA-BBBB-CCCC-DDDD-EEEE"), ("tip_no", &tip_no), ("email", "me@example.com")],
        )
        .await;
    assert!(forged.body.contains("回执码无效"));
    let ok = anon
        .post_form("/do/tips/receipt-mail", &[("receipt", &receipt), ("tip_no", &tip_no), ("email", "me@example.com")])
        .await;
    assert!(ok.body.contains("回执码已发送到 me@example.com"), "{}", ok.url);
    assert!(ok.body.contains(&receipt), "the page still shows the code");
    let mails: Vec<_> = sink.mails().into_iter().filter(|m| m.to.contains("me@example.com")).collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains(&receipt) && mails[0].subject.contains(&tip_no), "{:?}", mails[0]);
    // Sent at once, never through the outbox: no stored row holds the code.
    let stored = redline_store::entity::notification::Entity::find().all(&app.store().db).await.unwrap();
    assert!(stored.iter().all(|n| !n.body.contains(&receipt) && n.email.as_deref() != Some("me@example.com")));
}

async fn anyone_files_a_tip_without_an_account_and_follows_it_by_receipt(app: TestApp, _s: Arc<Sink>) {
    let anon = app.client();
    let (tip_no, receipt) = file(&anon, "主播称该饮品可以三天美白，画面中的数字人未作标识。", "").await;
    assert!(tip_no.starts_with("LT-"));
    assert_eq!(receipt.len(), 24, "five groups of four: {receipt}");
    // The receipt is shown once.
    assert!(!anon.get("/tips/filed").await.body.contains(&receipt));
    let t = row(&app, &tip_no).await;
    assert_ne!(t.receipt_hash, receipt, "only a hash is stored");
    assert_eq!((t.platform_status.as_str(), t.regulator_status.as_str()), ("REVIEWING", "VERIFYING"));
    // Anyone holding the code sees the stage, in any case or spacing.
    let other = app.client();
    let p = other.post_form("/do/tips/status", &[("receipt", &receipt.to_lowercase().replace('-', " "))]).await;
    assert!(
        p.body.contains(&tip_no) && p.body.contains("data-stage=\"VERIFYING\""),
        "{}",
        &p.body[..p.body.len().min(400)]
    );
    assert!(!p.body.contains(&receipt), "the code is not echoed back");
    let bad = other.post_form("/do/tips/status", &[("receipt", "AAAA-BBBB-CCCC-DDDD-EEEE")]).await;
    assert!(bad.body.contains("未找到该回执码"));
    // Bad input keeps what was typed.
    let p =
        anon.post_multipart("/do/tips", &[("platform", "1"), ("room", "XH-8801"), ("description", "太短")], &[]).await;
    assert!(p.url.starts_with("/tips/new") && p.body.contains("请用10到5000字") && p.body.contains("XH-8801"));
    assert!(!p.body.contains("请重新选择文件"), "no file was chosen");
    // A chosen file cannot be handed back: the form says so at the file field.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let p = anon
        .post_multipart(
            "/do/tips",
            &[("platform", "1"), ("room", "XH-8801"), ("description", "太短")],
            &[("evidence", "录屏.png", png)],
        )
        .await;
    assert!(p.url.starts_with("/tips/new") && p.body.contains("请用10到5000字"));
    assert_eq!(p.body.matches("所选文件未能保留，请重新选择文件").count(), 2, "at the field and in the summary");
}

async fn reporter_identity_never_reaches_respondents_or_the_public(app: TestApp, sink: Arc<Sink>) {
    let anon = app.client();
    let (tip_no, _) = file(&anon, "主播称该饮品可以三天美白，原价999元从未成交。", CONTACT).await;
    let c = app.signed_in("consumer@demo.redline").await;
    let case_no = crate::helpers::file_case(&c).await;
    server::jobs::notify(app.store()).await.unwrap();
    let m = app.running.mailer.as_ref().unwrap();
    while m.send_due(app.store(), 100).await.sent > 0 {}
    let leaks = |body: &str| body.contains(CONTACT) || body.contains(NAME) || body.contains("zhao6");
    // Every page and endpoint a respondent (operator, platform staff) or the public can reach.
    let pages = [
        "/",
        "/rooms/1",
        "/tips/new",
        "/tips/status",
        "/operator",
        "/platform",
        "/platform/tips",
        "/platform/sessions",
        "/platform/settings",
        "/notifications",
        "/regulator/tips",
        "/me/tips",
        "/me/cases",
        "/api/v1/deadlines?start=2026-11-20&days=15&calendar=working",
    ];
    let case_pages = [format!("/cases/{case_no}"), format!("/api/v1/cases/{case_no}/chain")];
    let staff_page = format!("/staff/tips/{tip_no}");
    let anon2 = app.client();
    let op = app.signed_in("operator@demo.redline").await;
    let plat = app.signed_in("platform@demo.redline").await;
    let mut checked = 0;
    for who in [&anon2, &op, &plat] {
        for p in pages.iter().copied().chain(case_pages.iter().map(String::as_str)).chain([staff_page.as_str()]) {
            let page = who.get(p).await;
            assert!(!leaks(&page.body), "reporter data leaked on {p}");
            checked += 1;
        }
    }
    // The platform sees the tip itself, but not who sent it.
    let seen = plat.get(&staff_page).await;
    assert!(seen.body.contains("三天美白") && !seen.body.contains("id=\"reporter\""));
    assert!(!seen.body.contains("录屏截图.png"), "the reporter's files stay with the agency");
    // The operator (the reported party) cannot open it at all.
    assert_eq!(op.get(&staff_page).await.status, 404);
    // Emails to respondents carry nothing of the reporter either, decoded as
    // their readers see them.
    let mails = sink.mails();
    let to_platform: Vec<_> = mails.iter().filter(|m| m.to.contains("platform@demo.redline")).collect();
    let to_operator: Vec<_> = mails.iter().filter(|m| m.to.contains("operator@demo.redline")).collect();
    // The control: the decoded mails do carry the tip, in Chinese, so a name would be found.
    let tip_mail = to_platform.iter().find(|m| m.contains(&tip_no)).expect("the platform is told of the tip");
    assert!(tip_mail.subject.contains("举报") && tip_mail.text.contains(&tip_no), "{tip_mail:?}");
    assert!(to_operator.iter().any(|m| m.subject.contains("有案件待您处理")), "the operator is mailed the case");
    for m in to_platform.iter().chain(&to_operator) {
        assert!(!m.contains("zhao6") && !m.contains(NAME) && !m.contains("赵六"), "no leak by mail: {m:?}");
    }
    // The reporter's own mail goes to the contact.
    assert_eq!(mails.iter().filter(|m| m.to.contains(CONTACT)).count(), 1, "the reporter hears of receipt");
    // The control: the handling agency does see it, so the checks above can fail.
    let reg = app.signed_in("regulator@demo.redline").await;
    let page = reg.get(&staff_page).await;
    assert!(page.body.contains(CONTACT) && page.body.contains("录屏截图.png"), "the agency sees the reporter");
    let href = page.body.split("href=\"/staff/tip-evidence/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let url = format!("{}/staff/tip-evidence/{href}", app.url);
    assert_eq!(reg.http.get(&url).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(plat.http.get(&url).send().await.unwrap().status().as_u16(), 404, "never to the platform");
    assert_eq!(op.http.get(&url).send().await.unwrap().status().as_u16(), 404, "never to the operator");
    assert_eq!(checked, 3 * (14 + 2 + 1));
}

async fn order121_art35_same_facts_are_linked_and_new_facts_merged_restarting_d9(app: TestApp, _s: Arc<Sink>) {
    // Only a signed-in reporter is "the same reporter": a typed contact proves nothing.
    let me = app.signed_in("consumer@demo.redline").await;
    let (first, _) = file(&me, "主播称该饮品可以三天美白。", "").await;
    let orig = row(&app, &first).await;
    // The same person, the same room, the same facts (spacing and punctuation aside).
    let (second, _) = file(&me, "主播称 该饮品可以三天美白", "").await;
    let s = row(&app, &second).await;
    assert_eq!((s.linked_tip_id, s.regulator_status.as_str(), s.agency_id), (Some(orig.id), "LINKED", None));
    // Someone else typing the same facts, even with the same contact, is a new tip:
    // otherwise anyone could probe whether an address reported this room.
    let (third, _) = file(&app.client(), "主播称该饮品可以三天美白。", CONTACT).await;
    let (fourth, _) = file(&app.client(), "主播称该饮品可以三天美白。", CONTACT).await;
    assert_eq!(row(&app, &third).await.linked_tip_id, None);
    assert_eq!(row(&app, &fourth).await.linked_tip_id, None);
    // New facts from the first reporter, days later: merged, with its files, and D9 restarts.
    app.advance_days(5);
    let p = me
        .post_multipart(
            "/do/tips",
            &tip_form("主播还称原价999元，但从未以此价格销售。", ""),
            &[("evidence", "价格截图.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())],
        )
        .await;
    assert!(p.body.contains("id=\"repeat-note\""), "the reporter is told");
    let merged = row(&app, &first).await;
    // Filed on Monday 2026-11-23 (15 working days: 2026-12-14); new facts on
    // Saturday 2026-11-28 restart it: 15 working days end on 2026-12-18.
    assert_eq!((orig.d9_start_on, orig.d9_due_on), (Some(date("2026-11-23")), Some(date("2026-12-14"))));
    assert_eq!((merged.d9_start_on, merged.d9_due_on), (Some(date("2026-11-28")), Some(date("2026-12-18"))));
    let events = events_of(&app, orig.id).await;
    assert!(events.contains(&"REPEAT_RECEIVED".to_owned()) && events.contains(&"NEW_FACTS_MERGED".to_owned()));
    // The agency and the platform hear of the restart, once per member; a
    // second merge is news again, not a duplicate of the first.
    let members = members_of(&app, "agency", orig.agency_id.unwrap()).await + members_of(&app, "platform", 1).await;
    assert_eq!(notices_of(&app, &first, "TIP_NEW_FACTS").await.len(), members);
    let p = me.post_multipart("/do/tips", &tip_form("主播又称该饮品由某医院研制，实际并无此事。", ""), &[]).await;
    let third_facts = p.body.split("id=\"tip-no\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let sent = notices_of(&app, &first, "TIP_NEW_FACTS").await;
    assert_eq!(sent.len(), 2 * members, "each merge is told");
    assert_eq!(sent.iter().filter(|b| b.contains(&third_facts)).count(), members, "naming the tip that brought them");
    assert_eq!(notices_of(&app, &first, "TIP_ROUTED").await.len(), members, "routed once");
    // The agency's queue lists the tip once, and sees the merged files on it.
    let reg = app.signed_in("regulator@demo.redline").await;
    let q = reg.get("/regulator/tips").await;
    assert_eq!(q.body.matches(&format!("data-tip=\"{first}\"")).count(), 1);
    assert!(!q.body.contains(&format!("data-tip=\"{second}\"")));
    assert!(reg.get(&format!("/staff/tips/{first}")).await.body.contains("价格截图.png"));
}

async fn order121_art35_the_same_facts_as_a_tip_closed_within_a_year_are_not_handled_again(
    app: TestApp,
    _s: Arc<Sink>,
) {
    let me = app.signed_in("consumer@demo.redline").await;
    let (first, _) = file(&me, "主播称该饮品可以三天美白。", "").await;
    let reg = app.signed_in("regulator@demo.redline").await;
    reg.post_form(&format!("/do/staff/tips/{first}/regulator"), &[("act", "not_file"), ("message", "经核查不予立案")])
        .await;
    let plat = app.signed_in("platform@demo.redline").await;
    plat.post_form(&format!("/do/staff/tips/{first}/platform"), &[("answer", "no_action"), ("message", "未发现违规")])
        .await;
    let closed = row(&app, &first).await;
    assert_eq!((closed.regulator_status.as_str(), closed.platform_status.as_str()), ("NOT_FILED", "NO_ACTION"));
    // A month later the same facts again: not handled again, and the reporter is told why.
    app.advance_days(30);
    // Sessions do not last a month: everyone signs in again.
    let (me, reg, plat) = (
        app.signed_in("consumer@demo.redline").await,
        app.signed_in("regulator@demo.redline").await,
        app.signed_in("platform@demo.redline").await,
    );
    let p = me.post_multipart("/do/tips", &tip_form("主播称该饮品可以三天美白", ""), &[]).await;
    let again = p.body.split("id=\"tip-no\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(
        p.body.contains("一年内已处理完毕的举报事实相同"),
        "told on the receipt page: {}",
        field_value(&p.body, "repeat")
    );
    let a = row(&app, &again).await;
    let orig = row(&app, &first).await;
    assert_eq!((a.linked_tip_id, a.regulator_status.as_str(), a.agency_id), (Some(orig.id), "LINKED", None));
    assert_eq!(orig.regulator_status, "NOT_FILED", "the closed tip is not reopened");
    let events = events_of(&app, a.id).await;
    assert_eq!(events, ["SUBMITTED", "REPEAT_OF_CLOSED"]);
    // New facts are a new tip, handled.
    let (new_facts, _) = file(&me, "主播还称原价999元，但从未以此价格销售。", "").await;
    let n = row(&app, &new_facts).await;
    assert_eq!((n.linked_tip_id, n.regulator_status.as_str()), (None, "VERIFYING"));
    reg.post_form(
        &format!("/do/staff/tips/{new_facts}/regulator"),
        &[("act", "not_file"), ("message", "经核查不予立案")],
    )
    .await;
    plat.post_form(
        &format!("/do/staff/tips/{new_facts}/platform"),
        &[("answer", "no_action"), ("message", "未发现违规")],
    )
    .await;
    // More than a year after the first was closed, its facts are handled again.
    app.advance_days(340);
    let me = app.signed_in("consumer@demo.redline").await;
    let (later, _) = file(&me, "主播称该饮品可以三天美白。", "").await;
    assert_eq!(row(&app, &later).await.linked_tip_id, None);
}

async fn d9_extends_once_with_a_recorded_reason_then_the_case_is_filed_and_decided(app: TestApp, _s: Arc<Sink>) {
    let (tip_no, _) = file(&app.client(), "主播称该饮品可以三天美白。", "").await;
    let before = row(&app, &tip_no).await;
    // Filed Monday 2026-09-21: Mid-Autumn (09-25..27) and National Day (10-01..07)
    // are rest days, Saturday 10-10 is a make-up working day: 15 working days end on 2026-10-19.
    assert_eq!((before.d9_start_on, before.d9_due_on), (Some(date("2026-09-21")), Some(date("2026-10-19"))));
    let reg = app.signed_in("regulator@demo.redline").await;
    let url = format!("/do/staff/tips/{tip_no}/regulator");
    let p = reg.post_form(&url, &[("act", "extend"), ("message", "")]).await;
    assert!(p.body.contains("须记录理由"), "a reason is required");
    reg.post_form(&url, &[("act", "extend"), ("message", "需委托检测，经负责人批准延长")]).await;
    let t = row(&app, &tip_no).await;
    assert!(t.d9_extended);
    // Extended once by 15 to 30 working days from the same start (Penalty Procedure Rules Art. 18).
    assert_eq!(t.d9_due_on, Some(date("2026-11-09")));
    assert_eq!(t.d9_extension_reason.as_deref(), Some("需委托检测，经负责人批准延长"));
    let again = reg.post_form(&url, &[("act", "extend"), ("message", "再延长一次")]).await;
    assert!(again.body.contains("只能延长一次") || !again.body.contains("value=\"extend\""), "only once");
    assert_eq!(row(&app, &tip_no).await.d9_due_on, t.d9_due_on);
    reg.post_form(&url, &[("act", "file"), ("message", "立案调查")]).await;
    assert_eq!(row(&app, &tip_no).await.regulator_status, "CASE_FILED");
    reg.post_form(&url, &[("act", "decide"), ("decision", "PENALTY"), ("message", "罚款")]).await;
    let t = row(&app, &tip_no).await;
    assert_eq!((t.regulator_status.as_str(), t.decision.as_deref()), ("DECIDED", Some("PENALTY")));
    // Its history is hash-chained like a case's: an edited row shows.
    let page = reg.get(&format!("/staff/tips/{tip_no}")).await;
    assert!(page.body.contains("data-intact=\"true\""));
    use sea_orm::ConnectionTrait;
    app.store()
        .db
        .execute_unprepared(&format!(
            "UPDATE tip_events SET payload_json = '{{\"decision\":\"NO_PENALTY\"}}' WHERE tip_id = {} AND event_type = 'DECIDED'",
            t.id
        ))
        .await
        .unwrap();
    let page = reg.get(&format!("/staff/tips/{tip_no}")).await;
    assert!(page.body.contains("data-intact=\"false\""), "the edit is reported");
    // Another agency cannot act on it.
    let other = app.signed_in("regulator2@demo.redline").await;
    assert_eq!(other.get(&format!("/staff/tips/{tip_no}")).await.status, 404);
}

async fn order121_art31_tips_go_to_the_business_place_and_ai_labelling_is_listed_for_cac(app: TestApp, _s: Arc<Sink>) {
    let (tip_no, _) = file(&app.client(), "画面中的数字人未持续标识。", "").await;
    let t = row(&app, &tip_no).await;
    let agency = redline_store::entity::agency::Entity::find_by_id(t.agency_id.unwrap())
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(agency.region_code, "330105", "the operator's actual business place");
    assert!(t.jurisdiction_json.contains("Art. 31"));
    assert!(t.cac_listed, "AI labelling is listed for the internet-information department");
    let reg = app.signed_in("regulator@demo.redline").await;
    assert!(reg.get("/regulator/tips?cac=1").await.body.contains(&tip_no));
    // A room whose operator has no known business place or domicile: the platform's domicile.
    let p = app
        .client()
        .post_multipart(
            "/do/tips",
            &[
                ("platform", "2"),
                ("room", "YG-1024"),
                ("description", "主播称假一赔十但拒绝退货。"),
                ("categories", "FALSE_ADVERTISING"),
            ],
            &[],
        )
        .await;
    let no = p.body.split("id=\"tip-no\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let t = row(&app, &no).await;
    let agency = redline_store::entity::agency::Entity::find_by_id(t.agency_id.unwrap())
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(agency.region_code, "110108");
    assert!(!t.cac_listed);
}

async fn order117_art12_a_measure_is_reported_where_the_platform_is_domiciled(app: TestApp, _s: Arc<Sink>) {
    use redline_store::entity::agency;
    use sea_orm::{ActiveModelTrait, Set};
    // The platform is domiciled in 西湖区 (330106); the room's operator does business in 拱墅区 (330105).
    let add = |name: &'static str, code: &'static str, kind: &'static str, level: &'static str| agency::ActiveModel {
        name: Set(name.into()),
        name_en: Set(name.into()),
        region_code: Set(code.into()),
        level: Set(level.into()),
        kind: Set(kind.into()),
        ..Default::default()
    };
    let db = &app.store().db;
    // Redline keeps one agency per division code: the city's market supervision
    // makes way for its internet information office here.
    agency::Entity::delete_many().filter(agency::Column::RegionCode.eq("330100")).exec(db).await.unwrap();
    let city_cac = add("杭州市委网信办", "330100", "INTERNET_INFORMATION", "PREFECTURE").insert(db).await.unwrap().id;
    let province = add("浙江省市场监督管理局", "330000", "MARKET_SUPERVISION", "PROVINCE").insert(db).await.unwrap().id;
    let id_of = |code: &'static str| async move {
        agency::Entity::find()
            .filter(agency::Column::RegionCode.eq(code))
            .filter(agency::Column::Kind.eq("MARKET_SUPERVISION"))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (xihu, gongshu) = (id_of("330106").await, id_of("330105").await);
    let plat = app.signed_in("platform@demo.redline").await;
    let app = &app;
    let reported = |tip_no: String| async move {
        let t = row(app, &tip_no).await;
        let e = tip_event::Entity::find()
            .filter(tip_event::Column::TipId.eq(t.id))
            .filter(tip_event::Column::EventType.eq("MEASURE_REPORTED"))
            .one(db)
            .await
            .unwrap()
            .expect("the report is recorded");
        let v: serde_json::Value = serde_json::from_str(&e.payload_json).unwrap();
        let mut ids: Vec<i64> = v["agencies"].as_array().unwrap().iter().map(|i| i.as_i64().unwrap()).collect();
        ids.sort();
        (t.agency_id, ids)
    };
    // A warning: the domicile's county market supervision and the nearest internet information office.
    let (warned, _) = file(&app.client(), "主播称该饮品可以三天美白。", "").await;
    plat.post_form(
        &format!("/do/staff/tips/{warned}/platform"),
        &[("answer", "measure"), ("measure", "WARNING"), ("message", "警示")],
    )
    .await;
    let (handler, to) = reported(warned).await;
    assert_eq!(handler, Some(gongshu), "the tip itself is handled where the operator does business");
    let mut expect = vec![xihu, city_cac];
    expect.sort();
    assert_eq!(to, expect, "reported where the platform is domiciled, not to the tip's agency");
    // A blacklisting: the provincial ones too.
    let (listed, _) = file(&app.client(), "主播多次虚假宣传，称该饮品可以三天美白。", "").await;
    plat.post_form(
        &format!("/do/staff/tips/{listed}/platform"),
        &[("answer", "measure"), ("measure", "BLACKLIST"), ("message", "列入黑名单")],
    )
    .await;
    let mut expect = vec![xihu, city_cac, province];
    expect.sort();
    assert_eq!(reported(listed).await.1, expect);
    // 西湖区's staff are told; 拱墅区's get the tip's progress, not a measure report.
    let told = |email: &'static str| async move {
        let u = redline_store::entity::user::Entity::find()
            .filter(redline_store::entity::user::Column::Email.eq(email))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        notification::Entity::find()
            .filter(notification::Column::UserId.eq(u.id))
            .filter(notification::Column::Kind.eq("MEASURE_REPORT"))
            .count(db)
            .await
            .unwrap()
    };
    assert_eq!((told("regulator2@demo.redline").await, told("regulator@demo.redline").await), (2, 0));
}

async fn order117_art12_platform_records_a_measure_and_the_reporter_hears_of_progress(app: TestApp, sink: Arc<Sink>) {
    let (tip_no, _) = file(&app.client(), "主播称该饮品可以三天美白。", CONTACT).await;
    let plat = app.signed_in("platform@demo.redline").await;
    assert!(plat.get("/platform/tips").await.body.contains(&tip_no));
    let url = format!("/do/staff/tips/{tip_no}/platform");
    let p = plat.post_form(&url, &[("answer", "no_action"), ("message", "")]).await;
    assert!(p.body.contains("须说明理由"));
    plat.post_form(&url, &[("answer", "measure"), ("measure", "STREAM_SUSPENSION"), ("message", "暂停直播7天")]).await;
    let t = row(&app, &tip_no).await;
    assert_eq!(
        (t.platform_status.as_str(), t.platform_measure.as_deref()),
        ("ACTION_TAKEN", Some("STREAM_SUSPENSION"))
    );
    let m = app.running.mailer.as_ref().unwrap();
    while m.send_due(app.store(), 100).await.sent > 0 {}
    let to_reporter: Vec<_> = sink.mails().into_iter().filter(|m| m.to.contains(CONTACT)).collect();
    assert_eq!(to_reporter.len(), 2, "received, then progress");
    // The control: the progress mail names its stage in Chinese, so a detail would be found.
    assert!(to_reporter.iter().any(|m| m.text.contains("平台")), "{to_reporter:?}");
    assert!(
        to_reporter.iter().all(|m| !m.contains("STREAM_SUSPENSION") && !m.contains("暂停直播") && !m.contains("7天")),
        "stages, not details (Order 121 Art. 36): {to_reporter:?}"
    );
    let to_agency = notification::Entity::find()
        .filter(notification::Column::Kind.eq("TIP_STATUS"))
        .filter(notification::Column::UserId.is_not_null())
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(to_agency, 1, "the agency learns of the measure");
}

async fn order121_art9_a_punish_demand_spawns_a_linked_tip(app: TestApp, _s: Arc<Sink>) {
    let c = app.signed_in("consumer@demo.redline").await;
    let mut form = crate::helpers::complaint_form("1");
    form.push(("demands", "PUNISH".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = c.post_multipart("/do/complaints", &pairs, &[]).await;
    let case = crate::helpers::case_row(&app, p.url.trim_start_matches("/cases/")).await;
    let t = tip::Entity::find()
        .filter(tip::Column::LinkedComplaintId.eq(case.id))
        .one(&app.store().db)
        .await
        .unwrap()
        .expect("a linked tip");
    assert_eq!(t.regulator_status, "VERIFYING", "its own track and clock");
    assert!(c.get("/me/tips").await.body.contains(&t.tip_no), "the consumer follows it");
    // Not in the platform's report queue: its text would name the complainant (Art. 37).
    let plat = app.signed_in("platform@demo.redline").await;
    assert!(!plat.get("/platform/tips").await.body.contains(&t.tip_no));
    assert_eq!(plat.get(&format!("/staff/tips/{}", t.tip_no)).await.status, 404);
    // A complaint without PUNISH spawns none.
    crate::helpers::file_case(&c).await;
    assert_eq!(tip::Entity::find().count(&app.store().db).await.unwrap(), 1);
}

async fn a_missed_d9_is_flagged_once_for_the_agency(app: TestApp, _s: Arc<Sink>) {
    let (tip_no, _) = file(&app.client(), "主播称该饮品可以三天美白。", "").await;
    // About 12 of 15 working days later: one 75 % reminder, however often the job runs.
    app.advance_days(18);
    server::jobs::notify(app.store()).await.unwrap();
    server::jobs::notify(app.store()).await.unwrap();
    let reminders = notification::Entity::find()
        .filter(notification::Column::Kind.eq("CLOCK_REMINDER"))
        .filter(notification::Column::Subject.contains(tip_no.as_str()))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(reminders, 1, "the agency is reminded once");
    app.advance_days(12);
    server::jobs::notify(app.store()).await.unwrap();
    server::jobs::notify(app.store()).await.unwrap();
    let t = row(&app, &tip_no).await;
    assert!(t.d9_overdue);
    let flagged = tip_event::Entity::find()
        .filter(tip_event::Column::TipId.eq(t.id))
        .filter(tip_event::Column::EventType.eq("D9_OVERDUE"))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(flagged, 1);
    let reg = app.signed_in("regulator@demo.redline").await;
    assert!(reg.get("/regulator/tips").await.body.contains("核查逾期"));
}

/// Throttling, with small limits: 1 accepted tip and 3 lookups per address an
/// hour. Refused posts do not count; past the limit the sender answers a
/// question (people on one mobile network share an address) up to a hard cap.
mod limits {
    use super::*;

    /// Sends the tip form again with the question's token and `answer`.
    async fn answer(c: &Client, refused: &str, desc: &str, answer: Option<&str>) -> crate::helpers::Page {
        let q = field_value(refused, "challenge_q");
        let (a, b) = q.split_once('+').expect("a question was asked");
        let right = (a.parse::<u8>().unwrap() + b.parse::<u8>().unwrap()).to_string();
        let token = field_value(refused, "challenge_token");
        let mut form = tip_form(desc, "");
        form.push(("challenge_token", &token));
        form.push(("challenge_answer", answer.unwrap_or(&right)));
        c.post_multipart("/do/tips", &form, &[]).await
    }

    async fn run(backend: Backend) {
        let app = TestApp::spawn_with(backend, |c| {
            c.tip_limit = 1;
            c.lookup_limit = 3;
        })
        .await;
        app.at_start_of_an_hour();
        let c = app.client();
        let tips = || async { tip::Entity::find().count(&app.store().db).await.unwrap() };
        // A refused post (too short) does not count against the limit.
        let p = c.post_multipart("/do/tips", &tip_form("太短", ""), &[]).await;
        assert!(p.url.starts_with("/tips/new") && !p.body.contains("challenge_token"));
        let (_, receipt) = file(&c, "主播称该饮品可以三天美白。", "").await;
        // Past the limit: asked, not turned away; what was typed is kept.
        let p = c.post_multipart("/do/tips", &tip_form("第二条举报内容，描述足够长。", ""), &[]).await;
        assert!(p.url.starts_with("/tips/new"), "{}", p.url);
        assert!(p.body.contains("请回答下面的问题") && p.body.contains("第二条举报内容"), "asked; typed text kept");
        assert!(!p.body.contains("提交过于频繁"));
        let wrong = answer(&c, &p.body, "第二条举报内容，描述足够长。", Some("99")).await;
        assert!(wrong.body.contains("答案不正确"), "a wrong answer is refused");
        assert_eq!(tips().await, 1);
        let ok = answer(&c, &wrong.body, "第二条举报内容，描述足够长。", None).await;
        assert_eq!(ok.url, "/tips/filed", "the right answer files it");
        // Up to four an hour with questions; the fifth is refused outright.
        for n in 3..=4 {
            let p = c.post_multipart("/do/tips", &tip_form(&format!("第{n}条举报内容，描述足够长。"), ""), &[]).await;
            assert_eq!(answer(&c, &p.body, &format!("第{n}条举报内容，描述足够长。"), None).await.url, "/tips/filed");
        }
        let p = c.post_multipart("/do/tips", &tip_form("第五条举报内容，描述足够长。", ""), &[]).await;
        assert!(p.body.contains("提交过于频繁") && p.body.contains("第五条举报内容"), "hard cap; typed text kept");
        assert_eq!(tips().await, 4);
        for _ in 0..3 {
            let r = c.post_form("/do/tips/status", &[("receipt", &receipt)]).await;
            assert!(!r.body.contains("提交过于频繁"));
        }
        let r = c.post_form("/do/tips/status", &[("receipt", &receipt)]).await;
        assert!(r.body.contains("提交过于频繁"), "lookups are limited too");
        // An hour later the window has passed: no question.
        app.running.time.advance(3600);
        assert_eq!(c.post_multipart("/do/tips", &tip_form("一小时后的新举报内容。", ""), &[]).await.url, "/tips/filed");
        // A large description is capped by the form rules.
        let long = "长".repeat(5001);
        app.running.time.advance(3600);
        let p = c.post_multipart("/do/tips", &tip_form(&long, ""), &[]).await;
        assert!(p.body.contains("10到5000字"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_public_tips_and_lookups_are_rate_limited() {
        run(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_public_tips_and_lookups_are_rate_limited() {
        run(Backend::Postgres).await
    }
}
