use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> &'static Calendar {
    Calendar::official()
}

const ALL_SET: ClockPolicy = ClockPolicy {
    d1_working_days: Some(10),
    d2_natural_days: Some(14),
    d3_working_days: Some(3),
    d4_working_days: Some(2),
    preserve_margin_min: Some(10),
};

#[test]
fn clock_kind_metadata() {
    use ClockKind::*;
    let lens: Vec<_> = ClockKind::ALL.iter().map(|k| (k.code(), k.default_days(), k.calendar_kind())).collect();
    assert_eq!(
        lens,
        vec![
            ("D1", 5, CalendarKind::Working),
            ("D2", 7, CalendarKind::Natural),
            ("D3", 5, CalendarKind::Working),
            ("D4", 3, CalendarKind::Working),
            ("D5", 7, CalendarKind::Working),
            ("D6", 60, CalendarKind::Natural),
            ("D7", 7, CalendarKind::Working),
            ("D4R", 3, CalendarKind::Working),
        ]
    );
    assert!(D5.is_legal() && D6.is_legal() && D7.is_legal());
    assert!(!D1.is_legal() && !D2.is_legal() && !D3.is_legal() && !D4.is_legal() && !D4R.is_legal());
    assert!(!D4.holds_the_case() && !D4R.holds_the_case());
    assert_eq!(ClockKind::ALL.iter().filter(|k| k.is_pausable()).count(), 1);
    assert!(D6.is_pausable());
    assert_eq!(D1.name_zh(), "经营者首次答复");
    assert_eq!(D7.name_en(), "notice of termination");
    assert_eq!(D5.basis(), "Order 121 Art. 15; CPL Regs Art. 46");
    assert_eq!(D7.basis(), "Order 121 Art. 23 ¶2");
    assert!(D1.basis().starts_with("[policy]"));
}

#[test]
fn clock_kind_and_status_strings() {
    for k in ClockKind::ALL {
        assert_eq!(k.to_string().parse::<ClockKind>(), Ok(k));
    }
    assert!("D8".parse::<ClockKind>().is_err());
    for s in ClockStatus::ALL {
        assert_eq!(s.as_str().parse::<ClockStatus>(), Ok(s));
    }
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct W {
        k: ClockKind,
        s: ClockStatus,
    }
    let w = W { k: ClockKind::D6, s: ClockStatus::Paused };
    let t = toml::to_string(&w).unwrap();
    assert_eq!(t, "k = \"D6\"\ns = \"PAUSED\"\n");
    assert_eq!(toml::from_str::<W>(&t).unwrap(), w);
}

#[test]
fn policy_overrides_apply_to_policy_clocks() {
    assert_eq!(length(ClockKind::D1, &ALL_SET), (10, CalendarKind::Working));
    assert_eq!(length(ClockKind::D2, &ALL_SET), (14, CalendarKind::Natural));
    assert_eq!(length(ClockKind::D3, &ALL_SET), (3, CalendarKind::Working));
    assert_eq!(length(ClockKind::D1, &ClockPolicy::default()), (5, CalendarKind::Working));
}

#[test]
fn order121_legal_clocks_ignore_policy_overrides() {
    assert_eq!(length(ClockKind::D5, &ALL_SET), (7, CalendarKind::Working));
    assert_eq!(length(ClockKind::D6, &ALL_SET), (60, CalendarKind::Natural));
    assert_eq!(length(ClockKind::D7, &ALL_SET), (7, CalendarKind::Working));
}

#[test]
fn policy_validation_protects_the_consumer() {
    assert_eq!(ClockPolicy::default().validate(), Ok(()));
    // The consumer's review window cannot be cut below 7 days.
    let p = ClockPolicy { d2_natural_days: Some(1), ..Default::default() };
    assert_eq!(p.validate(), Err(ClockError::OutOfRange { field: "d2_natural_days", value: 1, min: 7, max: 30 }));
    // The respondents' limits cannot stretch past the 10-working-day ODR window.
    let p = ClockPolicy { d3_working_days: Some(11), ..Default::default() };
    assert!(p.validate().is_err());
    let p = ClockPolicy {
        d1_working_days: Some(7),
        d3_working_days: Some(3),
        d2_natural_days: Some(30),
        ..Default::default()
    };
    assert!(p.validate().is_ok());
    let p = ClockPolicy { d1_working_days: Some(0), ..Default::default() };
    assert!(p.validate().is_err());
}

#[test]
fn order117_art20_d1_and_d3_together_at_most_10_working_days() {
    // Each alone may reach 10, but a consumer waits at most 10 working days for both respondents.
    assert_eq!(ALL_SET.validate(), Err(ClockError::RespondentsTooLong { d1: 10, d3: 3, max: 10 }));
    let p = ClockPolicy { d1_working_days: Some(10), ..Default::default() };
    assert_eq!(p.validate(), Err(ClockError::RespondentsTooLong { d1: 10, d3: 5, max: 10 }), "D3 defaults to 5");
    let p = ClockPolicy { d1_working_days: Some(6), d3_working_days: Some(4), ..Default::default() };
    assert_eq!(p.validate(), Ok(()));
    assert!(ClockError::RespondentsTooLong { d1: 6, d3: 5, max: 10 }.zh().contains("合计不得超过 10 个工作日"));
}

