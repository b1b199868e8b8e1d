//! `server`: runs Redline. Reads `DATABASE_URL` (default: SQLite under ./data/) and
//! `LEPTOS_SITE_ADDR` (default 127.0.0.1:3000); migrates, seeds demo data on an
//! empty database, prints the demo logins and serves.
use server::{config::Config, start};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env();
    let running = match start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Redline failed to start: {e}");
            std::process::exit(1);
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
    running.serve_forever().await;
}
