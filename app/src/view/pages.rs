//! The pages' frame (who reads, in which language, a refusal) and the read
//! models of rooms and sessions, platform settings, administration, notices
//! and search; a case's are in `case`, tips' in `tips`.
use super::form::FormFlash;
use super::parties::{MarketerView, PublicOperatorView};
use crate::i18n::Lang;
use redline_rules::case::{CaseState, Role};
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

/// The account page: who is signed in, and what deleting the account would
/// erase at once and keep until its retention ends (PIPL Art. 47).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AccountPageView {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub cases: Vec<KeptCaseView>,
    pub flash: FormFlash,
}

/// A case the holder filed: its file stays until `retain_until` (open: three
/// years after it closes).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct KeptCaseView {
    pub case_no: String,
    pub state_zh: String,
    pub state_en: String,
    pub open: bool,
    pub retain_until: Option<chrono::NaiveDate>,
    pub held: bool,
}

/// A jurisdiction dispute as its referee sees it (Order 121 Art. 33, D11).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DisputeRow {
    pub id: i64,
    pub case_no: String,
    /// (agency id, name): the handling agency that referred it, and the other.
    pub raised_by: (i64, String),
    pub other: (i64, String),
    pub reason: String,
    pub due_on: chrono::NaiveDate,
    pub overdue: bool,
    /// The case's candidate places, named, with their articles.
    pub places: Vec<(String, String)>,
    /// The designated agency's name, once designated.
    pub designated: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DisputesPage {
    pub rows: Vec<DisputeRow>,
    pub flash: FormFlash,
}
