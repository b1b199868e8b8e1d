use chrono::{TimeZone, Utc};

use super::*;

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn facts(respondent: RespondentKind, shown: Option<&str>, reachable: bool) -> ComplaintFacts {
    ComplaintFacts {
        respondent,
        platform_domicile: rc("330106"),
        operator_displayed: shown.map(rc),
        operator_reachable: reachable,
        operator_domicile: Some(rc("440305")),
        mcn_domicile: None,
    }
}

#[test]
fn order117_art63_a_complaint_about_a_marketer_follows_the_room() {
    let f = facts(RespondentKind::Marketer, Some("330105"), true);
    assert_eq!(regions(&complaint_candidates(&f)), vec!["330105", "330106"]);
    assert!(!RespondentKind::Marketer.answered_by_platform());
}

#[test]
fn order121_art13_a_complaint_about_an_mcn_goes_to_its_domicile_else_the_platforms() {
    let mut f = facts(RespondentKind::Mcn, Some("330105"), true);
    assert_eq!(regions(&complaint_candidates(&f)), vec!["330106"]);
    assert!(complaint_candidates(&f)[0].basis.contains("unknown"));
    f.mcn_domicile = Some(rc("330108"));
    let c = complaint_candidates(&f);
    assert_eq!((regions(&c), c[0].basis), (vec!["330108"], "Order 121 Art. 13 ¶1 (domicile of the respondent MCN)"));
    assert!(RespondentKind::Mcn.answered_by_platform() && RespondentKind::PlatformItself.answered_by_platform());
    for k in RespondentKind::ALL {
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
    }
}

fn regions(c: &[Candidate]) -> Vec<&str> {
    c.iter().map(|c| c.region.as_str()).collect()
}

#[test]
fn region_code_parsing() {
    let r = rc("330106");
    assert_eq!((r.as_str(), r.province(), r.prefecture()), ("330106", "33", "3301"));
    assert_eq!(RegionCode::parse("330000"), Err(JurisdictionError::NotCountyLevel("330000".into())));
    assert!(matches!(RegionCode::parse("330100"), Err(JurisdictionError::NotCountyLevel(_))));
    assert!(matches!(RegionCode::parse("001234"), Err(JurisdictionError::NotCountyLevel(_))));
    for bad in ["33010", "3301066", "33O106", "３３０１０６", "", " 330106"] {
        assert!(matches!(RegionCode::parse(bad), Err(JurisdictionError::NotSixDigits(_))), "{bad}");
    }
    assert_eq!("110101".parse::<RegionCode>(), Ok(rc("110101")));
}

#[test]
fn region_code_serde_is_a_plain_validated_string() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct W {
        r: RegionCode,
    }
    assert_eq!(toml::to_string(&W { r: rc("330106") }).unwrap().trim(), "r = \"330106\"");
    assert!(toml::from_str::<W>("r = \"330100\"").is_err());
    assert_eq!(toml::from_str::<W>("r = \"330106\"").unwrap().r, rc("330106"));
}

#[test]
fn art13_platform_itself_goes_to_platform_domicile() {
    let c = complaint_candidates(&facts(RespondentKind::PlatformItself, Some("310101"), true));
    assert_eq!(regions(&c), vec!["330106"]);
    assert!(c[0].basis.starts_with("Order 121 Art. 13 ¶1"));
}

#[test]
fn art13_self_built_site_goes_to_its_domicile() {
    let c = complaint_candidates(&facts(RespondentKind::SelfBuiltSite, None, false));
    assert_eq!(regions(&c), vec!["440305"]);
    assert!(c[0].basis.contains("self-built-site") && c[0].basis_zh.contains("自建网站"));
}

#[test]
fn art13_in_platform_operator_displayed_address_or_platform() {
    let c = complaint_candidates(&facts(RespondentKind::InPlatformOperator, Some("310101"), true));
    assert_eq!(regions(&c), vec!["310101", "330106"]);
    assert_eq!(c[0].basis, "Order 121 Art. 13 ¶2 (address displayed on the platform)");
}

#[test]
fn art13_in_platform_operator_same_address_is_deduplicated() {
    let c = complaint_candidates(&facts(RespondentKind::InPlatformOperator, Some("330106"), true));
    assert_eq!(regions(&c), vec!["330106"]);
}

