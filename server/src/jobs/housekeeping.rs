//! Housekeeping: expired sessions, stale kept form values, old rate-limit
//! windows, idempotency keys and mailed links, orphaned vault files and abandoned uploads, and
//! fresh planner statistics on SQLite. Each step is idempotent; one failing
//! does not stop the others.
use super::Run;
use redline_store::vault::intake::Vault;
use redline_store::Store;

pub async fn run(store: &Store, vault: &Vault) -> Result<Run, String> {
    let mut r = Run::default();
    let mut step = |name: &str, res: Result<u64, String>| match res {
        Ok(n) => {
            r.claimed += n as usize;
            r.done += n as usize;
        }
        Err(e) => {
            tracing::warn!(step = name, error = %e, "housekeeping step failed");
            r.failed += 1;
        }
    };
    let s = |e: redline_store::StoreError| e.to_string();
    step("sessions", redline_store::account::auth::purge_expired_sessions(store).await.map_err(s));
    step("form values", redline_store::web::flash::purge_stale(store).await.map_err(s));
    step("rate limits", redline_store::web::ratelimit::purge(store).await.map_err(s));
    step("idempotency keys", redline_store::api::idempotency::expire(store, store.now()).await.map_err(s));
    step("mailed links", redline_store::account::email_links::purge(store).await.map_err(s));
    step(
        "orphans",
        redline_store::vault::orphans::collect(store, vault, 500).await.map(|c| c.deleted as u64).map_err(s),
    );
    step(
        "staging",
        redline_store::vault::orphans::purge_staging(vault).await.map(|n| n as u64).map_err(|e| e.to_string()),
    );
    step("planner statistics", redline_store::db::optimize(&store.db).await.map(|_| 0).map_err(|e| e.to_string()));
    Ok(r)
}
