//! Parsing what platforms report about their streams, what parties say about
//! evidence, and the platform's answer to a preservation request. The form
//! posts and the JSON API share one validation, so both refuse the same input
//! with the same localized messages.
use super::{parse_clock, parse_offset, Errors, Fields};
use chrono::{DateTime, NaiveDate, Utc};
use redline_rules::evidence::ClipRange;
use redline_rules::money::Fen;
use redline_store::case::preservation::Answer;
use redline_store::streams::{ProductReport, SessionReport};
use serde::Deserialize;

/// A session as posted to `POST /api/v1/platform/sessions`.
#[derive(Debug, Deserialize)]
pub struct SessionJson {
    pub room: Option<String>,
    pub platform_session_id: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub replay_ref: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductJson>,
    /// The platform's IDs of the marketers who appeared.
    #[serde(default)]
    pub marketers: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ProductJson {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub displayed_price_fen: Option<i64>,
    pub reference_price_fen: Option<i64>,
    pub discount_basis: Option<String>,
    pub claims: Option<String>,
}

fn text(v: Option<String>, max: usize) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).map(|s| s.chars().take(max).collect())
}

/// Checks a session report; products past the 200th are refused, not dropped.
pub fn session(j: SessionJson) -> Result<SessionReport, Errors> {
    let mut e = Errors::default();
    let room = text(j.room, 100);
    if room.is_none() {
        e.add("room", "请填写直播间号", "Give the live room ID");
    }
    let psid = text(j.platform_session_id, 100);
    if psid.as_deref().is_some_and(|p| !p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))) {
        e.add("platform_session_id", "场次ID只能包含字母、数字和 -_.:", "Session IDs use letters, digits and -_.:");
    }
    if j.started_at.is_none() {
        e.add("started_at", "请填写开播时间", "Give the start time");
    }
    if let (Some(s), Some(end)) = (j.started_at, j.ended_at) {
        if end < s {
            e.add("ended_at", "下播时间不能早于开播时间", "The end cannot be before the start");
        } else if end - s > chrono::Duration::hours(48) {
            e.add("ended_at", "单场直播不能超过48小时", "A session cannot be longer than 48 hours");
        }
    }
    if j.products.len() > 200 {
        e.add("products", "每场最多200个商品", "At most 200 products per session");
    }
    let mut products = Vec::new();
    let mut skus = std::collections::HashSet::new();
    for p in j.products.into_iter().take(200) {
        let sku = text(p.sku, 64);
        let name = text(p.name, 200);
        let price = p.displayed_price_fen.filter(|v| (0..=1_000_000_000).contains(v));
        let reference = p.reference_price_fen;
        if sku.is_none() || name.is_none() {
            e.add("products", "每个商品都需要 SKU 和名称", "Every product needs a SKU and a name");
            continue;
        }
        if price.is_none() {
            e.add("products", "标价须为0或以上的整数（分）", "Displayed prices are whole fen, 0 or more");
            continue;
        }
        if reference.is_some_and(|r| !(0..=1_000_000_000).contains(&r)) {
            e.add("products", "参考价须为0或以上的整数（分）", "Reference prices are whole fen, 0 or more");
            continue;
        }
        let basis = text(p.discount_basis, 500);
        // Art. 32: a "was" price needs its basis.
        if reference.is_some() && basis.is_none() {
            e.add(
                "products",
                "标注参考价（划线价）时须说明其依据（办法第32条）",
                "A reference price needs its basis (Order 117 Art. 32)",
            );
            continue;
        }
        let sku = sku.unwrap();
        if !skus.insert(sku.clone()) {
            e.add("products", "同一场次中 SKU 不能重复", "A SKU may appear once per session");
            continue;
        }
        products.push(ProductReport {
            sku,
            name: name.unwrap(),
            displayed_price_fen: price.unwrap(),
            reference_price_fen: reference,
            discount_basis: basis,
            claims: text(p.claims, 1000),
        });
    }
    if j.marketers.len() > 50 {
        e.add("marketers", "每场最多50位主播", "At most 50 marketers per session");
    }
    let marketers: Vec<String> = j.marketers.iter().map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()).collect();
    if !e.is_empty() {
        return Err(e);
    }
    Ok(SessionReport {
        room: room.unwrap(),
        platform_session_id: psid,
        started_at: j.started_at.unwrap(),
        ended_at: j.ended_at,
        replay_ref: text(j.replay_ref, 300),
        products,
        marketers,
    })
}

/// The staff form: one product per line, "SKU | name | price | reference price | basis | claims"
/// with prices in yuan.
pub fn session_form(f: &Fields) -> Result<SessionReport, Errors> {
    let mut e = Errors::default();
    let when = |k: &str| (!f.get(k).is_empty()).then(|| parse_clock(f.get(k)));
    let started_at = when("started_at").flatten();
    if started_at.is_none() {
        e.add("started_at", "请填写开播时间（北京时间）", "Give the start time (Beijing time)");
    }
    let ended_at = match when("ended_at") {
        Some(None) => {
            e.add("ended_at", "下播时间格式不正确", "The end time is not a valid time");
            None
        }
        Some(t) => t,
        None => None,
    };
    let mut products = Vec::new();
    for line in f.get("products").lines().map(str::trim).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        let yuan = |s: Option<&&str>| s.filter(|v| !v.is_empty()).map(|v| Fen::parse_yuan(v).map(|f| f.0));
        let price = yuan(cols.get(2));
        let reference = yuan(cols.get(3));
        if cols.len() < 3 || !matches!(price, Some(Ok(_))) || matches!(reference, Some(Err(_))) {
            e.add(
                "products",
                "商品每行格式：SKU | 名称 | 标价(元) | 参考价(元，可空) | 折扣依据 | 宣称",
                "One product per line: SKU | name | price (CNY) | reference price (optional) | basis | claims",
            );
            break;
        }
        let opt = |k: usize| cols.get(k).map(|s| s.to_string()).filter(|s| !s.is_empty());
        products.push(ProductJson {
            sku: opt(0),
            name: opt(1),
            displayed_price_fen: price.and_then(Result::ok),
            reference_price_fen: reference.and_then(Result::ok),
            discount_basis: opt(4),
            claims: opt(5),
        });
    }
    let parsed = session(SessionJson {
        room: Some(f.get("room").to_owned()),
        platform_session_id: Some(f.get("platform_session_id").to_owned()),
        started_at,
        ended_at,
        replay_ref: Some(f.get("replay_ref").to_owned()),
        products,
        marketers: f.get("marketers").split([',', '，', ' ', '\n']).map(str::to_owned).collect(),
    });
    match parsed {
        Ok(r) if e.is_empty() => Ok(r),
        Ok(_) => Err(e),
        Err(more) => {
            for m in more.0 {
                if !e.0.iter().any(|x| x.field == m.field) {
                    e.push(m);
                }
            }
            Err(e)
        }
    }
}

