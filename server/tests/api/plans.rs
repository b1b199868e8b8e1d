//! Hot queries are planned by an index on both backends, checked on the plan
//! itself rather than by timing: every statement that filing, a transition,
//! each queue, the case and room pages, the sweep and the outbox send,
//! captured as they run (`seeks` names the index of a few of them).
use crate::helpers::{file_case, TestApp};
use redline_store::case::queries::Queue;
use redline_store::Store;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use std::sync::{Arc, Mutex};

on_both_backends!(every_hot_statement_is_planned_by_an_index);

/// The plan of `sql` as text: SQLite's `EXPLAIN QUERY PLAN`, or PostgreSQL's
/// `EXPLAIN` with sequential scans priced out (tables in a test are tiny, and
/// the question is whether an index can serve the query at all).
pub(crate) async fn plan(app: &TestApp, sql: &str) -> String {
    let db = &app.store().db;
    let backend = db.get_database_backend();
    let txn = db.begin().await.unwrap();
    let (explain, column) = match backend {
        DbBackend::Sqlite => (format!("EXPLAIN QUERY PLAN {sql}"), "detail"),
        _ => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            (format!("EXPLAIN {sql}"), "QUERY PLAN")
        }
    };
    let rows = txn.query_all_raw(Statement::from_string(backend, explain)).await.unwrap();
    txn.rollback().await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", column).unwrap()).collect::<Vec<_>>().join("\n")
}

/// Tables whose rows grow with cases, tips, users or traffic. The others
/// (platforms, operators, agencies, secrets) are a handful of rows that a
/// person adds by hand, read whole.
const GROWING: [&str; 33] = [
    "complaints",
    "public_narratives",
    // A row per room, place and week; its facets per platform, place and week.
    "desk_weeks",
    "desk_facets",
    "case_events",
    "clocks",
    "clock_pauses",
    "notifications",
    "evidence",
    "preservation_requests",
    "tips",
    "records_requests",
    "tip_events",
    "tip_evidence",
    "users",
    "sessions",
    "memberships",
    "rate_hits",
    "live_rooms",
    "stream_sessions",
    "stream_products",
    // Platforms report their parties by the ten thousand.
    "operators",
    "marketers",
    "mcns",
    "session_marketers",
    "party_changes",
    "complainant_details",
    // What platforms' systems cause: deliveries and their attempts, idempotency keys.
    "webhook_deliveries",
    "webhook_attempts",
    "idempotency",
    // The transparency log: a leaf per changed record, its subtrees, its checkpoints.
    "log_leaves",
    "log_nodes",
    "log_checkpoints",
];

/// Statements that sort only what is due (a range of the status-and-due
/// indexes): their cost follows the overdue, which the sweep benchmark measures.
const SORTS_DUE_ONLY: [&str; 6] = [
    // The desk's busiest operators or rooms: a sort of the scope's groups, not of cases.
    "ORDER BY SUM(received) DESC",
    // A desk figure's list narrowed to a room or an operator: a sort of the
    // cases that figure counts (one room's or operator's in the period).
    "\"complaints\".\"created_at\" >= ",
    // Search from a reader's own cases: fewer than `search::NARROW` of them.
    "FROM complaints c CROSS JOIN case_search s",
    // The API's list of a platform's overdue cases: its overdue ones, by filing order.
    "\"complaints\".\"next_due_on\" < ",
    "\"notifications\".\"email_status\" = 'PENDING' AND \"notifications\".\"next_attempt_at\" <= ",
    "\"webhook_deliveries\".\"status\" = 'PENDING' AND \"webhook_deliveries\".\"next_at\" <= ",
];

