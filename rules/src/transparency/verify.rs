//! The offline check of a case package: with nothing but the package and the
//! log's public key, does every event hash follow from its content, does the
//! chain link, is the checkpoint signed by that key, and is each logged head
//! of the case in the signed tree and equal to the package's own history?
//! Each finding is said in Chinese and English.
use super::merkle::{verify_inclusion, Hash};
use super::{unhex32, verify, Body, Leaf};
use sha2::{Digest, Sha256};

/// One event as the package carries it: the exact text that was hashed.
#[derive(Debug, Clone)]
pub struct ChainedEvent {
    pub seq: i64,
    /// The event's canonical content (`chain::EventContent` as JSON).
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A logged head of the case with its audit path to the checkpoint.
#[derive(Debug, Clone)]
pub struct LoggedHead {
    pub leaf: Leaf,
    pub leaf_index: u64,
    pub path: Vec<Hash>,
}

#[derive(Debug, Clone)]
pub struct Package {
    pub case_no: String,
    pub events: Vec<ChainedEvent>,
    /// The checkpoint's signed text, the id of the key it names and its signature (hex).
    pub checkpoint_body: String,
    pub key_id: Option<String>,
    pub signature: String,
    /// The checkpoint's RFC 3161 token (DER, hex), if it was stamped.
    pub tsa_token: Option<String>,
    pub heads: Vec<LoggedHead>,
    /// The events as the package shows them to a reader (its `timeline`: what
    /// a court reads), when it has them.
    pub shown: Option<Vec<serde_json::Value>>,
}

/// A finding: whether it holds, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub ok: bool,
    pub zh: String,
    pub en: String,
}

fn finding(ok: bool, zh: String, en: String) -> Finding {
    Finding { ok, zh, en }
}

