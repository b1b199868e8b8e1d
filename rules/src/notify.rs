//! Who must act on or should know about a case event (通知), when reminders
//! may be sent, and when a clock is 75 % spent. Pure: the store turns an
//! audience into people and writes the notification in the event's
//! transaction; the outbox worker sends it.
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::case::CaseState;
use crate::clock::ClockKind;

/// A party to a case, resolved to people by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Audience {
    Consumer,
    Operator,
    Platform,
    Regulator,
}

/// What the notification says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    /// The case now waits for you.
    Routed,
    OfferReceived,
    Escalated,
    Accepted,
    Refused,
    MediationOutcome,
    Withdrawn,
    /// 75 % of a clock that binds you is spent.
    ClockReminder,
    ClockOverdue,
    PreservationRequested,
    TipRouted,
    /// New facts joined a tip being handled; its verification limit restarts (Order 121 Art. 35).
    TipNewFacts,
    TipStatus,
    Digest,
    /// A link to an email address: finish registering, or take a staff invitation.
    AccountLink,
    /// Someone tried to register with an address that already has an account.
    AlreadyRegistered,
    /// A webhook endpoint failed for five days and was switched off.
    WebhookDisabled,
    /// Complaints about one room, product or marketer bunch in time (Order 117 Art. 20 monitoring).
    ClusterAlert,
    /// A platform reports a disposal measure to the agencies where it is domiciled (Order 117 Art. 12).
    MeasureReport,
    /// A consumer asks the platform for the operator's and marketer's identity and the records (Order 117 Art. 18).
    RecordsRequested,
    /// The platform answered that request.
    RecordsSupplied,
    /// A jurisdiction dispute referred for designation, or designated (Order 121 Art. 33).
    JurisdictionDispute,
    /// The consumer's case: market supervision has not decided on acceptance
    /// within D5; where to follow it up (Order 121 Art. 15).
    RegulatorOverdue,
    /// The agency tells the platform a party cannot be reached, or the platform reminded it (Order 117 Art. 22).
    UnreachableParty,
    /// A new signed checkpoint of the transparency log, for the organisations that asked.
    Checkpoint,
}
str_enum!(Kind {
    Routed => "ROUTED", OfferReceived => "OFFER_RECEIVED", Escalated => "ESCALATED", Accepted => "ACCEPTED",
    Refused => "REFUSED", MediationOutcome => "MEDIATION_OUTCOME", Withdrawn => "WITHDRAWN",
    ClockReminder => "CLOCK_REMINDER", ClockOverdue => "CLOCK_OVERDUE", PreservationRequested => "PRESERVATION_REQUESTED",
    TipRouted => "TIP_ROUTED", TipNewFacts => "TIP_NEW_FACTS", TipStatus => "TIP_STATUS", Digest => "DIGEST", AccountLink => "ACCOUNT_LINK",
    AlreadyRegistered => "ALREADY_REGISTERED", WebhookDisabled => "WEBHOOK_DISABLED", ClusterAlert => "CLUSTER_ALERT",
    MeasureReport => "MEASURE_REPORT", RecordsRequested => "RECORDS_REQUESTED", RecordsSupplied => "RECORDS_SUPPLIED",
    JurisdictionDispute => "JURISDICTION_DISPUTE", RegulatorOverdue => "REGULATOR_OVERDUE",
    UnreachableParty => "UNREACHABLE_PARTY", Checkpoint => "CHECKPOINT"
});

