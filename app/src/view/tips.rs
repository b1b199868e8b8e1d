//! Tips (举报) as their pages read them: the form, the reporter's progress,
//! the staff queues and one tip.
use super::case::ChainView;
use super::form::FormFlash;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The public tip form.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TipForm {
    pub platforms: Vec<(i64, String)>,
    pub flash: FormFlash,
    pub signed_in: bool,
    pub max_file_mib: u64,
}

/// What a reporter may see of a tip (Order 121 Art. 36).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TipProgress {
    pub tip_no: String,
    pub filed_at: String,
    pub stage: String,
    pub linked_to: Option<String>,
    pub platform_reviewed: bool,
    /// While the agency verifies: the day its time limit ends.
    pub due_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TipStatusPage {
    pub flash: FormFlash,
    pub result: Option<TipProgress>,
}

/// One row of a staff tip queue (no reporter data).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TipRow {
    pub tip_no: String,
    pub room: String,
    pub filed_on: String,
    pub categories: Vec<String>,
    pub platform_status: String,
    pub regulator_status: String,
    pub d9_due: Option<NaiveDate>,
    pub d9_overdue: bool,
    pub d9_extended: bool,
    /// Held for testing (D9 does not count those days).
    pub d9_paused: bool,
    /// D10 (Penalty Procedure Rules Art. 64), once a case is opened.
    pub d10_due: Option<NaiveDate>,
    pub d10_extended: bool,
    pub cac_listed: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TipQueue {
    pub rows: Vec<TipRow>,
    pub regulator: bool,
}

/// A tip as staff see it; `reporter` only for the agency.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StaffTipView {
    pub row: TipRow,
    /// Whom the tip is about, with the marketer or MCN it names.
    pub target: String,
    pub description: String,
    pub moments: Vec<String>,
    pub platform_measure: Option<String>,
    pub platform_note: Option<String>,
    pub decision: Option<String>,
    pub regulator_note: Option<String>,
    pub extension_reason: Option<String>,
    pub jurisdiction: Vec<(String, String)>,
    pub agency: Option<String>,
    /// (name, contact), for the agency only.
    pub reporter: Option<(Option<String>, Option<String>)>,
    /// (id, name, kind, bytes)
    pub evidence: Vec<(i64, String, String, i64)>,
    pub events: Vec<(String, String, String, String)>,
    pub as_platform: bool,
    pub as_regulator: bool,
    /// `rules::tip::Origin`: a report (D9), or a violation found in mediation (D8).
    pub origin: String,
    /// The case a lead or an Order 121 Art. 9 tip belongs to, for the agency.
    pub case_no: Option<String>,
    /// The day the closed tip may be deleted, and the agency's legal hold.
    pub retain_until: Option<chrono::NaiveDate>,
    pub legal_hold: bool,
    pub legal_hold_reason: Option<String>,
    pub flash: FormFlash,
    pub chain: ChainView,
}