/// Every check, in order; the package holds when every finding is ok.
pub fn check(p: &Package, public_key: &[u8; 32]) -> Vec<Finding> {
    let mut out = Vec::new();
    // 1. The history: each hash from its content, each link to the one before.
    let mut prev = crate::chain::GENESIS.to_owned();
    let mut chain_ok = true;
    for (i, e) in p.events.iter().enumerate() {
        let mut h = Sha256::new();
        h.update(e.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(e.content.as_bytes());
        let computed = crate::chain::hex(&h.finalize());
        if e.seq != i as i64 + 1 || e.prev_hash != prev || computed != e.hash {
            out.push(finding(
                false,
                format!("第{}条记录的哈希与其内容或前一条记录不符：处理记录在此处被改动", e.seq),
                format!("Event {}'s hash does not follow from its content or the event before: the history was changed here", e.seq),
            ));
            chain_ok = false;
            break;
        }
        prev = e.hash.clone();
    }
    if chain_ok {
        out.push(finding(
            true,
            format!("{}条处理记录的哈希链完整", p.events.len()),
            format!("The {} events' hash chain is intact", p.events.len()),
        ));
    }
    // 1b. What a reader sees: each shown event says what its hashed text says.
    if let Some(shown) = &p.shown {
        out.push(shown_finding(shown, &p.events));
    }
    // 2. The checkpoint: its text and its signature under the given key.
    let Some(body) = Body::parse(&p.checkpoint_body) else {
        out.push(finding(false, "检查点格式无法识别".into(), "The checkpoint is not in a known format".into()));
        return out;
    };
    let signed = verify(public_key, &body, &p.signature);
    out.push(if signed {
        finding(
            true,
            format!("检查点（共{}条日志，{}）由该公钥签名", body.tree_size, time_zh(&body.time)),
            format!("The checkpoint ({} log entries, {}) is signed by this key", body.tree_size, time_en(&body.time)),
        )
    } else {
        finding(false, "检查点签名与该公钥不符".into(), "The checkpoint's signature does not match this key".into())
    });
    // 3. The time-stamp: a token for exactly this checkpoint's text. (The
    // authority's own signature is checked with its certificate.)
    out.push(match p.tsa_token.as_deref() {
        None => finding(true, "检查点未加盖可信时间戳（仅有签名）".into(), "The checkpoint has no trusted time-stamp (signed only)".into()),
        Some(hex) => match unhex_bytes(hex).as_deref().and_then(super::timestamp::stamped) {
            Some((digest, time)) if digest == super::timestamp::digest_of(&p.checkpoint_body) => finding(
                true,
                format!("检查点带有时间戳服务于{}加盖的可信时间戳（该服务自身的签名请用其证书核验）", time_zh(&time)),
                format!("The checkpoint carries an RFC 3161 time-stamp of {} (check the authority's signature with its certificate)", time_en(&time)),
            ),
            Some(_) => finding(false, "时间戳与该检查点不符".into(), "The time-stamp is not for this checkpoint".into()),
            None => finding(false, "时间戳无法读取".into(), "The time-stamp cannot be read".into()),
        },
    });
    // 4. Each logged head: in the signed tree, and the package's own event at its length.
    if p.heads.is_empty() {
        out.push(finding(false, "包内没有本案的日志记录".into(), "The package has no logged head of this case".into()));
    }
    let mut matched_through = 0i64;
    let mut heads = p.heads.clone();
    heads.sort_by_key(|h| h.leaf.seq);
    let mut departed = false;
    for l in &heads {
        let in_tree = l.leaf.kind == "case"
            && l.leaf.number == p.case_no
            && verify_inclusion(l.leaf_index, body.tree_size, &l.leaf.hash(), &l.path, &body.root);
        if !in_tree {
            out.push(finding(
                false,
                format!("第{}条日志记录不在已签名的检查点中", l.leaf_index),
                format!("Log entry {} is not in the signed checkpoint", l.leaf_index),
            ));
            continue;
        }
        let ours = p.events.iter().find(|e| e.seq == l.leaf.seq);
        match ours {
            Some(e) if e.hash == l.leaf.head => {
                matched_through = matched_through.max(l.leaf.seq);
                out.push(finding(
                    true,
                    format!("前{}条记录与已公开的日志一致", l.leaf.seq),
                    format!("The first {} events match the published log", l.leaf.seq),
                ));
            }
            _ => {
                let from = matched_through + 1;
                out.push(finding(
                    false,
                    format!(
                        "与已公开的日志不符：第{from}至第{}条记录中最早不一致的是第{from}条之后的改动（日志证明的前{matched_through}条记录一致）",
                        l.leaf.seq
                    ),
                    format!(
                        "Does not match the published log: the history differs from the logged state within events {from}–{} (the first {matched_through} are proven)",
                        l.leaf.seq
                    ),
                ));
                departed = true;
                break;
            }
        }
    }
    // What no logged head covers is not proven, whatever else holds.
    let n = p.events.len() as i64;
    if !departed && !heads.is_empty() && matched_through < n {
        out.push(finding(
            false,
            format!("第{}至第{n}条记录尚未记入包内的已签名检查点，无法证明（请在下一个检查点后重新下载案卷）", matched_through + 1),
            format!("Events {}–{n} are not yet in the package's signed checkpoint and are not proven (download the package again after the next checkpoint)", matched_through + 1),
        ));
    }
    out
}

/// Whether the readable events are the hashed ones: the same events, and
/// each the same time, role, step, states and details as its hashed text.
fn shown_finding(shown: &[serde_json::Value], chained: &[ChainedEvent]) -> Finding {
    if shown.len() != chained.len() {
        return finding(
            false,
            format!("案卷中可读的处理记录与哈希记录条数不符（{}条对{}条）", shown.len(), chained.len()),
            format!("The package shows {} events but hashes {}", shown.len(), chained.len()),
        );
    }
    // Both in chain order: the n-th shown event is the n-th hashed one.
    for (s, e) in shown.iter().zip(chained) {
        if !says_the_same(s, &e.content) {
            let seq = s["seq"].as_i64().unwrap_or(e.seq);
            return finding(
                false,
                format!("第{seq}条可读记录与其哈希内容不符：案卷的可读部分被改动"),
                format!("Readable event {seq} differs from its hashed text: the package's readable part was changed"),
            );
        }
    }
    finding(
        true,
        format!("案卷中可读的{}条处理记录与哈希记录一致", shown.len()),
        format!("The package's {} readable events say what the hashed events say", shown.len()),
    )
}

/// One readable event (the API's `EventView`) against its hashed content
/// (`chain::EventContent` as JSON).
fn says_the_same(shown: &serde_json::Value, content: &str) -> bool {
    use serde_json::Value;
    let Ok(c) = serde_json::from_str::<Value>(content) else { return false };
    let at =
        shown["at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.timestamp_micros());
    let payload = c["payload_json"].as_str().and_then(|p| serde_json::from_str::<Value>(p).ok()).unwrap_or_default();
    shown["seq"] == c["seq"]
        && at.is_some()
        && at == c["at_micros"].as_i64()
        && shown["role"] == c["actor_role"]
        && shown["event"] == c["event_type"]
        && shown["from"] == c["from_state"]
        && shown["to"] == c["to_state"]
        && shown["payload"] == payload
}

/// A UTC time as a checkpoint (RFC 3339) or a time-stamp token
/// (GeneralizedTime, `20261201070521Z`) writes it.
fn utc_of(t: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&chrono::Utc));
    }
    let n = chrono::NaiveDateTime::parse_from_str(t.strip_suffix('Z')?, "%Y%m%d%H%M%S%.f").ok()?;
    Some(n.and_utc())
}

