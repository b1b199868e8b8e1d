//! A platform's party report, from the API's JSON or a staff form, onto the
//! rules' typed reports. Items are checked one by one and every problem is
//! named by item (`rooms[3].operator`), so a bulk call is corrected in one go.
use super::{Errors, Fields};
use chrono::{DateTime, Utc};
use redline_rules::parties::{self, LicenceFields, PartyFields};
use redline_store::parties::report::{Batch, MAX_ITEMS};
use serde::Deserialize;

/// The body of `POST /api/v1/platform/parties`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartiesJson {
    pub mcns: Vec<PartyFields>,
    pub operators: Vec<PartyFields>,
    pub marketers: Vec<PartyFields>,
    pub rooms: Vec<PartyFields>,
}

/// Problems past this many are not listed (the first ones say what is wrong).
const MAX_ERRORS: usize = 200;

fn each<T>(
    e: &mut Errors,
    kind: &str,
    items: &[PartyFields],
    now: DateTime<Utc>,
    parse: fn(&PartyFields, &str, DateTime<Utc>) -> Result<T, Errors>,
) -> Vec<T> {
    if items.len() > MAX_ITEMS {
        // Checked in the store as well; refusing here spares parsing them all.
        e.push(redline_rules::FieldError::new(
            kind.to_owned(),
            format!("每次最多报送{MAX_ITEMS}项"),
            format!("At most {MAX_ITEMS} items per call"),
        ));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, f) in items.iter().enumerate() {
        match parse(f, &format!("{kind}[{i}]"), now) {
            Ok(v) => out.push(v),
            Err(more) => e.0.extend(more.0.into_iter().take(MAX_ERRORS.saturating_sub(e.0.len()))),
        }
    }
    out
}

pub fn batch(j: &PartiesJson, now: DateTime<Utc>) -> Result<Batch, Errors> {
    let mut e = Errors::default();
    let b = Batch {
        mcns: each(&mut e, "mcns", &j.mcns, now, parties::mcn),
        operators: each(&mut e, "operators", &j.operators, now, parties::operator),
        marketers: each(&mut e, "marketers", &j.marketers, now, parties::marketer),
        rooms: each(&mut e, "rooms", &j.rooms, now, parties::room),
    };
    e.into_result().map(|_| b)
}

/// A form's `datetime-local` value is Beijing time; the rules take RFC 3339.
fn beijing_input(v: &str) -> String {
    match super::parse_clock(v) {
        Some(t) => t.to_rfc3339(),
        None => v.to_owned(),
    }
}

/// A staff form reports one party of `kind` (`mcn`, `operator`, `marketer`,
/// `room`); licences are typed one a line, "name | number | valid until".
pub fn form(kind: &str, f: &Fields, now: DateTime<Utc>) -> Result<Batch, Errors> {
    let licences = f
        .get("licences")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split(['|', '｜']).map(str::trim).collect();
            let col = |i: usize| cols.get(i).copied().unwrap_or("").to_owned();
            LicenceFields { name: col(0), number: col(1), valid_until: col(2) }
        })
        .collect();
    let p = PartyFields {
        id: f.get("id").into(),
        kind: f.get("kind").into(),
        name: f.get("name").into(),
        credit_code: f.get("credit_code").into(),
        masked_id: f.get("masked_id").into(),
        displayed_address: f.get("displayed_address").into(),
        displayed_region: f.get("displayed_region").into(),
        business_address: f.get("business_address").into(),
        business_region: f.get("business_region").into(),
        contact: f.get("contact").into(),
        licences,
        mcn: f.get("mcn").into(),
        operator: f.get("operator").into(),
        url: f.get("url").into(),
        account: f.get("account").into(),
        is_virtual: f.get("is_virtual") == "on",
        identity_ref: f.get("identity_ref").into(),
        address: f.get("address").into(),
        region: f.get("region").into(),
        learned_at: beijing_input(f.get("learned_at")),
    };
    // The form's fields are the item's own: no `kind[0].` prefix.
    let mut b = Batch::default();
    match kind {
        "mcn" => b.mcns.push(parties::mcn(&p, "", now)?),
        "operator" => b.operators.push(parties::operator(&p, "", now)?),
        "marketer" => b.marketers.push(parties::marketer(&p, "", now)?),
        "room" => b.rooms.push(parties::room(&p, "", now)?),
        _ => return Err(redline_rules::FieldError::form("未知的报送类型", "Unknown kind of party").into()),
    }
    Ok(b)
}
