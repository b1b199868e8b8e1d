//! What the cluster alert pages show (`store::alerts`).
use super::FormFlash;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AlertRow {
    pub id: i64,
    pub room: String,
    /// What the complaints share: "直播间", "商品：…", "主播：…".
    pub subject: String,
    /// `rules::cluster::AlertState` as stored.
    pub state: String,
    pub cases: usize,
    pub first_at: String,
    pub last_at: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AlertCase {
    pub case_no: String,
    pub filed_at: String,
    /// Seconds from the session's start, where known.
    pub offset_s: Option<i64>,
    pub moment: String,
    pub product: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AlertPage {
    pub id: i64,
    pub room: String,
    /// What the complaints share: "直播间", "商品：…", "主播：…".
    pub subject: String,
    pub room_id: i64,
    pub state: String,
    pub note: Option<String>,
    pub first_at: String,
    pub last_at: String,
    pub cases: Vec<AlertCase>,
    pub flash: FormFlash,
}
