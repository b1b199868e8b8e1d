//! The complaint form (Order 121 Art. 10: who complains, about whom, what is
//! asked and the facts) parsed once, at the edge, into typed values. The store
//! receives a [`NewComplaint`] and never re-checks strings.
use super::moment::{beijing_date, parse_clock, parse_offset, Moment};
use super::{Category, Demand};
use crate::field::{FieldError, FieldErrors};
use crate::jurisdiction::RespondentKind;
use crate::money::Fen;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A live room as the consumer names it: its ID on the platform or its URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoomRef(String);

impl RoomRef {
    pub fn parse(s: &str) -> Result<RoomRef, FieldError> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > 300 {
            return Err(FieldError::new("room", "请填写直播间号或链接", "Give the live room's ID or URL"));
        }
        Ok(RoomRef(s.to_owned()))
    }
    /// A room Redline already holds (its stored platform ID): not re-checked.
    pub fn known(platform_room_id: &str) -> RoomRef {
        RoomRef(platform_room_id.to_owned())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An order number: letters, digits, `-` and `_`, up to 64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderNo(String);

impl OrderNo {
    /// Blank is no order number (allowed, with an intake warning).
    pub fn parse(s: &str) -> Result<Option<OrderNo>, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(FieldError::new(
                "order_no",
                "订单号只能包含字母、数字、- 和 _（64位以内）",
                "Order numbers use letters, digits, - and _ (up to 64)",
            ));
        }
        Ok(Some(OrderNo(s.to_owned())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What happened, in the consumer's words: 10 to 5000 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Narrative(String);

impl Narrative {
    pub fn parse(s: &str) -> Result<Narrative, FieldError> {
        let s = s.trim();
        if !(10..=5000).contains(&s.chars().count()) {
            return Err(FieldError::new(
                "narrative",
                "请用10到5000字描述事实经过",
                "Describe what happened in 10 to 5000 characters",
            ));
        }
        Ok(Narrative(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A complaint as filed: every value checked and typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewComplaint {
    pub platform_id: i64,
    pub room: RoomRef,
    pub moment: Moment,
    /// Blank when a product was picked from the session's list.
    pub product_name: String,
    pub order_no: Option<OrderNo>,
    /// The day of the order, when given: with the stream's end it dates the
    /// transaction that retention counts from (Order 117 Art. 16).
    pub ordered_on: Option<NaiveDate>,
    pub amount: Fen,
    pub categories: Vec<Category>,
    pub demands: Vec<Demand>,
    pub narrative: Narrative,
    pub harm_known_on: NaiveDate,
    /// The session the consumer picked (from the room's page), if any.
    pub session_id: Option<i64>,
    /// The consumer confirmed a clock time that no reported session of the
    /// room covers (the form warned once; Order 117 Art. 16).
    pub moment_confirmed: bool,
    /// The product picked from that session's list, if any.
    pub product_id: Option<i64>,
    /// Who the complaint is against (Order 121 Art. 10: the respondent).
    pub respondent: RespondentKind,
    /// The marketer who made the claim, if the consumer names one.
    pub marketer: Option<MarketerRef>,
    /// The actual seller, when it is not the operator (Order 117 Art. 26).
    pub seller_name: Option<String>,
}

/// A marketer as the consumer names them: picked from those the platform
/// reported for the session, or typed as a stage name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarketerRef {
    Reported(i64),
    Named(String),
}

impl NewComplaint {
    /// Order 121 Art. 9: a demand to punish the violation is also a tip.
    pub fn asks_for_punishment(&self) -> bool {
        self.demands.contains(&Demand::Punish)
    }
}

/// The complaint form as submitted: field values as typed, and "now".
#[derive(Clone, Debug, Default)]
pub struct ComplaintForm<'a> {
    pub platform: &'a str,
    pub room: &'a str,
    /// "clock" or "offset".
    pub moment_kind: &'a str,
    pub clock: &'a str,
    pub offset: &'a str,
    pub product: &'a str,
    pub product_id: &'a str,
    pub session: &'a str,
    /// The clock time the consumer confirmed outside every known session (as
    /// typed): a confirmation holds for that time only, not one edited later.
    pub moment_confirmed: &'a str,
    pub order_no: &'a str,
    /// Optional, `YYYY-MM-DD`.
    pub ordered_on: &'a str,
    pub amount: &'a str,
    pub categories: Vec<&'a str>,
    pub demands: Vec<&'a str>,
    pub narrative: &'a str,
    pub harm_known_on: &'a str,
    /// "" or OPERATOR (the room's operator), PLATFORM, MARKETER or MCN.
    pub respondent: &'a str,
    pub marketer_id: &'a str,
    pub marketer_name: &'a str,
    pub seller: &'a str,
    pub now: DateTime<Utc>,
}

fn respondent(f: &ComplaintForm<'_>) -> Result<(RespondentKind, Option<MarketerRef>), FieldError> {
    let marketer = match (f.marketer_id.trim().parse::<i64>().ok(), f.marketer_name.trim()) {
        (Some(id), _) => Some(MarketerRef::Reported(id)),
        (None, "") => None,
        (None, n) if n.chars().count() <= 60 => Some(MarketerRef::Named(n.to_owned())),
        (None, _) => {
            return Err(FieldError::new("marketer_name", "主播名称不超过60字", "A stage name has up to 60 characters"))
        }
    };
    let kind = match f.respondent.trim() {
        "" | "OPERATOR" => RespondentKind::InPlatformOperator,
        "PLATFORM" => RespondentKind::PlatformItself,
        "MARKETER" => RespondentKind::Marketer,
        "MCN" => RespondentKind::Mcn,
        _ => return Err(FieldError::new("respondent", "请选择投诉对象", "Choose whom the complaint is against")),
    };
    // Naming the respondent needs its name; an MCN is known through a reported marketer.
    match (kind, &marketer) {
        (RespondentKind::Marketer, None) => Err(FieldError::new(
            "marketer_name",
            "投诉主播时，请选择或填写主播",
            "To complain about a marketer, pick or type the marketer",
        )),
        (RespondentKind::Mcn, Some(MarketerRef::Reported(_))) => Ok((kind, marketer)),
        (RespondentKind::Mcn, _) => Err(FieldError::new(
            "marketer_id",
            "投诉机构时，请从本场主播中选择其签约主播",
            "To complain about an MCN, pick its marketer from this session's marketers",
        )),
        _ => Ok((kind, marketer)),
    }
}

impl TryFrom<ComplaintForm<'_>> for NewComplaint {
    type Error = FieldErrors;

    /// Every bad field is reported, not just the first.
    fn try_from(f: ComplaintForm<'_>) -> Result<NewComplaint, FieldErrors> {
        let mut e = FieldErrors::default();
        let platform_id = e.keep(
            f.platform
                .trim()
                .parse::<i64>()
                .map_err(|_| FieldError::new("platform", "请选择平台", "Choose a platform")),
        );
        let room = e.keep(RoomRef::parse(f.room));
        let moment = e.keep(moment(&f));
        let product_id = f.product_id.trim().parse::<i64>().ok();
        let product_name = f.product.trim().to_owned();
        let product_ok = (!product_name.is_empty() || product_id.is_some()) && product_name.chars().count() <= 200;
        if !product_ok {
            e.add("product", "请填写商品名称（200字以内）", "Give the product name (up to 200 characters)");
        }
        let order_no = e.keep(OrderNo::parse(f.order_no));
        let amount = e.keep(if f.amount.trim().is_empty() {
            Ok(Fen(0))
        } else {
            Fen::parse_yuan(f.amount).map_err(|_| {
                FieldError::new("amount", "金额格式不正确，如 199 或 199.50", "Amount must look like 199 or 199.50")
            })
        });
        let categories: Vec<Category> = f.categories.iter().filter_map(|c| c.parse().ok()).collect();
        if categories.is_empty() {
            e.add("categories", "请至少选择一个违法行为类别", "Choose at least one category");
        }
        let demands: Vec<Demand> = f.demands.iter().filter_map(|c| c.parse().ok()).collect();
        if demands.is_empty() {
            e.add("demands", "请至少选择一项投诉要求", "Choose at least one demand");
        }
        let narrative = e.keep(Narrative::parse(f.narrative));
        let harm_known_on = e.keep(harm_date(f.harm_known_on, beijing_date(f.now)));
        let ordered_on = e.keep(match f.ordered_on.trim() {
            "" => Ok(None),
            d => past_date("ordered_on", d, beijing_date(f.now)).map(Some),
        });
        let who = e.keep(respondent(&f));
        let seller = f.seller.trim();
        if seller.chars().count() > 100 {
            e.add("seller", "实际销售者名称不超过100字", "The seller's name has up to 100 characters");
        }
        match (platform_id, room, moment, order_no, amount, narrative, harm_known_on, ordered_on) {
            (
                Some(platform_id),
                Some(room),
                Some(moment),
                Some(order_no),
                Some(amount),
                Some(narrative),
                Some(harm),
                Some(ordered_on),
            ) if e.is_empty() => Ok(NewComplaint {
                platform_id,
                room,
                moment,
                product_name,
                order_no,
                ordered_on,
                amount,
                categories,
                demands,
                narrative,
                harm_known_on: harm,
                session_id: f.session.trim().parse::<i64>().ok(),
                moment_confirmed: f.moment_kind == "clock"
                    && !f.clock.trim().is_empty()
                    && f.moment_confirmed.trim() == f.clock.trim(),
                product_id,
                respondent: who.as_ref().map_or(RespondentKind::InPlatformOperator, |w| w.0),
                marketer: who.and_then(|w| w.1),
                seller_name: (!seller.is_empty()).then(|| seller.to_owned()),
            }),
            _ => Err(e),
        }
    }
}

fn moment(f: &ComplaintForm<'_>) -> Result<Moment, FieldError> {
    let err = |zh, en| Err(FieldError::new("moment", zh, en));
    if f.moment_kind == "clock" {
        match parse_clock(f.clock) {
            // The year as typed, in Beijing (its midnight is 16:00 UTC the day before).
            Some(t) if beijing_date(t).year() < 2000 => {
                err("直播时刻不能早于2000年", "The moment cannot be before 2000")
            }
            // A few minutes of clock skew between the consumer and us is not "the future".
            Some(t) if t <= f.now + Duration::minutes(5) => Ok(Moment::Clock(t)),
            Some(_) => err("直播时刻不能晚于现在", "The moment cannot be in the future"),
            None => err("请填写直播的北京时间，如 2026-11-20 20:15", "Give the clock time, e.g. 2026-11-20 20:15"),
        }
    } else {
        match parse_offset(f.offset) {
            // Order 117 Art. 16: the replay to preserve is found by its session;
            // a time from "the start" of no known session points at nothing.
            Some(_) if f.session.trim().parse::<i64>().is_err() => err(
                "只填写开播后的时长时，须先选择那一场直播；未选择场次请填写北京时间",
                "A time from the start needs the session: pick it first, or give the clock time",
            ),
            Some(s) => Ok(Moment::Offset(s)),
            None => {
                err("请按 时:分:秒 填写直播开始后的时长，如 00:42:10", "Give the offset as hh:mm:ss, e.g. 00:42:10")
            }
        }
    }
}

/// The day the consumer learned of the harm (Order 121 Art. 16(4) counts three years from it).
fn harm_date(s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    past_date("harm_known_on", s, today)
}

/// A day in the past (or today), since 1990.
fn past_date(field: &'static str, s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let err = |zh, en| Err(FieldError::new(field, zh, en));
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Err(_) => err("请填写日期", "Give the date"),
        Ok(d) if d.year() < 1990 => err("日期不能早于1990年", "The date cannot be before 1990"),
        Ok(d) if d > today => err("日期不能晚于今天", "The date cannot be in the future"),
        Ok(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        parse_clock("2026-11-20T21:00").unwrap()
    }

    fn good() -> ComplaintForm<'static> {
        ComplaintForm {
            platform: "1",
            room: "https://live.example/r/1",
            moment_kind: "offset",
            offset: "00:42:10",
            session: "7",
            product: "胶原蛋白饮品",
            amount: "199.50",
            categories: vec!["FALSE_ADVERTISING", "NOT_A_CATEGORY"],
            demands: vec!["REFUND", "PUNISH"],
            narrative: "主播称三天美白，实际无效。",
            harm_known_on: "2026-11-20",
            now: now(),
            ..Default::default()
        }
    }

    fn refused(f: ComplaintForm<'_>) -> Vec<String> {
        NewComplaint::try_from(f).unwrap_err().0.into_iter().map(|e| e.field.into_owned()).collect()
    }

    #[test]
    fn order117_art16_the_order_date_is_optional_and_never_in_the_future() {
        assert_eq!(NewComplaint::try_from(good()).unwrap().ordered_on, None);
        let given = NewComplaint::try_from(ComplaintForm { ordered_on: "2026-11-19", ..good() }).unwrap();
        assert_eq!(given.ordered_on, NaiveDate::from_ymd_opt(2026, 11, 19));
        for bad in ["2026-11-21", "19.11.2026"] {
            let e = NewComplaint::try_from(ComplaintForm { ordered_on: bad, ..good() }).unwrap_err();
            assert_eq!(e.0.iter().map(|f| f.field.as_ref()).collect::<Vec<&str>>(), ["ordered_on"], "{bad}");
        }
    }

    #[test]
    fn order121_art10_the_respondent_is_the_operator_unless_the_consumer_names_another() {
        let c = NewComplaint::try_from(good()).unwrap();
        assert_eq!((c.respondent, c.marketer, c.seller_name), (RespondentKind::InPlatformOperator, None, None));
        let c =
            NewComplaint::try_from(ComplaintForm { respondent: "PLATFORM", seller: " 某某贸易公司 ", ..good() })
                .unwrap();
        assert_eq!((c.respondent, c.seller_name.as_deref()), (RespondentKind::PlatformItself, Some("某某贸易公司")));
        let c =
            NewComplaint::try_from(ComplaintForm { respondent: "MARKETER", marketer_name: "小新", ..good() }).unwrap();
        assert_eq!(c.marketer, Some(MarketerRef::Named("小新".into())));
        let c = NewComplaint::try_from(ComplaintForm { marketer_id: "7", marketer_name: "ignored", ..good() }).unwrap();
        assert_eq!((c.respondent, c.marketer), (RespondentKind::InPlatformOperator, Some(MarketerRef::Reported(7))));
    }

    #[test]
    fn order117_art63_naming_a_marketer_or_mcn_needs_the_marketer() {
        assert_eq!(refused(ComplaintForm { respondent: "MARKETER", ..good() }), vec!["marketer_name"]);
        assert_eq!(refused(ComplaintForm { respondent: "MCN", marketer_name: "小新", ..good() }), vec!["marketer_id"]);
        let c = NewComplaint::try_from(ComplaintForm { respondent: "MCN", marketer_id: "7", ..good() }).unwrap();
        assert_eq!(c.respondent, RespondentKind::Mcn);
        assert_eq!(refused(ComplaintForm { respondent: "POLICE", ..good() }), vec!["respondent"]);
    }

    #[test]
    fn order121_art10_a_complete_form_becomes_typed_values() {
        let c = NewComplaint::try_from(good()).unwrap();
        assert_eq!(c.amount, Fen(19950));
        assert_eq!(c.categories, vec![Category::FalseAdvertising]);
        assert_eq!(c.moment, Moment::Offset(2530));
        assert_eq!(c.harm_known_on, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert!(c.asks_for_punishment(), "Order 121 Art. 9");
        assert_eq!(c.order_no, None);
    }

    #[test]
    fn complaint_errors_name_every_bad_field() {
        let f = ComplaintForm { platform: "x", offset: "99:99", now: now(), ..Default::default() };
        let e = NewComplaint::try_from(f).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_ref()).collect();
        assert_eq!(
            fields,
            ["platform", "room", "moment", "product", "categories", "demands", "narrative", "harm_known_on"]
        );
    }

    #[test]
    fn order117_art16_a_time_from_the_start_needs_the_session_a_clock_time_does_not() {
        assert_eq!(refused(ComplaintForm { session: "", ..good() }), vec!["moment"]);
        assert_eq!(refused(ComplaintForm { session: "x", ..good() }), vec!["moment"]);
        let clock = NewComplaint::try_from(ComplaintForm {
            session: "",
            moment_kind: "clock",
            clock: "2026-11-20T20:15",
            ..good()
        })
        .unwrap();
        assert_eq!(clock.session_id, None);
        assert!(!clock.moment_confirmed);
        let at = |confirmed| ComplaintForm {
            session: "",
            moment_kind: "clock",
            clock: "2026-11-20T20:15",
            moment_confirmed: confirmed,
            ..good()
        };
        assert!(NewComplaint::try_from(at("2026-11-20T20:15")).unwrap().moment_confirmed);
        assert!(
            !NewComplaint::try_from(at("2026-11-20T19:15")).unwrap().moment_confirmed,
            "another time than confirmed"
        );
    }

    #[test]
    fn a_harm_date_after_today_in_beijing_is_refused() {
        // 2026-11-20 21:00 Beijing is still the 20th; the 21st is tomorrow.
        let f = ComplaintForm { harm_known_on: "2026-11-21", ..good() };
        let e = NewComplaint::try_from(f).unwrap_err();
        assert_eq!(e.0[0].field, "harm_known_on");
        assert_eq!(e.0[0].en, "The date cannot be in the future");
    }

    #[test]
    fn order_numbers_and_clock_moments_are_checked() {
        assert!(OrderNo::parse("A-1_2").unwrap().is_some());
        assert_eq!(OrderNo::parse("订单1").unwrap_err().field, "order_no");
        let f = ComplaintForm { moment_kind: "clock", clock: "2026-11-20T21:30", ..good() };
        assert_eq!(NewComplaint::try_from(f).unwrap_err().0[0].en, "The moment cannot be in the future");
    }

    /// Each limit at its edge: the last value allowed and the first refused.
    #[test]
    fn every_limit_holds_at_its_edge() {
        assert_eq!(RoomRef::parse(&"r".repeat(300)).unwrap().as_str(), "r".repeat(300));
        assert!(RoomRef::parse(&"r".repeat(301)).is_err());
        assert_eq!(RoomRef::parse("  XH-8801 ").unwrap().as_str(), "XH-8801");
        assert_eq!(OrderNo::parse(&"9".repeat(64)).unwrap().unwrap().as_str(), "9".repeat(64));
        assert!(OrderNo::parse(&"9".repeat(65)).is_err());
        assert_eq!(Narrative::parse(" 十个字的事实经过描述 ").unwrap().as_str(), "十个字的事实经过描述");
        assert!(Narrative::parse("九个字的事实经过述").is_err());
        assert_eq!(Narrative::parse(&"长".repeat(5000)).unwrap().as_str().chars().count(), 5000);
        assert!(Narrative::parse(&"长".repeat(5001)).is_err());
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(harm_date("1990-01-01", today), Ok(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()));
        assert!(harm_date("1989-12-31", today).is_err());
        assert_eq!(harm_date("2026-11-20", today), Ok(today));
        // Clock moments: from 2000 on, up to five minutes ahead of "now" (21:00).
        let clock =
            |c: &'static str| NewComplaint::try_from(ComplaintForm { moment_kind: "clock", clock: c, ..good() });
        assert_eq!(clock("2026-11-20T21:05").unwrap().moment, Moment::Clock(parse_clock("2026-11-20T21:05").unwrap()));
        assert!(clock("2026-11-20T21:06").is_err());
        assert!(clock("2000-01-01T00:00").is_ok());
        assert_eq!(clock("1999-12-31T23:59").unwrap_err().0[0].en, "The moment cannot be before 2000");
    }

    #[test]
    fn only_a_punish_demand_is_also_a_tip() {
        let f = ComplaintForm { demands: vec!["REFUND"], ..good() };
        assert!(!NewComplaint::try_from(f).unwrap().asks_for_punishment());
    }

    #[test]
    fn one_bad_field_refuses_the_whole_form() {
        for f in [
            ComplaintForm { product: "", ..good() },
            ComplaintForm { categories: vec!["NO_SUCH"], ..good() },
            ComplaintForm { demands: vec![], ..good() },
        ] {
            assert_eq!(NewComplaint::try_from(f).unwrap_err().0.len(), 1);
        }
    }
}
