//! The region tree of agencies (GB/T 2260 administrative division codes) and
//! who may move a complaint from one agency to another.
//!
//! A code is six digits `PPCCDD`: a province ends in `0000`, a prefecture-level
//! city in `00`, anything else is a county-level division. GB/T 2260 has no
//! code for the country; Redline writes the national level as `000000`. An
//! agency covers its own division and every division under it, so a city
//! bureau covers its counties.
//!
//! What Redline implements for moving a case (T15), and why:
//! - **Dispatch down** (Order 121 Art. 41): an agency sends the case to one it
//!   covers, at its own or a lower level, that covers the place of the case.
//! - **Taken up** (Order 121 Art. 13, last paragraph: a higher level may take a
//!   case, a lower one may ask it to): an agency that covers the handling
//!   agency, and the place, takes the case.
//! - **Between peers** (a county bureau to another, e.g. the displayed address's
//!   and the platform domicile's, Art. 13 ¶2): only when a common higher level
//!   designates it (Order 121 Art. 33); an agency without authority must not
//!   transfer the case on its own (Art. 41).
//! - Complaints go to market supervision only; an internet information office
//!   handles none (Order 121 Art. 2).
use serde::{Deserialize, Serialize};

/// The level of a division and of the agency of that division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    County,
    Prefecture,
    Province,
    National,
}

impl Level {
    /// As stored in `agencies.level`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "COUNTY",
            Level::Prefecture => "PREFECTURE",
            Level::Province => "PROVINCE",
            Level::National => "NATIONAL",
        }
    }
    /// Digits of the code that name the division at this level.
    fn prefix_len(self) -> usize {
        match self {
            Level::National => 0,
            Level::Province => 2,
            Level::Prefecture => 4,
            Level::County => 6,
        }
    }
}

/// A division at any level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a region code is six digits (GB/T 2260), not {0:?}")]
pub struct BadRegion(pub String);

impl Region {
    pub const NATIONAL: &'static str = "000000";

    pub fn parse(s: &str) -> Result<Region, BadRegion> {
        let ok = s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
        // A province part of 00 names no province, unless the whole code is the country's.
        if !ok || (s.starts_with("00") && s != Region::NATIONAL) {
            return Err(BadRegion(s.to_owned()));
        }
        Ok(Region(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> Level {
        match (&self.0[..2], &self.0[2..4], &self.0[4..]) {
            ("00", _, _) => Level::National,
            (_, "00", "00") => Level::Province,
            (_, _, "00") => Level::Prefecture,
            _ => Level::County,
        }
    }

    /// This division, or one under it, is `other`.
    pub fn covers(&self, other: &Region) -> bool {
        let n = self.level().prefix_len();
        self.level() >= other.level() && self.0[..n] == other.0[..n]
    }

    /// The codes this division covers as a half-open range [lo, hi) of code
    /// text: 330100 → ["3301", "3302"), the country → ["", none). Digit
    /// strings sort alike in every collation (punctuation does not), so a
    /// table keyed by code is read by one range on any database.
    pub fn covered_codes(&self) -> (String, Option<String>) {
        let lo = self.0[..self.level().prefix_len()].to_owned();
        // The next prefix of the same length; none above the country or "99…".
        let hi = lo.parse::<u64>().ok().map(|n| format!("{:0w$}", n + 1, w = lo.len())).filter(|h| h.len() == lo.len());
        (lo, hi)
    }

    /// The division one level up (a county's prefecture, …); the country has none.
    pub fn parent(&self) -> Option<Region> {
        let up = match self.level() {
            Level::County => format!("{}00", &self.0[..4]),
            Level::Prefecture => format!("{}0000", &self.0[..2]),
            Level::Province => Region::NATIONAL.to_owned(),
            Level::National => return None,
        };
        Some(Region(up))
    }
}

impl TryFrom<String> for Region {
    type Error = BadRegion;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Region::parse(&s)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> String {
        r.0
    }
}

/// What kind of agency (the two that Order 117 Art. 47 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgencyKind {
    /// 市场监督管理部门
    MarketSupervision,
    /// 网信部门
    InternetInformation,
}

impl AgencyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::MarketSupervision => "MARKET_SUPERVISION",
            AgencyKind::InternetInformation => "INTERNET_INFORMATION",
        }
    }
    pub fn parse(s: &str) -> Option<AgencyKind> {
        [AgencyKind::MarketSupervision, AgencyKind::InternetInformation].into_iter().find(|k| k.as_str() == s)
    }
}

/// An agency as the rule sees it: its kind and its division (whose level is its level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub kind: AgencyKind,
    pub region: Region,
}

impl Seat {
    pub fn level(&self) -> Level {
        self.region.level()
    }
}

/// Why a move is allowed, in the law's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveBasis {
    /// Order 121 Art. 41: dispatched to a competent lower office.
    Dispatch,
    /// Order 121 Art. 13, last paragraph: a higher level takes the case.
    TakenUp,
    /// Order 121 Art. 33: designated by a common higher level.
    Designated,
}

