//! Social-supervision tips (举报), Order 121 Art. 3: anyone may report a live
//! room; a tip goes to the platform's report queue (Order 117 Art. 12) and to
//! the competent agency's tip queue (Order 121 Arts. 29, 31), where the D9
//! verification clock runs (Penalty Procedure Rules Art. 18: 15 working days,
//! extendable once by 15). Repeats are recognised (Order 121 Art. 35).
use serde::{Deserialize, Serialize};

use crate::intake::Category;

/// The platform's branch (平台处置).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlatformStatus {
    Reviewing,
    ActionTaken,
    NoAction,
    /// A repeat or merged tip: handled on the tip it is linked to.
    Linked,
}
str_enum!(PlatformStatus { Reviewing => "REVIEWING", ActionTaken => "ACTION_TAKEN", NoAction => "NO_ACTION", Linked => "LINKED" });

/// The regulator's branch (监管核查).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegulatorStatus {
    /// D9 running: verify and decide whether to open a case.
    Verifying,
    /// 立案: a case was opened; D10 (90 days) is the agency's own.
    CaseFiled,
    /// 不予立案.
    NotFiled,
    Decided,
    /// No agency on Redline covers it: the reporter is pointed to 12315 (Art. 34).
    NoAgency,
    Linked,
}
str_enum!(RegulatorStatus {
    Verifying => "VERIFYING", CaseFiled => "CASE_FILED", NotFiled => "NOT_FILED", Decided => "DECIDED",
    NoAgency => "NO_AGENCY", Linked => "LINKED"
});

impl RegulatorStatus {
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            RegulatorStatus::NotFiled | RegulatorStatus::Decided | RegulatorStatus::NoAgency | RegulatorStatus::Linked
        )
    }
}

coded_enum!(
    /// Disposal measures a platform may take (Order 117 Art. 12).
    Measure {
        Warning = "WARNING", "警示", "Warning", "Order 117 Art. 12";
        FunctionLimit = "FUNCTION_LIMIT", "限制功能", "Function limits", "Order 117 Art. 12";
        TrafficLimit = "TRAFFIC_LIMIT", "限制流量", "Traffic limits", "Order 117 Art. 12";
        StreamSuspension = "STREAM_SUSPENSION", "暂停直播", "Stream suspended", "Order 117 Art. 12";
        TimedSuspension = "TIMED_SUSPENSION", "限期暂停服务", "Time-limited suspension", "Order 117 Art. 12";
        AccountClosure = "ACCOUNT_CLOSURE", "关闭账号", "Account closed", "Order 117 Art. 12";
        ReregisterBan = "REREGISTER_BAN", "禁止重新注册", "Ban on re-registering", "Order 117 Art. 12";
        Blacklist = "BLACKLIST", "列入黑名单", "Blacklisted", "Order 117 Arts. 12, 14";
    }
);

impl Measure {
    /// Closures, re-registration bans and blacklisting are also reported at
    /// provincial level (Order 117 Art. 12).
    pub fn reported_to_province(self) -> bool {
        matches!(self, Measure::AccountClosure | Measure::ReregisterBan | Measure::Blacklist)
    }
}

coded_enum!(
    /// What the agency decided after opening a case.
    Decision {
        Penalty = "PENALTY", "给予行政处罚", "Administrative penalty", "Penalty Procedure Rules";
        NoPenalty = "NO_PENALTY", "不予行政处罚", "No penalty", "Penalty Procedure Rules";
        TransferPolice = "TRANSFER_POLICE", "移送公安机关", "Transferred to the police", "Order 121 Art. 42";
        TransferCac = "TRANSFER_CAC", "移送网信部门", "Referred to the internet-information department", "Order 117 Art. 46";
    }
);

/// Content or AI-labelling violations are also listed for the internet-
/// information department (网信部门, Order 117 Arts. 46, 65).
pub fn cac_listed(categories: &[Category]) -> bool {
    categories.iter().any(|c| {
        matches!(
            c,
            Category::AiFabrication
                | Category::AiPersonUnlabelled
                | Category::CommercialDefamation
                | Category::MisleadingRoomSetup
                | Category::IllegalGoodsProhibited
        )
    })
}

coded_enum!(
    /// Where a lead came from, and so which clock verifies it.
    Origin {
        Report = "REPORT", "举报", "Report", "Penalty Procedure Rules Art. 18";
        Mediation = "MEDIATION", "调解中发现的违法线索", "Violation found in mediation", "Order 121 Art. 27";
    }
);

