//! Mapping posted fields onto the rules' intake values. The rules check and
//! type every value (`TryFrom` of the submitted fields); each failure names its
//! field in Chinese and English, and callers keep the typed values.
use chrono::{DateTime, Utc};
use redline_rules::case::{CaseEvent, OfferKind, PauseReason, RefusalReason, TerminationReason};
use redline_rules::field::FieldErrors;
use redline_rules::intake::{ComplaintForm, NewComplaint};
use std::collections::HashMap;

pub mod parties;
pub mod stream;
pub mod tip;

/// A form post: field → all its values (checkbox groups repeat a name).
#[derive(Default, Debug, Clone)]
pub struct Fields(pub HashMap<String, Vec<String>>);

impl Fields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Fields {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_default().push(v);
        }
        Fields(m)
    }
    pub fn get(&self, k: &str) -> &str {
        self.0.get(k).and_then(|v| v.first()).map(|s| s.trim()).unwrap_or("")
    }
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.get(k).cloned().unwrap_or_default()
    }
    /// Every value of a repeated field (checkbox groups), borrowed.
    pub fn values(&self, k: &str) -> Vec<&str> {
        self.0.get(k).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default()
    }
}

/// Field problems, in form order: the shared vocabulary of `redline_rules::field`.
pub type Errors = FieldErrors;

pub use redline_rules::intake::moment::{parse_clock, parse_offset};

/// The complaint form (Order 121 Art. 10) → a complaint to file; the rules
/// check every value (`NewComplaint::try_from`), this only names the fields.
pub fn complaint(f: &Fields, now: DateTime<Utc>) -> Result<NewComplaint, Errors> {
    NewComplaint::try_from(ComplaintForm {
        platform: f.get("platform"),
        room: f.get("room"),
        moment_kind: f.get("moment_kind"),
        clock: f.get("clock"),
        offset: f.get("offset"),
        product: f.get("product"),
        product_id: f.get("product_id"),
        session: f.get("session"),
        moment_confirmed: f.get("moment_confirmed"),
        order_no: f.get("order_no"),
        ordered_on: f.get("ordered_on"),
        amount: f.get("amount"),
        categories: f.values("categories"),
        demands: f.values("demands"),
        narrative: f.get("narrative"),
        harm_known_on: f.get("harm_known_on"),
        respondent: f.get("respondent"),
        marketer_id: f.get("marketer_id"),
        marketer_name: f.get("marketer_name"),
        seller: f.get("seller"),
        now,
    })
}

/// The complainant's Order 121 Art. 10 details, asked at escalation.
pub fn complainant(f: &Fields) -> Result<redline_rules::intake::complainant::Complainant, Errors> {
    use redline_rules::intake::complainant::{Complainant, ComplainantForm};
    Complainant::try_from(ComplainantForm {
        name: f.get("complainant_name"),
        phone: f.get("complainant_phone"),
        address: f.get("complainant_address"),
        is_agent: f.get("complainant_agent") == "1",
        share_contact: f.get("share_contact") == "1",
    })
}

/// The free-text "message" of a staff or party form (up to 2000 characters).
pub fn message(f: &Fields, e: &mut Errors) -> String {
    let m = f.get("message").to_owned();
    if m.chars().count() > 2000 {
        e.add("message", "说明不能超过2000字", "The message is limited to 2000 characters");
    }
    m
}

