//! Parsing form posts into domain inputs. Each failure names its field and says
//! what is wrong in Chinese and English; callers keep the typed values.
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use redline_rules::case::{CaseEvent, OfferKind, PauseReason, RefusalReason, TerminationReason};
use redline_rules::intake::{Category, Demand};
use redline_rules::money::Fen;
use redline_store::case::filing::{Moment, NewComplaint};
use std::collections::HashMap;

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
}

/// Field errors: field → (zh, en).
#[derive(Default, Debug)]
pub struct Errors(pub Vec<(&'static str, &'static str, &'static str)>);

impl Errors {
    pub fn add(&mut self, field: &'static str, zh: &'static str, en: &'static str) {
        self.0.push((field, zh, en));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn localized(&self, zh: bool) -> HashMap<String, String> {
        self.0.iter().map(|(f, z, e)| (f.to_string(), if zh { z } else { e }.to_string())).collect()
    }

    /// As [`Errors::localized`], plus the first error (in form order) as the
    /// form-level message, for forms whose fields have no place of their own.
    pub fn localized_with_summary(&self, zh: bool) -> HashMap<String, String> {
        let mut m = self.localized(zh);
        if let Some((_, z, e)) = self.0.first() {
            m.entry("form".into()).or_insert_with(|| if zh { z } else { e }.to_string());
        }
        m
    }
}

/// "hh:mm:ss" or "mm:ss" → seconds from stream start.
pub fn parse_offset(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    let nums: Option<Vec<i64>> = parts.iter().map(|p| p.parse::<i64>().ok().filter(|n| *n >= 0)).collect();
    let nums = nums?;
    let (h, m, sec) = match nums.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    (m < 60 && sec < 60 && h < 48).then_some(h * 3600 + m * 60 + sec)
}

/// A `datetime-local` value read as Beijing time.
pub fn parse_clock(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    chrono_tz::Asia::Shanghai.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

/// The complaint form (domain.md §6.3) → a complaint to file.
pub fn complaint(f: &Fields, now: DateTime<Utc>) -> Result<NewComplaint, Errors> {
    let mut e = Errors::default();
    let platform_id = f.get("platform").parse::<i64>().ok();
    if platform_id.is_none() {
        e.add("platform", "请选择平台", "Choose a platform");
    }
    let room = f.get("room").to_owned();
    if room.is_empty() || room.chars().count() > 300 {
        e.add("room", "请填写直播间ID或链接", "Give the live room's ID or URL");
    }
    let moment = if f.get("moment_kind") == "clock" {
        match parse_clock(f.get("clock")) {
            Some(t) if chrono::Datelike::year(&t) < 2000 => {
                e.add("moment", "直播时刻不能早于2000年", "The moment cannot be before 2000");
                None
            }
            Some(t) if t <= now + chrono::Duration::minutes(5) => Some(Moment::Clock(t)),
            Some(_) => {
                e.add("moment", "直播时刻不能晚于现在", "The moment cannot be in the future");
                None
            }
            None => {
                e.add(
                    "moment",
                    "请填写直播的北京时间，如 2026-11-20 20:15",
                    "Give the clock time, e.g. 2026-11-20 20:15",
                );
                None
            }
        }
    } else {
        match parse_offset(f.get("offset")) {
            Some(s) => Some(Moment::Offset(s)),
            None => {
                e.add(
                    "moment",
                    "请按 时:分:秒 填写直播开始后的时长，如 00:42:10",
                    "Give the offset as hh:mm:ss, e.g. 00:42:10",
                );
                None
            }
        }
    };
    let product = f.get("product").to_owned();
    let product_id = f.get("product_id").parse::<i64>().ok();
    let session_id = f.get("session").parse::<i64>().ok();
    if (product.is_empty() && product_id.is_none()) || product.chars().count() > 200 {
        e.add("product", "请填写商品名称（200字以内）", "Give the product name (up to 200 characters)");
    }
    let order_no = Some(f.get("order_no").to_owned()).filter(|s| !s.is_empty());
    if order_no
        .as_deref()
        .is_some_and(|o| o.len() > 64 || !o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        e.add(
            "order_no",
            "订单号只能包含字母、数字、- 和 _（64位以内）",
            "Order numbers use letters, digits, - and _ (up to 64)",
        );
    }
    let amount = if f.get("amount").is_empty() {
        Some(Fen(0))
    } else {
        match Fen::parse_yuan(f.get("amount")) {
            Ok(a) => Some(a),
            Err(_) => {
                e.add("amount", "金额格式不正确，如 199 或 199.50", "Amount must look like 199 or 199.50");
                None
            }
        }
    };
    let categories: Vec<String> = f.all("categories").into_iter().filter(|c| c.parse::<Category>().is_ok()).collect();
    if categories.is_empty() {
        e.add("categories", "请至少选择一个违法行为类别", "Choose at least one category");
    }
    let demands: Vec<String> = f.all("demands").into_iter().filter(|c| c.parse::<Demand>().is_ok()).collect();
    if demands.is_empty() {
        e.add("demands", "请至少选择一项投诉要求", "Choose at least one demand");
    }
    let narrative = f.get("narrative").to_owned();
    let n = narrative.chars().count();
    if !(10..=5000).contains(&n) {
        e.add("narrative", "请用10到5000字描述事实经过", "Describe what happened in 10 to 5000 characters");
    }
    let today = redline_store::time::china_date(now);
    let harm = NaiveDate::parse_from_str(f.get("harm_known_on"), "%Y-%m-%d").ok();
    match harm {
        None => e.add("harm_known_on", "请填写日期", "Give the date"),
        Some(d) if chrono::Datelike::year(&d) < 1990 => {
            e.add("harm_known_on", "日期不能早于1990年", "The date cannot be before 1990")
        }
        Some(d) if d > today => e.add("harm_known_on", "日期不能晚于今天", "The date cannot be in the future"),
        _ => {}
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(NewComplaint {
        platform_id: platform_id.unwrap(),
        room,
        moment: moment.unwrap(),
        product_name: product,
        order_no,
        amount_fen: amount.unwrap().0,
        categories,
        demands,
        narrative,
        harm_known_on: harm.unwrap(),
        session_id,
        product_id,
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
    fn offsets_parse_hours_minutes_seconds() {
        assert_eq!(parse_offset("00:42:10"), Some(2530));
        assert_eq!(parse_offset("42:10"), Some(2530));
        assert_eq!(parse_offset("1:00:00"), Some(3600));
        assert_eq!(parse_offset("00:61:00"), None);
        assert_eq!(parse_offset("abc"), None);
        assert_eq!(parse_offset(""), None);
    }

    #[test]
    fn clock_time_is_beijing_time() {
        let t = parse_clock("2026-11-20T20:15").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T12:15:00+00:00");
    }

    #[test]
    fn reject_needs_a_reason() {
        let f =
            Fields::from_pairs(vec![("event".into(), "OPERATOR_RESPOND".into()), ("offer".into(), "REJECT".into())]);
        let e = action(&f).unwrap_err();
        assert_eq!(e.0[0].0, "message");
    }

    #[test]
    fn complaint_errors_name_every_bad_field() {
        let f = Fields::from_pairs(vec![("platform".into(), "x".into()), ("offset".into(), "99:99".into())]);
        let e = complaint(&f, Utc::now()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| x.0).collect();
        for k in ["platform", "room", "moment", "product", "categories", "demands", "narrative", "harm_known_on"] {
            assert!(fields.contains(&k), "{k} missing in {fields:?}");
        }
    }
}