impl Kind {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Kind::Routed => "有案件待您处理",
            Kind::OfferReceived => "您收到了处理方案",
            Kind::Escalated => "案件已提交市场监管部门",
            Kind::Accepted => "监管部门已受理",
            Kind::Refused => "监管部门不予受理",
            Kind::MediationOutcome => "调解结果",
            Kind::Withdrawn => "投诉已撤回",
            Kind::ClockReminder => "时限即将届满",
            Kind::ClockOverdue => "时限已逾期",
            Kind::PreservationRequested => "请保全直播回放",
            Kind::TipRouted => "收到新的举报",
            Kind::TipNewFacts => "举报补充了新的事实，核查时限重新计算",
            Kind::TipStatus => "举报处理进展",
            Kind::Digest => "待办汇总",
            Kind::AccountLink => "请确认您的邮箱",
            Kind::AlreadyRegistered => "您的邮箱已注册",
            Kind::WebhookDisabled => "Webhook 接收地址已停用",
            Kind::ClusterAlert => "短时间内投诉集中",
            Kind::MeasureReport => "平台处置措施报告",
            Kind::RecordsRequested => "消费者申请调取经营者信息和交易记录",
            Kind::RecordsSupplied => "平台已提供您申请调取的信息和记录",
            Kind::JurisdictionDispute => "管辖争议",
            Kind::RegulatorOverdue => "市场监管部门逾期未作出受理决定",
            Kind::UnreachableParty => "经营者或主播无法联系",
            Kind::Checkpoint => "透明日志检查点",
        }
    }
    pub fn label_en(&self) -> &'static str {
        match self {
            Kind::Routed => "A case waits for you",
            Kind::OfferReceived => "You received an offer",
            Kind::Escalated => "The case went to market supervision",
            Kind::Accepted => "Accepted by the regulator",
            Kind::Refused => "Refused by the regulator",
            Kind::MediationOutcome => "Mediation outcome",
            Kind::Withdrawn => "Complaint withdrawn",
            Kind::ClockReminder => "A deadline is near",
            Kind::ClockOverdue => "A deadline has passed",
            Kind::PreservationRequested => "Please preserve the replay",
            Kind::TipRouted => "A new tip",
            Kind::TipNewFacts => "A tip has new facts; its verification time limit restarts",
            Kind::TipStatus => "Tip progress",
            Kind::Digest => "Digest",
            Kind::AccountLink => "Confirm your email address",
            Kind::AlreadyRegistered => "Your address is already registered",
            Kind::WebhookDisabled => "A webhook endpoint was switched off",
            Kind::ClusterAlert => "Complaints are bunching",
            Kind::MeasureReport => "A platform reports a measure",
            Kind::RecordsRequested => "A consumer asks for the operator's details and the records",
            Kind::RecordsSupplied => "The platform supplied the details and records you asked for",
            Kind::JurisdictionDispute => "A jurisdiction dispute",
            Kind::RegulatorOverdue => "Market supervision has not decided on acceptance in time",
            Kind::UnreachableParty => "An operator or marketer cannot be reached",
            Kind::Checkpoint => "A transparency log checkpoint",
        }
    }
    /// Reminders wait for working hours; everything else goes out at once.
    pub fn is_reminder(&self) -> bool {
        matches!(self, Kind::ClockReminder)
    }
}

/// The notifications a state change produces: (event name, new state) → who, what.
pub fn for_transition(event: &str, to: CaseState) -> Vec<(Audience, Kind)> {
    use Audience::*;
    use CaseState as S;
    let mut out = match to {
        S::RoutedToOperator => vec![(Operator, Kind::Routed)],
        S::PlatformIntervention => vec![(Platform, Kind::Routed)],
        S::EscalationReady => vec![(Consumer, Kind::Routed)],
        S::EscalatedToRegulator | S::RegulatorDispatched => {
            vec![(Regulator, Kind::Routed), (Consumer, Kind::Escalated)]
        }
        S::RegulatorAccepted => vec![(Consumer, Kind::Accepted), (Operator, Kind::Accepted)],
        S::RegulatorRejected => vec![(Consumer, Kind::Refused)],
        S::MediationAgreed | S::MediationTerminated => {
            vec![(Consumer, Kind::MediationOutcome), (Operator, Kind::MediationOutcome)]
        }
        S::Withdrawn => vec![(Operator, Kind::Withdrawn), (Platform, Kind::Withdrawn), (Regulator, Kind::Withdrawn)],
        _ => vec![],
    };
    if matches!(event, "OPERATOR_RESPOND" | "PLATFORM_DECIDE") {
        out.push((Consumer, Kind::OfferReceived));
    }
    out
}

