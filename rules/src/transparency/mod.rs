//! The transparency log (透明日志): every chain head of a case or tip that
//! changed is appended as a leaf to an append-only Merkle tree (RFC 9162), and
//! its root is published in a checkpoint signed with an Ed25519 key kept out of
//! the database. Anyone holding a checkpoint can check, without Redline, that a
//! case's history is the one that was logged, and that a later checkpoint only
//! added to an earlier one (Supreme People's Court, Provisions on Internet
//! Courts, 2018, Art. 11: integrity shown by signatures, hashes and the like).
pub mod merkle;
pub mod timestamp;
pub mod verify;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use merkle::Hash;
use sha2::{Digest, Sha256};

/// The first line of every checkpoint: the format, so a verifier refuses
/// anything else.
pub const FORMAT: &str = "redline-transparency-checkpoint/v1";

/// What a leaf records: a record's chain head at a given length of its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// "case" or "tip".
    pub kind: String,
    /// The case or tip number (LC-…, LT-…).
    pub number: String,
    /// How many events the chain had.
    pub seq: i64,
    /// The hash of its last event, lowercase hex.
    pub head: String,
}

impl Leaf {
    /// The bytes hashed into the tree: one field per line.
    pub fn data(&self) -> String {
        format!("{}\n{}\n{}\n{}", self.kind, self.number, self.seq, self.head)
    }
    pub fn hash(&self) -> Hash {
        merkle::leaf_hash(self.data().as_bytes())
    }
}

/// A checkpoint's signed text: the log's name, its size and root, when, and
/// the hash of the checkpoint before (each checkpoint names its predecessor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub origin: String,
    pub tree_size: u64,
    pub root: Hash,
    /// RFC 3339, UTC.
    pub time: String,
    /// `hash()` of the previous checkpoint; 64 zeros for the first.
    pub prev: String,
}

impl Body {
    pub fn text(&self) -> String {
        format!(
            "{FORMAT}\n{}\n{}\n{}\n{}\n{}\n",
            self.origin,
            self.tree_size,
            crate::chain::hex(&self.root),
            self.time,
            self.prev
        )
    }

    /// Reads a checkpoint's text back, refusing anything not in this format.
    pub fn parse(text: &str) -> Option<Body> {
        let mut lines = text.strip_suffix('\n')?.split('\n');
        if lines.next()? != FORMAT {
            return None;
        }
        let origin = lines.next()?.to_owned();
        let tree_size = lines.next()?.parse().ok()?;
        let root = unhex32(lines.next()?)?;
        let time = lines.next()?.to_owned();
        let prev = lines.next()?.to_owned();
        (lines.next().is_none() && unhex32(&prev).is_some()).then_some(Body { origin, tree_size, root, time, prev })
    }

    /// What the next checkpoint names as its predecessor.
    pub fn hash(&self) -> String {
        crate::chain::hex(&Sha256::digest(self.text().as_bytes()))
    }
}

pub fn unhex32(s: &str) -> Option<Hash> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A signing key's public name: the first 8 bytes of the SHA-256 of its
/// public key, in hex (old keys stay listed, so old checkpoints still verify).
pub fn key_id(public: &[u8; 32]) -> String {
    crate::chain::hex(&Sha256::digest(public)[..8])
}

/// Signs a checkpoint's text: (key id, signature in hex).
pub fn sign(seed: &[u8; 32], body: &Body) -> (String, String) {
    let key = SigningKey::from_bytes(seed);
    let sig = key.sign(body.text().as_bytes());
    (key_id(&key.verifying_key().to_bytes()), crate::chain::hex(&sig.to_bytes()))
}

/// The public key of a seed.
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// Does `signature` (hex) sign `body` under `public`?
pub fn verify(public: &[u8; 32], body: &Body, signature: &str) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public) else { return false };
    let Some(bytes) = unhex_n::<64>(signature) else { return false };
    key.verify(body.text().as_bytes(), &Signature::from_bytes(&bytes)).is_ok()
}

fn unhex_n<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Body {
        Body {
            origin: "redline.example".into(),
            tree_size: 3,
            root: merkle::leaf_hash(b"x"),
            time: "2026-12-01T03:00:00Z".into(),
            prev: crate::chain::GENESIS.into(),
        }
    }

    #[test]
    fn internet_courts_art11_a_signed_checkpoint_verifies_and_any_change_does_not() {
        let seed = [7u8; 32];
        let (id, sig) = sign(&seed, &body());
        assert_eq!(id, key_id(&public_key(&seed)));
        assert!(verify(&public_key(&seed), &body(), &sig));
        let grown = Body { tree_size: 4, ..body() };
        assert!(!verify(&public_key(&seed), &grown, &sig), "another size");
        assert!(!verify(&public_key(&[8u8; 32]), &body(), &sig), "another key");
        assert!(!verify(&public_key(&seed), &body(), "00"), "not a signature");
    }

    #[test]
    fn a_checkpoint_reads_back_exactly_and_refuses_other_text() {
        let b = body();
        assert_eq!(Body::parse(&b.text()), Some(b.clone()));
        assert_eq!(Body::parse(&b.text().replace(FORMAT, "other/v1")), None);
        assert_eq!(Body::parse(&format!("{}extra\n", b.text())), None);
        assert_ne!(b.hash(), Body { time: "2026-12-01T04:00:00Z".into(), ..b.clone() }.hash());
    }

    #[test]
    fn a_leaf_names_the_record_its_length_and_head() {
        let l = Leaf { kind: "case".into(), number: "LC-2026-000001".into(), seq: 3, head: "ab".repeat(32) };
        assert_eq!(l.data(), format!("case\nLC-2026-000001\n3\n{}", "ab".repeat(32)));
        assert_ne!(l.hash(), Leaf { seq: 4, ..l.clone() }.hash());
    }
}