/// The problems in a plan: a growing table read whole, or through an index
/// whose leading column the statement does not constrain; and a page (a
/// statement with LIMIT) sorted after reading every match instead of read
/// in index order.
fn problems(backend: DbBackend, plan: &str, paged: bool) -> Vec<String> {
    let growing = |line: &str| GROWING.iter().any(|t| line.split_whitespace().any(|w| w == *t));
    let lines: Vec<&str> = plan.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let bad = match backend {
            // SQLite: "SEARCH t USING INDEX ix (col=?)" is a seek; "SCAN t" reads it all.
            DbBackend::Sqlite => line.contains("SCAN ") && !line.contains("CONSTANT ROW") && growing(line),
            // PostgreSQL, sequential scans priced out: one still there has no
            // index to use; an index scan without an Index Cond reads it whole.
            _ => {
                let node = line.contains("Seq Scan on ")
                    || ((line.contains("Index Scan using ") || line.contains("Index Only Scan using "))
                        && !lines[i + 1..].iter().take_while(|l| !l.contains("->")).any(|l| l.contains("Index Cond")));
                node && growing(line)
            }
        };
        // Judged on SQLite only: PostgreSQL prices a sort of a test's few rows
        // below walking an index, whatever indexes exist (the benchmark at a
        // million cases shows its pages).
        let sorted = backend == DbBackend::Sqlite && line.contains("TEMP B-TREE FOR ORDER BY");
        if bad || (paged && sorted) {
            found.push(line.trim().to_owned());
        }
    }
    found
}

/// A store on the app's database whose every statement is recorded.
pub(crate) async fn observed(app: &TestApp) -> (Store, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let pools = redline_store::db::connect(&app.database_url).await.unwrap();
    let store = Store::new(pools, app.running.store.time.clone());
    let saw = seen.clone();
    store.statements.observe(move |_, s| saw.lock().unwrap().push(s.to_string()));
    (store, seen)
}