#[test]
fn art13_no_displayed_address_falls_back_to_platform() {
    let c = complaint_candidates(&facts(RespondentKind::InPlatformOperator, None, true));
    assert_eq!(regions(&c), vec!["330106"]);
    assert!(c[0].basis.contains("no displayed address or unreachable"));
}

#[test]
fn art13_unreachable_operator_falls_back_to_platform() {
    let c = complaint_candidates(&facts(RespondentKind::InPlatformOperator, Some("310101"), false));
    assert_eq!(regions(&c), vec!["330106"]);
}

#[test]
fn art14_first_to_receive_handles() {
    let c = complaint_candidates(&facts(RespondentKind::InPlatformOperator, Some("310101"), true));
    let t = |h| Utc.with_ymd_and_hms(2026, 5, 6, h, 0, 0).unwrap();
    let receipts = [(rc("330106"), t(9)), (rc("310101"), t(10)), (rc("110101"), t(8))];
    // 110101 is not a candidate, so its earlier receipt is ignored.
    assert_eq!(first_to_receive(&c, &receipts).unwrap().region.as_str(), "330106");
    let receipts = [(rc("330106"), t(11)), (rc("310101"), t(10))];
    assert_eq!(first_to_receive(&c, &receipts).unwrap().region.as_str(), "310101");
    // Tie: the earlier candidate (displayed address) wins.
    let receipts = [(rc("330106"), t(10)), (rc("310101"), t(10))];
    assert_eq!(first_to_receive(&c, &receipts).unwrap().region.as_str(), "310101");
}

#[test]
fn art14_nobody_received_yet() {
    let c = complaint_candidates(&facts(RespondentKind::PlatformItself, None, false));
    assert_eq!(first_to_receive(&c, &[]), None);
    let t = Utc.with_ymd_and_hms(2026, 5, 6, 9, 0, 0).unwrap();
    assert_eq!(first_to_receive(&c, &[(rc("110101"), t)]), None);
}

#[test]
fn a_region_code_shows_as_its_six_digits() {
    assert_eq!(rc("330106").to_string(), "330106");
    assert_eq!(format!("{}", rc("110101")), "110101");
}

#[test]
fn order121_art31_tips_go_to_the_actual_business_place_then_the_platform_domicile() {
    let r = |s: &str| RegionCode::parse(s).unwrap();
    let f = TipFacts {
        target: RespondentKind::InPlatformOperator,
        mcn_domicile: None,
        platform_domicile: r("330106"),
        operator_business: Some(r("330105")),
        operator_domicile: Some(r("110108")),
    };
    let c = tip_candidates(&f);
    assert_eq!(c.iter().map(|c| c.region.as_str()).collect::<Vec<_>>(), ["330105", "330106"]);
    assert!(c[0].basis.contains("Art. 31"));
    let unknown = TipFacts { operator_business: None, ..f.clone() };
    assert!(tip_candidates(&unknown)[0].basis.contains("Art. 47"));
    let nothing = TipFacts { operator_business: None, operator_domicile: None, ..f.clone() };
    assert_eq!(tip_candidates(&nothing).len(), 1);
    // Order 117 Art. 47: a marketer follows the room; the platform and an MCN their domicile.
    let marketer = TipFacts { target: RespondentKind::Marketer, ..f.clone() };
    assert_eq!(tip_candidates(&marketer), tip_candidates(&f));
    let platform = TipFacts { target: RespondentKind::PlatformItself, ..f.clone() };
    assert_eq!(tip_candidates(&platform).iter().map(|c| c.region.as_str()).collect::<Vec<_>>(), ["330106"]);
    let mcn = TipFacts { target: RespondentKind::Mcn, mcn_domicile: Some(r("330108")), ..f.clone() };
    let c = tip_candidates(&mcn);
    assert_eq!(c.iter().map(|c| c.region.as_str()).collect::<Vec<_>>(), ["330108", "330106"]);
    assert_eq!(c[0].basis, "Order 117 Art. 47 (an MCN: its domicile)");
    let unknown_mcn = TipFacts { target: RespondentKind::Mcn, ..f };
    assert_eq!(tip_candidates(&unknown_mcn).iter().map(|c| c.region.as_str()).collect::<Vec<_>>(), ["330106"]);
}