/// An action form on the case page → the event and its payload.
pub fn action(f: &Fields) -> Result<(CaseEvent, serde_json::Value), Errors> {
    let mut e = Errors::default();
    let message = message(f, &mut e);
    let mut payload = serde_json::json!({});
    if !message.is_empty() {
        payload["message"] = message.clone().into();
    }
    let offer = || f.get("offer").parse::<OfferKind>().ok();
    let event = match f.get("event") {
        "OPERATOR_RESPOND" | "PLATFORM_DECIDE" => {
            let Some(o) = offer() else {
                e.add("offer", "请选择处理方案", "Choose an offer");
                return Err(e);
            };
            if o == OfferKind::Reject && message.is_empty() {
                e.add("message", "拒绝时必须说明理由", "A rejection needs a reason");
            }
            let remedy = f.get("remedy");
            if remedy.chars().count() > 500 {
                e.add("remedy", "补救措施不能超过500字", "The remedy is limited to 500 characters");
            }
            if !remedy.is_empty() {
                payload["remedy"] = remedy.into();
            }
            if f.get("event") == "OPERATOR_RESPOND" {
                CaseEvent::OperatorRespond { offer: o }
            } else {
                CaseEvent::PlatformDecide { offer: o, advance_compensation: f.get("advance_compensation") == "1" }
            }
        }
        "CONSUMER_ACCEPT" => CaseEvent::ConsumerAccept,
        "CONSUMER_REJECT" => CaseEvent::ConsumerReject,
        "PLATFORM_INTERVENE" => CaseEvent::PlatformIntervene,
        "CONFIRM_ESCALATION" => {
            if f.get("consent") != "1" {
                e.add("consent", "提交监管部门需要您的同意", "Escalation needs your consent");
            }
            payload["consent"] = true.into();
            CaseEvent::ConfirmEscalation
        }
        "DISPATCH" => match f.get("agency_id").parse::<i64>() {
            Ok(a) => {
                payload["agency_id"] = a.into();
                CaseEvent::Dispatch
            }
            Err(_) => {
                e.add("agency_id", "请选择监管部门", "Choose an agency");
                return Err(e);
            }
        },
        "REGULATOR_ACCEPT" => CaseEvent::RegulatorAccept,
        "REGULATOR_REFUSE" => match f.get("reason").parse::<RefusalReason>() {
            Ok(reason) => CaseEvent::RegulatorRefuse { reason },
            Err(_) => {
                e.add("reason", "请选择不予受理的理由", "Choose a reason");
                return Err(e);
            }
        },
        "START_MEDIATION" => CaseEvent::StartMediation,
        "PAUSE_MEDIATION" => match f.get("reason").parse::<PauseReason>() {
            Ok(reason) => {
                payload["reason"] = reason.as_str().into();
                CaseEvent::PauseMediation { reason }
            }
            Err(_) => {
                e.add("reason", "请选择原因", "Choose a reason");
                return Err(e);
            }
        },
        "RESUME_MEDIATION" => CaseEvent::ResumeMediation,
        "AGREE" => CaseEvent::Agree,
        "TERMINATE" => match f.get("reason").parse::<TerminationReason>() {
            Ok(reason) => CaseEvent::Terminate { reason },
            Err(_) => {
                e.add("reason", "请选择终止理由", "Choose a reason");
                return Err(e);
            }
        },
        "WITHDRAW" => CaseEvent::Withdraw,
        "CLOSE_TERMINATED" => CaseEvent::CloseTerminated,
        // After escalation, the agency records a withdrawal (Order 121 Art. 23(1)).
        "CLOSE_WITHDRAWN" => CaseEvent::CloseWithdrawn,
        // T9: a case closed for no feedback, taken on to market supervision.
        "REOPEN" => CaseEvent::Reopen,
        _ => {
            e.add("form", "未知操作", "Unknown action");
            return Err(e);
        }
    };
    if e.is_empty() {
        Ok((event, payload))
    } else {
        Err(e)
    }
}

/// Platform policy clock lengths: each blank (default) or within its range.
pub fn policy(f: &Fields) -> Result<redline_rules::clock::ClockPolicy, Errors> {
    use redline_rules::clock::ClockPolicy as P;
    let mut e = Errors::default();
    let mut days = |k: &'static str, (min, max): (u32, u32), zh: &'static str, en: &'static str| -> Option<u32> {
        let v = f.get(k);
        if v.is_empty() {
            return None;
        }
        match v.parse::<u32>() {
            Ok(d) if (min..=max).contains(&d) => Some(d),
            _ => {
                e.add(k, zh, en);
                None
            }
        }
    };
    let p = P {
        d1_working_days: days(
            "d1",
            P::D1_RANGE,
            "请填写1到10之间的整数，或留空采用默认值",
            "Give a whole number from 1 to 10, or leave blank",
        ),
        d2_natural_days: days(
            "d2",
            P::D2_RANGE,
            "请填写7到30之间的整数，或留空采用默认值",
            "Give a whole number from 7 to 30, or leave blank",
        ),
        d3_working_days: days(
            "d3",
            P::D3_RANGE,
            "请填写1到10之间的整数，或留空采用默认值",
            "Give a whole number from 1 to 10, or leave blank",
        ),
        d4_working_days: days(
            "d4",
            P::D4_RANGE,
            "请填写1到10之间的整数，或留空采用默认值",
            "Give a whole number from 1 to 10, or leave blank",
        ),
        preserve_margin_min: days(
            "margin",
            P::MARGIN_RANGE,
            "请填写5到60之间的整数（分钟），或留空采用默认值",
            "Give a whole number of minutes from 5 to 60, or leave blank",
        ),
    };
    if e.is_empty() {
        Ok(p)
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_needs_a_reason() {
        let f =
            Fields::from_pairs(vec![("event".into(), "OPERATOR_RESPOND".into()), ("offer".into(), "REJECT".into())]);
        let e = action(&f).unwrap_err();
        assert_eq!(e.0[0].field, "message");
    }

    #[test]
    fn complaint_fields_are_named_for_the_rules() {
        let f = Fields::from_pairs(vec![("platform".into(), "x".into()), ("offset".into(), "99:99".into())]);
        let e = complaint(&f, Utc::now()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_ref()).collect();
        assert_eq!(
            fields,
            ["platform", "room", "moment", "product", "categories", "demands", "narrative", "harm_known_on"]
        );
    }
}
