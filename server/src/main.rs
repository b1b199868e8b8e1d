//! `server`: runs Redline. Reads `DATABASE_URL` (default: SQLite under ./data/) and
//! `LEPTOS_SITE_ADDR` (default 127.0.0.1:3000); migrates, seeds demo data on an
//! empty database, prints the demo logins and serves.
use server::{config::Config, start};

fn main() {
    keep_large_allocations_on_mmap();
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the async runtime starts").block_on(run());
}

/// Argon2 allocates 19 MiB per password hash. glibc raises its mmap threshold
/// once such a block is freed, after which these blocks come from the heap,
/// fragment it and stay resident: 100 parallel sign-ins left 360 MiB. A fixed
/// threshold keeps large blocks on mmap, given back as soon as they are freed
/// (measured by `cargo bench -p server --bench load`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_on_mmap() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    // glibc gives each busy thread its own heap (up to 8 per core), each
    // keeping freed memory: two arenas hold RSS down under load with the
    // same throughput on this many cores (`cargo bench -p server --bench scale`).
    const M_ARENA_MAX: i32 = -8;
    // SAFETY: mallopt only tunes the allocator; it runs before any other thread.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_on_mmap() {}

async fn run() {
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
    );
    // One JSON object a line for log collectors (REDLINE_LOG_FORMAT=json).
    if std::env::var("REDLINE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
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
