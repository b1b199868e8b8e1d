//! Typed reads of the columns that hold a rules enum. The columns store the
//! enum's wire string (written only through `as_str()`); reading one back goes
//! through these accessors, and a value the code does not know is an error
//! (`StoreError::Corrupt`), never a silent default.
use super::{case_event, clock, complaint, evidence, tip};
use crate::StoreError;
use redline_rules::case::{CaseContext, CaseState, OfferKind, Role};
use redline_rules::clock::{ClockKind, ClockStatus};
use redline_rules::evidence::EvidenceKind;
use redline_rules::intake::{Category, Demand};
use redline_rules::jurisdiction::RespondentKind;
use redline_rules::tip::{PlatformStatus, RegulatorStatus};
use std::str::FromStr;

/// Parses a stored wire string; `what` names the column for the error.
pub fn stored<T: FromStr>(what: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| StoreError::Corrupt(format!("{what} {value:?}")))
}

/// Parses a stored JSON column.
pub fn stored_json<T: serde::de::DeserializeOwned>(what: &str, value: &str) -> Result<T, StoreError> {
    serde_json::from_str(value).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

impl complaint::Model {
    pub fn case_state(&self) -> Result<CaseState, StoreError> {
        stored("complaints.state", &self.state)
    }
    pub fn offer(&self) -> Result<Option<OfferKind>, StoreError> {
        self.last_offer.as_deref().map(|o| stored("complaints.last_offer", o)).transpose()
    }
    pub fn categories(&self) -> Result<Vec<Category>, StoreError> {
        stored_json("complaints.categories_json", &self.categories_json)
    }
    pub fn demands(&self) -> Result<Vec<Demand>, StoreError> {
        stored_json("complaints.demands_json", &self.demands_json)
    }
    pub fn respondent(&self) -> Result<RespondentKind, StoreError> {
        stored("complaints.respondent_kind", &self.respondent_kind)
    }
    /// What the state machine's guards need of this case on `today`.
    pub fn context(&self, today: chrono::NaiveDate) -> Result<CaseContext, StoreError> {
        Ok(CaseContext {
            within_limitation: redline_rules::intake::within_limitation(self.harm_known_on, today),
            platform_decided: self.platform_decided,
            last_offer: self.offer()?,
            platform_answers: self.respondent()?.answered_by_platform(),
            escalated: self.agency_id.is_some(),
        })
    }
}

impl clock::Model {
    pub fn clock_kind(&self) -> Result<ClockKind, StoreError> {
        stored("clocks.kind", &self.kind)
    }
    pub fn clock_status(&self) -> Result<ClockStatus, StoreError> {
        stored("clocks.status", &self.status)
    }
}

impl case_event::Model {
    pub fn role(&self) -> Result<Role, StoreError> {
        stored("case_events.actor_role", &self.actor_role)
    }
    /// The states before and after (the same for events that are not transitions).
    pub fn states(&self) -> Result<(CaseState, CaseState), StoreError> {
        Ok((stored("case_events.from_state", &self.from_state)?, stored("case_events.to_state", &self.to_state)?))
    }
}

impl evidence::Model {
    pub fn evidence_kind(&self) -> Result<EvidenceKind, StoreError> {
        stored("evidence.kind", &self.kind)
    }
    pub fn uploader_role(&self) -> Result<Role, StoreError> {
        stored("evidence.uploaded_role", &self.uploaded_role)
    }
}

impl tip::Model {
    pub fn regulator(&self) -> Result<RegulatorStatus, StoreError> {
        stored("tips.regulator_status", &self.regulator_status)
    }
    pub fn platform(&self) -> Result<PlatformStatus, StoreError> {
        stored("tips.platform_status", &self.platform_status)
    }
}

/// States as a SQL list of literals, `'A', 'B'`, for the grouped reads of
/// `public` and `desk` (the names are the enum's own, never user input).
pub(crate) fn states_sql(states: impl IntoIterator<Item = CaseState>) -> String {
    states.into_iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

/// States as the stored names, for a filter's `IN`.
pub(crate) fn state_names(states: impl IntoIterator<Item = CaseState>) -> Vec<&'static str> {
    states.into_iter().map(|s| s.as_str()).collect()
}