impl Origin {
    /// The clock that verifies it: D9 for a report, D8 for a violation the
    /// mediator found (Order 121 Art. 27). Both run 15 working days, once
    /// 15 more, so one set of dates serves both (`d9_due`).
    pub fn clock(self) -> &'static str {
        match self {
            Origin::Report => "D9",
            Origin::Mediation => "D8",
        }
    }
}

/// What a mediator records of a violation found in a case (T23, Order 121
/// Art. 27): what was found (10 to 5,000 characters) and its categories.
pub fn found_violation(
    description: &str,
    categories: &[&str],
) -> Result<(String, Vec<Category>), crate::field::FieldErrors> {
    let mut errors = crate::field::FieldErrors::default();
    let text = description.trim();
    match text.chars().count() {
        n if n < 10 => errors.add(
            "description",
            "请写明发现的违法事实（至少10个字）",
            "Describe what was found (10 characters or more)",
        ),
        n if n > 5000 => errors.add("description", "不超过5000字", "Up to 5,000 characters"),
        _ => {}
    }
    let cats: Vec<Category> = categories.iter().filter_map(|c| c.parse().ok()).collect();
    if cats.is_empty() || cats.len() != categories.len() {
        errors.add("categories", "请从列表中选择违法类别", "Choose the kind of violation from the list");
    }
    errors.into_result()?;
    Ok((text.to_owned(), cats))
}

/// D9: verification within 15 working days, extendable once by 15.
pub const D9_DAYS: u32 = 15;
pub const D9_EXTENSION: u32 = 15;

/// The D9 due date: 15 working days from `start`, 30 once extended.
pub fn d9_due(start: chrono::NaiveDate, extended: bool) -> chrono::NaiveDate {
    d9_due_paused(start, extended, 0)
}

/// The D9 due date when testing, inspection or appraisal held the
/// verification for `paused_days` (a started day counts whole): those days
/// do not count (Penalty Procedure Rules Art. 18, as D6 under Order 121 Art. 22).
pub fn d9_due_paused(start: chrono::NaiveDate, extended: bool, paused_days: u32) -> chrono::NaiveDate {
    let days = D9_DAYS + if extended { D9_EXTENSION } else { 0 };
    let cal = crate::calendar::Calendar::official();
    let working = crate::calendar::CalendarKind::Working;
    if paused_days == 0 {
        return cal.deadline(start, days, working).due;
    }
    cal.deadline_with_extra(start, days, working, paused_days, Some(format!("paused {paused_days} days (testing)"))).due
}

/// D10: a case opened on a tip (立案) is decided within 90 natural days,
/// extendable by 30 with the approval of the agency's head (Penalty Procedure
/// Rules Art. 64).
pub const D10_DAYS: u32 = 90;
pub const D10_EXTENSION: u32 = 30;

/// The D10 due date: 90 natural days from the day the case was opened, 120
/// once extended (a last day on a holiday moves past it, Order 121 Art. 45).
pub fn d10_due(opened: chrono::NaiveDate, extended: bool) -> chrono::NaiveDate {
    let days = D10_DAYS + if extended { D10_EXTENSION } else { 0 };
    crate::calendar::Calendar::official().deadline(opened, days, crate::calendar::CalendarKind::Natural).due
}

/// The text of the facts, normalised: case, whitespace and punctuation do not
/// make facts new.
pub fn normalise_facts(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// What Art. 35 compares: who reports, about what room, and which facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipKey {
    /// A stable fingerprint of the reporter (account or contact), if known.
    pub reporter: Option<String>,
    pub room_id: i64,
    /// Normalised facts plus sorted categories and moments.
    pub facts: String,
}

impl TipKey {
    pub fn new(
        reporter: Option<String>,
        room_id: i64,
        text: &str,
        categories: &[Category],
        moments: &[String],
    ) -> TipKey {
        let mut cats: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
        cats.sort_unstable();
        let mut ms: Vec<String> = moments.iter().map(|m| normalise_facts(m)).collect();
        ms.sort();
        TipKey { reporter, room_id, facts: format!("{}|{}|{}", normalise_facts(text), cats.join(","), ms.join(",")) }
    }
}

/// How a new tip relates to earlier open tips (Order 121 Art. 35).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Nothing alike: handle it.
    New,
    /// Same reporter, facts and target: not handled again, linked to `0`.
    Same(i64),
    /// Same reporter and target with new facts: merged into `0`, whose clock restarts.
    NewFacts(i64),
    /// Same reporter, facts and target as `0`, handled and closed within the
    /// last year: not handled again, and the reporter is told why.
    RepeatOfClosed(i64),
}