impl MoveBasis {
    pub fn article(self) -> &'static str {
        match self {
            MoveBasis::Dispatch => "Order 121 Art. 41",
            MoveBasis::TakenUp => "Order 121 Art. 13",
            MoveBasis::Designated => "Order 121 Art. 33",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    #[error("complaints are handled by market supervision (Order 121 Art. 2)")]
    NotMarketSupervision,
    #[error("that agency does not cover the place of the case (Order 121 Art. 13)")]
    PlaceNotCovered,
    #[error("an agency passes a case only to one it covers, or up to one covering it; between others a common higher level designates (Order 121 Arts. 33, 41)")]
    NotItsToMove,
}

impl MoveRefused {
    pub fn message_zh(self) -> &'static str {
        match self {
            MoveRefused::NotMarketSupervision => "投诉由市场监督管理部门处理（《市场监督管理投诉举报处理办法》第二条）",
            MoveRefused::PlaceNotCovered => "该部门的辖区不包括本案所在地（第十三条）",
            MoveRefused::NotItsToMove => {
                "只能分送至本部门辖区内的部门，或由上级部门提级处理；同级之间须由共同上级指定（第三十三条、第四十一条）"
            }
        }
    }
}

/// May the case at `place` move from `from` to `to`? `designated_by` is the
/// agency that designated `to`, if one did (Art. 33).
pub fn may_move(
    from: &Seat,
    to: &Seat,
    place: &Region,
    designated_by: Option<&Seat>,
) -> Result<MoveBasis, MoveRefused> {
    if to.kind != AgencyKind::MarketSupervision {
        return Err(MoveRefused::NotMarketSupervision);
    }
    if !to.region.covers(place) {
        return Err(MoveRefused::PlaceNotCovered);
    }
    if from.region.covers(&to.region) {
        return Ok(MoveBasis::Dispatch);
    }
    if to.region.covers(&from.region) {
        return Ok(MoveBasis::TakenUp);
    }
    match designated_by {
        Some(d) if d.region.covers(&from.region) && d.region.covers(&to.region) => Ok(MoveBasis::Designated),
        _ => Err(MoveRefused::NotItsToMove),
    }
}

