//! Jurisdiction disputes between agencies (管辖争议, Order 121 Art. 33): when
//! two agencies disagree on which of them is competent, they settle it, or the
//! common higher level designates one. An agency may not pass a case to a
//! peer on its own (Art. 41), so on Redline the handling agency refers the
//! dispute to the nearest market-supervision agency covering both, which
//! designates one of the two within D11, seven working days from the referral
//! [policy: Art. 33 gives the agencies seven working days to agree; Redline
//! gives the designation the same]. A missed D11 is flagged, with no other effect.
use super::region::{AgencyKind, Seat};
use chrono::NaiveDate;

/// D11: seven working days.
pub const D11_DAYS: u32 = 7;

/// The day the designation is due: seven working days after the referral.
pub fn d11_due(referred_on: NaiveDate) -> NaiveDate {
    crate::calendar::Calendar::official().deadline(referred_on, D11_DAYS, crate::calendar::CalendarKind::Working).due
}

/// Why a dispute cannot be referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisputeRefused {
    #[error("the other agency must be another market-supervision agency (Order 121 Art. 2)")]
    NotAPeer,
    #[error("one agency covers the other: it dispatches the case or takes it up (Order 121 Arts. 13, 41)")]
    OneCoversTheOther,
    #[error("no agency on Redline covers both to designate one (Order 121 Art. 33)")]
    NoCommonHigherLevel,
}

impl DisputeRefused {
    pub fn message_zh(self) -> &'static str {
        match self {
            DisputeRefused::NotAPeer => "争议的另一方须为其他市场监督管理部门",
            DisputeRefused::OneCoversTheOther => "上下级之间无需指定：由上级提级处理或下级分送（第十三条、第四十一条）",
            DisputeRefused::NoCommonHigherLevel => "平台上没有同时管辖双方的共同上级部门，无法报请指定（第三十三条）",
        }
    }
}

/// The reason a dispute is referred, as the chain records it.
pub fn reason(s: &str) -> Result<String, crate::field::FieldError> {
    let t = s.trim();
    match t.chars().count() {
        0..=3 => Err(crate::field::FieldError::new(
            "reason",
            "请写明争议的理由（至少4个字）",
            "Give the reason for the dispute",
        )),
        n if n > 1000 => {
            Err(crate::field::FieldError::new("reason", "理由不超过1000字", "The reason has up to 1,000 characters"))
        }
        _ => Ok(t.to_owned()),
    }
}

/// The agency that designates between `a` and `b`: the nearest
/// market-supervision agency whose area covers both (the lowest level; of
/// several at one level, the first). `agencies` are (id, seat).
pub fn referee(a: &Seat, b: &Seat, agencies: &[(i64, Seat)]) -> Result<i64, DisputeRefused> {
    if b.kind != AgencyKind::MarketSupervision || a.region == b.region {
        return Err(DisputeRefused::NotAPeer);
    }
    if a.region.covers(&b.region) || b.region.covers(&a.region) {
        return Err(DisputeRefused::OneCoversTheOther);
    }
    agencies
        .iter()
        .filter(|(_, s)| {
            s.kind == AgencyKind::MarketSupervision && s.region.covers(&a.region) && s.region.covers(&b.region)
        })
        .min_by_key(|(id, s)| (s.level(), *id))
        .map(|(id, _)| *id)
        .ok_or(DisputeRefused::NoCommonHigherLevel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jurisdiction::region::Region;

    fn ms(code: &str) -> Seat {
        Seat { kind: AgencyKind::MarketSupervision, region: Region::parse(code).unwrap() }
    }

    #[test]
    fn order121_art33_d11_the_designation_is_due_in_7_working_days() {
        // Referred on Monday 2026-11-23: seven working days later is Wednesday 2026-12-02.
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(d11_due(d("2026-11-23")), d("2026-12-02"));
        // Across National Day 2026 (1–7 October off, Saturday 10 October worked): from Monday 2026-09-28.
        assert_eq!(d11_due(d("2026-09-28")), d("2026-10-13"));
    }

    #[test]
    fn order121_art33_the_nearest_common_higher_level_designates() {
        let (gongshu, xihu, ningbo_haishu) = (ms("330105"), ms("330106"), ms("330203"));
        let agencies = [(1, ms("330000")), (2, ms("330100")), (3, ms("330105")), (4, ms("330106")), (5, ms("330200"))];
        assert_eq!(referee(&gongshu, &xihu, &agencies), Ok(2), "the city covers both districts");
        assert_eq!(referee(&gongshu, &ningbo_haishu, &agencies), Ok(1), "two cities: the province");
        assert_eq!(referee(&gongshu, &ms("330100"), &agencies), Err(DisputeRefused::OneCoversTheOther));
        assert_eq!(referee(&gongshu, &gongshu, &agencies), Err(DisputeRefused::NotAPeer));
        let cac = Seat { kind: AgencyKind::InternetInformation, region: Region::parse("330106").unwrap() };
        assert_eq!(referee(&gongshu, &cac, &agencies), Err(DisputeRefused::NotAPeer));
        assert_eq!(referee(&gongshu, &ms("440305"), &agencies), Err(DisputeRefused::NoCommonHigherLevel));
    }
}