/// How long a closed tip still makes the same facts a repeat (Order 121 Art. 35).
pub const REPEAT_WINDOW_DAYS: i64 = 365;

impl Repeat {
    /// The tip this one is linked to, if it is a repeat.
    pub fn linked(self) -> Option<i64> {
        match self {
            Repeat::New => None,
            Repeat::Same(id) | Repeat::NewFacts(id) | Repeat::RepeatOfClosed(id) => Some(id),
        }
    }
}

/// Where a new tip stands with the platform and the agency when filed. A tip
/// that is a complaint's own (Order 121 Art. 9) is not put in the platform's
/// report queue: the platform has the complaint, and a copy of its narrative
/// there would name the complainant (Art. 37). Repeats follow the tip they
/// are linked to (Art. 35).
pub fn statuses_on_filing(
    repeat: Repeat,
    of_a_complaint: bool,
    agency_known: bool,
) -> (PlatformStatus, RegulatorStatus) {
    let regulator = if agency_known { RegulatorStatus::Verifying } else { RegulatorStatus::NoAgency };
    match repeat {
        Repeat::New if of_a_complaint => (PlatformStatus::Linked, regulator),
        Repeat::New => (PlatformStatus::Reviewing, regulator),
        Repeat::Same(_) | Repeat::NewFacts(_) | Repeat::RepeatOfClosed(_) => {
            (PlatformStatus::Linked, RegulatorStatus::Linked)
        }
    }
}

/// Compares with the reporter's earlier tips about the room (id, key): those
/// still being handled, and those closed within `REPEAT_WINDOW_DAYS`. The same
/// facts are not handled again; new facts join an open tip, or, when none is
/// open, are a new tip. An unknown reporter is never a repeat: anonymity must
/// not merge two different people's reports.
pub fn classify(new: &TipKey, open: &[(i64, TipKey)], closed: &[(i64, TipKey)]) -> Repeat {
    let Some(who) = &new.reporter else { return Repeat::New };
    let mine = |tips: &'_ [(i64, TipKey)]| {
        tips.iter()
            .filter(|(_, k)| k.reporter.as_ref() == Some(who) && k.room_id == new.room_id)
            .map(|(id, k)| (*id, k.facts == new.facts))
            .collect::<Vec<_>>()
    };
    let (open, closed) = (mine(open), mine(closed));
    if let Some((id, _)) = open.iter().find(|(_, same)| *same) {
        return Repeat::Same(*id);
    }
    if let Some((id, _)) = closed.iter().find(|(_, same)| *same) {
        return Repeat::RepeatOfClosed(*id);
    }
    open.first().map_or(Repeat::New, |(id, _)| Repeat::NewFacts(*id))
}

/// What a tip's recorded event did, as its history says it: (zh, en).
pub fn event_label(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "FOUND_IN_MEDIATION" => {
            ("调解中发现的违法线索，立为核查线索", "A violation found in mediation, opened as a lead")
        }
        "LEGAL_HOLD_SET" => ("监管部门设置法律保全", "Legal hold set by the agency"),
        "LEGAL_HOLD_LIFTED" => ("监管部门解除法律保全", "Legal hold lifted by the agency"),
        "SUBMITTED" => ("举报人提交举报", "Tip sent"),
        "ROUTED" => ("已分送承办部门", "Sent to the agency"),
        "NO_AGENCY" => ("暂无管辖部门", "No agency covers it"),
        "REPEAT_RECEIVED" => ("收到相同事实的重复举报，不再重复处理", "The same facts again: not handled twice"),
        "REPEAT_OF_CLOSED" => (
            "相同事实的举报已在一年内处理完毕，不再重复处理",
            "The same facts were handled and closed within the year: not handled again",
        ),
        "NEW_FACTS_MERGED" => ("新的事实已并入，核查期限重新计算", "New facts merged; the time limit restarts"),
        "PLATFORM_ANSWERED" => ("平台作出处置", "Platform answered"),
        "MEASURE_REPORTED" => {
            ("平台已向住所地监管部门报告处置措施", "The platform reported the measure where it is domiciled")
        }
        "D9_EXTENDED" => ("核查期限延长", "Verification extended"),
        "CASE_FILED" => ("立案", "Case opened"),
        "NOT_FILED" => ("不予立案", "Not opened"),
        "DECIDED" => ("作出处理决定", "Decided"),
        "D9_OVERDUE" => ("核查期限已届满", "Verification overdue"),
        "D8_OVERDUE" => {
            ("调解中发现的违法线索核查期限已届满", "Verification of a violation found in mediation overdue")
        }
        "D9_PAUSED" => ("核查因检测、检验、鉴定中止", "Verification held for testing"),
        "D9_RESUMED" => ("核查恢复计算期限", "Verification resumed"),
        "D10_EXTENDED" => ("处理期限经批准延长", "Decision period extended with approval"),
        "D10_OVERDUE" => ("处理期限已届满", "Decision overdue"),
        _ => return None,
    })
}

