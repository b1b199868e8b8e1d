use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tips")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tip_no: String,
    pub receipt_hash: String,
    pub reporter_user_id: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    pub reporter_fingerprint: Option<String>,
    pub reporter_locale: String,
    pub platform_id: i64,
    pub live_room_id: i64,
    pub moments_json: String,
    pub description: String,
    pub categories_json: String,
    pub facts_key: String,
    pub cac_listed: bool,
    pub platform_status: String,
    pub platform_measure: Option<String>,
    pub platform_note: Option<String>,
    pub agency_id: Option<i64>,
    pub jurisdiction_json: String,
    pub regulator_status: String,
    pub d9_start_on: Option<Date>,
    pub d9_due_on: Option<Date>,
    pub d9_extended: bool,
    pub d9_extension_reason: Option<String>,
    pub d9_overdue: bool,
    pub d9_reminded_for: Option<Date>,
    /// Held for testing since (D9 does not count those days).
    pub d9_paused_at: Option<DateTimeUtc>,
    /// Days held so far, a started day counting whole.
    pub d9_paused_days: i32,
    /// D10 (Penalty Procedure Rules Art. 64): from the day a case was opened on the tip.
    pub d10_start_on: Option<Date>,
    pub d10_due_on: Option<Date>,
    pub d10_extended: bool,
    /// The recorded approval of the extension.
    pub d10_approval: Option<String>,
    pub d10_overdue: bool,
    /// Set once both branches are closed (`rules::retention::tip_until`).
    pub retain_until: Option<Date>,
    pub retain_rule: Option<String>,
    pub legal_hold: bool,
    pub legal_hold_reason: Option<String>,
    /// `rules::tip::Origin`: a report, or a violation found in mediation (D8).
    pub origin: String,
    pub decision: Option<String>,
    pub regulator_note: Option<String>,
    pub linked_tip_id: Option<i64>,
    pub linked_complaint_id: Option<i64>,
    pub chain_seq: i32,
    pub chain_head: Option<String>,
    /// The chain grew since the transparency log last recorded it.
    pub log_pending: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Whom the tip is about (rules' `RespondentKind`).
    pub target_kind: String,
    pub marketer_name: Option<String>,
    /// The MCN the tip is about, when the platform reported one of that name.
    pub mcn_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
