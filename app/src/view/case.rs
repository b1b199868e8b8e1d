//! A case as its pages read it: queue rows, clocks, the timeline, the dossier
//! with its evidence, preservation and chain, and publication.
use super::form::FormFlash;
use super::pages::{ProductView, SessionView};
use super::parties::ComplainantView;
use chrono::NaiveDate;
use redline_rules::case::{CaseState, Role};
use redline_rules::clock::{ClockKind, ClockStatus};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CaseRow {
    pub case_no: String,
    pub state: CaseState,
    pub platform: String,
    pub room: String,
    pub product: String,
    pub amount_fen: i64,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    pub filed_on: String,
    pub untimely: bool,
    /// The platform missed the D4 replay preservation clock.
    pub preservation_overdue: bool,
    /// A records request unanswered past its limit (Order 117 Art. 18).
    pub records_overdue: bool,
    /// T24: marked as suspected fraud.
    pub fraud_suspected: bool,
    /// Running and paused clocks, nearest due first.
    pub clocks: Vec<ClockView>,
    /// The marketer and MCN the complaint names, if any.
    pub marketer: Option<String>,
    pub mcn: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct QueuePage {
    /// The filter applied (regulator queue): marketer and MCN names.
    pub filter: (String, String),
    /// The desk figure the list narrows to, as a query ("since=…&room=…"), or "".
    pub figure: String,
    /// The tab shown ("all", "todo", "soon", "overdue", "closed").
    pub tab: String,
    /// Each tab's count (at most 100; shown as 99+).
    pub counts: Vec<(String, u64)>,
    pub rows: Vec<CaseRow>,
    pub next: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ClockView {
    pub kind: ClockKind,
    pub status: ClockStatus,
    pub basis: String,
    pub legal: bool,
    pub working: bool,
    pub days: i32,
    pub start_on: NaiveDate,
    pub due_on: NaiveDate,
    pub remaining: i64,
    pub overdue: bool,
    pub provisional: bool,
    pub paused_days: i64,
    /// The day (China time) a stopped clock stopped: met when not after `due_on`.
    pub stopped_on: Option<NaiveDate>,
    pub explain_zh: String,
    pub explain_en: String,
    /// Days not counted and why: (date, reason zh, reason en).
    pub skipped: Vec<(NaiveDate, String, String)>,
    /// 调休 make-up workdays that were counted: (date, holiday zh, holiday en).
    pub make_up: Vec<(NaiveDate, String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EventView {
    pub seq: i32,
    pub at: String,
    pub role: Role,
    pub event: String,
    pub transition: String,
    pub from: CaseState,
    pub to: CaseState,
    pub details: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Action {
    pub role: Role,
    pub event: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Dossier {
    pub case_no: String,
    /// Sent back with every action so a stale page cannot act on a newer state.
    pub version: i32,
    pub state: CaseState,
    pub platform: String,
    pub room: String,
    pub room_url: String,
    pub operator: String,
    pub product: String,
    pub order_no: Option<String>,
    pub ordered_on: Option<NaiveDate>,
    pub amount_fen: i64,
    pub categories: Vec<String>,
    pub demands: Vec<String>,
    pub narrative: String,
    pub moment: String,
    pub harm_known_on: NaiveDate,
    pub agency: Option<String>,
    pub jurisdiction: Vec<(String, String)>,
    pub operator_untimely: bool,
    pub platform_untimely: bool,
    /// Intake signals for the regulator (Order 121 Arts. 16–17); never refusals.
    pub warnings: Vec<redline_rules::intake::IntakeWarning>,
    pub clocks: Vec<ClockView>,
    pub events: Vec<EventView>,
    pub actions: Vec<Action>,
    pub agencies: Vec<(i64, String)>,
    pub flash: Option<FormFlash>,
    /// The session the moment falls in, if known (Order 117 Art. 16).
    pub session: Option<SessionView>,
    /// The product picked from that session's list (Order 117 Art. 32).
    pub picked_product: Option<ProductView>,
    pub evidence: Vec<EvidenceView>,
    /// Roles the viewer may attach evidence as.
    pub upload_roles: Vec<Role>,
    pub evidence_flash: FormFlash,
    pub max_file_mib: u64,
    pub preservation: Option<PreservationView>,
    pub preservation_flash: FormFlash,
    /// The consumer's records requests (Order 117 Art. 18).
    pub records: RecordsView,
    /// T24: suspected fraud, and who of the viewer's roles may mark or lift it.
    pub fraud: FraudView,
    /// How long the case file is kept, and the agency's legal hold.
    pub retention: RetentionView,
    /// T7: the consumer's ratings of the parties that handled the case.
    pub rating: RatingView,
    /// T23: violations the mediating agency found (agency only).
    pub violations: ViolationsView,
    /// D11: a jurisdiction dispute referred for designation (Order 121 Art. 33).
    pub dispute: DisputeView,
    /// D15: parties the agency could not reach and the platform's reminders (Order 117 Art. 22).
    pub unreachable: UnreachableView,
    pub chain: ChainView,
    /// Who the complaint names: (label, value), respondent first.
    pub parties: Vec<(String, String)>,
    /// The Order 121 Art. 10 details, as far as this reader may see them.
    pub complainant: Option<ComplainantView>,
    /// What the machine's guards know (the offer under review, a second review).
    pub context: redline_rules::case::CaseContext,
    /// The roles the viewer holds in this case.
    pub viewer_roles: Vec<Role>,
    /// For the consumer: publishing the narrative on the room's public page.
    pub publication: Option<Publication>,
}

/// A consumer's choice to publish the narrative (`store::narratives`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Publication {
    /// `rules::public::NarrativeStatus` as stored; None when never asked.
    pub status: Option<String>,
    /// What the public would read: the narrative with personal data masked.
    pub masked: String,
    /// Why a moderator did not approve it.
    pub reason: Option<String>,
    pub flash: FormFlash,
}

/// One file in the case's evidence vault.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EvidenceView {
    pub id: i64,
    pub kind: redline_rules::evidence::EvidenceKind,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub role: Role,
    pub uploaded_at: String,
    pub note: Option<String>,
    /// "00:42:00–00:43:30" when it shows a stretch of the stream.
    pub clip: Option<String>,
    /// An image with a metadata-free display copy.
    pub viewable: bool,
}

/// The replay preservation request (Order 117 Art. 16) and its answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PreservationView {
    pub status: String,
    pub overdue: bool,
    /// The stretch asked for: offsets and/or clock times.
    pub range: String,
    pub replay_ref: Option<String>,
    pub retain_until: Option<NaiveDate>,
    pub min_retain_until: NaiveDate,
    pub answer: Option<String>,
    /// The viewer is platform staff who may answer now.
    pub can_answer: bool,
}

/// The consumer's records requests (Order 117 Art. 18) and what the viewer may do.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct RecordsView {
    pub requests: Vec<RecordsRow>,
    /// The complainant, with no request open.
    pub can_ask: bool,
    /// Platform staff, with a request open.
    pub can_answer: bool,
    pub flash: FormFlash,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RecordsRow {
    /// What was asked for, in the reader's language.
    pub items: Vec<String>,
    pub asked_at: String,
    pub due_on: NaiveDate,
    pub answered_at: Option<String>,
    pub answer: Option<String>,
    /// Unanswered past the platform's limit: a possible breach of Art. 18.
    pub overdue: bool,
}

/// T24 (Order 121 Arts. 23(6), 42): whether the case is marked, why, and as
/// which roles the viewer may mark it or lift the mark.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct FraudView {
    pub suspected: bool,
    pub reason: Option<String>,
    /// "platform" and/or "regulator".
    pub may_mark_as: Vec<String>,
    pub flash: FormFlash,
}

/// Retention (Order 117 Art. 16; PIPL Art. 47): the day the closed case file
/// may be deleted, and the legal hold with its reason (in the case's chain).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct RetentionView {
    pub retain_until: Option<chrono::NaiveDate>,
    pub held: bool,
    pub reason: Option<String>,
    pub may_hold: bool,
    pub flash: FormFlash,
}

/// T7: whom the consumer may still rate (handler codes; empty for others and
/// while the case is open), and the ratings given: (handler, stars, comment).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct RatingView {
    pub may_rate: Vec<String>,
    pub given: Vec<(String, [u8; 3], Option<String>)>,
    pub flash: FormFlash,
}

