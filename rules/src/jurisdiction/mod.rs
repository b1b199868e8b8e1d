//! Complaint jurisdiction (投诉管辖), Order 121 Arts. 13–14.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod dispute;
pub mod region;
#[cfg(test)]
mod tests;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JurisdictionError {
    #[error("region code must be exactly 6 digits, got {0:?}")]
    NotSixDigits(String),
    #[error("region code {0} is not county-level (ends in 00)")]
    NotCountyLevel(String),
}

/// County-level administrative division code (县级行政区划代码), e.g. "330106".
/// Complaints go to county-level bureaus (Order 121 Art. 13), so province
/// ("330000") and prefecture ("330100") codes are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<RegionCode, JurisdictionError> {
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(JurisdictionError::NotSixDigits(s.to_string()));
        }
        if s.ends_with("00") || s.starts_with("00") {
            return Err(JurisdictionError::NotCountyLevel(s.to_string()));
        }
        Ok(RegionCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Province part (省级), first 2 digits.
    pub fn province(&self) -> &str {
        &self.0[..2]
    }

    /// Prefecture part (地级), first 4 digits.
    pub fn prefecture(&self) -> &str {
        &self.0[..4]
    }
}

impl TryFrom<String> for RegionCode {
    type Error = JurisdictionError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> String {
        r.0
    }
}

impl std::str::FromStr for RegionCode {
    type Err = JurisdictionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who the complaint is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RespondentKind {
    /// 平台经营者 itself.
    PlatformItself,
    /// 自建网站经营者: a seller on its own site.
    SelfBuiltSite,
    /// 平台内经营者: a seller or live room on a platform.
    InPlatformOperator,
    /// 直播营销人员: the host who made the claim. The room's operator answers
    /// for acts in the course of duty (Order 117 Art. 63), so the case follows the room.
    Marketer,
    /// 直播营销人员服务机构 (MCN): answered through the platform, which
    /// manages the MCNs on it (Order 117 Arts. 8–9); decided at its domicile.
    Mcn,
}

str_enum!(RespondentKind {
    PlatformItself => "PLATFORM_ITSELF",
    SelfBuiltSite => "SELF_BUILT_SITE",
    InPlatformOperator => "IN_PLATFORM_OPERATOR",
    Marketer => "MARKETER",
    Mcn => "MCN",
});

impl RespondentKind {
    /// Whether the platform answers first (T3 to platform intervention)
    /// instead of a live-room operator: it answers for itself, and for an MCN.
    pub fn answered_by_platform(self) -> bool {
        matches!(self, RespondentKind::PlatformItself | RespondentKind::Mcn)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFacts {
    pub respondent: RespondentKind,
    pub platform_domicile: RegionCode,
    /// Address the operator displays on the platform (Order 117 disclosure).
    pub operator_displayed: Option<RegionCode>,
    /// Whether the displayed address can actually be reached.
    pub operator_reachable: bool,
    /// Domicile of the operator (used for self-built sites).
    pub operator_domicile: Option<RegionCode>,
    /// Domicile of an MCN named as the respondent.
    pub mcn_domicile: Option<RegionCode>,
}

/// A county-level bureau with authority, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub region: RegionCode,
    pub basis: &'static str,
    pub basis_zh: &'static str,
}

const DOMICILE_PLATFORM: (&str, &str) = (
    "Order 121 Art. 13 ¶1 (domicile of the platform operator)",
    "《市场监督管理投诉举报处理办法》第十三条第一款（平台经营者住所地）",
);
const DOMICILE_SITE: (&str, &str) = (
    "Order 121 Art. 13 ¶1 (domicile of the self-built-site operator)",
    "《市场监督管理投诉举报处理办法》第十三条第一款（自建网站经营者住所地）",
);
const DISPLAYED: (&str, &str) = (
    "Order 121 Art. 13 ¶2 (address displayed on the platform)",
    "《市场监督管理投诉举报处理办法》第十三条第二款（平台内经营者在平台展示的实际经营地址）",
);
const DOMICILE_MCN: (&str, &str) = (
    "Order 121 Art. 13 ¶1 (domicile of the respondent MCN)",
    "《市场监督管理投诉举报处理办法》第十三条第一款（被投诉的直播营销人员服务机构住所地）",
);
const MCN_UNKNOWN: (&str, &str) = (
    "Order 121 Art. 13 ¶2 (the MCN's domicile unknown: platform domicile)",
    "《市场监督管理投诉举报处理办法》第十三条第二款（机构住所地不明，由平台经营者住所地管辖）",
);
const PLATFORM_ALT: (&str, &str) = (
    "Order 121 Art. 13 ¶2 (platform domicile, alternative)",
    "《市场监督管理投诉举报处理办法》第十三条第二款（平台经营者住所地）",
);
const PLATFORM_FALLBACK: (&str, &str) = (
    "Order 121 Art. 13 ¶2 (no displayed address or unreachable: platform domicile)",
    "《市场监督管理投诉举报处理办法》第十三条第二款（未展示地址或无法联系，由平台经营者住所地管辖）",
);

fn cand(region: &RegionCode, (basis, basis_zh): (&'static str, &'static str)) -> Candidate {
    Candidate { region: region.clone(), basis, basis_zh }
}

/// Bureaus that may handle the complaint (Order 121 Art. 13), preferred first.
pub fn complaint_candidates(f: &ComplaintFacts) -> Vec<Candidate> {
    match f.respondent {
        RespondentKind::PlatformItself => vec![cand(&f.platform_domicile, DOMICILE_PLATFORM)],
        RespondentKind::SelfBuiltSite => {
            // Without a recorded domicile, the platform_domicile field is the
            // only address the caller gave us.
            let domicile = f.operator_domicile.as_ref().unwrap_or(&f.platform_domicile);
            vec![cand(domicile, DOMICILE_SITE)]
        }
        RespondentKind::Mcn => match &f.mcn_domicile {
            Some(d) => vec![cand(d, DOMICILE_MCN)],
            None => vec![cand(&f.platform_domicile, MCN_UNKNOWN)],
        },
        RespondentKind::InPlatformOperator | RespondentKind::Marketer => {
            match (&f.operator_displayed, f.operator_reachable) {
                (Some(shown), true) if *shown == f.platform_domicile => vec![cand(shown, DISPLAYED)],
                (Some(shown), true) => vec![cand(shown, DISPLAYED), cand(&f.platform_domicile, PLATFORM_ALT)],
                _ => vec![cand(&f.platform_domicile, PLATFORM_FALLBACK)],
            }
        }
    }
}

/// Concurrent authority (Order 121 Art. 14): the candidate whose bureau
/// received the complaint first. Ties go to the earlier candidate.
pub fn first_to_receive<'a>(
    candidates: &'a [Candidate],
    receipts: &[(RegionCode, DateTime<Utc>)],
) -> Option<&'a Candidate> {
    candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let first = receipts.iter().filter(|(r, _)| *r == c.region).map(|(_, t)| *t).min()?;
            Some((first, i, c))
        })
        .min_by_key(|(t, i, _)| (*t, *i))
        .map(|(_, _, c)| c)
}