/// The time for a Chinese reader: Beijing time, said so.
fn time_zh(t: &str) -> String {
    utc_of(t).map_or_else(
        || t.to_owned(),
        |d| format!("北京时间{}", d.with_timezone(&crate::intake::moment::beijing()).format("%Y-%m-%d %H:%M:%S")),
    )
}

fn time_en(t: &str) -> String {
    utc_of(t).map_or_else(|| t.to_owned(), |d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
}

fn unhex_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// Why a package cannot be checked at all: (zh, en).
pub type Unreadable = (&'static str, &'static str);

/// Reads a package as downloaded (the dossier's JSON bytes).
pub fn read_package(bytes: &[u8]) -> Result<Package, Unreadable> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| {
        (
            "文件不是案卷数据文件（请上传案件页面下载的数据文件）",
            "The file is not a package (upload the data file from the case page)",
        )
    })?;
    package_from_json(&v).ok_or((
        "案卷缺少处理记录或检查点（请在检查点生成后重新下载）",
        "The package lacks its events or a checkpoint (download it again after a checkpoint)",
    ))
}

/// Reads a public key typed as 64 hex digits (spaces around it ignored).
pub fn read_key(typed: &str) -> Result<[u8; 32], Unreadable> {
    unhex32(typed.trim()).ok_or(("公钥应为64位十六进制字符", "The key must be 64 hex digits"))
}

/// Reads the package's `transparency` and `chain_events` parts (the dossier
/// JSON as Redline gives it).
pub fn package_from_json(v: &serde_json::Value) -> Option<Package> {
    let t = &v["transparency"];
    let events = v["chain_events"]
        .as_array()?
        .iter()
        .map(|e| {
            Some(ChainedEvent {
                seq: e["seq"].as_i64()?,
                content: e["content"].as_str()?.to_owned(),
                // Events chained before the first link was stored have none.
                prev_hash: e["prev_hash"].as_str().unwrap_or_default().to_owned(),
                hash: e["hash"].as_str()?.to_owned(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let heads = t["heads"]
        .as_array()?
        .iter()
        .map(|h| {
            let l = &h["leaf"];
            Some(LoggedHead {
                leaf: Leaf {
                    kind: l["kind"].as_str()?.to_owned(),
                    number: l["number"].as_str()?.to_owned(),
                    seq: l["seq"].as_i64()?,
                    head: l["head"].as_str()?.to_owned(),
                },
                leaf_index: h["leaf_index"].as_u64()?,
                path: h["inclusion_proof"]
                    .as_array()?
                    .iter()
                    .map(|x| x.as_str().and_then(unhex32))
                    .collect::<Option<_>>()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Package {
        // The dossier's summary is flattened into it.
        case_no: v["case_no"].as_str()?.to_owned(),
        events,
        checkpoint_body: t["checkpoint"]["body"].as_str()?.to_owned(),
        key_id: t["checkpoint"]["key_id"].as_str().map(str::to_owned),
        signature: t["checkpoint"]["signature"].as_str()?.to_owned(),
        tsa_token: t["checkpoint"]["timestamp"]["token"].as_str().map(str::to_owned),
        heads,
        shown: v["timeline"].as_array().cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::{time_en, time_zh};

    #[test]
    fn times_are_said_in_beijing_time_to_chinese_readers() {
        assert_eq!(time_zh("2026-12-01T07:05:21Z"), "北京时间2026-12-01 15:05:21");
        assert_eq!(time_en("2026-12-01T07:05:21Z"), "2026-12-01 07:05:21 UTC");
        // A token's GeneralizedTime, with a fraction, across the new year in Beijing.
        assert_eq!(time_zh("20261231170000.5Z"), "北京时间2027-01-01 01:00:00");
        assert_eq!(time_en("20261231170000Z"), "2026-12-31 17:00:00 UTC");
        assert_eq!(time_zh("soon"), "soon", "what cannot be read is shown as it is");
    }
}
