//! The API's documents as types: what each route answers and takes, so the
//! OpenAPI contract (`openapi.rs`) is generated from the same code that
//! writes the answers. Requests are parsed by the form parsers
//! (`crate::parse`); their types here say what those accept.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A message in both languages.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// Every error: a stable `code`, a message, and the refused fields by name.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `unauthorized`, `insufficient_scope`, `platform_only`,
    /// `not_found`, `conflict`, `stale_version`, `invalid_input`,
    /// `idempotency_in_flight`, `idempotency_key_reused`, `too_large`, `unavailable`.
    #[schema(example = "invalid_input")]
    pub code: String,
    pub message: Text,
    pub fields: BTreeMap<String, Text>,
}

#[derive(Serialize, ToSchema)]
pub struct RoomRef {
    pub id: i64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
}

/// A case in a list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    #[schema(example = "LC-2026-000001")]
    pub case_no: String,
    #[schema(example = "ROUTED_TO_OPERATOR")]
    pub state: String,
    /// `operator`, `platform`, `regulator` or `closed`.
    pub tier: Option<String>,
    pub room: RoomRef,
    pub respondent_kind: String,
    pub product_name: String,
    pub amount_fen: i64,
    /// The nearest running clock's due date; none when no clock runs.
    pub next_due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// The case version: send it back as `If-Match` when acting.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub data: Vec<CaseSummary>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
    /// Only with `total=true`.
    pub total: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockView {
    #[schema(example = "D1")]
    pub kind: String,
    pub name: Option<Text>,
    /// `RUNNING`, `PAUSED`, `STOPPED` or `EXPIRED`.
    pub status: String,
    /// `working` (PRC working days, Order 121 Art. 45) or `natural`.
    pub calendar: String,
    pub days: i32,
    pub start_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Working (or natural) days left, for a running clock.
    pub days_left: Option<i64>,
    pub provisional: bool,
    pub basis: String,
    pub legal: bool,
    /// How the due date was counted (holidays and make-up days skipped).
    pub explanation: Value,
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub role: String,
    pub event: String,
    pub from: String,
    pub to: String,
    pub payload: Value,
    /// This event's link in the case's SHA-256 hash chain.
    pub hash: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Clip {
    pub start_s: Option<i64>,
    pub end_s: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
    pub file_name: String,
    /// SHA-256 of the file as received.
    pub sha256: String,
    pub note: Option<String>,
    pub uploaded_role: String,
    pub uploaded_at: DateTime<Utc>,
    pub clip: Clip,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceList {
    pub data: Vec<EvidenceView>,
}

#[derive(Serialize, ToSchema)]
pub struct PreservationView {
    pub status: String,
    pub from_at: Option<DateTime<Utc>>,
    pub to_at: Option<DateTime<Utc>>,
    pub replay_ref: Option<String>,
    pub retain_until: Option<NaiveDate>,
    pub overdue: bool,
}

/// The complainant's Order 121 Art. 10 details, where the page shows them.
#[derive(Serialize, ToSchema)]
pub struct ComplainantView {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub is_agent: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Moment {
    pub session_id: Option<i64>,
    pub offset_s: Option<i64>,
    pub clock_at: Option<DateTime<Utc>>,
}

/// One case as the organisation's staff see it on its page.
#[derive(Serialize, ToSchema)]
pub struct CaseDossier {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub platform: OrgRef,
    pub operator: OrgRef,
    pub agency: Option<OrgRef>,
    pub order_no: Option<String>,
    /// The day of the order, when the consumer gave it (retention counts from
    /// the later of it and the end of the stream, Order 117 Art. 16).
    pub ordered_on: Option<NaiveDate>,
    pub categories: Vec<String>,
    pub demands: Vec<String>,
    pub narrative: String,
    pub harm_known_on: NaiveDate,
    pub moment: Moment,
    pub marketer_name: Option<String>,
    pub seller_name: Option<String>,
    pub last_offer: Option<String>,
    pub platform_decided: bool,
    pub preservation_overdue: bool,
    /// A records request went unanswered past the platform's limit (Order 117 Art. 18).
    pub records_overdue: bool,
    /// The events this key's organisation may send now (`POST …/actions`).
    pub allowed_actions: Vec<String>,
    pub clocks: Vec<ClockView>,
    pub timeline: Vec<EventView>,
    pub evidence: Vec<EvidenceView>,
    pub preservation: Option<PreservationView>,
    pub complainant: Option<ComplainantView>,
}

/// A step on a case: the fields the case page's action form posts.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ActionRequest {
    /// An operator answers (`OPERATOR_RESPOND`); a platform steps in
    /// (`PLATFORM_INTERVENE`) and decides (`PLATFORM_DECIDE`).
    #[schema(example = "PLATFORM_DECIDE", pattern = "^(OPERATOR_RESPOND|PLATFORM_INTERVENE|PLATFORM_DECIDE)$")]
    pub event: String,
    /// With an answer or a decision.
    #[schema(pattern = "^(FULL|PARTIAL|REJECT)$")]
    pub offer: Option<String>,
    /// Required with `REJECT`; at most 2,000 characters.
    #[schema(max_length = 2000)]
    pub message: Option<String>,
    #[schema(max_length = 500)]
    pub remedy: Option<String>,
    pub advance_compensation: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    pub case_no: String,
    pub state: String,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PreservationRequest {
    #[schema(pattern = "^(confirm|decline)$")]
    pub decision: String,
    pub replay_ref: Option<String>,
    /// `YYYY-MM-DD`, at least three years on (Order 117 Art. 16).
    #[schema(format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub retain_until: Option<String>,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PreservationResult {
    pub status: String,
    pub retain_until: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ChainCheck {
    pub case_no: String,
    pub events: usize,
    pub intact: bool,
    pub broken_at_seq: Option<i32>,
    pub problem: Option<String>,
    pub problem_zh: Option<String>,
    pub problem_en: Option<String>,
    pub verified_in_ms: f64,
}

#[derive(Serialize, ToSchema)]
pub struct TipEventView {
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub role: String,
    pub event: String,
}

/// A tip as its platform sees it: never who sent it (Order 121 Art. 37).
#[derive(Serialize, ToSchema)]
pub struct TipView {
    pub tip_no: String,
    pub room_id: i64,
    pub target_kind: String,
    pub marketer_name: Option<String>,
    pub categories: Vec<String>,
    pub moments: Value,
    pub description: String,
    /// `REVIEWING`, `ACTION_TAKEN` or `NO_ACTION`.
    pub platform_status: String,
    pub platform_measure: Option<String>,
    pub platform_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<TipEventView>>,
}

#[derive(Serialize, ToSchema)]
pub struct TipList {
    pub data: Vec<TipView>,
    pub next_cursor: Option<String>,
}

/// The platform's answer to a tip (Order 117 Art. 12).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct TipAnswer {
    #[schema(pattern = "^(measure|no_action)$")]
    pub answer: String,
    /// With `measure` (Order 117 Art. 12).
    #[schema(
        pattern = "^(WARNING|FUNCTION_LIMIT|TRAFFIC_LIMIT|STREAM_SUSPENSION|TIMED_SUSPENSION|ACCOUNT_CLOSURE|REREGISTER_BAN|BLACKLIST)$"
    )]
    pub measure: Option<String>,
    /// Required with `no_action`.
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    /// The `webhook-id` header, the same on every attempt.
    pub webhook_id: String,
    pub event_type: String,
    pub subject: String,
    /// `PENDING`, `DELIVERED` or `FAILED`.
    pub status: String,
    pub attempts: i32,
    pub next_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub failing_since: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Only when registered or rotated: keep it to verify signatures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<Vec<DeliveryView>>,
}

#[derive(Serialize, ToSchema)]
pub struct EndpointList {
    pub data: Vec<Endpoint>,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct EndpointRequest {
    #[schema(
        example = "https://cs.example.com/redline/hooks",
        pattern = "^https://[a-z0-9.-]+(/[A-Za-z0-9._~/-]*)?$",
        max_length = 500
    )]
    pub url: String,
    /// Event types, or `*` for all.
    #[schema(example = json!(["case.created", "case.state_changed"]), min_items = 1)]
    pub events: Vec<EventTypeName>,
}

