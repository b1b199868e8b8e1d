//! The monitoring desk as the page and its CSV read it (`store::desk`).
use serde::{Deserialize, Serialize};

/// One line of a desk table (`rules::desk::Line`).
pub type DeskLine = redline_rules::desk::Line;

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
    /// T7: per party (handler code), average stars for attitude, speed and
    /// outcome, and how many cases rated it.
    pub ratings: Vec<(String, [Option<f64>; 3], i64)>,
}
