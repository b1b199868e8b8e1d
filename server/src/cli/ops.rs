//! `serve`, `migrate`, `config check` and `jobs run`.
use crate::config::{check, Config, Loaded};
use crate::jobs::{Job, JobContext};
use std::process::ExitCode;
use std::sync::Arc;

fn print_problems(what: &str, problems: &[crate::config::Problem]) {
    eprintln!("{what} {} problem(s):", problems.len());
    for p in problems {
        eprintln!("  - {p}");
    }
}

pub async fn serve(loaded: Loaded) -> ExitCode {
    let config = loaded.config;
    let (problems, warnings) = check::problems(&config, check::When::Start).await;
    for w in &warnings {
        tracing::warn!("{w}");
    }
    if !problems.is_empty() {
        print_problems("Redline will not start: the configuration has", &problems);
        return ExitCode::from(2);
    }
    let running = match crate::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Redline failed to start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("Redline listening on http://{}", running.addr);
    if running.demo {
        println!("Demo logins (password: {}):", redline_store::seed::DEMO_PASSWORD);
        for (role, email) in redline_store::seed::DEMO_LOGINS {
            println!("  {role:<40} {email}");
        }
        println!(
            "Demo platform API key (星河直播, POST /api/v1/platform/sessions): {}",
            redline_store::seed::DEMO_API_KEY
        );
    }
    running.serve_until_signalled().await;
    ExitCode::SUCCESS
}

pub async fn migrate(config: &Config, only_check: bool) -> ExitCode {
    let pending = match redline_store::db::open_unmigrated(&config.database_url).await {
        Ok(db) => {
            let p = redline_store::db::pending_migrations(&db).await;
            let _ = db.close().await;
            p
        }
        // A new SQLite file: everything is pending.
        Err(_) if redline_store::db::is_sqlite(&config.database_url) => Ok(redline_store::db::migration_names()),
        Err(e) => Err(e),
    };
    let pending = match pending {
        Ok(p) => p,
        Err(e) => {
            eprintln!("database_url: the database does not answer: {e}");
            return ExitCode::FAILURE;
        }
    };
    if only_check {
        if pending.is_empty() {
            println!("The schema is current.");
            return ExitCode::SUCCESS;
        }
        println!("{} migration(s) pending:", pending.len());
        for p in &pending {
            println!("  {p}");
        }
        return ExitCode::FAILURE;
    }
    match redline_store::db::connect(&config.database_url).await {
        Ok(pools) => {
            println!("Applied {} migration(s); the schema is current.", pending.len());
            let _ = pools.write.close().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Migrating failed: {e}");
            ExitCode::FAILURE
        }
    }
}

pub async fn config_check(loaded: &Loaded) -> ExitCode {
    print!("{}", check::effective(loaded));
    let (problems, warnings) = check::problems(&loaded.config, check::When::Check).await;
    for w in &warnings {
        println!("# warning: {w}");
    }
    if problems.is_empty() {
        println!("# The configuration is sound.");
        ExitCode::SUCCESS
    } else {
        print_problems("The configuration has", &problems);
        ExitCode::from(2)
    }
}

pub async fn run_job(config: &Config, name: &str) -> ExitCode {
    let Some(job) = Job::ALL.into_iter().find(|j| j.name() == name) else {
        let names: Vec<_> = Job::ALL.iter().map(|j| j.name()).collect();
        eprintln!("No job `{name}`; the jobs are: {}", names.join(", "));
        return ExitCode::from(2);
    };
    let store = match crate::open_store(config, Arc::new(redline_store::ShiftableTime::default())).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("database_url: {e}");
            return ExitCode::FAILURE;
        }
    };
    let vault = match crate::vault(config) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("evidence vault: {e}");
            return ExitCode::FAILURE;
        }
    };
    let log = match crate::transparency::LogSigner::load(config) {
        Ok(l) => std::sync::Arc::new(l),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = log.register(&store).await {
        eprintln!("transparency log: {e}");
        return ExitCode::FAILURE;
    }
    let r = job.run_logged(&JobContext { store: store.clone(), vault, log, tsa_url: config.tsa_url.clone() }).await;
    println!("{}: claimed {}, done {}, failed {}", job.name(), r.claimed, r.done, r.failed);
    let _ = store.db.close_by_ref().await;
    if r.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
