//! Fewer round trips per request: a filing makes a fixed, small number of
//! statements, whatever it notifies or announces, and on SQLite the case's own
//! writes (row, clocks, events, notices, webhook deliveries, search row) are
//! one round trip to the connection's thread.
use crate::helpers::{file_case, TestApp};
use crate::plans::{actor, observed};
use redline_store::entity::webhook_delivery as delivery;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    order117_art20_a_filing_is_a_fixed_handful_of_statements,
    each_roles_pages_are_a_fixed_handful_of_statements
);

fn form(now: chrono::DateTime<chrono::Utc>, today: &str) -> redline_rules::intake::NewComplaint {
    let form = redline_rules::intake::ComplaintForm {
        platform: "1",
        room: "XH-8801",
        moment_kind: "offset",
        offset: "00:42:10",
        session: "1",
        product: "胶原蛋白饮品 30瓶装",
        order_no: "XH20261120001",
        amount: "299.00",
        categories: vec!["FALSE_ADVERTISING"],
        demands: vec!["REFUND"],
        narrative: "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。",
        harm_known_on: today,
        now,
        ..Default::default()
    };
    redline_rules::intake::NewComplaint::try_from(form).unwrap()
}

/// The form's filing as the server makes it (the place read, then the
/// writer's statements), with a webhook endpoint that hears it: the exact
/// statements, and the deliveries the one insert wrote.
async fn order117_art20_a_filing_is_a_fixed_handful_of_statements(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    // The room's cluster alert is open after a few: later filings join it.
    for _ in 0..5 {
        file_case(&consumer).await;
    }
    let (store, seen) = observed(&app).await;
    let me = actor(&store, "consumer@demo.redline").await;
    let owner = redline_store::api::webhooks::Owner::platform(1);
    redline_store::api::webhooks::create(&store, owner, "http://127.0.0.1:9/hook", &["*".into()], true).await.unwrap();
    let limits = redline_store::vault::intake::Limits { max_file: 1 << 20, max_case: 1 << 20 };
    let hit =
        redline_store::web::ratelimit::Hit::new(&store, "filing:trips", 20, chrono::Duration::hours(1)).await.unwrap();
    let today = store.today().to_string();
    seen.lock().unwrap().clear();
    let once = redline_store::api::idempotency::FormToken::new(me.user_id, "a-forms-token");
    let c = redline_store::case::filing::file_complaint(
        &store,
        &me,
        form(store.now(), &today),
        &[],
        limits,
        Some(hit),
        once,
    )
    .await
    .unwrap();
    let statements = seen.lock().unwrap().clone();
    // What each statement is: its first words, without quotes; a batch's
    // statements (one text on SQLite) each on their own, in brackets.
    let words = |s: &str| {
        let w: Vec<&str> = s.split_whitespace().take_while(|w| !w.starts_with('(')).take(3).collect();
        w.join(" ").replace('"', "")
    };
    let seen: Vec<String> = statements
        .iter()
        .map(|s| match s.split(";\n").filter(|p| !p.is_empty()).collect::<Vec<_>>()[..] {
            [one] => words(one),
            ref parts => format!("[{}]", parts.iter().map(|p| words(p)).collect::<Vec<_>>().join(" | ")),
        })
        .collect();
    // Read before the writer: where it points. In the writer: the case row
    // (its id numbers it) and its preservation request (whose id is in the
    // chained event), with what its write reads of others, its audiences and
    // the subjects' open alerts; then all the rest. SQLite runs each group as
    // one round trip, PostgreSQL statement by statement.
    let first = [
        "INSERT INTO complaints",
        "INSERT INTO preservation_requests",
        "SELECT users.id, users.email,",
        "SELECT cluster_alerts.id, cluster_alerts.live_room_id,",
    ];
    let rest = [
        "INSERT INTO clocks",
        "UPDATE complaints SET",
        "INSERT INTO webhook_deliveries",
        "INSERT INTO case_events",
        "INSERT INTO notifications",
        "UPDATE cluster_alerts SET",
        "INSERT INTO case_search",
        "INSERT INTO rate_hits",
        "INSERT INTO idempotency",
    ];
    let mut expected: Vec<String> = vec!["SELECT platforms.id AS".into()];
    if app.store().db.get_database_backend() == DbBackend::Sqlite {
        expected.push(format!("[{}]", first.join(" | ")));
        expected.push(format!("[{}]", rest.join(" | ")));
    } else {
        // First the lock of its one subject, the room (`alerts::subject_locks`:
        // concurrent filings about it decide their alerts in turn).
        expected.push("SELECT 1 AS".into());
        expected.extend(first.map(String::from));
        expected.extend(rest.map(String::from));
    }
    assert_eq!(seen, expected);
    // The deliveries: created and three state changes (T1–T3), and the
    // preservation request, each once to the one endpoint.
    let written = delivery::Entity::find()
        .filter(delivery::Column::Subject.eq(c.case_no.clone()))
        .count(&app.store().db)
        .await
        .unwrap();
    assert_eq!(written, 5, "{seen:#?}");
}

