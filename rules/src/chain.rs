//! The tamper-evident case history (防篡改记录), our design for keeping records complete and
//! unaltered (E-Commerce Law Art. 62; Order 117 Art. 16): each case event
//! stores the SHA-256 of its own content chained to the hash of the previous
//! event of the same case. Changing, removing or reordering a stored event
//! breaks every later link, and [`verify`] says where.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first event of a case.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is hashed of an event: every stored column except its row id and hashes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventContent<'a> {
    pub case_id: i64,
    pub seq: i32,
    /// Microseconds since the epoch: the precision both databases keep.
    pub at_micros: i64,
    pub actor_user_id: Option<i64>,
    pub actor_role: &'a str,
    pub event_type: &'a str,
    pub transition_id: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub payload_json: &'a str,
}

/// `sha256(prev_hash ‖ canonical JSON of the content)`, lowercase hex.
pub fn event_hash(prev_hash: &str, content: &EventContent<'_>) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    // A struct serializes its fields in declaration order: a stable encoding.
    h.update(serde_json::to_vec(content).unwrap_or_default());
    hex(&h.finalize())
}

/// A new event's place in its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub seq: i32,
    pub prev_hash: String,
    pub hash: String,
}

/// Links the next event after `last` (its seq and hash; `None` for the first):
/// `content` gets the new sequence number.
pub fn next_link<'a>(last: Option<(i32, &str)>, content: impl FnOnce(i32) -> EventContent<'a>) -> Link {
    let seq = last.map_or(1, |(s, _)| s + 1);
    let prev_hash = last.map_or(GENESIS, |(_, h)| h).to_owned();
    let hash = event_hash(&prev_hash, &content(seq));
    Link { seq, prev_hash, hash }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored event as the verifier sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLink<'a> {
    pub content: EventContent<'a>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Where and how a chain breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Break {
    /// The event's content no longer matches its own hash (edited row).
    ContentAltered,
    /// The event does not point at the previous event's hash (removed,
    /// inserted or reordered row).
    LinkBroken,
    /// Sequence numbers are not 1, 2, 3, … (a removed row).
    SequenceGap,
    /// The newest events are missing: the chain ends before its recorded head.
    Truncated,
}

impl Break {
    pub fn zh(&self) -> &'static str {
        match self {
            Break::ContentAltered => "记录内容被改动",
            Break::LinkBroken => "与上一条记录的链接断开（记录被删除、插入或调换）",
            Break::SequenceGap => "序号不连续（有记录被删除）",
            Break::Truncated => "最新的记录缺失（与记录的链头不符）",
        }
    }
    pub fn en(&self) -> &'static str {
        match self {
            Break::ContentAltered => "the event's content was changed",
            Break::LinkBroken => "the link to the previous event is broken (removed, inserted or reordered)",
            Break::SequenceGap => "sequence numbers have a gap (an event was removed)",
            Break::Truncated => "the newest events are missing (the chain ends before its recorded head)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub events: usize,
    /// The first broken event: (seq, what is wrong). `None` when intact.
    pub broken_at: Option<(i32, Break)>,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.broken_at.is_none()
    }
}

