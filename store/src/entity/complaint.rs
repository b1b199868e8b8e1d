use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_no: String,
    pub consumer_id: i64,
    pub platform_id: i64,
    pub live_room_id: i64,
    pub stream_session_id: Option<i64>,
    pub stream_offset_s: Option<i64>,
    pub stream_clock_at: Option<DateTimeUtc>,
    pub product_name: String,
    pub order_no: Option<String>,
    /// The day of the order, when the consumer gave it (Order 117 Art. 16 retention).
    pub ordered_on: Option<Date>,
    pub amount_fen: i64,
    pub categories_json: String,
    pub demands_json: String,
    pub narrative: String,
    pub harm_known_on: Date,
    pub state: String,
    pub platform_decided: bool,
    pub last_offer: Option<String>,
    pub operator_untimely: bool,
    pub platform_untimely: bool,
    pub agency_id: Option<i64>,
    pub jurisdiction_json: String,
    pub next_due_on: Date,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The product picked from the session's list, if any (Order 117 Art. 32).
    pub product_id: Option<i64>,
    /// The platform missed the D4 replay preservation clock (Order 117 Art. 16).
    pub preservation_overdue: bool,
    /// A records request went unanswered past its D4R clock (Order 117 Art. 18).
    pub records_overdue: bool,
    /// T24: marked as suspected fraud by the platform or the agency (Order 121 Arts. 23(6), 42).
    pub fraud_suspected: bool,
    pub fraud_reason: Option<String>,
    /// Set at closure (`rules::retention::case_file_until`); cleared on reopening.
    pub retain_until: Option<Date>,
    pub legal_hold: bool,
    pub legal_hold_reason: Option<String>,
    /// Sequence number and hash of the newest event (the chain's head).
    pub chain_seq: i32,
    pub chain_head: Option<String>,
    /// The chain grew since the transparency log last recorded it.
    pub log_pending: bool,
    /// The room's operator when the case was filed: the operator's queue.
    pub operator_id: i64,
    /// Who answers (rules' `RespondentKind`): the operator, or the platform itself.
    pub respondent_kind: String,
    /// The marketer who made the claim, picked from the platform's report or typed.
    pub marketer_id: Option<i64>,
    pub marketer_name: Option<String>,
    /// The actual seller, when it is not the operator (Order 117 Art. 26).
    pub seller_name: Option<String>,
    /// An MCN named in the complaint (a secondary respondent).
    pub mcn_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
