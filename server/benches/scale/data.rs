//! The data set: a few dozen template cases filed and moved on through the
//! real store code (so every row is one Redline itself would write), then
//! copied inside the database, `INSERT … SELECT` from the templates crossed
//! with a numbers table, to any size. Copies get their own ids, case and tip
//! numbers, consumers, and rooms, sessions and products (each template room
//! copied `ROOMS` times), so queues and room pages are spread as in life.
//! Copied events keep their template's hash chain: a copied case's chain
//! check reports it as broken, which costs the page the same work.
use redline_rules::evidence::EvidenceKind;
use redline_rules::intake::{ComplaintForm, NewComplaint, NewTip, TipForm};
use redline_rules::lang::Lang;
use redline_store::vault::intake::{Limits, Stored};
use redline_store::{Actor, ShiftableTime, Store};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::sync::Arc;

/// Copies of each template room (with its sessions and products).
pub const ROOMS: i64 = 500;
/// Consumers the copied cases are spread over.
pub const CONSUMERS: i64 = 20_000;

pub struct Templates {
    /// Template cases have ids 1..=cases; tips 1..=tips.
    pub cases: i64,
    pub tips: i64,
    pub rooms: i64,
    pub sessions: i64,
    pub products: i64,
    /// Template notifications have ids 1..=notices.
    pub notices: i64,
    pub consumer: i64,
    /// The first generated consumer's id.
    pub first_consumer: i64,
}

pub async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{e}\n{sql}"));
}