/// On SQLite a browser's filing carries its form's one-time token: its row is
/// written with the case, in the filing's batch, so a post is one write of the
/// writer. Claimed and answered as writes of their own, it took three (and, on
/// their own commits, had halved the form's rate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forms_token_is_recorded_with_its_case_in_one_write() {
    let app = TestApp::spawn_at(crate::helpers::Backend::Sqlite, crate::helpers::START).await;
    let c = app.signed_in("consumer@demo.redline").await;
    let page = c.get("/me/new").await;
    let once = crate::helpers::hidden_of(&page.body, "once").expect("the form's one-time token");
    let mut form = crate::helpers::complaint_form("1");
    form.push(("once", once));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, before) = app.store().writer.groups();
    let filed = c.post_multipart("/do/complaints", &pairs, &[]).await;
    assert!(filed.url.starts_with("/cases/LC-"), "{}", filed.url);
    let (_, after) = app.store().writer.groups();
    assert_eq!(after - before, 1, "the filing, its token with it");
}

/// The pages each role works from read a fixed number of statements, however
/// many forms they show (the case page's eleven forms' kept values are one
/// read) and whoever reads them. Each is counted on its second visit: the
/// first may load what a process keeps (installation secrets).
async fn each_roles_pages_are_a_fixed_handful_of_statements(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    let case_no = file_case(&consumer).await;
    file_case(&consumer).await;
    let operator = app.signed_in("operator@demo.redline").await;
    let platform = app.signed_in("platform@demo.redline").await;
    let regulator = app.signed_in("regulator@demo.redline").await;
    let case_page = format!("/cases/{case_no}");
    let pages = [
        ("consumer", &consumer, "/me/cases"),
        ("operator", &operator, "/operator"),
        ("platform", &platform, "/platform"),
        ("regulator", &regulator, "/regulator"),
        ("consumer", &consumer, case_page.as_str()),
        ("operator", &operator, case_page.as_str()),
        ("consumer", &consumer, "/rooms/1"),
    ];
    let mut seen = Vec::new();
    for (who, client, path) in pages {
        assert_eq!(client.get(path).await.status, 200, "{who} {path}");
        let before = app.store().statements.counts();
        assert_eq!(client.get(path).await.status, 200, "{who} {path}");
        let after = app.store().statements.counts();
        seen.push(format!("{who} {path}: {} written, {} read", after.0 - before.0, after.1 - before.1));
    }
    // The signed-in actor with the unread count (one statement), then the page's own: a queue's
    // four tab counts (one statement), its rows and their rooms, platforms and clocks; the
    // case with its room (who may see it), operator, platform, events,
    // clocks, the agencies, the forms' kept values, the session with its
    // products, evidence, preservation, the records request, ratings (and,
    // the consumer's alone, the publication card); the room's parties,
    // figures (its platform's and operator's rooms in one read) and public cases. None on the writer.
    let expected = [
        "consumer /me/cases: 0 written, 6 read",
        "operator /operator: 0 written, 6 read",
        "platform /platform: 0 written, 6 read",
        "regulator /regulator: 0 written, 6 read",
        &format!("consumer {case_page}: 0 written, 16 read"),
        &format!("operator {case_page}: 0 written, 15 read"),
        "consumer /rooms/1: 0 written, 14 read",
    ];
    assert_eq!(seen, expected);
}