/// Who recorded a tip event: (zh, en).
pub fn actor_label(role: &str) -> (&'static str, &'static str) {
    match role {
        "REPORTER" => ("举报人", "Reporter"),
        "PLATFORM" => ("平台", "Platform"),
        "REGULATOR" => ("监管部门", "Regulator"),
        _ => ("系统", "System"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order121_art27_a_violation_found_in_mediation_is_verified_in_15_working_days_once_15_more() {
        let found = chrono::NaiveDate::from_ymd_opt(2026, 10, 12).unwrap();
        assert_eq!(d9_due(found, false), chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        assert_eq!(d9_due(found, true), chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!((Origin::Mediation.clock(), Origin::Mediation.article()), ("D8", "Order 121 Art. 27"));
        assert_eq!(Origin::Report.clock(), "D9");
    }

    #[test]
    fn only_an_ended_verification_is_final() {
        use RegulatorStatus as R;
        let fin: Vec<_> = R::ALL.iter().filter(|s| s.is_final()).collect();
        assert_eq!(fin, [&R::NotFiled, &R::Decided, &R::NoAgency, &R::Linked]);
    }

    #[test]
    fn order121_art37_a_complaints_own_tip_stays_out_of_the_platform_report_queue() {
        use PlatformStatus as P;
        use RegulatorStatus as R;
        assert_eq!(statuses_on_filing(Repeat::New, false, true), (P::Reviewing, R::Verifying));
        assert_eq!(statuses_on_filing(Repeat::New, true, true), (P::Linked, R::Verifying));
        assert_eq!(statuses_on_filing(Repeat::New, false, false), (P::Reviewing, R::NoAgency));
        assert_eq!(statuses_on_filing(Repeat::Same(7), false, true), (P::Linked, R::Linked));
        assert_eq!(statuses_on_filing(Repeat::NewFacts(7), true, false), (P::Linked, R::Linked));
        assert_eq!(Repeat::NewFacts(7).linked(), Some(7));
        assert_eq!(Repeat::New.linked(), None);
    }

    #[test]
    fn penalty_procedure_art18_d9_is_15_working_days_across_national_day() {
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // 2026-09-28 (Mon): Oct 1-7 are holidays; Sep 20 and Oct 10 are make-up days.
        assert_eq!(d9_due(d(9, 28), false), d(10, 23));
        assert_eq!(d9_due(d(9, 28), true), d(11, 13));
    }

    fn key(who: Option<&str>, room: i64, text: &str) -> TipKey {
        TipKey::new(who.map(str::to_owned), room, text, &[Category::FalseAdvertising], &["00:42:10".into()])
    }

    #[test]
    fn order121_art35_same_reporter_facts_and_target_is_not_handled_again() {
        let open = vec![(7, key(Some("r1"), 1, "主播称三天美白。"))];
        assert_eq!(classify(&key(Some("r1"), 1, "主播称 三天美白"), &open, &[]), Repeat::Same(7));
    }

    #[test]
    fn order121_art35_new_facts_are_merged_and_restart_the_clock() {
        let open = vec![(7, key(Some("r1"), 1, "主播称三天美白"))];
        assert_eq!(classify(&key(Some("r1"), 1, "主播还称原价999元"), &open, &[]), Repeat::NewFacts(7));
    }

    #[test]
    fn other_reporters_rooms_and_anonymous_tips_are_new() {
        let open = vec![(7, key(Some("r1"), 1, "主播称三天美白"))];
        for closed in [&[][..], &open[..]] {
            assert_eq!(classify(&key(Some("r2"), 1, "主播称三天美白"), &open, closed), Repeat::New);
            assert_eq!(classify(&key(Some("r1"), 2, "主播称三天美白"), &open, closed), Repeat::New);
            assert_eq!(classify(&key(None, 1, "主播称三天美白"), &open, closed), Repeat::New);
        }
    }

    #[test]
    fn order121_art35_the_same_facts_as_a_tip_closed_within_the_year_are_not_handled_again() {
        let closed = vec![(5, key(Some("r1"), 1, "主播称三天美白"))];
        assert_eq!(classify(&key(Some("r1"), 1, "主播称三天美白。"), &[], &closed), Repeat::RepeatOfClosed(5));
        assert_eq!(Repeat::RepeatOfClosed(5).linked(), Some(5));
        // New facts are handled: a closed tip is not reopened.
        assert_eq!(classify(&key(Some("r1"), 1, "主播还称原价999元"), &[], &closed), Repeat::New);
        // An open tip with the same facts comes first; new facts join the open one.
        let open = vec![(7, key(Some("r1"), 1, "主播称三天美白"))];
        assert_eq!(classify(&key(Some("r1"), 1, "主播称三天美白"), &open, &closed), Repeat::Same(7));
        let open = vec![(7, key(Some("r1"), 1, "别的事实"))];
        assert_eq!(classify(&key(Some("r1"), 1, "主播称三天美白"), &open, &closed), Repeat::RepeatOfClosed(5));
        assert_eq!(classify(&key(Some("r1"), 1, "第三件事"), &open, &closed), Repeat::NewFacts(7));
        assert_eq!(
            statuses_on_filing(Repeat::RepeatOfClosed(5), false, true),
            (PlatformStatus::Linked, RegulatorStatus::Linked)
        );
    }

    #[test]
    fn order117_art46_content_and_ai_labelling_are_listed_for_cac() {
        assert!(cac_listed(&[Category::PriceMarking, Category::AiPersonUnlabelled]));
        assert!(!cac_listed(&[Category::PriceMarking, Category::FalseAdvertising]));
    }

    #[test]
    fn statuses_round_trip() {
        for s in RegulatorStatus::ALL {
            assert_eq!(s.as_str().parse::<RegulatorStatus>(), Ok(s));
        }
        for s in PlatformStatus::ALL {
            assert_eq!(s.as_str().parse::<PlatformStatus>(), Ok(s));
        }
        assert_eq!("BLACKLIST".parse::<Measure>(), Ok(Measure::Blacklist));
    }

    #[test]
    fn every_recorded_tip_event_reads_in_both_languages() {
        let names = [
            "SUBMITTED",
            "ROUTED",
            "NO_AGENCY",
            "REPEAT_RECEIVED",
            "NEW_FACTS_MERGED",
            "PLATFORM_ANSWERED",
            "D9_EXTENDED",
            "CASE_FILED",
            "NOT_FILED",
            "DECIDED",
            "D9_OVERDUE",
            "D9_PAUSED",
            "D9_RESUMED",
            "D10_EXTENDED",
            "D10_OVERDUE",
            "D8_OVERDUE",
            "FOUND_IN_MEDIATION",
            "LEGAL_HOLD_SET",
            "LEGAL_HOLD_LIFTED",
        ];
        let labels: Vec<_> = names.iter().map(|n| event_label(n).unwrap_or_else(|| panic!("{n}"))).collect();
        let zh: std::collections::HashSet<_> = labels.iter().map(|l| l.0).collect();
        let en: std::collections::HashSet<_> = labels.iter().map(|l| l.1).collect();
        assert_eq!((zh.len(), en.len()), (names.len(), names.len()));
        assert!(zh.iter().all(|l| !l.chars().any(|c| c.is_ascii_alphanumeric())), "{zh:?}");
    }

    fn ymd(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn penalty_rules_art18_days_held_for_testing_do_not_count_toward_d9() {
        // Received Monday 2026-11-23: 15 working days end on Monday 2026-12-14.
        assert_eq!(d9_due(ymd(2026, 11, 23), false), ymd(2026, 12, 14));
        // Five days held for testing: Saturday 2026-12-19.
        assert_eq!(d9_due_paused(ymd(2026, 11, 23), false, 5), ymd(2026, 12, 19));
        assert_eq!(d9_due_paused(ymd(2026, 11, 23), true, 0), d9_due(ymd(2026, 11, 23), true));
    }

    #[test]
    fn penalty_rules_art64_a_case_on_a_tip_is_decided_within_90_days_extendable_by_30() {
        assert_eq!(d10_due(ymd(2026, 11, 25), false), ymd(2027, 2, 23));
        assert_eq!(d10_due(ymd(2026, 11, 25), true), ymd(2027, 3, 25));
    }
}
