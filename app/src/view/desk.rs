//! The monitoring desk as the page and its CSV read it (`store::desk`).
use serde::{Deserialize, Serialize};

/// One line of a desk table: who, and the counts behind its figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskLine {
    pub id: i64,
    pub name: String,
    pub received: i64,
    pub to_platform: i64,
    pub to_regulator: i64,
    /// Open, held by the operator, the platform, market supervision.
    pub open: [i64; 3],
    pub closed: i64,
    pub resolved: i64,
    /// The watched clocks D1, D3, D5, D6: (ended, in time).
    pub kept: [(i64, i64); 4],
    pub median_days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskPage {
    /// A regulator's desk (its region) rather than a platform's (its rooms).
    pub regulator: bool,
    /// The work list a figure links to: "/regulator" or "/platform".
    pub queue: String,
    pub period: String,
    pub by: String,
    /// The narrowing: (id, name) of a platform and of an operator.
    pub platform: Option<(i64, String)>,
    pub operator: Option<(i64, String)>,
    /// The Monday the period starts (YYYY-MM-DD).
    pub since: String,
    pub computed_at: Option<String>,
    pub total: DeskLine,
    pub lines: Vec<DeskLine>,
    pub platforms: Vec<DeskLine>,
    /// Each week's Monday (MM-DD) and its cases by the furthest step they
    /// reached: the operator only, the platform, market supervision.
    pub weeks: Vec<(String, [i64; 3])>,
    /// Categories (label) and how many cases name them.
    pub categories: Vec<(String, i64)>,
}