/// Whom a clock binds: reminders and overdue notices go to them.
pub fn bound_party(kind: ClockKind) -> Audience {
    match kind {
        ClockKind::D1 => Audience::Operator,
        ClockKind::D2 => Audience::Consumer,
        ClockKind::D3 | ClockKind::D4 | ClockKind::D4R => Audience::Platform,
        ClockKind::D5 | ClockKind::D6 | ClockKind::D7 => Audience::Regulator,
    }
}

/// Who else hears when a clock runs out: the consumer, when market
/// supervision misses D5, since the portal cannot deem the complaint accepted
/// and the consumer may follow it up through 12315 (Order 121 Art. 15).
pub fn also_told_when_overdue(kind: ClockKind) -> Option<(Audience, Kind)> {
    (kind == ClockKind::D5).then_some((Audience::Consumer, Kind::RegulatorOverdue))
}

/// What a notice of `kind` adds for its reader: (zh, en).
pub fn guidance(kind: Kind) -> Option<(&'static str, &'static str)> {
    (kind == Kind::RegulatorOverdue).then_some((
        "Redline 不能视为已受理。您可以拨打12315热线或登录全国12315平台查询、催办（《市场监督管理投诉举报处理办法》第十五条：收到投诉之日起七个工作日内作出受理或者不予受理的决定）。",
        "Redline cannot treat the complaint as accepted. You may follow it up on the 12315 hotline or the national 12315 platform (Order 121 Art. 15: a decision within seven working days of receipt).",
    ))
}

/// Whether 75 % of a clock's length has passed by `today` (working or natural
/// days, as the clock counts): `remaining` is what is left until `due`.
pub fn reminder_due(days: u32, remaining: i64) -> bool {
    let spent = i64::from(days) - remaining;
    days > 0 && spent * 4 >= i64::from(days) * 3
}

pub const WORK_START: (u32, u32) = (9, 0);
pub const WORK_END: (u32, u32) = (18, 0);