/// Who receives a platform's report of a disposal measure (Order 117 Art. 12):
/// market supervision and the internet information office at or above county
/// level where the platform is domiciled (the nearest of each kind that covers
/// the domicile), and for closures, re-registration bans and blacklisting also
/// the provincial ones. `agencies` are (id, seat); the ids in no particular order.
pub fn measure_recipients(domicile: &Region, agencies: &[(i64, Seat)], provincial: bool) -> Vec<i64> {
    let mut out = Vec::new();
    for kind in [AgencyKind::MarketSupervision, AgencyKind::InternetInformation] {
        let covering = || agencies.iter().filter(move |(_, s)| s.kind == kind && s.region.covers(domicile));
        if let Some((id, _)) = covering().filter(|(_, s)| s.level() != Level::National).min_by_key(|(_, s)| s.level()) {
            out.push(*id);
        }
        if provincial {
            if let Some((id, _)) = covering().find(|(_, s)| s.level() == Level::Province) {
                if !out.contains(id) {
                    out.push(*id);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Region {
        Region::parse(s).unwrap()
    }
    fn samr(s: &str) -> Seat {
        Seat { kind: AgencyKind::MarketSupervision, region: r(s) }
    }

    #[test]
    fn gbt2260_levels_from_the_code() {
        assert_eq!(r("330106").level(), Level::County);
        assert_eq!(r("330100").level().as_str(), "PREFECTURE");
        assert_eq!(r("330100").level(), Level::Prefecture);
        assert_eq!(r("330000").level(), Level::Province);
        assert_eq!(r("000000").level(), Level::National);
        // A district of a municipality is county-level under its 市辖区 prefecture code.
        assert_eq!(r("110105").level(), Level::County);
        assert_eq!(r("110105").parent(), Some(r("110100")));
    }

    #[test]
    fn order117_art12_measures_are_reported_where_the_platform_is_domiciled() {
        let cac = |s: &str| Seat { kind: AgencyKind::InternetInformation, region: r(s) };
        let agencies = vec![
            (1, samr("330105")), // another district: not the domicile
            (2, samr("330106")), // the domicile's district
            (3, samr("330100")),
            (4, samr("330000")),
            (5, cac("330100")), // no district office: the city's
            (6, cac("330000")),
            (7, samr("000000")),
        ];
        let mut warning = measure_recipients(&r("330106"), &agencies, false);
        warning.sort();
        assert_eq!(warning, [2, 5], "the nearest of each kind that covers the domicile");
        let mut blacklist = measure_recipients(&r("330106"), &agencies, true);
        blacklist.sort();
        assert_eq!(blacklist, [2, 4, 5, 6], "and the provincial ones for closures and blacklisting");
        assert_eq!(measure_recipients(&r("110108"), &agencies, true), Vec::<i64>::new(), "none on Redline there");
    }

    #[test]
    fn gbt2260_a_division_covers_one_range_of_codes() {
        let inside = |region: &str, code: &str| {
            let (lo, hi) = r(region).covered_codes();
            lo.as_str() <= code && hi.is_none_or(|h| code < h.as_str())
        };
        assert_eq!(r("330100").covered_codes(), ("3301".to_owned(), Some("3302".to_owned())));
        assert_eq!(r("000000").covered_codes(), (String::new(), None));
        assert_eq!(r("339900").covered_codes().1.as_deref(), Some("3400"));
        assert!(inside("330100", "330105") && inside("330100", "330100") && inside("330100", "330199"));
        assert!(!inside("330100", "330200") && !inside("330100", "330099") && !inside("330105", "330106"));
        assert!(inside("330000", "331000") && !inside("330000", "340100"));
        assert!(inside("000000", "820000") && inside("000000", "110105"));
    }

    #[test]
    fn gbt2260_codes_are_six_digits() {
        for bad in ["33010", "3301066", "33O106", "", "001200", "３３０１０６"] {
            assert_eq!(Region::parse(bad), Err(BadRegion(bad.to_owned())), "{bad}");
        }
    }

    #[test]
    fn a_city_bureau_covers_its_counties_and_not_its_neighbours() {
        let hangzhou = r("330100");
        assert!(hangzhou.covers(&r("330106")));
        assert!(hangzhou.covers(&hangzhou));
        assert!(!hangzhou.covers(&r("330206")));
        assert!(!hangzhou.covers(&r("330000")));
        assert!(r("330000").covers(&r("330206")));
        assert!(!r("330000").covers(&r("440305")));
        assert!(r("000000").covers(&r("440305")));
        assert!(!r("330106").covers(&r("330105")));
    }

    #[test]
    fn parents_climb_to_the_country() {
        let chain: Vec<String> =
            std::iter::successors(Some(r("330106")), Region::parent).map(|x| x.as_str().to_owned()).collect();
        assert_eq!(chain, ["330106", "330100", "330000", "000000"]);
    }

    #[test]
    fn order121_art41_dispatch_to_a_competent_lower_office() {
        assert_eq!(may_move(&samr("330100"), &samr("330106"), &r("330106"), None), Ok(MoveBasis::Dispatch));
        assert_eq!(may_move(&samr("330000"), &samr("330106"), &r("330106"), None), Ok(MoveBasis::Dispatch));
        // Within the city, but the place is in another county.
        assert_eq!(may_move(&samr("330100"), &samr("330105"), &r("330106"), None), Err(MoveRefused::PlaceNotCovered));
    }

    #[test]
    fn order121_art13_a_higher_level_takes_the_case() {
        assert_eq!(may_move(&samr("330106"), &samr("330100"), &r("330106"), None), Ok(MoveBasis::TakenUp));
        assert_eq!(may_move(&samr("330106"), &samr("330000"), &r("330106"), None), Ok(MoveBasis::TakenUp));
        // A higher level elsewhere does not cover the case.
        assert_eq!(may_move(&samr("330106"), &samr("440300"), &r("330106"), None), Err(MoveRefused::PlaceNotCovered));
    }

    #[test]
    fn order121_art33_peers_move_only_when_a_common_higher_level_designates() {
        // Filed where the room displays its address (Hangzhou Xihu), moved to the
        // platform domicile (Hangzhou Binjiang): both may handle it (Art. 13 ¶2).
        let (from, to, place) = (samr("330106"), samr("330108"), r("330108"));
        assert_eq!(may_move(&from, &to, &place, None), Err(MoveRefused::NotItsToMove));
        assert_eq!(may_move(&from, &to, &place, Some(&samr("330100"))), Ok(MoveBasis::Designated));
        assert_eq!(may_move(&from, &to, &place, Some(&samr("330000"))), Ok(MoveBasis::Designated));
        // A peer cannot designate, nor a higher level that covers only one side.
        assert_eq!(may_move(&from, &to, &place, Some(&samr("330105"))), Err(MoveRefused::NotItsToMove));
        assert_eq!(
            may_move(&samr("330106"), &samr("440305"), &r("440305"), Some(&samr("330000"))),
            Err(MoveRefused::NotItsToMove)
        );
        assert_eq!(
            may_move(&samr("330106"), &samr("440305"), &r("440305"), Some(&samr("000000"))),
            Ok(MoveBasis::Designated)
        );
    }

    #[test]
    fn order121_art2_complaints_go_to_market_supervision_only() {
        let cac = Seat { kind: AgencyKind::InternetInformation, region: r("330100") };
        assert_eq!(may_move(&samr("330106"), &cac, &r("330106"), None), Err(MoveRefused::NotMarketSupervision));
    }
}
