//! What an organisation's administrators see of its integrations: API keys
//! (never the key itself, only its start) and webhook endpoints with their
//! latest deliveries and attempts.
use super::form::FormFlash;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct KeyView {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: bool,
    /// A rotated key still works until then.
    pub expires: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DeliveryView {
    pub id: i64,
    pub msg_id: String,
    pub event_type: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub created: String,
    pub next_at: String,
    /// The latest attempt: time, HTTP status or error, the start of the answer.
    pub last: Option<(String, String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub failing_since: Option<String>,
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OrgIntegrations {
    pub kind: String,
    pub id: i64,
    pub name: String,
    pub keys: Vec<KeyView>,
    pub endpoints: Vec<EndpointView>,
    /// The scopes a key of this organisation may hold.
    pub scopes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct IntegrationsPage {
    pub orgs: Vec<OrgIntegrations>,
    pub event_types: Vec<String>,
    pub flash: FormFlash,
    /// A key or signing secret issued just now, shown once.
    pub new_key: Option<String>,
    pub new_secret: Option<String>,
}