#[derive(Serialize, ToSchema)]
pub struct TestSent {
    pub webhook_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Deadline {
    pub start: NaiveDate,
    pub days: u32,
    pub calendar: String,
    pub due: NaiveDate,
    pub provisional: bool,
    pub explanation: Value,
    pub summary_zh: String,
    pub summary_en: String,
    pub basis: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionReported {
    pub session_id: i64,
    pub created: bool,
}

#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ProductBody {
    pub sku: String,
    pub name: String,
    pub displayed_price_fen: i64,
    pub reference_price_fen: Option<i64>,
    pub discount_basis: Option<String>,
    pub claims: Option<String>,
}

/// A live session and what it showed (Order 117 Art. 32).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct SessionBody {
    #[schema(example = "XH-8801")]
    pub room: String,
    /// Sending the same ID again updates the session.
    pub platform_session_id: Option<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub replay_ref: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductBody>,
    /// Your IDs of the marketers who appeared.
    #[serde(default)]
    pub marketers: Vec<String>,
}

/// The four parties in bulk (Order 117 Arts. 8–9, 25), each item keyed by your ID.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PartiesBody {
    pub mcns: Option<Vec<Value>>,
    pub operators: Option<Vec<Value>>,
    pub marketers: Option<Vec<Value>>,
    pub rooms: Option<Vec<Value>>,
}

#[derive(Serialize, ToSchema)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Serialize, ToSchema)]
pub struct PartiesOutcome {
    pub mcns: Counts,
    pub operators: Counts,
    pub marketers: Counts,
    pub rooms: Counts,
    /// Changes reported after the Order 117 Art. 15 period.
    pub late: usize,
}

/// A tier: `operator`, `platform`, `regulator` or `closed`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum TierName {
    Operator,
    Platform,
    Regulator,
    Closed,
}

/// A case state, as a query parameter's schema: the names of
/// `rules::case::CaseState`, so the contract cannot drift from the rules.
pub fn case_state_name() -> utoipa::openapi::Object {
    use redline_rules::case::CaseState;
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(CaseState::ALL.iter().map(|s| s.as_str())))
        .description(Some("A case state"))
        .build()
}

/// Files for a case (multipart): `files` (one or more), and optionally a note
/// and the stream clip they show (`hh:mm:ss`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceUpload {
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
    pub note: Option<String>,
    #[schema(example = "00:42:00")]
    pub clip_start: Option<String>,
    #[schema(example = "00:43:30")]
    pub clip_end: Option<String>,
}

/// A webhook event type, or `*` for all.
#[derive(ToSchema, Deserialize)]
#[allow(dead_code)]
pub enum EventTypeName {
    #[serde(rename = "case.created")]
    CaseCreated,
    #[serde(rename = "case.state_changed")]
    CaseStateChanged,
    #[serde(rename = "case.deadline_approaching")]
    CaseDeadlineApproaching,
    #[serde(rename = "case.overdue")]
    CaseOverdue,
    #[serde(rename = "case.escalated")]
    CaseEscalated,
    #[serde(rename = "preservation.requested")]
    PreservationRequested,
    #[serde(rename = "tip.received")]
    TipReceived,
    #[serde(rename = "webhook.test")]
    WebhookTest,
    #[serde(rename = "*")]
    All,
}