/// T23 (Order 121 Art. 27): for the agency, whether it may record a violation
/// found in mediation now, and the leads opened on this case: (tip number,
/// verification due, status code).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct ViolationsView {
    pub may_record: bool,
    pub leads: Vec<(String, Option<chrono::NaiveDate>, String)>,
    pub flash: FormFlash,
}

/// D11 (Order 121 Art. 33) on the case page: the open dispute, if any, as
/// (other agency, referee, due day, overdue); for the handling agency before
/// acceptance, the agencies it may dispute with (id, name).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct DisputeView {
    pub open: Option<(String, String, chrono::NaiveDate, bool)>,
    pub peers: Vec<(i64, String)>,
    pub flash: FormFlash,
}

/// D15 (Order 117 Art. 22), for the agency and the platform: the notices
/// (id, party code, the agency's note, due day, the platform's answer,
/// overdue), and who may add one or answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct UnreachableView {
    pub notices: Vec<(i64, String, String, chrono::NaiveDate, Option<String>, bool)>,
    pub may_notify: bool,
    pub names_marketer: bool,
    pub may_remind: bool,
    pub flash: FormFlash,
}

/// The result of verifying the case's hash chain.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ChainView {
    pub events: usize,
    pub intact: bool,
    pub broken_at: Option<i32>,
    pub problem_zh: String,
    pub problem_en: String,
}
