//! Serializable read models shared by the server and the browser.
use crate::i18n::Lang;
use chrono::NaiveDate;
use redline_rules::case::{CaseState, Role};
use redline_rules::clock::{ClockKind, ClockStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

/// Who is looking and in which language.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct Ctx {
    pub me: Option<Me>,
    pub lang: Lang,
}

/// A page's data with its context; `data` is a localized error when refused.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Loaded<T> {
    pub ctx: Ctx,
    pub data: Result<T, String>,
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
    /// Running and paused clocks, nearest due first.
    pub clocks: Vec<ClockView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct QueuePage {
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
}

/// Values and localized errors of a form that failed validation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Default)]
pub struct FormFlash {
    pub values: HashMap<String, Vec<String>>,
    pub errors: HashMap<String, String>,
}

impl FormFlash {
    pub fn value(&self, k: &str) -> String {
        self.values.get(k).and_then(|v| v.first()).cloned().unwrap_or_default()
    }
    pub fn has(&self, k: &str, v: &str) -> bool {
        self.values.get(k).is_some_and(|vs| vs.iter().any(|x| x == v))
    }
    pub fn error(&self, k: &str) -> Option<String> {
        self.errors.get(k).cloned()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FilingForm {
    pub platforms: Vec<(i64, String)>,
    pub flash: FormFlash,
}

/// A platform's policy clock lengths (None = Redline's default).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PlatformPolicy {
    pub id: i64,
    pub name: String,
    pub d1: Option<u32>,
    pub d2: Option<u32>,
    pub d3: Option<u32>,
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
    pub flash: FormFlash,
}
