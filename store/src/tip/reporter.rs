//! The reporter's side of a tip: the receipt they follow it by (only its hash
//! is stored), the fingerprint that recognises a signed-in reporter's repeats,
//! and the progress notices they receive (Order 121 Art. 36).
use crate::actor::Actor;
use crate::entity::tip;
use crate::notices::{self, Recipient};
use crate::StoreError;
use chrono::{DateTime, Utc};
use redline_rules::notify::Kind;
use sea_orm::DatabaseTransaction;
use sha2::{Digest, Sha256};

pub(crate) fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A receipt code: 100 random bits in five groups of Crockford base32.
pub(crate) fn new_receipt() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes: [u8; 20] = rand::random();
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(*b & 31) as usize] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Normalises a typed receipt (case, spaces, dashes) before hashing.
pub fn receipt_hash(receipt: &str) -> String {
    let norm: String = receipt.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    sha(&format!("receipt:{norm}"))
}

/// The same person across tips: only a signed-in account proves it. A typed
/// contact is unverified: matching on it would let anyone test whether an
/// address reported a room (and restart that person's clock), so anonymous
/// tips are never repeats.
pub(crate) fn fingerprint(reporter: Option<&Actor>) -> Option<String> {
    reporter.map(|a| sha(&format!("user:{}", a.user_id)))
}

/// Tells the reporter (account, or an email given as contact) of progress.
pub(crate) async fn notify_reporter(
    txn: &DatabaseTransaction,
    t: &tip::Model,
    stage: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let to = match (t.reporter_user_id, &t.reporter_contact) {
        (Some(u), _) => Some(Recipient::User(u)),
        (None, Some(c)) if validator::ValidateEmail::validate_email(&c.as_str()) => {
            Some(Recipient::Email(c.clone(), t.reporter_locale.clone()))
        }
        _ => None,
    };
    if let Some(to) = to {
        let link = if t.reporter_user_id.is_some() { "/me/tips".to_owned() } else { "/tips/status".to_owned() };
        notices::insert(
            txn,
            &to,
            Kind::TipStatus,
            &t.tip_no,
            &link,
            Some(stage),
            &format!("tip:{}:{stage}", t.id),
            now,
        )
        .await?;
    }
    Ok(())
}
