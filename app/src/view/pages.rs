//! The pages' read models: queues, the dossier, forms, rooms, tips, notices.
use super::form::FormFlash;
use super::parties::{ComplainantView, MarketerView, PublicOperatorView};
use crate::i18n::Lang;
use chrono::NaiveDate;
use redline_rules::case::{CaseState, Role};
use redline_rules::clock::{ClockKind, ClockStatus};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub unread: u64,
    /// Administers the staff of an organisation (the `/org` page).
    pub manages: bool,
    /// Administers a platform or live-room operator: its API keys and webhooks.
    #[serde(default)]
    pub integrates: bool,
}

/// Who is looking and in which language.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct Ctx {
    pub me: Option<Me>,
    pub lang: Lang,
    /// The CSRF token every form posts back (bound to this session).
    pub csrf: String,
}

/// A page's data with its context; `data` is a localized error when refused.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Loaded<T> {
    pub ctx: Ctx,
    pub data: Result<T, Refused>,
}

/// Why a page cannot be shown, with the HTTP status it answers: 401 not
/// signed in, 403 not for this person, 404 nothing there (also what a
/// non-party is told of a case: its existence is not revealed).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Refused {
    pub status: u16,
    pub message: String,
}

impl Refused {
    pub fn not_found(message: impl Into<String>) -> Refused {
        Refused { status: 404, message: message.into() }
    }
}

impl From<String> for Refused {
    fn from(message: String) -> Refused {
        Refused { status: 403, message }
    }
}

impl From<&str> for Refused {
    fn from(message: &str) -> Refused {
        Refused { status: 403, message: message.to_owned() }
    }
}

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

/// A live session (直播场次) with what it showed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionView {
    pub id: i64,
    pub room: String,
    pub platform_session_id: Option<String>,
    pub started: String,
    pub ended: Option<String>,
    pub replay_ref: Option<String>,
    pub products: Vec<ProductView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProductView {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub displayed_price_fen: i64,
    pub reference_price_fen: Option<i64>,
    pub discount_basis: Option<String>,
    pub claims: Option<String>,
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

/// The result of verifying the case's hash chain.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ChainView {
    pub events: usize,
    pub intact: bool,
    pub broken_at: Option<i32>,
    pub problem_zh: String,
    pub problem_en: String,
}

/// A live room's public page: its disclosed operator and recent sessions.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RoomView {
    pub id: i64,
    pub platform_id: i64,
    pub platform: String,
    pub platform_room_id: String,
    pub name: String,
    pub url: String,
    pub operator: PublicOperatorView,
    /// Marketers seen in the room's recent sessions.
    pub marketers: Vec<MarketerView>,
    pub sessions: Vec<SessionView>,
    /// The last twelve months' figures: (room, operator, platform).
    pub figures: [redline_rules::public::Counts; 3],
    /// When the figures were counted (Beijing time).
    pub figures_at: Option<String>,
    /// The room's recent cases as the public sees them.
    pub public_cases: Vec<PublicCase>,
    /// Narratives consumers chose to publish, masked and approved: (filed on, text).
    pub narratives: Vec<(String, String)>,
}

/// A case as the public sees it: no one's data.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PublicCase {
    pub filed_on: String,
    pub categories: Vec<String>,
    pub state: CaseState,
    /// It went on to market supervision.
    pub escalated: bool,
}

/// What platform staff see on their sessions page, per platform.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlatformStreams {
    pub id: i64,
    pub name: String,
    /// (platform room ID, name, Redline room id)
    pub rooms: Vec<(String, String, i64)>,
    pub sessions: Vec<SessionView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StreamsPage {
    pub platforms: Vec<PlatformStreams>,
    pub flash: FormFlash,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FilingForm {
    pub platforms: Vec<(i64, String)>,
    pub flash: FormFlash,
    /// A session picked on a room page: the form pins the complaint to it.
    pub session: Option<SessionView>,
    /// (platform id, platform room ID) of that session's room.
    pub session_room: Option<(i64, String)>,
    /// The marketers the platform reported for that session.
    pub marketers: Vec<MarketerView>,
    pub max_file_mib: u64,
    /// The form's one-time token: posting it twice files one complaint.
    pub once: String,
}

/// A platform's policy clock lengths (None = Redline's default).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlatformPolicy {
    pub id: i64,
    pub name: String,
    pub d1: Option<u32>,
    pub d2: Option<u32>,
    pub d3: Option<u32>,
    pub d4: Option<u32>,
    pub margin: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlatformSettings {
    pub platforms: Vec<PlatformPolicy>,
    pub flash: FormFlash,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AdminUser {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub orgs: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AdminView {
    pub users: Vec<AdminUser>,
    /// (value "kind:id", label)
    pub orgs: Vec<(String, String)>,
    /// Invitations not yet taken: (email, organisation, an account already exists).
    pub invitations: Vec<(String, String, bool)>,
    pub flash: FormFlash,
    pub platform_flash: FormFlash,
    pub agency_flash: FormFlash,
}

/// A link mailed to an address, as its confirmation page shows it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct WelcomeView {
    pub token: String,
    pub email: String,
    pub name: String,
    /// The organisation of an invitation; `None` for a registration.
    pub org: Option<String>,
    pub account_exists: bool,
    pub flash: FormFlash,
}

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
    pub flash: FormFlash,
    pub chain: ChainView,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NoticeRow {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub link: String,
    pub at: String,
    pub read: bool,
    pub email: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NoticesPage {
    pub rows: Vec<NoticeRow>,
    pub unread: u64,
    pub staff: bool,
    pub mode: String,
}

/// A search over the caller's cases: what was typed, and a page of hits.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchPage {
    pub q: String,
    /// Why the query was not run (too short).
    pub error: Option<String>,
    pub hits: Vec<SearchHit>,
    /// Matches ranked (at most 200); `capped` when there may be more.
    pub total: usize,
    pub capped: bool,
    pub page: usize,
    pub pages: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub case_no: String,
    pub state: CaseState,
    pub room: String,
    pub product: String,
    pub filed_on: String,
    /// The text around the match: (piece, is a match).
    pub snippet: Vec<(String, bool)>,
}
