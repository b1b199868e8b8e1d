//! Running Redline as an organisation would: the first administrator from
//! the command line on an empty database, a clean stop on SIGTERM in the
//! middle of intake, and readiness for a load balancer. The server binary
//! itself is run, as an operator runs it.
use crate::durability::{file_until_gone, filing_server};
use crate::helpers::{fresh_database, mailed_link, redline, Backend, Client, TestApp, START};
use crate::onboarding::create_agency;
use crate::smtp_sink::Sink;
use redline_store::entity::{complaint, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn welcome_path(text: &str) -> String {
    let at = text.find("/welcome/").expect("a link");
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect()
}

async fn the_first_administrator_is_made_from_the_command_line(backend: Backend) {
    let url = fresh_database(backend).await;
    let sink = Sink::start().await;
    let smtp = sink.url();
    let env = [("DATABASE_URL", url.as_str()), ("REDLINE_SEED", "0"), ("REDLINE_SMTP_URL", smtp.as_str())];
    let made = redline(&["admin", "create", "--email", "Root@Example.cn", "--name", "运维"], &env);
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(made.status.success(), "{stdout}{}", String::from_utf8_lossy(&made.stderr));
    assert_eq!(stdout.trim(), "An invitation was mailed to Root@Example.cn: the link in it is valid for 24 hours.");
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to.contains("root@example.cn"));
    let link = welcome_path(&mails[0].text);

    // The server on that database, with no demo data: nobody but the invited can get in.
    let app = TestApp::spawn_on(&url, START, |c| c.seed_demo = false).await;
    let db = &app.store().db;
    assert_eq!(user::Entity::find().count(db).await.unwrap(), 0);
    let root = app.client();
    assert!(root.get(&link).await.body.contains("Redline 系统管理员"));
    let r = root.post_form(&format!("/do{link}"), &[("name", "运维"), ("password", "a-long-password")]).await;
    assert_eq!((r.status, r.url.as_str()), (200, "/admin"));
    let admin_page = root.get("/admin").await;
    assert_eq!(admin_page.status, 200, "the administrator signed in");
    assert!(root.get(&link).await.body.contains("此链接无效、已使用或已过期"), "the link works once");

    // The administrator sets up an agency and invites a colleague, who joins by the mailed link.
    create_agency(&root, "330108").await;
    let agency = redline_store::entity::agency::Entity::find()
        .filter(redline_store::entity::agency::Column::RegionCode.eq("330108"))
        .one(db)
        .await
        .unwrap()
        .expect("the agency");
    let org = format!("agency:{}", agency.id);
    let sent =
        root.post_form("/do/admin/grant", &[("email", "wang@amr.example.cn"), ("org", &org), ("role", "STAFF")]).await;
    assert!(sent.body.contains("已向 wang@amr.example.cn 发送邀请链接"), "{}", sent.body);
    let invite = mailed_link(&app, "wang@amr.example.cn").await.expect("an invitation in the outbox");
    let wang = app.client();
    let joined = wang.post_form(&format!("/do{invite}"), &[("name", "王科员"), ("password", "another-long-one")]).await;
    assert_eq!(joined.url, "/regulator");
    let admins: Vec<(String, bool)> =
        user::Entity::find().all(db).await.unwrap().into_iter().map(|u| (u.email, u.is_admin)).collect();
    assert_eq!(admins, [("root@example.cn".to_owned(), true), ("wang@amr.example.cn".to_owned(), false)]);

    // A second one only when asked for; without mail the link is printed.
    let plain = [("DATABASE_URL", url.as_str()), ("REDLINE_SEED", "0")];
    let again = redline(&["admin", "create", "--email", "second@example.cn"], &plain);
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr).trim(),
        "An administrator exists already (root@example.cn); add --force to make another."
    );
    let forced = redline(&["admin", "create", "--email", "second@example.cn", "--force"], &plain);
    assert!(forced.status.success());
    let printed = String::from_utf8_lossy(&forced.stdout);
    assert!(printed.starts_with("Open this link within 24 hours"), "{printed}");
    assert!(printed.contains("http://127.0.0.1:3000/welcome/"), "{printed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_first_administrator_is_made_from_the_command_line() {
    the_first_administrator_is_made_from_the_command_line(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_first_administrator_is_made_from_the_command_line() {
    the_first_administrator_is_made_from_the_command_line(Backend::Postgres).await
}

/// SIGTERM while eight clients file complaints and the jobs run every second:
/// the process stops accepting, answers what it had, finishes the job run
/// under way, closes the database and exits 0; every acknowledged complaint is
/// stored.
async fn sigterm_during_intake_loses_nothing_acknowledged(backend: Backend) {
    let url = fresh_database(backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = std::env::temp_dir().join("redline-tests").join(format!("term-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    let vault = dir.join("vault");
    let mut server = filing_server(&url, port, &vault, "1", "info,sqlx=warn,tower_http=warn", Stdio::from(log));
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = None;
    for _ in 0..600 {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            ready = Some((r.status().as_u16(), r.text().await.unwrap()));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ready, Some((200, "ready".to_owned())));
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build();
    let c = Arc::new(Client::new(&base, http.unwrap()));
    let r = c.post_form("/do/login", &[("email", "consumer@demo.redline"), ("password", "redline-demo")]).await;
    assert_eq!(r.status, 303, "signed in");
    let acked = Arc::new(Mutex::new(Vec::new()));
    let filers: Vec<_> = (0..8).map(|_| tokio::spawn(file_until_gone(c.clone(), acked.clone()))).collect();
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let term = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(term.success());
    let mut status = None;
    for _ in 0..400 {
        if let Some(s) = server.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = status.unwrap_or_else(|| {
        let _ = server.kill();
        panic!("the server did not stop within 40 s of SIGTERM")
    });
    for f in filers {
        f.await.unwrap();
    }
    let logged = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert_eq!(status.code(), Some(0), "{logged}");
    assert!(logged.contains("stopping signal=\"SIGTERM\""), "{logged}");
    assert!(logged.contains("no longer accepting"), "{logged}");
    assert!(logged.contains("stopped jobs_done=true"), "every job run finished: {logged}");
    assert!(logged.contains("job run"), "jobs ran during intake");
    let acked = acked.lock().unwrap().clone();
    let db = redline_store::db::connect(&url).await.unwrap().read;
    let mut kept = 0;
    for case_no in &acked {
        kept += complaint::Entity::find().filter(complaint::Column::CaseNo.eq(case_no)).count(&db).await.unwrap();
    }
    assert_eq!(kept, acked.len() as u64, "every acknowledged complaint is in the database");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_sigterm_during_intake_loses_nothing_acknowledged() {
    sigterm_during_intake_loses_nothing_acknowledged(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_sigterm_during_intake_loses_nothing_acknowledged() {
    sigterm_during_intake_loses_nothing_acknowledged(Backend::Postgres).await
}

/// A server whose database lacks a migration this build expects is not
/// ready, and `migrate --check` names it and fails.
async fn readyz_is_not_ready_while_a_migration_is_pending(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let c = app.client();
    let ok = c.http.get(format!("{}/readyz", app.url)).send().await.unwrap();
    assert_eq!((ok.status().as_u16(), ok.text().await.unwrap()), (200, "ready".to_owned()));
    app.store()
        .db
        .execute_unprepared("DELETE FROM seaql_migrations WHERE version = 'm017_cluster_subjects'")
        .await
        .unwrap();
    let not = c.http.get(format!("{}/readyz", app.url)).send().await.unwrap();
    assert_eq!(
        (not.status().as_u16(), not.text().await.unwrap()),
        (503, "migrations pending: m017_cluster_subjects".to_owned())
    );
    let env = [("DATABASE_URL", app.database_url.as_str())];
    let check = redline(&["migrate", "--check"], &env);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&check.stdout), "1 migration(s) pending:\n  m017_cluster_subjects\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_readyz_is_not_ready_while_a_migration_is_pending() {
    readyz_is_not_ready_while_a_migration_is_pending(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_readyz_is_not_ready_while_a_migration_is_pending() {
    readyz_is_not_ready_while_a_migration_is_pending(Backend::Postgres).await
}

/// `migrate --check`, `migrate`, and `jobs run` on a new SQLite file, as cron would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migrate_and_jobs_run_from_the_command_line() {
    let url = fresh_database(Backend::Sqlite).await;
    let env = [("DATABASE_URL", url.as_str()), ("REDLINE_SEED", "0")];
    let pending = redline(&["migrate", "--check"], &env);
    assert_eq!(pending.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&pending.stdout).into_owned();
    assert!(listed.starts_with("30 migration(s) pending:\n  m001_spine\n"), "{listed}");
    let applied = redline(&["migrate"], &env);
    assert!(applied.status.success());
    assert_eq!(String::from_utf8_lossy(&applied.stdout), "Applied 30 migration(s); the schema is current.\n");
    let current = redline(&["migrate", "--check"], &env);
    assert_eq!(
        (current.status.code(), String::from_utf8_lossy(&current.stdout).into_owned()),
        (Some(0), "The schema is current.\n".to_owned())
    );
    let sweep = redline(&["jobs", "run", "sweep"], &env);
    assert_eq!(
        (sweep.status.code(), String::from_utf8_lossy(&sweep.stdout).into_owned()),
        (Some(0), "sweep: claimed 0, done 0, failed 0\n".to_owned())
    );
    let unknown = redline(&["jobs", "run", "vacuum"], &env);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr).trim(),
        "No job `vacuum`; the jobs are: sweep, reminders, tip_d9, digests, housekeeping, stats, desk, retention, checkpoint"
    );
}
