use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ds(v: &[&str]) -> Vec<NaiveDate> {
    v.iter().map(|s| d(s)).collect()
}

fn cal() -> &'static Calendar {
    Calendar::official()
}

fn holiday(zh: &str, en: &str) -> DayKind {
    DayKind::Holiday { name_zh: zh.into(), name_en: en.into() }
}

const WORKING: CalendarKind = CalendarKind::Working;
const NATURAL: CalendarKind = CalendarKind::Natural;

// ---- Data ---------------------------------------------------------------

#[test]
fn official_data_counts_per_year_match_shared_file() {
    assert_eq!(cal().years(), vec![2025, 2026]);
    assert_eq!(cal().listed_counts(2025), (28, 5));
    assert_eq!(cal().listed_counts(2026), (33, 6));
    assert!(cal().source(2026).unwrap().contains("2026"));
}

/// The date lists of /work/shared/calendar/cn-official-days.toml, verbatim.
const SHARED_OFF: &[&str] = &[
    "2025-01-01",
    "2025-01-28",
    "2025-01-29",
    "2025-01-30",
    "2025-01-31",
    "2025-02-01",
    "2025-02-02",
    "2025-02-03",
    "2025-02-04",
    "2025-04-04",
    "2025-04-05",
    "2025-04-06",
    "2025-05-01",
    "2025-05-02",
    "2025-05-03",
    "2025-05-04",
    "2025-05-05",
    "2025-05-31",
    "2025-06-01",
    "2025-06-02",
    "2025-10-01",
    "2025-10-02",
    "2025-10-03",
    "2025-10-04",
    "2025-10-05",
    "2025-10-06",
    "2025-10-07",
    "2025-10-08",
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    "2026-02-15",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-02-21",
    "2026-02-22",
    "2026-02-23",
    "2026-04-04",
    "2026-04-05",
    "2026-04-06",
    "2026-05-01",
    "2026-05-02",
    "2026-05-03",
    "2026-05-04",
    "2026-05-05",
    "2026-06-19",
    "2026-06-20",
    "2026-06-21",
    "2026-09-25",
    "2026-09-26",
    "2026-09-27",
    "2026-10-01",
    "2026-10-02",
    "2026-10-03",
    "2026-10-04",
    "2026-10-05",
    "2026-10-06",
    "2026-10-07",
];
const SHARED_WORK: &[&str] = &[
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

#[test]
fn every_shared_date_is_classified_as_in_shared_file() {
    assert_eq!(SHARED_OFF.len(), 28 + 33);
    assert_eq!(SHARED_WORK.len(), 5 + 6);
    for s in SHARED_OFF {
        assert!(matches!(cal().day_kind(d(s)), DayKind::Holiday { .. }), "{s}");
        assert!(!cal().is_working_day(d(s)), "{s}");
    }
    for s in SHARED_WORK {
        assert!(matches!(cal().day_kind(d(s)), DayKind::MakeUpWorkday { .. }), "{s}");
        assert!(cal().is_working_day(d(s)), "{s}");
    }
    // Every other day of both years follows the plain weekday rule.
    let mut day = d("2025-01-01");
    while day <= d("2026-12-31") {
        let listed = SHARED_OFF.contains(&day.to_string().as_str()) || SHARED_WORK.contains(&day.to_string().as_str());
        if !listed {
            assert!(matches!(cal().day_kind(day), DayKind::Workday | DayKind::Weekend), "{day}");
        }
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn make_up_days_are_attributed_to_their_holiday() {
    let mk = |zh: &str, en: &str| DayKind::MakeUpWorkday { name_zh: zh.into(), name_en: en.into() };
    assert_eq!(cal().day_kind(d("2026-02-14")), mk("春节", "Spring Festival"));
    assert_eq!(cal().day_kind(d("2026-09-20")), mk("国庆节", "National Day"));
    assert_eq!(cal().day_kind(d("2026-10-10")), mk("国庆节", "National Day"));
    assert_eq!(cal().day_kind(d("2026-05-09")), mk("劳动节", "Labour Day"));
    assert_eq!(cal().day_kind(d("2026-01-04")), mk("元旦", "New Year's Day"));
    assert_eq!(cal().day_kind(d("2025-09-28")), mk("国庆节、中秋节", "National Day and Mid-Autumn Festival"));
    assert_eq!(cal().day_kind(d("2026-09-25")), holiday("中秋节", "Mid-Autumn Festival"));
    assert_eq!(cal().day_kind(d("2026-03-07")), DayKind::Weekend);
    assert_eq!(cal().day_kind(d("2026-03-09")), DayKind::Workday);
}

#[test]
fn is_known_only_for_years_with_data() {
    assert!(cal().is_known(d("2025-06-30")));
    assert!(cal().has_year(2026));
    assert!(!cal().is_known(d("2027-01-01")));
    assert!(!cal().has_year(2024));
}

#[test]
fn from_toml_rejects_bad_data() {
    let y = |h: &str| {
        format!("[[year]]\nyear = 2026\nsource = \"t\"\n[[year.holiday]]\nname_zh = \"x\"\nname_en = \"x\"\n{h}")
    };
    let err = |h: &str| Calendar::from_toml(&y(h)).unwrap_err();
    assert!(matches!(err("off = [\"2026-13-01\"]"), CalendarError::BadDate { .. }));
    assert!(matches!(err("off = [\"2026-2-5\"]"), CalendarError::BadDate { .. }));
    assert!(matches!(err("off = [\"2025-10-01\"]"), CalendarError::WrongYear { .. }));
    assert!(matches!(err("off = [\"2026-10-10\"]\nwork = [\"2026-10-10\"]"), CalendarError::OffAndWork { .. }));
    assert!(matches!(err("off = [\"2026-10-01\", \"2026-10-01\"]"), CalendarError::Duplicate { .. }));
    // 2026-10-09 is a Friday: it cannot be a make-up workday.
    assert!(matches!(err("work = [\"2026-10-09\"]"), CalendarError::WorkOnWeekday { .. }));
    assert!(matches!(err("bogus = 1"), CalendarError::Toml(_)));
    assert!(matches!(Calendar::from_toml("year = ["), Err(CalendarError::Toml(_))));
    let twice = format!("{}\n{}", y(""), y(""));
    assert_eq!(Calendar::from_toml(&twice), Err(CalendarError::DuplicateYear(2026)));
}

#[test]
fn from_toml_allows_off_on_weekends_and_new_years_by_data_only() {
    let c = Calendar::from_toml(
        "[[year]]\nyear = 2030\nsource = \"t\"\n[[year.holiday]]\nname_zh = \"甲\"\nname_en = \"A\"\noff = [\"2030-01-05\"]\n",
    )
    .unwrap();
    assert!(c.has_year(2030));
    assert_eq!(c.day_kind(d("2030-01-05")), holiday("甲", "A"));
}

#[test]
fn calendar_kind_strings() {
    assert_eq!("working".parse::<CalendarKind>(), Ok(CalendarKind::Working));
    assert_eq!("natural".parse::<CalendarKind>(), Ok(CalendarKind::Natural));
    assert!("Working days".parse::<CalendarKind>().is_err());
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct W {
        k: CalendarKind,
    }
    assert_eq!(toml::to_string(&W { k: CalendarKind::Natural }).unwrap().trim(), "k = \"natural\"");
    assert_eq!(toml::from_str::<W>("k = \"working\"").unwrap(), W { k: CalendarKind::Working });
}

// ---- Order 121 Art. 45: working days -----------------------------------

#[test]
fn art45_working_days_spring_festival_2026_counts_make_up_saturdays() {
    let dl = cal().deadline(d("2026-02-13"), 7, WORKING);
    assert_eq!(dl.due, d("2026-03-02"));
    assert!(!dl.provisional);
    let ex = &dl.explanation;
    assert_eq!(
        ex.counted,
        ds(&["2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02"])
    );
    let mut skipped: Vec<_> = ds(&[
        "2026-02-15",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-02-21",
        "2026-02-22",
        "2026-02-23",
    ])
    .into_iter()
    .map(|date| SkippedDay { date, reason: holiday("春节", "Spring Festival") })
    .collect();
    skipped.push(SkippedDay { date: d("2026-03-01"), reason: DayKind::Weekend });
    assert_eq!(ex.skipped, skipped);
    let mu: Vec<_> = ex.make_up_workdays.iter().map(|m| m.date).collect();
    assert_eq!(mu, ds(&["2026-02-14", "2026-02-28"]));
    assert_eq!(ex.moved, None);
}

#[test]
fn art45_explanation_accounts_for_every_day_of_a_working_period() {
    for (start, n) in [("2026-02-13", 7), ("2026-09-24", 7), ("2025-01-20", 15), ("2026-12-20", 10)] {
        let dl = cal().deadline(d(start), n, WORKING);
        let ex = &dl.explanation;
        assert_eq!(ex.counted.len(), n as usize);
        assert_eq!(ex.counted.len() + ex.skipped.len(), (dl.due - dl.start).num_days() as usize);
        let mut all: Vec<_> = ex.counted.iter().chain(ex.skipped.iter().map(|s| &s.date)).copied().collect();
        all.sort();
        let mut day = dl.start;
        for x in all {
            day = day.succ_opt().unwrap();
            assert_eq!(x, day);
        }
        assert!(ex.skipped.iter().all(|s| matches!(s.reason, DayKind::Weekend | DayKind::Holiday { .. })));
    }
}

#[test]
fn art45_working_days_labour_day_2026() {
    // Thu 04-30; 05-01..05 off; 05-09 (Sat) make-up workday; 05-10 Sunday.
    let dl = cal().deadline(d("2026-04-30"), 5, WORKING);
    assert_eq!(dl.due, d("2026-05-11"));
    assert_eq!(dl.explanation.counted, ds(&["2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09", "2026-05-11"]));
    assert_eq!(dl.explanation.skipped.len(), 6);
    assert_eq!(cal().deadline(d("2026-04-30"), 7, WORKING).due, d("2026-05-13"));
}

#[test]
fn art45_working_days_mid_autumn_and_national_day_2026() {
    // Thu 09-24: 09-25..27 Mid-Autumn, 28–30 work, 10-01..07 National Day.
    assert_eq!(cal().deadline(d("2026-09-24"), 5, WORKING).due, d("2026-10-09"));
    // 7 WD reaches the make-up Saturday 10-10, skips Sunday 10-11.
    let dl = cal().deadline(d("2026-09-24"), 7, WORKING);
    assert_eq!(dl.due, d("2026-10-12"));
    assert!(dl.explanation.counted.contains(&d("2026-10-10")));
    // From Wed 09-30: the third working day is the make-up Saturday itself.
    let dl = cal().deadline(d("2026-09-30"), 3, WORKING);
    assert_eq!(dl.due, d("2026-10-10"));
    assert_eq!(dl.explanation.skipped.len(), 7);
    // Make-up Sunday 09-20 counts, plain Saturday 09-19 does not.
    let dl = cal().deadline(d("2026-09-18"), 1, WORKING);
    assert_eq!(dl.due, d("2026-09-20"));
    assert_eq!(dl.explanation.skipped, vec![SkippedDay { date: d("2026-09-19"), reason: DayKind::Weekend }]);
}

#[test]
fn art45_working_days_spring_festival_2025() {
    // 01-28..02-04 off; 02-08 (Sat) is a make-up workday.
    assert_eq!(cal().deadline(d("2025-01-27"), 5, WORKING).due, d("2025-02-10"));
    // Make-up Sunday 01-26 counts.
    assert_eq!(cal().deadline(d("2025-01-24"), 1, WORKING).due, d("2025-01-26"));
}

#[test]
fn art45_start_day_not_counted() {
    assert_eq!(cal().deadline(d("2026-03-02"), 1, WORKING).due, d("2026-03-03"));
    assert_eq!(cal().deadline(d("2026-03-02"), 1, NATURAL).due, d("2026-03-03"));
    // Starting on a holiday: counting simply begins with the next working day.
    assert_eq!(cal().deadline(d("2026-10-03"), 1, WORKING).due, d("2026-10-08"));
}

#[test]
fn art45_zero_days_is_due_on_start() {
    for k in [WORKING, NATURAL] {
        let dl = cal().deadline(d("2026-10-03"), 0, k);
        assert_eq!(dl.due, d("2026-10-03"));
        assert!(dl.explanation.counted.is_empty() && dl.explanation.moved.is_none());
        let dl = cal().deadline(d("2027-05-01"), 0, k);
        assert!(!dl.provisional);
    }
}

// ---- Order 121 Art. 45: natural days -----------------------------------

#[test]
fn art45_natural_60_days_ending_in_national_day_moves_past_it() {
    let dl = cal().deadline(d("2026-08-04"), 60, NATURAL);
    assert_eq!(dl.explanation.counted.len(), 60);
    assert_eq!(*dl.explanation.counted.last().unwrap(), d("2026-10-03"));
    assert_eq!(dl.due, d("2026-10-08"));
    assert_eq!(
        dl.explanation.moved,
        Some(Moved {
            from: d("2026-10-03"),
            to: d("2026-10-08"),
            holiday_zh: "国庆节".into(),
            holiday_en: "National Day".into()
        })
    );
    assert!(dl.explanation.skipped.is_empty());
}

#[test]
fn art45_natural_ending_in_spring_festival_moves_to_next_working_day() {
    // 02-21 is a Saturday listed as Spring Festival rest: moved to Tue 02-24.
    let dl = cal().deadline(d("2026-02-14"), 7, NATURAL);
    assert_eq!(dl.due, d("2026-02-24"));
}

#[test]
fn art45_natural_move_lands_on_make_up_sunday() {
    // 2026-01-01..03 off, Sunday 01-04 is a make-up workday.
    assert_eq!(cal().deadline(d("2025-12-25"), 7, NATURAL).due, d("2026-01-04"));
}

#[test]
fn art45_natural_move_skips_weekend_adjacent_to_holiday() {
    let c = Calendar::from_toml(
        "[[year]]\nyear = 2026\nsource = \"t\"\n[[year.holiday]]\nname_zh = \"甲\"\nname_en = \"A\"\noff = [\"2026-03-06\"]\n",
    )
    .unwrap();
    // Fri 03-06 is the holiday; Sat/Sun follow; first working day Mon 03-09.
    let dl = c.deadline(d("2026-03-01"), 5, NATURAL);
    assert_eq!(dl.due, d("2026-03-09"));
    assert_eq!(dl.explanation.moved.as_ref().unwrap().from, d("2026-03-06"));
}

#[test]
fn art45_natural_ending_on_plain_saturday_is_not_moved() {
    let dl = cal().deadline(d("2026-02-28"), 7, NATURAL);
    assert_eq!(dl.due, d("2026-03-07"));
    assert_eq!(dl.explanation.moved, None);
}

#[test]
fn art22_extra_paused_days_extend_natural_period() {
    let dl = cal().deadline_with_extra(d("2026-03-01"), 60, NATURAL, 3, Some("testing".into()));
    // 03-01 + 63 = 05-03 (Labour Day rest) → moved to Wed 05-06.
    assert_eq!(dl.due, d("2026-05-06"));
    assert_eq!(dl.explanation.extra_days, 3);
    assert_eq!(dl.explanation.counted.len(), 63);
    assert_eq!(dl.explanation.extra_reason.as_deref(), Some("testing"));
}

#[test]
fn art45_paused_days_after_a_working_period_move_past_a_holiday() {
    // 5 working days from Mon 2026-09-21: 09-22, 09-23, 09-24, (Mid-Autumn 09-25..27), 09-28, 09-29.
    assert_eq!(cal().deadline(d("2026-09-21"), 5, WORKING).due, d("2026-09-29"));
    // Two paused natural days end on 10-01, National Day: moved to Thu 10-08.
    let dl = cal().deadline_with_extra(d("2026-09-21"), 5, WORKING, 2, Some("testing".into()));
    assert_eq!(dl.due, d("2026-10-08"));
    assert_eq!(dl.explanation.moved.as_ref().map(|m| (m.from, m.to)), Some((d("2026-10-01"), d("2026-10-08"))));
}

// ---- Provisional years ---------------------------------------------------

#[test]
fn art45_date_in_unknown_year_is_provisional() {
    let dl = cal().deadline(d("2027-03-01"), 5, WORKING);
    assert_eq!(dl.due, d("2027-03-08"));
    assert!(dl.provisional);
    assert_eq!(dl.explanation.provisional_years, vec![2027]);
}

#[test]
fn art45_period_crossing_into_unknown_year_is_provisional() {
    // 2027-01-01 (Fri) has no data and is treated as an ordinary weekday.
    let dl = cal().deadline(d("2026-12-29"), 5, WORKING);
    assert_eq!(dl.due, d("2027-01-05"));
    assert!(dl.provisional);
    assert_eq!(dl.explanation.provisional_years, vec![2027]);
    let dl = cal().deadline(d("2026-12-01"), 60, NATURAL);
    assert_eq!(dl.due, d("2027-01-30"));
    assert!(dl.provisional);
    // Ending on 12-31 stays inside known data.
    assert!(!cal().deadline(d("2026-12-01"), 30, NATURAL).provisional);
}

// ---- Summaries -----------------------------------------------------------

#[test]
fn summary_spring_festival_2026() {
    let dl = cal().deadline(d("2026-02-13"), 7, WORKING);
    assert_eq!(
        dl.explanation.summary_zh(&dl),
        "自2026-02-13起算（当日不计），计7个工作日（含春节调休上班日2天），跳过周末1天、春节9天，2026-03-02届满"
    );
    assert_eq!(
        dl.explanation.summary_en(&dl),
        "Counted from 2026-02-13 (start day not counted): 7 working days (including 2 make-up workdays for Spring Festival), skipping 1 weekend day and 9 days of Spring Festival; due 2026-03-02"
    );
}

#[test]
fn summary_mentions_move_extra_and_provisional() {
    let dl = cal().deadline_with_extra(d("2026-03-01"), 60, NATURAL, 3, Some("testing".into()));
    let zh = dl.explanation.summary_zh(&dl);
    assert!(zh.contains("计60个自然日") && zh.contains("顺延至2026-05-06") && zh.contains("3天"), "{zh}");
    let en = dl.explanation.summary_en(&dl);
    assert!(en.contains("moved to 2026-05-06") && en.contains("Labour Day") && en.contains("plus 3 days"), "{en}");
    let dl = cal().deadline(d("2026-12-29"), 5, WORKING);
    assert!(dl.explanation.summary_zh(&dl).contains("2027年放假安排尚未公布"));
    assert!(dl.explanation.summary_en(&dl).contains("provisional: no official holiday data for 2027"));
}