/// The first moment at or after `now` (Beijing local time) inside working
/// hours, 09:00–18:00 on a working day of the calendar (调休 days included).
pub fn next_working_moment(now: NaiveDateTime, cal: &Calendar) -> NaiveDateTime {
    let start = NaiveTime::from_hms_opt(WORK_START.0, WORK_START.1, 0).unwrap();
    let end = NaiveTime::from_hms_opt(WORK_END.0, WORK_END.1, 0).unwrap();
    let mut day: NaiveDate = now.date();
    if cal.is_working_day(day) {
        if now.time() < start {
            return day.and_time(start);
        }
        if now.time() < end {
            return now;
        }
    }
    day += Duration::days(1);
    while !cal.is_working_day(day) {
        day += Duration::days(1);
    }
    day.and_time(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn reminders_wait_for_working_hours_on_working_days() {
        let cal = Calendar::official();
        // Inside hours on a working day: now.
        assert_eq!(next_working_moment(at("2026-11-27 10:30"), cal), at("2026-11-27 10:30"));
        // Before nine: nine the same day.
        assert_eq!(next_working_moment(at("2026-11-27 07:10"), cal), at("2026-11-27 09:00"));
        // Friday evening: Monday nine.
        assert_eq!(next_working_moment(at("2026-11-27 18:00"), cal), at("2026-11-30 09:00"));
        // National Day holiday 2026-10-01..07: the next working day.
        assert_eq!(next_working_moment(at("2026-09-30 20:00"), cal), at("2026-10-08 09:00"));
    }

    #[test]
    fn make_up_workdays_count_as_working_hours() {
        let cal = Calendar::official();
        // 2026-02-14 is a Saturday 调休 make-up workday before Spring Festival.
        let sat = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert!(cal.is_working_day(sat), "the official calendar lists 2026-02-14 as a make-up workday");
        assert_eq!(next_working_moment(at("2026-02-14 08:00"), cal), at("2026-02-14 09:00"));
        // And the Saturday evening rolls to Tuesday 02-24, the first day after the festival.
        assert_eq!(next_working_moment(at("2026-02-14 18:00"), cal), at("2026-02-24 09:00"));
    }

    #[test]
    fn seventy_five_percent_of_a_clock() {
        assert!(!reminder_due(5, 2)); // 3 of 5 spent
        assert!(reminder_due(5, 1)); // 4 of 5 spent
        assert!(!reminder_due(60, 16));
        assert!(reminder_due(60, 15));
        assert!(reminder_due(7, 0));
        assert!(!reminder_due(0, 0), "a clock of no days has no reminder");
    }

    #[test]
    fn each_kind_is_named_in_both_languages_and_only_reminders_wait() {
        use std::collections::HashSet;
        let zh: HashSet<_> = Kind::ALL.iter().map(Kind::label_zh).collect();
        let en: HashSet<_> = Kind::ALL.iter().map(Kind::label_en).collect();
        assert_eq!((zh.len(), en.len()), (Kind::ALL.len(), Kind::ALL.len()));
        assert_eq!(Kind::ALL.iter().filter(|k| k.is_reminder()).collect::<Vec<_>>(), [&Kind::ClockReminder]);
    }

    /// Every state that hands the case to someone tells them; the consumer
    /// hears of each step the agency takes (Order 121 Arts. 15, 23).
    #[test]
    fn each_handover_tells_the_party_that_now_acts() {
        use Audience::*;
        use CaseState as S;
        let t = |to| for_transition("X", to);
        assert_eq!(t(S::PlatformIntervention), [(Platform, Kind::Routed)]);
        assert_eq!(t(S::EscalationReady), [(Consumer, Kind::Routed)]);
        assert_eq!(t(S::EscalatedToRegulator), [(Regulator, Kind::Routed), (Consumer, Kind::Escalated)]);
        assert_eq!(t(S::RegulatorDispatched), [(Regulator, Kind::Routed), (Consumer, Kind::Escalated)]);
        assert_eq!(t(S::RegulatorAccepted), [(Consumer, Kind::Accepted), (Operator, Kind::Accepted)]);
        assert_eq!(t(S::RegulatorRejected), [(Consumer, Kind::Refused)]);
        for s in [S::MediationAgreed, S::MediationTerminated] {
            assert_eq!(t(s), [(Consumer, Kind::MediationOutcome), (Operator, Kind::MediationOutcome)]);
        }
        assert_eq!(
            t(S::Withdrawn),
            [(Operator, Kind::Withdrawn), (Platform, Kind::Withdrawn), (Regulator, Kind::Withdrawn)]
        );
        assert_eq!(for_transition("PLATFORM_DECIDE", S::ConsumerReview), [(Consumer, Kind::OfferReceived)]);
    }

    #[test]
    fn routing_and_offers_reach_the_party_that_must_act() {
        use Audience::*;
        assert_eq!(for_transition("ROUTE_TO_OPERATOR", CaseState::RoutedToOperator), vec![(Operator, Kind::Routed)]);
        assert!(
            for_transition("OPERATOR_RESPOND", CaseState::ConsumerReview).contains(&(Consumer, Kind::OfferReceived))
        );
        assert!(for_transition("WITHDRAW", CaseState::Withdrawn).contains(&(Regulator, Kind::Withdrawn)));
        assert!(for_transition("TRIAGE", CaseState::Triaged).is_empty());
        assert_eq!(bound_party(ClockKind::D4), Platform);
    }
}
