//! The command line: `redline [--config FILE] COMMAND`. Every command reads
//! the same configuration (`config`), so what `config check` approves is what
//! `serve` runs with.
mod admin;
mod archive;
mod backup;
mod ops;
mod restore;
mod verify;

use crate::config::{self, Loaded};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "redline", version, about = "Redline: complaints and disputes about live-stream e-commerce")]
pub struct Cli {
    /// The configuration file [default: /etc/redline/redline.toml, when it exists].
    /// Environment variables override its keys (`redline config keys`).
    #[arg(long, global = true, env = "REDLINE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Migrate, then serve until SIGTERM or SIGINT (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// Only list pending migrations; exit 1 if there are any.
        #[arg(long)]
        check: bool,
    },
    /// The site's administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The configuration.
    #[command(subcommand, name = "config")]
    Configuration(ConfigCommand),
    /// Write the database and the evidence vault, consistent with each other,
    /// into one archive with a manifest of SHA-256 hashes.
    Backup {
        /// The archive to write (a .zip).
        #[arg(long, short, value_name = "FILE")]
        out: PathBuf,
        /// Only the evidence vault (PostgreSQL: dump the database with pg_dump).
        #[arg(long)]
        vault_only: bool,
    },
    /// Restore an archive made by `backup` into an empty installation,
    /// verifying every file's hash and every case's and tip's hash chain.
    Restore {
        /// The archive to restore.
        archive: PathBuf,
    },
    /// The background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Check a case package offline, without Redline's database: every event
    /// hash, the chain, the checkpoint's signature under the public key, and
    /// each logged head of the case in the signed tree. Exit 0 when all hold.
    Verify {
        /// The package: `/cases/{case_no}/dossier.json` (or the ZIP's JSON).
        #[arg(long, value_name = "FILE")]
        package: PathBuf,
        /// The log's public key (64 hex digits), as `/transparency/keys` publishes it.
        #[arg(long, value_name = "HEX")]
        key: String,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Make an administrator: a one-time link (printed, or mailed when mail
    /// is configured) lets the address choose its password.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Also when an administrator exists (a second one, a lost password).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Check the configuration against the world and print it, secrets masked.
    Check,
    /// Every key with its environment variable, default and meaning (Markdown).
    Keys,
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// Run one background job once (for cron, or to see what it does).
    Run {
        /// sweep, reminders, tip_d9, digests, housekeeping, stats or desk
        name: String,
    },
}

/// Runs the command line; the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the async runtime starts");
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    if let Some(Command::Configuration(ConfigCommand::Keys)) = &cli.command {
        print!("{}", config::keys::markdown_table());
        return ExitCode::SUCCESS;
    }
    // Needs no configuration and no database: anyone may run it anywhere.
    if let Some(Command::Verify { package, key }) = &cli.command {
        return verify::run(package, key);
    }
    let loaded = match load(cli.config.as_deref()) {
        Ok(l) => l,
        Err(code) => return code,
    };
    logs(&loaded.config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => ops::serve(loaded).await,
        Command::Migrate { check } => ops::migrate(&loaded.config, check).await,
        Command::Admin(AdminCommand::Create { email, name, force }) => {
            admin::create(&loaded.config, &email, &name, force).await
        }
        Command::Configuration(_) => ops::config_check(&loaded).await,
        Command::Backup { out, vault_only } => backup::run(&loaded.config, &out, vault_only).await,
        Command::Restore { archive } => restore::run(&loaded.config, &archive).await,
        Command::Jobs(JobsCommand::Run { name }) => ops::run_job(&loaded.config, &name).await,
        Command::Verify { package, key } => verify::run(&package, &key),
    }
}

/// The configuration from the named file (or the default one, when it
/// exists) under the environment; every problem printed.
fn load(file: Option<&std::path::Path>) -> Result<Loaded, ExitCode> {
    let default = std::path::Path::new(config::DEFAULT_FILE);
    let file = file.or_else(|| default.is_file().then_some(default));
    config::load(file, &std::env::vars().collect()).map_err(|problems| {
        eprintln!("The configuration has {} problem(s):", problems.len());
        for p in problems {
            eprintln!("  - {p}");
        }
        ExitCode::from(2)
    })
}

fn logs(config: &config::Config) {
    use std::io::IsTerminal;
    // Colours only for a person at a terminal, not in journald or a file.
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_ansi(std::io::stderr().is_terminal());
    // Logs go to stderr: a command's answer on stdout stays clean for scripts.
    if config.log_json {
        logs.json().with_writer(std::io::stderr).init();
    } else {
        logs.with_writer(std::io::stderr).init();
    }
}