/// What decides a tip's agency (Order 121 Arts. 29, 31; Order 117 Art. 47).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipFacts {
    /// Whom the tip is about; a marketer follows the room (Order 117 Art. 47).
    pub target: RespondentKind,
    /// Domicile of an MCN the tip is about, where the platform reported it.
    pub mcn_domicile: Option<RegionCode>,
    pub platform_domicile: RegionCode,
    /// The operator's actual business place, as the platform verified it.
    pub operator_business: Option<RegionCode>,
    pub operator_domicile: Option<RegionCode>,
}

const TIP_BUSINESS: (&str, &str) = (
    "Order 121 Art. 31 (in-platform operator: actual business place)",
    "《市场监督管理投诉举报处理办法》第三十一条（平台内经营者实际经营地）",
);
const TIP_DOMICILE: (&str, &str) = (
    "Order 117 Art. 47 (business place unknown: registered domicile)",
    "《直播电商监督管理办法》第四十七条（实际经营地不明的，由登记地管辖）",
);
const TIP_PLATFORM: (&str, &str) = (
    "Order 121 Art. 31 (platform domicile, if it receives the tip first)",
    "《市场监督管理投诉举报处理办法》第三十一条（平台经营者住所地先收到举报的，可以处理）",
);

const TIP_PLATFORM_ITSELF: (&str, &str) = (
    "Order 121 Art. 31; Order 117 Art. 47 (the platform operator: its domicile)",
    "《市场监督管理投诉举报处理办法》第三十一条、《直播电商监督管理办法》第四十七条（平台经营者住所地）",
);
const TIP_MCN: (&str, &str) =
    ("Order 117 Art. 47 (an MCN: its domicile)", "《直播电商监督管理办法》第四十七条（直播营销人员服务机构住所地）");

/// Candidate agencies for a tip, in order; the first on Redline receives it.
/// About the platform itself: its domicile; about an MCN: its domicile, then
/// the platform's; about an operator or a marketer: the room's operator.
pub fn tip_candidates(f: &TipFacts) -> Vec<Candidate> {
    let mut out = Vec::new();
    match f.target {
        RespondentKind::PlatformItself => return vec![cand(&f.platform_domicile, TIP_PLATFORM_ITSELF)],
        RespondentKind::Mcn => {
            if let Some(d) = &f.mcn_domicile {
                out.push(cand(d, TIP_MCN));
            }
            if !out.iter().any(|c| c.region == f.platform_domicile) {
                out.push(cand(&f.platform_domicile, TIP_PLATFORM));
            }
            return out;
        }
        _ => {}
    }
    match (&f.operator_business, &f.operator_domicile) {
        (Some(b), _) => out.push(cand(b, TIP_BUSINESS)),
        (None, Some(d)) => out.push(cand(d, TIP_DOMICILE)),
        (None, None) => {}
    }
    if !out.iter().any(|c| c.region == f.platform_domicile) {
        out.push(cand(&f.platform_domicile, TIP_PLATFORM));
    }
    out
}