#[test]
fn order117_art20_d1_due_uses_working_days() {
    let dl = due(ClockKind::D1, d("2026-02-13"), &ClockPolicy::default(), 0, cal());
    assert_eq!(dl.due, d("2026-02-27"));
    let dl = due(ClockKind::D1, d("2026-02-13"), &ALL_SET, 0, cal());
    assert_eq!((dl.days, dl.due), (10, d("2026-03-05")));
}

#[test]
fn order121_art15_d5_acceptance_within_7_working_days() {
    let dl = due(ClockKind::D5, d("2026-04-30"), &ALL_SET, 0, cal());
    assert_eq!(dl.due, d("2026-05-13"));
}

#[test]
fn order121_art22_d6_pause_adds_days() {
    let base = due(ClockKind::D6, d("2026-03-01"), &ClockPolicy::default(), 0, cal());
    assert_eq!(base.due, d("2026-04-30"));
    assert_eq!((base.explanation.extra_days, base.explanation.extra_reason.as_deref()), (0, None), "never paused");
    let paused = due(ClockKind::D6, d("2026-03-01"), &ClockPolicy::default(), 3, cal());
    // 03-01 + 63 = 05-03, a Labour Day rest day → Art. 45 move to 05-06.
    assert_eq!(paused.due, d("2026-05-06"));
    assert_eq!(paused.explanation.extra_days, 3);
    assert_eq!(
        paused.explanation.extra_reason.as_deref(),
        Some("paused 3 days (testing/recusal, Order 121 Arts. 21–22)")
    );
}

#[test]
fn clocks_neither_pausable_nor_held_ignore_paused_days() {
    for k in [ClockKind::D4, ClockKind::D5, ClockKind::D7, ClockKind::D4R] {
        let p = ClockPolicy::default();
        assert_eq!(due(k, d("2026-03-02"), &p, 9, cal()), due(k, d("2026-03-02"), &p, 0, cal()));
    }
}

#[test]
fn t24_order121_art23_6_the_days_a_suspicion_held_d1_to_d3_are_added() {
    // D2, 7 natural days from 2 March: the 9th; nine held days on: the 18th.
    let dl = due(ClockKind::D2, d("2026-03-02"), &ClockPolicy::default(), 9, cal());
    assert_eq!((dl.due, dl.explanation.extra_days), (d("2026-03-18"), 9));
    assert_eq!(
        dl.explanation.extra_reason.as_deref(),
        Some("held 9 days while fraud was suspected (Order 121 Art. 23(6))")
    );
}

#[test]
fn paused_days_round_up_started_days() {
    assert_eq!(paused_days(0), 0);
    assert_eq!(paused_days(-5), 0);
    assert_eq!(paused_days(1), 1);
    assert_eq!(paused_days(86_399), 1);
    assert_eq!(paused_days(86_400), 1);
    assert_eq!(paused_days(86_401), 2);
    assert_eq!(paused_days(3 * 86_400), 3);
    assert_eq!(paused_days(i64::MAX), u32::MAX);
}

#[test]
fn remaining_working_days_counts_official_calendar() {
    let c = cal();
    assert_eq!(remaining_working_days(c, d("2026-02-13"), d("2026-03-02")), 7);
    assert_eq!(remaining_working_days(c, d("2026-03-02"), d("2026-03-02")), 0);
    // Due on Sat 03-07 seen from Fri 03-06: no working day left, not overdue yet.
    assert_eq!(remaining_working_days(c, d("2026-03-06"), d("2026-03-07")), 0);
    assert_eq!(remaining_working_days(c, d("2026-03-03"), d("2026-03-02")), -1);
    // Overdue across the make-up Saturday 02-28: 02-28 and 03-02 are past.
    assert_eq!(remaining_working_days(c, d("2026-03-02"), d("2026-02-27")), -2);
}

#[test]
fn remaining_natural_days_and_overdue() {
    assert_eq!(remaining_natural_days(d("2026-02-13"), d("2026-03-02")), 17);
    assert_eq!(remaining_natural_days(d("2026-03-04"), d("2026-03-02")), -2);
    assert!(!is_overdue(d("2026-03-02"), d("2026-03-02")));
    assert!(is_overdue(d("2026-03-03"), d("2026-03-02")));
    assert!(!is_overdue(d("2026-03-01"), d("2026-03-02")));
}

#[test]
fn order117_art16_preservation_clock_and_margin_are_platform_policy_within_bounds() {
    let p = ClockPolicy::default();
    assert_eq!(length(ClockKind::D4, &p), (3, CalendarKind::Working));
    assert_eq!(p.preserve_margin_secs(), 300);
    assert_eq!(length(ClockKind::D4, &ALL_SET), (2, CalendarKind::Working));
    assert_eq!(ALL_SET.preserve_margin_secs(), 600);
    let short = ClockPolicy { preserve_margin_min: Some(1), ..Default::default() };
    assert!(short.validate().is_err(), "a margin below 5 minutes would cut the consumer's proof");
    let slow = ClockPolicy { d4_working_days: Some(11), ..Default::default() };
    assert!(slow.validate().is_err());
}

#[test]
fn order121_arts21_22_a_paused_mediation_is_explained_in_chinese() {
    let paused = due(ClockKind::D6, d("2026-03-01"), &ClockPolicy::default(), 3, cal());
    let zh = paused.explanation.summary_zh(&paused);
    assert!(zh.contains("另加不计入期间的3天") && zh.contains("检测、鉴定或回避"), "{zh}");
    assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
}