pub(crate) async fn actor(store: &Store, email: &str) -> redline_store::Actor {
    let u = redline_store::entity::user::Entity::find()
        .filter(redline_store::entity::user::Column::Email.eq(email))
        .one(&store.read)
        .await
        .unwrap()
        .unwrap();
    redline_store::account::auth::actor_for_user(store, u.id).await.unwrap().unwrap()
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn every_hot_statement_is_planned_by_an_index(app: TestApp) {
    let consumer = app.signed_in("consumer@demo.redline").await;
    for _ in 0..3 {
        file_case(&consumer).await;
    }
    let (store, seen) = observed(&app).await;
    let who = |e: &'static str| actor(&store, e);
    let (me, op, plat, reg) = (
        who("consumer@demo.redline").await,
        who("operator@demo.redline").await,
        who("platform@demo.redline").await,
        who("regulator@demo.redline").await,
    );
    // A platform with a webhook endpoint: filing writes its deliveries.
    let owner = redline_store::api::webhooks::Owner::platform(1);
    redline_store::api::webhooks::create(&store, owner, "http://127.0.0.1:9/hook", &["*".into()], true).await.unwrap();
    // The desk's rows (its job reads every case of the year: not a page's statement).
    redline_store::desk::rebuild(app.store(), chrono::Duration::zero()).await.unwrap();
    seen.lock().unwrap().clear();
    // Filing, with punishment asked (its Art. 9 tip), and a transition.
    let today = store.today().to_string();
    // Picked from a session's products: the product's cluster window is read too.
    use redline_store::entity::{stream_product, stream_session};
    let session = stream_session::Entity::find().one(&app.store().db).await.unwrap().unwrap().id.to_string();
    let product = stream_product::Entity::find()
        .filter(stream_product::Column::Sku.eq("SKU-1001"))
        .one(&app.store().db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let form = redline_rules::intake::ComplaintForm {
        platform: "1",
        room: "XH-8801",
        moment_kind: "offset",
        clock: "",
        offset: "00:42:10",
        product: "",
        product_id: &product,
        session: &session,
        order_no: "XH20261120001",
        amount: "299.00",
        categories: vec!["FALSE_ADVERTISING"],
        demands: vec!["REFUND", "PUNISH"],
        narrative: "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。",
        harm_known_on: &today,
        now: store.now(),
        ..Default::default()
    };
    let input = redline_rules::intake::NewComplaint::try_from(form).unwrap();
    let limits = redline_store::vault::intake::Limits { max_file: 1 << 20, max_case: 1 << 20 };
    // Counted in the filing's transaction, as the form does; its room read first.
    let hit =
        redline_store::web::ratelimit::Hit::new(&store, "filing:plans", 20, chrono::Duration::hours(1)).await.unwrap();
    hit.room(&store).await.unwrap().unwrap();
    // The signed-in actor of every request: the user and memberships joined.
    redline_store::account::auth::actor_for_user(&store, me.user_id).await.unwrap().unwrap();
    // A page's frame: the session's actor with their unread notices.
    let token = redline_store::account::auth::open_session(&store, me.user_id).await.unwrap();
    let (a, unread) = redline_store::account::auth::actor_and_unread(&store, &token).await.unwrap().unwrap();
    assert_eq!(a.user_id, me.user_id);
    assert_eq!(unread, redline_store::notices::unread(&store, me.user_id).await.unwrap());
    // The form's one-time token: looked up first, recorded with the case.
    let once = redline_store::api::idempotency::FormToken::new(me.user_id, "plans-token").unwrap();
    assert_eq!(once.filed(&store).await.unwrap(), None);
    let c = redline_store::case::filing::file_complaint(&store, &me, input, &[], limits, Some(hit), Some(once.clone()))
        .await
        .unwrap();
    assert_eq!(once.filed(&store).await.unwrap(), Some(format!("/cases/{}", c.case_no)));
    redline_store::case::transition::apply(
        &store,
        &c.case_no,
        redline_rules::case::CaseEvent::Withdraw,
        redline_rules::case::Role::Consumer,
        &me,
        serde_json::json!({}),
        None,
    )
    .await
    .unwrap();
    // Each queue, its second page too; the case and room pages; tips queues.
    use redline_store::case::queries;
    for (a, q) in [(&me, Queue::Mine), (&op, Queue::Operator), (&plat, Queue::Platform), (&reg, Queue::Regulator)] {
        let page = queries::queue(&store, a, q, None, 1).await.unwrap();
        queries::queue(&store, a, q, page.next, 1).await.unwrap();
        // Every tab of the work list, its second page, and the tabs' counts.
        for tab in queries::Tab::ALL {
            let f = queries::Filter { tab, ..Default::default() };
            let page = queries::filtered_queue(&store, a, q, &f, None, 1).await.unwrap();
            queries::filtered_queue(&store, a, q, &f, page.next, 1).await.unwrap();
        }
        queries::tab_counts(&store, a, q, &queries::Filter::default()).await.unwrap();
        // Search over what this reader may see, a two-character query and a phrase,
        // from the reader's cases and through the index.
        for typed in ["美白", "三天美白"] {
            let query = redline_rules::search::query(typed).unwrap();
            redline_store::search::search(&store, a, &query, 1).await.unwrap();
            let mut wide = store.clone();
            wide.search_narrow = 0;
            redline_store::search::search(&wide, a, &query, 1).await.unwrap();
        }
    }
    // The cluster alerts' desk.
    for a in [&plat, &reg] {
        for (alert, _) in redline_store::alerts::list(&store, a, 100).await.unwrap() {
            redline_store::alerts::one(&store, a, alert.id).await.unwrap();
        }
    }
    // The monitoring desk, every breakdown, narrowed too; and the lists its figures lead to.
    use redline_rules::desk::{By, Period};
    use redline_store::desk::{self, Narrow};
    for a in [&plat, &reg] {
        let scope = desk::scope_of(&store, a).await.unwrap().unwrap();
        for by in By::ALL {
            desk::desk(&store, &scope, Period::default(), by, Narrow::default()).await.unwrap();
            desk::desk(&store, &scope, Period::default(), by, Narrow { platform: Some(1), operator: Some(1) })
                .await
                .unwrap();
        }
    }
    use queries::{Figure, Outcome};
    let late = Outcome::Late(redline_rules::clock::ClockKind::D1);
    for outcome in [None, Some(Outcome::Resolved), Some(Outcome::ToPlatform), Some(Outcome::ToRegulator), Some(late)] {
        let figure = Figure { since: Some(store.today()), room: Some(c.live_room_id), outcome, ..Default::default() };
        let f = queries::Filter { tab: queries::Tab::All, figure, ..Default::default() };
        queries::filtered_queue(&store, &plat, Queue::Platform, &f, None, 1).await.unwrap();
    }
    let figure = Figure { held: Some(redline_rules::case::Tier::Regulator), platform: Some(1), ..Default::default() };
    let f = queries::Filter { tab: queries::Tab::All, figure, ..Default::default() };
    queries::filtered_queue(&store, &reg, Queue::Regulator, &f, None, 1).await.unwrap();
    let d = queries::dossier(&store, &plat, &c.case_no).await.unwrap();
    queries::dossier_extras(&store, &d.case).await.unwrap();
    queries::room_page(&store, c.live_room_id).await.unwrap();
    // The room page's public figures and case list.
    let room =
        redline_store::entity::live_room::Entity::find_by_id(c.live_room_id).one(&store.read).await.unwrap().unwrap();
    redline_store::public::figures(&store, &room).await.unwrap();
    redline_store::public::room_cases(&store, c.live_room_id, 20).await.unwrap();
    // Its published narratives, and the moderators' queue.
    redline_store::narratives::published(&store, c.live_room_id, 20).await.unwrap();
    let mut admin = who("admin@demo.redline").await;
    admin.is_admin = true;
    redline_store::narratives::pending(&store, &admin, 100).await.unwrap();
    redline_store::tip::views::platform_queue(&store, &plat).await.unwrap();
    redline_store::tip::views::regulator_queue(&store, &reg, false).await.unwrap();
    redline_store::notices::for_user(&store, op.user_id, 50).await.unwrap();
    redline_store::notices::unread(&store, op.user_id).await.unwrap();
    // The parties: a platform's report, the room's public parties, its overview,
    // late reports, a queue filtered by marketer and MCN, a room named by URL.
    let now = store.now();
    let rp = |id: &str, op: &str| redline_rules::parties::PartyFields {
        id: id.into(),
        name: "直播间".into(),
        url: format!("https://live.example/{id}"),
        operator: op.into(),
        ..Default::default()
    };
    let batch = redline_store::parties::report::Batch {
        rooms: vec![redline_rules::parties::room(&rp("R-PLAN", "op-youxuan"), "", now).unwrap()],
        ..Default::default()
    };
    redline_store::parties::report::report(&store, 1, &batch, "api").await.unwrap();
    let room = redline_store::streams::find_room(&store.read, 1, "https://live.xinghe.example/room/XH-8801?from=share")
        .await
        .unwrap()
        .expect("found by URL");
    redline_store::parties::views::room_parties(&store, &room).await.unwrap();
    redline_store::parties::views::overview(&store, 1).await.unwrap();
    redline_store::parties::views::late_reports(&store, 10).await.unwrap();
    let filter = queries::Filter {
        marketer: Some("小优".into()),
        mcn: Some("杭州星光文化传媒有限公司".into()),
        ..Default::default()
    };
    queries::filtered_queue(&store, &reg, Queue::Regulator, &filter, None, 1).await.unwrap();
    // The platform API: a key, its case list (two pages, filtered), its tips,
    // an idempotency key, and the webhook sender's claim and record.
    use redline_store::api::{cases as api_cases, deliveries, idempotency, keys};
    let caller = keys::authenticate(&store, redline_store::seed::DEMO_API_KEY).await.unwrap().unwrap();
    let f = api_cases::CaseFilter::default();
    let page = api_cases::list(&store, &caller, &f, None, 1, true).await.unwrap();
    api_cases::list(&store, &caller, &f, page.next, 1, false).await.unwrap();
    let f = api_cases::CaseFilter { tier: Some(redline_rules::case::Tier::Operator), overdue: Some(true), ..f };
    api_cases::list(&store, &caller, &f, None, 1, false).await.unwrap();
    api_cases::tips(&store, &caller, Some("REVIEWING"), None, 1).await.unwrap();
    idempotency::begin(&store, "key:plan", "k-1", "h").await.unwrap();
    idempotency::save(
        &store,
        "key:plan",
        "k-1",
        &idempotency::Stored { status: 200, body: "{}".into(), location: None },
    )
    .await
    .unwrap();
    idempotency::begin(&store, "key:plan", "k-1", "h").await.unwrap();
    let claimed = deliveries::claim(&store, 10, chrono::Duration::seconds(60)).await.unwrap();
    assert!(!claimed.is_empty(), "deliveries were written with the filing");
    let (d, ep) = &claimed[0];
    let failed = deliveries::Attempt { status_code: Some(503), error: None, excerpt: String::new(), took_ms: 1 };
    deliveries::record(&store, d, ep, failed, 0.0).await.unwrap();
    redline_store::api::webhooks::recent(&store, ep.id, 20).await.unwrap();
    // A records request asked and answered (Order 117 Art. 18), a fraud mark (T24),
    // the tips' overdue flags (D9, D10).
    let ask = redline_rules::records::RecordsAsk::parse(&["IDENTITY"]).unwrap();
    // A clock time a day ago, confirmed: the demo session is not the point here.
    let when = redline_store::time::china_time(store.now() - chrono::Duration::days(1));
    let mine = redline_store::case::filing::file_complaint(
        &store,
        &me,
        redline_rules::intake::NewComplaint::try_from(redline_rules::intake::ComplaintForm {
            platform: "1",
            room: "XH-8801",
            moment_kind: "clock",
            clock: &when,
            moment_confirmed: &when,
            product: "胶原蛋白饮品",
            categories: vec!["FALSE_ADVERTISING"],
            demands: vec!["REFUND"],
            narrative: "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。",
            harm_known_on: &today,
            now: store.now(),
            ..Default::default()
        })
        .unwrap(),
        &[],
        limits,
        None,
        None,
    )
    .await
    .unwrap();
    redline_store::case::records::ask(&store, &me, &mine.case_no, &ask).await.unwrap();
    redline_store::case::records::answer(&store, &plat, &mine.case_no, "运营者：杭州优选电子商务有限公司")
        .await
        .unwrap();
    redline_store::case::fraud::mark(
        &store,
        &plat,
        &mine.case_no,
        redline_rules::case::Role::Platform,
        true,
        "同一地址多次索赔",
    )
    .await
    .unwrap();
    redline_store::tip::handling::flag_overdue(&store).await.unwrap();
    // The transparency log: a checkpoint of all so far, one of the case the
    // platform marked since, a receipt and a consistency proof.
    use redline_store::transparency::{append, proofs};
    let signing = append::Signing { origin: "plans", seed: &[9u8; 32] };
    redline_store::case::records::answer(&store, &plat, &mine.case_no, "再次答复").await.ok();
    let first = append::checkpoint(&store, &signing).await.unwrap().expect("cases changed").tree_size;
    redline_store::case::fraud::mark(
        &store,
        &plat,
        &mine.case_no,
        redline_rules::case::Role::Platform,
        false,
        "核实无误",
    )
    .await
    .unwrap();
    let second = append::checkpoint(&store, &signing).await.unwrap().expect("the case changed").tree_size;
    assert_eq!(second, first + 1);
    proofs::receipt(&store, "case", &mine.case_no).await.unwrap().expect("logged");
    proofs::consistency(&store, first, second).await.unwrap().expect("both are checkpoints");
    // The sweep and the outbox.
    redline_store::case::sweep::sweep(&store, 100).await.unwrap();
    for id in redline_store::notices::outbox::due_for_sending(&store, 10).await.unwrap() {
        redline_store::notices::outbox::claim(&store, id, chrono::Duration::minutes(5)).await.unwrap();
    }
    // Jurisdiction disputes: the referee's list, a case's disputes, the D11 flag.
    redline_store::case::dispute::referred_to(&store, &reg).await.unwrap();
    redline_store::case::dispute::of_case_id(&store.read, mine.id).await.unwrap();
    redline_store::case::dispute::flag_overdue(&store).await.unwrap();
    redline_store::case::rating::of_case(&store.read, mine.id).await.unwrap();
    redline_store::parties::unreachable::of_case(&store.read, mine.id).await.unwrap();
    redline_store::parties::unreachable::flag_overdue(&store).await.unwrap();
    // Retention: what an account deletion would keep; a case closed, three
    // years on deleted whole by the daily job (every table read by the case).
    redline_store::retention::account::what_stays(&store, &me).await.unwrap();
    let closing = file_case(&consumer).await;
    consumer.act(&closing, "consumer", "WITHDRAW", &[]).await;
    app.move_to("2030-01-02 03:00");
    let purged = redline_store::retention::purge::run(&store, &app.running.vault, 10).await.unwrap();
    assert!(purged.cases >= 1, "{purged:?}");
    let statements: Vec<String> = {
        // A batch (`store::batch`) runs on SQLite as one text: each of its statements is planned.
        let mut s: Vec<String> = seen
            .lock()
            .unwrap()
            .iter()
            .flat_map(|b| b.split(";\n").map(str::to_owned))
            .filter(|s| !s.is_empty())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let kinds = |p: &str| statements.iter().filter(|s| s.starts_with(p)).count();
    assert!(kinds("SELECT") >= 25 && kinds("UPDATE") >= 3, "the flows ran: {statements:#?}");
    // The joined reads are among them: the filing's place, the actor.
    let joined = |t: &str| statements.iter().any(|s| s.contains(t));
    assert!(joined(r#"AS "p_id""#) && joined(r#"LEFT JOIN "memberships""#), "joined reads ran: {statements:#?}");
    let backend = store.db.get_database_backend();
    let mut failures = Vec::new();
    for sql in &statements {
        if !(sql.starts_with("SELECT") || sql.starts_with("UPDATE") || sql.starts_with("DELETE")) {
            continue;
        }
        // An empty `IN ()` list: a constant false, answered without reading.
        if sql.contains("WHERE 1 = 2") {
            continue;
        }
        let p = plan(&app, sql).await;
        // Sorted batches whose size is bounded by what is due, not by how
        // many cases exist: the sweep's overdue clocks and the outbox's due mail.
        let bounded = SORTS_DUE_ONLY.iter().any(|s| sql.contains(s));
        for problem in problems(backend, &p, sql.contains(" LIMIT ") && !bounded) {
            failures.push(format!("{problem}\n    in: {}", &sql[sql.len().saturating_sub(400)..]));
        }
        // A lookup of one room must seek the room, not read every room of its
        // platform (a platform syncs ten thousand); only a count may.
        let platform_wide =
            p.lines().any(|l| l.contains("SEARCH live_rooms") && l.trim_end().ends_with("(platform_id=?)"));
        if platform_wide && !sql.contains("COUNT(") {
            failures.push(format!("every room of the platform read: {p}\n    in: {}", &sql[..sql.len().min(300)]));
        }
    }
    assert!(failures.is_empty(), "{} statements read a growing table whole:\n{}", failures.len(), failures.join("\n"));
}
