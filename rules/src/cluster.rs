//! Complaints bunching in time about one live room, one product on sale in a
//! room, or one marketer across rooms: the platform's monitoring of complaints
//! (Order 117 Art. 20) and the agency's, raised once per cluster. A cluster
//! opens when its subject draws `count` complaints (`product_count` for a
//! product) within `window_hours`; while its alert is open or acknowledged,
//! later complaints about the subject join it; once closed, the next bunch
//! opens a new one.

use serde::{Deserialize, Serialize};

/// When complaints make a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterPolicy {
    /// About one room, or one marketer.
    pub count: u32,
    /// About one product: fewer, as they name the same claim.
    pub product_count: u32,
    pub window_hours: u32,
}

impl Default for ClusterPolicy {
    /// Five complaints in a day about a room or a marketer, three about a product.
    fn default() -> Self {
        ClusterPolicy { count: 5, product_count: 3, window_hours: 24 }
    }
}

/// What a cluster gathers around.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    Room,
    /// A product picked from a session's list (the claim made about it).
    Product,
    /// A marketer picked from the platform's report, in whichever room.
    Marketer,
}
str_enum!(Subject { Room => "ROOM", Product => "PRODUCT", Marketer => "MARKETER" });

impl Subject {
    pub fn label_zh(self) -> &'static str {
        match self {
            Subject::Room => "直播间",
            Subject::Product => "商品",
            Subject::Marketer => "主播",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Subject::Room => "room",
            Subject::Product => "product",
            Subject::Marketer => "marketer",
        }
    }
}

impl ClusterPolicy {
    /// Complaints within the window that make a cluster about `s`.
    pub fn count_for(&self, s: Subject) -> u32 {
        match s {
            Subject::Room | Subject::Marketer => self.count,
            Subject::Product => self.product_count,
        }
    }
}

/// An alert's state: open, acknowledged with a note, closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AlertState {
    Open,
    Acknowledged,
    Closed,
}
str_enum!(AlertState { Open => "OPEN", Acknowledged => "ACKNOWLEDGED", Closed => "CLOSED" });

impl AlertState {
    pub fn label_zh(self) -> &'static str {
        match self {
            AlertState::Open => "待处理",
            AlertState::Acknowledged => "已知悉",
            AlertState::Closed => "已关闭",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Acknowledged => "acknowledged",
            AlertState::Closed => "closed",
        }
    }
}

/// What a new complaint about a room does to its alerts, given the room's
/// complaints within the window (this one included) and whether an alert of
/// the room is still open or acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnComplaint {
    /// Below the threshold and no alert open: nothing.
    Nothing,
    /// The threshold is reached: open an alert with the window's complaints.
    Raise,
    /// An alert is open or acknowledged: the complaint joins it.
    Join,
}

pub fn on_complaint(policy: &ClusterPolicy, subject: Subject, in_window: u64, alert_open: bool) -> OnComplaint {
    if alert_open {
        OnComplaint::Join
    } else if in_window >= u64::from(policy.count_for(subject)) {
        OnComplaint::Raise
    } else {
        OnComplaint::Nothing
    }
}

/// The next state of an alert, or None when the step does not apply.
pub fn step(from: AlertState, to: AlertState) -> Option<AlertState> {
    use AlertState::*;
    match (from, to) {
        (Open, Acknowledged) | (Open, Closed) | (Acknowledged, Closed) => Some(to),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order117_art20_five_complaints_in_a_day_raise_one_alert_and_later_ones_join_it() {
        let p = ClusterPolicy::default();
        for s in [Subject::Room, Subject::Marketer] {
            assert_eq!(on_complaint(&p, s, 4, false), OnComplaint::Nothing);
            assert_eq!(on_complaint(&p, s, 5, false), OnComplaint::Raise);
            assert_eq!(on_complaint(&p, s, 6, true), OnComplaint::Join, "once per cluster");
            assert_eq!(on_complaint(&p, s, 1, true), OnComplaint::Join);
        }
    }

    #[test]
    fn order117_art20_three_complaints_about_one_product_raise_an_alert() {
        let p = ClusterPolicy::default();
        assert_eq!(on_complaint(&p, Subject::Product, 2, false), OnComplaint::Nothing);
        assert_eq!(on_complaint(&p, Subject::Product, 3, false), OnComplaint::Raise);
        assert_eq!("PRODUCT".parse::<Subject>().ok(), Some(Subject::Product));
    }

    #[test]
    fn an_alert_is_acknowledged_then_closed_never_reopened() {
        use AlertState::*;
        assert_eq!(step(Open, Acknowledged), Some(Acknowledged));
        assert_eq!(step(Acknowledged, Closed), Some(Closed));
        assert_eq!(step(Open, Closed), Some(Closed));
        assert_eq!(step(Closed, Open), None);
        assert_eq!(step(Closed, Acknowledged), None);
        assert_eq!(step(Acknowledged, Acknowledged), None);
    }
}
