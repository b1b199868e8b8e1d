//! The transparency log's checkpoint (`redline_store::transparency::append`):
//! every case and tip whose chain grew since the last one is logged and the
//! new root signed. Two processes may run it at once: the tree size of a
//! checkpoint is unique, so the later transaction fails and nothing doubles.
//! With a time-stamping authority configured, the newest checkpoints without
//! a token are then stamped (outside the transaction: a slow authority holds
//! no lock), and a token is kept only if it is for that checkpoint's text.
use super::Run;
use crate::transparency::LogSigner;
use redline_rules::transparency::timestamp::{digest_of, request_der, stamped, token_from_response};
use redline_store::Store;

/// Checkpoints retried per run: an authority down for a while is caught up
/// on the newest ones (each names all before it).
const STAMP_PER_RUN: u64 = 5;

pub async fn run(store: &Store, log: &LogSigner, tsa_url: Option<&str>) -> Result<Run, String> {
    let mut r = Run::default();
    match redline_store::transparency::append::checkpoint(store, &log.signing()).await {
        Ok(Some(c)) => {
            tracing::info!(tree_size = c.tree_size, "checkpoint signed");
            r.claimed += 1;
            r.done += 1;
            // Copies outside Redline: mailed to the organisations that asked.
            redline_store::transparency::subscribers::announce(store, &c).await.map_err(|e| e.to_string())?;
        }
        Ok(None) => {}
        Err(e) => return Err(e.to_string()),
    }
    let Some(url) = tsa_url else { return Ok(r) };
    for c in redline_store::transparency::unstamped(store, STAMP_PER_RUN).await.map_err(|e| e.to_string())? {
        r.claimed += 1;
        match stamp(url, &c.body).await {
            Ok((token, time)) => {
                redline_store::transparency::set_timestamp(
                    store,
                    c.tree_size,
                    &redline_rules::chain::hex(&token),
                    &time,
                )
                .await
                .map_err(|e| e.to_string())?;
                r.done += 1;
            }
            Err(e) => {
                tracing::warn!(tree_size = c.tree_size, error = %e, "checkpoint not time-stamped; retried next run");
                r.failed += 1;
            }
        }
    }
    Ok(r)
}

/// Asks the authority to stamp `text`; the token and its time.
pub async fn stamp(url: &str, text: &str) -> Result<(Vec<u8>, String), String> {
    let digest = digest_of(text);
    let answer = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())?
        .post(url)
        .header("content-type", "application/timestamp-query")
        .body(request_der(&digest, rand::random()))
        .send()
        .await
        .map_err(|e| format!("the TSA did not answer: {e}"))?;
    if !answer.status().is_success() {
        return Err(format!("the TSA answered {}", answer.status()));
    }
    let bytes = answer.bytes().await.map_err(|e| e.to_string())?;
    let token = token_from_response(&bytes)?;
    match stamped(&token) {
        Some((d, time)) if d == digest => Ok((token, time)),
        Some(_) => Err("the TSA stamped another digest".into()),
        None => Err("the token cannot be read".into()),
    }
}