/// Checks a case's events in sequence order against the recorded head
/// (sequence number and hash of the newest event), if there is one.
pub fn verify_with_head(links: &[StoredLink<'_>], head: Option<(i32, &str)>) -> ChainReport {
    let r = verify(links);
    if r.broken_at.is_some() {
        return r;
    }
    match (head, links.last()) {
        (Some((seq, hash)), Some(last)) if last.content.seq == seq && last.hash == hash => r,
        (Some((0, _)), None) | (None, _) => r,
        (Some((seq, _)), _) => ChainReport { events: links.len(), broken_at: Some((seq, Break::Truncated)) },
    }
}

/// Checks a case's events in sequence order.
pub fn verify(links: &[StoredLink<'_>]) -> ChainReport {
    let mut prev = GENESIS.to_owned();
    for (i, l) in links.iter().enumerate() {
        let seq = l.content.seq;
        if seq != i as i32 + 1 {
            return ChainReport { events: links.len(), broken_at: Some((seq, Break::SequenceGap)) };
        }
        if l.prev_hash != prev {
            return ChainReport { events: links.len(), broken_at: Some((seq, Break::LinkBroken)) };
        }
        let expect = event_hash(l.prev_hash, &l.content);
        if expect != l.hash {
            return ChainReport { events: links.len(), broken_at: Some((seq, Break::ContentAltered)) };
        }
        prev = l.hash.to_owned();
    }
    ChainReport { events: links.len(), broken_at: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i32) -> Vec<(String, String, String)> {
        // (payload, prev, hash)
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let payload = format!("{{\"n\":{seq}}}");
                let h = event_hash(&prev, &content(seq, &payload));
                let row = (payload, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn content(seq: i32, payload: &str) -> EventContent<'_> {
        EventContent {
            case_id: 7,
            seq,
            at_micros: 1_780_000_000_000_000 + i64::from(seq),
            actor_user_id: Some(3),
            actor_role: "CONSUMER",
            event_type: "SUBMIT",
            transition_id: "T1",
            from_state: "DRAFT",
            to_state: "SUBMITTED",
            payload_json: payload,
        }
    }

    fn links(rows: &[(String, String, String)]) -> Vec<StoredLink<'_>> {
        rows.iter()
            .enumerate()
            .map(|(i, (p, prev, h))| StoredLink { content: content(i as i32 + 1, p), prev_hash: prev, hash: h })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let rows = chain(50);
        let r = verify(&links(&rows));
        assert!(r.intact());
        assert_eq!(r.events, 50);
    }

    #[test]
    fn an_edited_payload_is_found_at_its_event() {
        let mut rows = chain(10);
        rows[3].0 = "{\"n\":999}".into();
        let r = verify(&links(&rows));
        assert_eq!(r.broken_at, Some((4, Break::ContentAltered)));
        assert!(!r.intact());
    }

    #[test]
    fn the_next_link_follows_the_newest_event() {
        let first = next_link(None, |seq| content(seq, "{}"));
        assert_eq!((first.seq, first.prev_hash.as_str()), (1, GENESIS));
        let second = next_link(Some((first.seq, &first.hash)), |seq| content(seq, "{}"));
        assert_eq!((second.seq, second.prev_hash.as_str()), (2, first.hash.as_str()));
        assert_eq!(second.hash, event_hash(&first.hash, &content(2, "{}")));
        assert_eq!(next_link(Some((9, "ab")), |seq| content(seq, "{}")).seq, 10);
    }

    #[test]
    fn each_break_is_named_in_both_languages() {
        let all = [Break::ContentAltered, Break::LinkBroken, Break::SequenceGap, Break::Truncated];
        let zh: std::collections::HashSet<_> = all.iter().map(Break::zh).collect();
        let en: std::collections::HashSet<_> = all.iter().map(Break::en).collect();
        assert_eq!((zh.len(), en.len()), (4, 4), "four different messages in each language");
        assert!(zh.iter().all(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))), "{zh:?}");
        assert!(en.iter().all(|m| m.len() > 10 && m.is_ascii()), "{en:?}");
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let mut rows = chain(10);
        rows[3].0 = "{\"n\":999}".into();
        rows[3].2 = event_hash(&rows[3].1, &content(4, &rows[3].0));
        assert_eq!(verify(&links(&rows)).broken_at, Some((5, Break::LinkBroken)));
    }

    #[test]
    fn a_removed_event_is_a_gap() {
        let mut rows = chain(10);
        rows.remove(9);
        assert!(verify(&links(&rows)).intact(), "removing the tail is only visible through the count");
        let mut rows = chain(10);
        rows.remove(4);
        let ls: Vec<StoredLink<'_>> = rows
            .iter()
            .enumerate()
            .map(|(i, (p, prev, h))| {
                let seq = if i >= 4 { i as i32 + 2 } else { i as i32 + 1 };
                StoredLink { content: content(seq, p), prev_hash: prev, hash: h }
            })
            .collect();
        assert_eq!(verify(&ls).broken_at, Some((6, Break::SequenceGap)));
    }

    #[test]
    fn removing_the_newest_events_is_caught_by_the_head() {
        let rows = chain(10);
        let head = (10, rows[9].2.as_str());
        assert!(verify_with_head(&links(&rows), Some(head)).intact());
        let cut = &rows[..7];
        assert!(verify(&links(cut)).intact(), "without a head a cut tail is invisible");
        assert_eq!(verify_with_head(&links(cut), Some(head)).broken_at, Some((10, Break::Truncated)));
        assert_eq!(verify_with_head(&[], Some(head)).broken_at, Some((10, Break::Truncated)));
        // The newest event swapped for another with the same number: the head's hash tells.
        let forged = "f".repeat(64);
        assert_eq!(
            verify_with_head(&links(&rows), Some((10, forged.as_str()))).broken_at,
            Some((10, Break::Truncated))
        );
    }

    #[test]
    fn hashes_depend_on_every_field() {
        let base = content(1, "{}");
        let h = event_hash(GENESIS, &base);
        // One variant per field: a field left out of the hash would let that
        // column be rewritten unnoticed.
        let variants = [
            EventContent { case_id: 8, ..base.clone() },
            EventContent { seq: 2, ..base.clone() },
            EventContent { at_micros: base.at_micros + 1, ..base.clone() },
            EventContent { actor_user_id: None, ..base.clone() },
            EventContent { actor_user_id: Some(4), ..base.clone() },
            EventContent { actor_role: "OPERATOR", ..base.clone() },
            EventContent { event_type: "WITHDRAW", ..base.clone() },
            EventContent { transition_id: "T2", ..base.clone() },
            EventContent { from_state: "SUBMITTED", ..base.clone() },
            EventContent { to_state: "CLOSED", ..base.clone() },
            EventContent { payload_json: "{\"a\":1}", ..base.clone() },
        ];
        let mut seen = std::collections::HashSet::from([h.clone()]);
        for v in &variants {
            assert!(seen.insert(event_hash(GENESIS, v)), "{v:?} hashes like another variant");
        }
        assert_eq!(seen.len(), variants.len() + 1);
        // The previous hash is part of the input too.
        assert_ne!(event_hash(&"1".repeat(64), &base), h);
        assert_eq!(h.len(), 64);
    }
}
