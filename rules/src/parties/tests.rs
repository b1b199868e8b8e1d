use super::report::{is_late, report_due};
use super::*;
use crate::calendar::Calendar;
use chrono::{NaiveDate, TimeZone};

fn bj(s: &str) -> DateTime<Utc> {
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    crate::intake::moment::beijing().from_local_datetime(&naive).unwrap().with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    bj("2026-11-23 10:00")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A valid credit code from its first 17 characters (GB 32100-2015 check character).
pub(crate) fn code(first17: &str) -> String {
    let b: [u8; 17] = first17.as_bytes().try_into().unwrap();
    format!("{first17}{}", crate::credit_code::check_char(&b).unwrap())
}

fn fields(id: &str) -> PartyFields {
    PartyFields { id: id.into(), ..Default::default() }
}

fn errors_of<T: std::fmt::Debug>(r: Result<T, FieldErrors>) -> Vec<String> {
    r.unwrap_err().0.into_iter().map(|e| e.field.into_owned()).collect()
}

#[test]
fn order117_art15_a_change_is_due_7_working_days_after_the_platform_learned_of_it() {
    let cal = Calendar::official();
    // Thursday 2026-11-19: Fri 20, Mon 23 … Fri 27, Mon 30.
    assert_eq!(report_due(bj("2026-11-19 09:00"), cal).due, d("2026-11-30"));
    assert!(!is_late(bj("2026-11-19 09:00"), bj("2026-11-30 23:59"), cal));
    assert!(is_late(bj("2026-11-19 09:00"), bj("2026-12-01 00:01"), cal));
}

#[test]
fn order121_art45_the_report_period_skips_national_day_and_counts_the_make_up_saturday() {
    // Tuesday 2026-09-29: 9-30, then 10-1…10-7 are holidays, 10-8, 10-9, Saturday 10-10 (调休), 10-12, 10-13, 10-14.
    let cal = Calendar::official();
    assert_eq!(report_due(bj("2026-09-29 15:00"), cal).due, d("2026-10-14"));
    assert!(!is_late(bj("2026-09-29 15:00"), bj("2026-10-14 18:00"), cal));
    assert!(is_late(bj("2026-09-29 15:00"), bj("2026-10-15 08:00"), cal));
}

#[test]
fn order117_art25_a_registered_operator_needs_a_valid_credit_code() {
    let mut f = fields("op-1");
    f.kind = "LEGAL_PERSON".into();
    f.name = "杭州新店电子商务有限公司".into();
    let good = code("91330105MA2C0DE4B");
    let mut bad = good.clone();
    let last = if bad.ends_with('1') { '2' } else { '1' };
    bad.replace_range(17.., &last.to_string());
    f.credit_code = bad;
    assert_eq!(errors_of(operator(&f, "operators[0]", now())), vec!["operators[0].credit_code"]);
    f.credit_code = good.clone();
    let op = operator(&f, "operators[0]", now()).unwrap();
    assert_eq!(op.credit_code.unwrap().as_str(), good);
    assert_eq!(op.learned_at, now(), "a blank learned_at means now");
}

#[test]
fn order117_art25_an_unregistered_person_discloses_address_and_contact_and_only_a_masked_id() {
    let mut f = fields("op-2");
    f.kind = "UNREGISTERED_PERSON".into();
    f.name = "李某".into();
    f.masked_id = "330106199001011234".into();
    assert_eq!(errors_of(operator(&f, "", now())), vec!["masked_id", "contact"]);
    f.masked_id = "330106********1234".into();
    f.business_address = "浙江省杭州市西湖区文三路1号".into();
    f.contact = "0571-88888888".into();
    let op = operator(&f, "", now()).unwrap();
    assert_eq!(op.masked_id.as_deref(), Some("330106********1234"));
    assert_eq!(op.credit_code, None);
}

#[test]
fn pipl_art51_a_masked_id_shows_at_most_ten_characters() {
    assert!(is_masked_id("330106********1234"));
    assert!(!is_masked_id("3301061*******1234"));
    assert!(!is_masked_id("330106199001011234"));
    assert!(!is_masked_id("3301"));
}

#[test]
fn a_report_in_the_future_or_without_a_time_zone_is_refused() {
    let mut f = fields("room-1");
    f.name = "新店直播间".into();
    f.url = "https://live.example/r/1".into();
    f.operator = "op-1".into();
    f.learned_at = "2026-11-23T11:00:00+08:00".into();
    assert_eq!(errors_of(room(&f, "rooms[9]", now())), vec!["rooms[9].learned_at"]);
    f.learned_at = "2026-11-20 10:00".into();
    assert_eq!(errors_of(room(&f, "rooms[9]", now())), vec!["rooms[9].learned_at"]);
    f.learned_at = "2026-11-20T10:00:00+08:00".into();
    assert_eq!(room(&f, "", now()).unwrap().learned_at, bj("2026-11-20 10:00"));
    f.url = "javascript:alert(1)".into();
    assert_eq!(errors_of(room(&f, "", now())), vec!["url"]);
}

#[test]
fn order117_art2_a_marketer_may_be_a_virtual_human_and_a_platform_id_has_no_spaces() {
    let mut f = fields("host 7");
    f.name = "小新".into();
    f.account = "xiaoxin_live".into();
    f.is_virtual = true;
    assert_eq!(errors_of(marketer(&f, "", now())), vec!["id"]);
    f.id = "host-7".into();
    let m = marketer(&f, "", now()).unwrap();
    assert!(m.is_virtual);
    assert_eq!(m.mcn_ref, None);
}

#[test]
fn order117_art25_the_public_sees_a_natural_person_by_account_name_and_city_only() {
    let licence = Licence { name: "食品经营许可证".into(), number: "JY1".into(), valid_until: None };
    let rec = |kind| OperatorRecord {
        kind,
        name: "李某",
        account_name: "小李好物",
        credit_code: None,
        displayed_address: Some("浙江省杭州市西湖区文三路1号"),
        region: Some("330106"),
        licences: vec![licence.clone()],
    };
    let p = public_operator(rec(OperatorKind::UnregisteredPerson));
    assert_eq!(
        p,
        PublicOperator {
            name: "小李好物".into(),
            credit_code: None,
            address: None,
            city_region: Some("330100".into()),
            licences: vec![]
        }
    );
    let q = public_operator(OperatorRecord {
        name: "杭州优选",
        displayed_address: Some("湖墅南路8号"),
        ..rec(OperatorKind::LegalPerson)
    });
    assert_eq!(q.address.as_deref(), Some("湖墅南路8号"));
    assert_eq!(q.licences, vec![licence]);
    assert_eq!(q.name, "杭州优选");
}

#[test]
fn operator_kind_strings_match_serde() {
    for k in OperatorKind::ALL {
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
    }
}
