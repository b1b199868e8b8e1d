//! Who is acting: a signed-in user with the organisations they belong to.
use redline_rules::case::Role;
use serde::{Deserialize, Serialize};

/// Organisation kinds a membership can point at.
pub const ORG_OPERATOR: &str = "operator";
pub const ORG_PLATFORM: &str = "platform";
pub const ORG_AGENCY: &str = "agency";

/// Membership roles: an organisation's administrator manages its staff.
pub const ROLE_ADMIN: &str = "ADMIN";
pub const ROLE_STAFF: &str = "STAFF";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Actor {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_admin: bool,
    pub operator_ids: Vec<i64>,
    pub platform_ids: Vec<i64>,
    pub agency_ids: Vec<i64>,
    /// The organisations (kind, id) whose staff this person manages.
    #[serde(default)]
    pub manages: Vec<(String, i64)>,
}

impl Actor {
    /// Staff of any organisation; everyone else acts as a consumer.
    pub fn is_staff(&self) -> bool {
        !(self.operator_ids.is_empty() && self.platform_ids.is_empty() && self.agency_ids.is_empty())
    }
    /// Whether this person may invite to, and manage the staff of, an organisation.
    pub fn may_manage(&self, kind: &str, org_id: i64) -> bool {
        self.is_admin || self.manages.iter().any(|(k, id)| k == kind && *id == org_id)
    }
    /// The roles this person holds, consumer first.
    pub fn roles(&self) -> Vec<Role> {
        let mut r = vec![Role::Consumer];
        if !self.operator_ids.is_empty() {
            r.push(Role::Operator);
        }
        if !self.platform_ids.is_empty() {
            r.push(Role::Platform);
        }
        if !self.agency_ids.is_empty() {
            r.push(Role::Regulator);
        }
        if self.is_admin {
            r.push(Role::Admin);
        }
        r
    }
}
