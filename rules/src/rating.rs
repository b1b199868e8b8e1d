//! T7: once a case is over, the consumer rates how each party that handled it
//! did (the live-room operator, the platform, and, when it reached market
//! supervision, the agency) on three axes of 1 to 5 stars, 黑猫-style, with an
//! optional comment. Each party is rated once per case; the ratings feed the
//! monitoring desk (Order 117 Art. 20: the platform watches its rooms'
//! complaint handling; Order 121 Art. 7: the agencies' handling is overseen).
use crate::field::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded_enum!(
    /// Who handled the case, as rated.
    Handler {
        Operator = "OPERATOR", "直播间运营者", "Live-room operator", "Order 117 Art. 20";
        Platform = "PLATFORM", "平台", "Platform", "Order 117 Art. 20";
        Regulator = "REGULATOR", "市场监管部门", "Market supervision", "Order 121 Arts. 15-25";
    }
);

coded_enum!(
    /// What is rated.
    Axis {
        Attitude = "ATTITUDE", "服务态度", "Attitude", "T7";
        Speed = "SPEED", "处理速度", "Speed", "T7";
        Outcome = "OUTCOME", "处理结果", "Outcome", "T7";
    }
);

/// The stars one party got: attitude, speed, outcome.
pub type Stars = [u8; 3];

/// The form as posted: `OPERATOR_ATTITUDE` = "4" and so on, the comment, and
/// whom this consumer may rate on this case (the store knows who took part).
#[derive(Clone, Debug, Default)]
pub struct RatingForm {
    pub values: BTreeMap<String, String>,
    pub comment: String,
    pub may_rate: Vec<Handler>,
}

/// A checked rating: each party rated on all three axes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRating {
    pub parties: Vec<(Handler, Stars)>,
    pub comment: Option<String>,
}

/// The field a party's axis is posted in.
pub fn field(h: Handler, a: Axis) -> String {
    format!("{}_{}", h.as_str(), a.as_str())
}

impl TryFrom<RatingForm> for NewRating {
    type Error = FieldErrors;

    fn try_from(f: RatingForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut parties = Vec::new();
        for &h in Handler::ALL {
            let given: Vec<Option<u8>> = Axis::ALL
                .iter()
                .map(|&a| {
                    f.values
                        .get(&field(h, a))
                        .map(|v| v.trim())
                        .filter(|v| !v.is_empty())
                        .map(|v| v.parse().unwrap_or(0))
                })
                .collect();
            if given.iter().all(Option::is_none) {
                continue;
            }
            if !f.may_rate.contains(&h) {
                errors.push(FieldError::form(
                    "只能评价处理过本案的一方",
                    "Only a party that handled the case can be rated",
                ));
                continue;
            }
            match given.iter().map(|s| s.filter(|n| (1..=5).contains(n))).collect::<Option<Vec<u8>>>() {
                Some(s) => parties.push((h, [s[0], s[1], s[2]])),
                None => errors.push(FieldError::new(
                    h.as_str(),
                    "请为每一项打1至5星",
                    "Give each of the three 1 to 5 stars",
                )),
            }
        }
        if parties.is_empty() && errors.is_empty() {
            errors.push(FieldError::form("请至少评价一方", "Rate at least one party"));
        }
        let comment = f.comment.trim();
        if comment.chars().count() > 500 {
            errors.push(FieldError::new("comment", "评价内容不超过500字", "The comment has up to 500 characters"));
        }
        errors.into_result()?;
        Ok(NewRating { parties, comment: (!comment.is_empty()).then(|| comment.to_owned()) })
    }
}

/// The monitoring desk's facet a party's stars are counted under
/// (`store::desk`): its value is `AXIS:stars`.
pub fn facet(h: Handler) -> &'static str {
    match h {
        Handler::Operator => "rating:OPERATOR",
        Handler::Platform => "rating:PLATFORM",
        Handler::Regulator => "rating:REGULATOR",
    }
}

/// An average of stars as shown: one decimal, None with no rating.
pub fn average(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| (sum as f64 / n as f64 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)], may: &[Handler]) -> RatingForm {
        RatingForm {
            values: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            comment: String::new(),
            may_rate: may.to_vec(),
        }
    }

    #[test]
    fn t7_each_party_that_handled_the_case_is_rated_on_three_axes() {
        let f = form(
            &[("OPERATOR_ATTITUDE", "4"), ("OPERATOR_SPEED", "2"), ("OPERATOR_OUTCOME", "5")],
            &[Handler::Operator, Handler::Platform],
        );
        let r = NewRating::try_from(f).unwrap();
        assert_eq!(r.parties, [(Handler::Operator, [4, 2, 5])]);
        assert_eq!(r.comment, None);
    }

    #[test]
    fn t7_a_partial_or_out_of_range_rating_is_refused_with_its_field() {
        let f = form(&[("OPERATOR_ATTITUDE", "4"), ("OPERATOR_SPEED", "6")], &[Handler::Operator]);
        let e = NewRating::try_from(f).unwrap_err();
        assert_eq!(e.0.iter().map(|e| e.field.as_ref()).collect::<Vec<_>>(), ["OPERATOR"]);
        let none = NewRating::try_from(form(&[], &[Handler::Operator])).unwrap_err();
        assert_eq!(none.0[0].zh, "请至少评价一方");
    }

    #[test]
    fn t7_a_party_that_never_handled_the_case_is_not_rated() {
        let f = form(
            &[("REGULATOR_ATTITUDE", "1"), ("REGULATOR_SPEED", "1"), ("REGULATOR_OUTCOME", "1")],
            &[Handler::Operator],
        );
        assert_eq!(NewRating::try_from(f).unwrap_err().0[0].zh, "只能评价处理过本案的一方");
        assert_eq!(average(9, 2), Some(4.5));
        assert_eq!(average(10, 3), Some(3.3));
        assert_eq!(average(0, 0), None);
    }
}