pub async fn scalar(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn actor(store: &Store, email: &str) -> Actor {
    let id = scalar(&store.db, &format!("SELECT id FROM users WHERE email = '{email}'")).await;
    redline_store::account::auth::actor_for_user(store, id).await.unwrap().unwrap()
}

fn screenshot(i: i64) -> Stored {
    Stored {
        sha256: format!("{:064x}", i + 1),
        display_sha256: None,
        kind: EvidenceKind::Image,
        mime: "image/png",
        size: 48_213,
        file_name: format!("截图{i}.png"),
    }
}

/// Files one group of templates: a mix of rooms, categories, demands (some
/// asking for punishment, which files an Order 121 Art. 9 tip) and evidence.
async fn file_group(store: &Store, consumer: &Actor, group: i64) -> Vec<String> {
    let variants = [
        ("1", "XH-8801", "FALSE_ADVERTISING", "REFUND"),
        ("1", "XH-8801", "ILLEGAL_GOODS_SUBSTANDARD", "PUNISH"),
        ("2", "YG-1024", "PRICE_MARKING", "REFUND"),
        ("1", "XH-8801", "AFTER_SALES_REFUSED", "REPAIR"),
        ("2", "YG-1024", "FALSE_ADVERTISING", "PUNISH"),
        ("1", "XH-8801", "SEVEN_DAY_RETURN_REFUSED", "RETURN_REFUND"),
    ];
    let mut nos = Vec::new();
    for (i, (platform, room, category, demand)) in variants.into_iter().enumerate() {
        let today = store.today().to_string();
        let form = ComplaintForm {
            platform,
            room,
            moment_kind: "offset",
            clock: "",
            offset: "00:42:10",
            // The form needs a session for an offset; the templates keep the
            // moment unpinned (below), as complaints filed before that rule.
            session: "1",
            product: "胶原蛋白饮品 30瓶装",
            product_id: "",
            order_no: "XH20261120001",
            amount: "299.00",
            categories: vec![category],
            demands: vec![demand],
            narrative: "主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。",
            harm_known_on: &today,
            now: store.now(),
            ..Default::default()
        };
        let mut input = NewComplaint::try_from(form).unwrap_or_else(|e| panic!("template {group}/{i}: {e:?}"));
        input.session_id = None;
        let files: Vec<Stored> = (0..(i as i64 % 3)).map(|k| screenshot(group * 10 + k)).collect();
        let limits = Limits { max_file: 20 << 20, max_case: 100 << 20 };
        let c = redline_store::case::filing::file_complaint(store, consumer, input, &files, limits, None, None)
            .await
            .unwrap();
        nos.push(c.case_no);
    }
    nos
}

async fn anonymous_tip(store: &Store) {
    let input = NewTip::try_from(TipForm {
        platform: "1",
        room: "XH-8801",
        moments: "00:12:00",
        description: "直播间宣称普通食品具有治疗糖尿病的功效。",
        categories: vec!["FALSE_ADVERTISING"],
        reporter_name: "",
        reporter_contact: "",
        lang: Lang::Zh,
        ..Default::default()
    })
    .unwrap();
    redline_store::tip::filing::file_tip(store, None, input, &[]).await.unwrap();
}

async fn sweep_all(store: &Store) {
    while redline_store::case::sweep::sweep(store, 500).await.unwrap().expired > 0 {}
}

/// Templates over every tier: filed 90 days ago and left to run out twice
/// (operator → platform → regulator), filed 45 days ago and left once, filed
/// today; some withdrawn. Returns with `time` back at the present.
pub async fn templates(store: &Store, time: &Arc<ShiftableTime>) -> Templates {
    redline_store::seed::seed_demo(store).await.unwrap();
    let consumer = actor(store, "consumer@demo.redline").await;
    let day = 86_400;
    time.advance(-90 * day);
    file_group(store, &consumer, 0).await;
    anonymous_tip(store).await;
    time.advance(45 * day);
    sweep_all(store).await;
    let second = file_group(store, &consumer, 1).await;
    time.advance(45 * day);
    sweep_all(store).await;
    let third = file_group(store, &consumer, 2).await;
    anonymous_tip(store).await;
    for case_no in [&second[0], &third[3]] {
        redline_store::case::transition::apply(
            store,
            case_no,
            redline_rules::case::CaseEvent::Withdraw,
            redline_rules::case::Role::Consumer,
            &consumer,
            serde_json::json!({}),
            None,
        )
        .await
        .unwrap();
    }
    let db = &store.db;
    let count = |t: &str| format!("SELECT count(*) FROM {t}");
    let max = |t: &str| format!("SELECT coalesce(max(id), 0) FROM {t}");
    let t = Templates {
        cases: scalar(db, &max("complaints")).await,
        tips: scalar(db, &max("tips")).await,
        rooms: scalar(db, &max("live_rooms")).await,
        sessions: scalar(db, &max("stream_sessions")).await,
        products: scalar(db, &max("stream_products")).await,
        notices: scalar(db, &max("notifications")).await,
        consumer: consumer.user_id,
        first_consumer: scalar(db, &max("users")).await + 1,
    };
    // Ids are dense from 1, which the copy arithmetic relies on.
    for (table, n) in [("complaints", t.cases), ("tips", t.tips), ("live_rooms", t.rooms), ("notifications", t.notices)]
        .into_iter()
        .chain([("stream_sessions", t.sessions), ("stream_products", t.products)])
    {
        assert_eq!(scalar(db, &count(table)).await, n, "{table} ids are dense");
    }
    t
}

async fn columns(db: &impl ConnectionTrait, table: &str) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        _ => format!(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

/// `INSERT INTO table SELECT … FROM table t CROSS JOIN bench_n g WHERE …`,
/// each column copied unless `set` gives its expression; `id` is left to the
/// database unless `set` names it.
async fn copy(db: &impl ConnectionTrait, table: &str, set: &[(&str, String)], filter: &str) {
    let mut cols = Vec::new();
    let mut exprs = Vec::new();
    for c in columns(db, table).await {
        match set.iter().find(|(k, _)| *k == c) {
            Some((_, e)) => exprs.push(e.clone()),
            None if c == "id" => continue,
            None => exprs.push(format!("t.{c}")),
        }
        cols.push(c);
    }
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {table} t CROSS JOIN bench_n g WHERE {filter}",
        cols.join(", "),
        exprs.join(", ")
    );
    exec(db, &sql).await;
}

/// The numbers table the copies are crossed with.
pub async fn numbers(db: &impl ConnectionTrait, upto: i64) {
    exec(db, "CREATE TABLE IF NOT EXISTS bench_n (n BIGINT PRIMARY KEY)").await;
    let have = scalar(db, "SELECT coalesce(max(n), -1) FROM bench_n").await;
    let mut next = have + 1;
    while next <= upto {
        let end = (next + 5_000).min(upto + 1);
        let values: Vec<String> = (next..end).map(|n| format!("({n})")).collect();
        exec(db, &format!("INSERT INTO bench_n (n) VALUES {}", values.join(","))).await;
        next = end;
    }
}

/// Consumers, and rooms with their sessions and products, to spread copies over.
pub async fn places(db: &impl ConnectionTrait, t: &Templates) {
    numbers(db, CONSUMERS.max(ROOMS)).await;
    let (s, ss, p) = (t.rooms, t.sessions, t.products);
    copy(
        db,
        "users",
        &[("id", format!("{} + g.n", t.first_consumer)), ("email", "'consumer' || g.n || '@bench.redline'".into())],
        &format!("t.id = {} AND g.n < {CONSUMERS}", t.consumer),
    )
    .await;
    let copies = format!("g.n >= 1 AND g.n < {ROOMS}");
    copy(
        db,
        "live_rooms",
        &[("id", format!("t.id + {s} * g.n")), ("platform_room_id", "t.platform_room_id || '-' || g.n".into())],
        &format!("t.id <= {s} AND {copies}"),
    )
    .await;
    copy(
        db,
        "stream_sessions",
        &[
            ("id", format!("t.id + {ss} * g.n")),
            ("live_room_id", format!("t.live_room_id + {s} * g.n")),
            ("platform_session_id", "t.platform_session_id || '-' || g.n".into()),
        ],
        &format!("t.id <= {ss} AND {copies}"),
    )
    .await;
    copy(
        db,
        "stream_products",
        &[("id", format!("t.id + {p} * g.n")), ("session_id", format!("t.session_id + {ss} * g.n"))],
        &format!("t.id <= {p} AND {copies}"),
    )
    .await;
    resequence(db, &["users", "live_rooms", "stream_sessions", "stream_products"]).await;
}

/// After explicit ids, PostgreSQL's sequences must be moved past them.
async fn resequence(db: &impl ConnectionTrait, tables: &[&str]) {
    if db.get_database_backend() == DbBackend::Postgres {
        for t in tables {
            exec(db, &format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")).await;
        }
    }
}

/// Grows the data set to at least `target` cases, in steps of about 50,000.
pub async fn grow(db: &impl ConnectionTrait, t: &Templates, target: i64) {
    let k = t.cases;
    loop {
        let have = scalar(db, "SELECT coalesce(max(id), 0) FROM complaints").await;
        if have >= target {
            break;
        }
        // Copy number g.n of template case t gets id g.n * k + t.id, above
        // every id so far (cases filed over HTTP included).
        let first = have / k + 1;
        let last = ((target.min(have + 50_000) + k - 1) / k).max(first);
        numbers(db, last).await;
        let g = format!("g.n >= {first} AND g.n <= {last}");
        let case = |col: &str| format!("g.n * {k} + t.{col}");
        let room = format!("(g.n % {ROOMS})");
        // Copies are filed over the past year (a day back per copy, round a
        // year), so the desk's weekly rows spread as in life; the stored text
        // keeps its format on SQLite (time of day and offset unchanged).
        let back = |col: &str| match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => format!("t.{col} - ((g.n % 364) * interval '1 day')"),
            _ => format!("date(t.{col}, '-' || (g.n % 364) || ' days') || substr(t.{col}, 11)"),
        };
        copy(
            db,
            "complaints",
            &[
                ("created_at", back("created_at")),
                ("updated_at", back("updated_at")),
                ("id", case("id")),
                ("case_no", format!("'LC-B' || ({})", case("id"))),
                ("consumer_id", format!("{} + (g.n % {CONSUMERS})", t.first_consumer)),
                ("live_room_id", format!("t.live_room_id + {} * {room}", t.rooms)),
                ("stream_session_id", format!("t.stream_session_id + {} * {room}", t.sessions)),
                ("product_id", format!("t.product_id + {} * {room}", t.products)),
            ],
            &format!("t.id <= {k} AND {g}"),
        )
        .await;
        let child = format!("t.case_id <= {k} AND {g}");
        copy(db, "case_events", &[("case_id", case("case_id"))], &child).await;
        copy(db, "clocks", &[("case_id", case("case_id"))], &child).await;
        copy(db, "evidence", &[("case_id", case("case_id"))], &child).await;
        copy(db, "preservation_requests", &[("case_id", case("case_id"))], &child).await;
        // The copies are found by search as their templates are (on SQLite the FTS triggers fire).
        copy(db, "case_search", &[("case_id", case("case_id"))], &child).await;
        // The consumer's notices go to the copy's consumer; mail went out long ago.
        copy(
            db,
            "notifications",
            &[
                (
                    "user_id",
                    format!(
                        "CASE WHEN t.user_id = {} THEN {} + (g.n % {CONSUMERS}) ELSE t.user_id END",
                        t.consumer, t.first_consumer
                    ),
                ),
                ("dedup_key", "t.dedup_key || '#' || g.n".into()),
                ("email_status", "'SENT'".into()),
            ],
            &format!("t.id <= {} AND {g}", t.notices),
        )
        .await;
        if t.tips > 0 {
            let tip = |col: &str| format!("g.n * {} + t.{col}", t.tips);
            copy(
                db,
                "tips",
                &[
                    ("id", tip("id")),
                    ("tip_no", format!("'JB-B' || ({})", tip("id"))),
                    ("receipt_hash", format!("t.receipt_hash || '-' || ({})", tip("id"))),
                    ("linked_complaint_id", case("linked_complaint_id")),
                    ("linked_tip_id", "NULL".into()),
                    ("live_room_id", format!("t.live_room_id + {} * {room}", t.rooms)),
                ],
                &format!("t.id <= {} AND {g}", t.tips),
            )
            .await;
            copy(db, "tip_events", &[("tip_id", tip("tip_id"))], &format!("t.tip_id <= {} AND {g}", t.tips)).await;
        }
        resequence(db, &["complaints", "tips"]).await;
    }
    if db.get_database_backend() == DbBackend::Postgres {
        exec(db, "ANALYZE").await;
    } else {
        exec(db, "PRAGMA optimize").await;
    }
}

/// Makes `n` running operator clocks (D1) overdue, the newest ones.
pub async fn overdue(db: &impl ConnectionTrait, n: i64) {
    exec(
        db,
        &format!(
            "UPDATE clocks SET due_on = '2026-01-05' WHERE id IN \
             (SELECT id FROM clocks WHERE status = 'RUNNING' AND kind = 'D1' ORDER BY id DESC LIMIT {n})"
        ),
    )
    .await;
}

/// Open cases and running clocks, for the table.
pub async fn open_counts(db: &impl ConnectionTrait) -> (i64, i64) {
    let open = scalar(db, "SELECT count(*) FROM complaints WHERE state NOT LIKE 'CLOSED%'").await;
    let running = scalar(db, "SELECT count(*) FROM clocks WHERE status = 'RUNNING'").await;
    (open, running)
}
