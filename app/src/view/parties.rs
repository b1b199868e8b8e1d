//! Read models of the regulated parties and organisations: the room's public
//! parties, a platform's reports, an organisation's staff, and the
//! complainant's Order 121 Art. 10 details as a reader may see them.
use super::form::FormFlash;
use serde::{Deserialize, Serialize};

/// An operator as the public may see it (Order 117 Art. 25; natural persons by
/// account name and city only).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PublicOperatorView {
    pub name: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    /// (name, number, valid until)
    pub licences: Vec<(String, String, Option<String>)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct MarketerView {
    pub id: i64,
    pub stage_name: String,
    pub account: String,
    pub is_virtual: bool,
    pub mcn: Option<String>,
}

/// A reported change (Order 117 Arts. 9, 15).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PartyChangeView {
    pub platform: String,
    pub kind: String,
    pub party_ref: String,
    pub name: String,
    pub learned: String,
    pub reported: String,
    pub late: bool,
    pub channel: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlatformParties {
    pub id: i64,
    pub name: String,
    pub counts: [u64; 4],
    pub changes: Vec<PartyChangeView>,
}

/// An organisation's administrator: its members and the invitation form.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OrgStaff {
    pub kind: String,
    pub id: i64,
    pub name: String,
    /// (user id, email, name, role)
    pub members: Vec<(i64, String, String, String)>,
    /// Addresses mailed every transparency-log checkpoint: (id, email).
    pub log_subscribers: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ComplainantView {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub is_agent: bool,
}

/// Platform staff: what they reported, per platform, and the forms' values.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PartiesPage {
    pub platforms: Vec<PlatformParties>,
    /// Values and errors of each form (`mcn`, `operator`, `marketer`, `room`).
    pub flash: Vec<(String, FormFlash)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OrgsPage {
    pub orgs: Vec<OrgStaff>,
    pub flash: FormFlash,
    pub me: i64,
}