/// The stretch of the stream a file shows: both ends or neither.
pub fn clip(f: &Fields, e: &mut Errors) -> Option<ClipRange> {
    let (s, t) = (f.get("clip_start"), f.get("clip_end"));
    if s.is_empty() && t.is_empty() {
        return None;
    }
    match (parse_offset(s), parse_offset(t)) {
        (Some(a), Some(b)) => match ClipRange::new(a, b) {
            Some(r) => Some(r),
            None => {
                e.add("clip", "片段结束时间不能早于开始时间", "The clip cannot end before it starts");
                None
            }
        },
        _ => {
            e.add("clip", "请按 时:分:秒 填写片段的起止时间，如 00:42:00", "Give the clip as hh:mm:ss, e.g. 00:42:00");
            None
        }
    }
}

/// The note on uploaded evidence (optional, up to 500 characters).
pub fn note(f: &Fields, e: &mut Errors) -> Option<String> {
    let n = f.get("note");
    if n.chars().count() > 500 {
        e.add("note", "说明不能超过500字", "The note is limited to 500 characters");
    }
    Some(n.to_owned()).filter(|n| !n.is_empty())
}

/// The platform's answer to a preservation request.
pub fn preservation(decision: &str, replay_ref: &str, retain_until: &str, reason: &str) -> Result<Answer, Errors> {
    let mut e = Errors::default();
    match decision {
        "confirm" => {
            let r = replay_ref.trim();
            if r.is_empty() || r.chars().count() > 300 {
                e.add(
                    "replay_ref",
                    "请填写回放编号或地址（300字以内）",
                    "Give the replay reference (up to 300 characters)",
                );
            }
            let until = NaiveDate::parse_from_str(retain_until.trim(), "%Y-%m-%d").ok();
            if until.is_none() {
                e.add("retain_until", "请填写保存至日期 YYYY-MM-DD", "Give the retention date as YYYY-MM-DD");
            }
            if e.is_empty() {
                return Ok(Answer::Confirm { replay_ref: r.to_owned(), retain_until: until.unwrap() });
            }
        }
        "decline" => {
            let r = reason.trim();
            if r.chars().count() < 4 || r.chars().count() > 1000 {
                e.add(
                    "reason",
                    "无法保全时须说明理由（4到1000字）",
                    "Say why it cannot be preserved (4 to 1000 characters)",
                );
            } else {
                return Ok(Answer::Decline { reason: r.to_owned() });
            }
        }
        _ => e.add("decision", "请选择确认保全或说明无法保全", "Choose to confirm or to decline"),
    }
    Err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order117_art32_reference_price_needs_its_basis() {
        let f = Fields::from_pairs(vec![
            ("room".into(), "XH-8801".into()),
            ("started_at".into(), "2026-11-20T20:00".into()),
            ("products".into(), "SKU-1 | 燕窝 | 199 | 599 |  | 假一赔十".into()),
        ]);
        let e = session_form(&f).unwrap_err();
        assert_eq!(e.0[0].field, "products");
        let f = Fields::from_pairs(vec![
            ("room".into(), "XH-8801".into()),
            ("started_at".into(), "2026-11-20T20:00".into()),
            ("products".into(), "SKU-1 | 燕窝 | 199 | 599 | 30日最低价 | 假一赔十\nSKU-2｜耳机｜99.5".into()),
        ]);
        let r = session_form(&f).unwrap();
        assert_eq!(r.products.len(), 2);
        assert_eq!(r.products[0].reference_price_fen, Some(59_900));
        assert_eq!(r.products[1].displayed_price_fen, 9_950);
    }

    #[test]
    fn a_session_cannot_end_before_it_starts() {
        let f = Fields::from_pairs(vec![
            ("room".into(), "XH-8801".into()),
            ("started_at".into(), "2026-11-20T20:00".into()),
            ("ended_at".into(), "2026-11-20T19:00".into()),
        ]);
        assert_eq!(session_form(&f).unwrap_err().0[0].field, "ended_at");
    }

    #[test]
    fn clips_need_both_ends_in_order() {
        let mut e = Errors::default();
        let f =
            Fields::from_pairs(vec![("clip_start".into(), "00:42:00".into()), ("clip_end".into(), "00:43:30".into())]);
        assert_eq!(clip(&f, &mut e), ClipRange::new(2520, 2610));
        let f = Fields::from_pairs(vec![("clip_start".into(), "00:42:00".into())]);
        assert_eq!(clip(&f, &mut e), None);
        assert_eq!(e.0[0].field, "clip");
    }
}
