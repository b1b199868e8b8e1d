//! How long records are kept (留存), and when they must go. Order 117 Art. 16
//! and E-Commerce Law Art. 31: transaction records and replays at least three
//! years from the completion of the transaction. PIPL Arts. 19 and 47: nothing
//! personal is kept longer than its purpose needs, so once a duty ends the
//! record is deleted, unless a regulator holds it (legal hold) for a case,
//! litigation or inspection that is still open.
use crate::case::Role;
use crate::field::FieldError;
use chrono::{Months, NaiveDate};

/// Three years on from `from` (29 February → 28 February).
pub fn min_retain_until(from: NaiveDate) -> NaiveDate {
    from.checked_add_months(Months::new(36)).unwrap_or(from)
}

/// The day the transaction a complaint is about was complete, as far as
/// Redline knows it: the later of the order and the end of the stream (a
/// stream sells until it ends); with neither known, the filing day, which is
/// never before the transaction.
pub fn transaction_completed_on(
    ordered_on: Option<NaiveDate>,
    stream_ended_on: Option<NaiveDate>,
    filed_on: NaiveDate,
) -> NaiveDate {
    ordered_on.max(stream_ended_on).unwrap_or(filed_on)
}

/// The earliest retention date for a replay or record of that transaction
/// (Order 117 Art. 16: at least three years from its completion), and never
/// before the day of the complaint: an order date the consumer typed may lie
/// years back, and a replay cannot be kept "until" a day already past while
/// its dispute is open.
pub fn min_retain_for_transaction(
    ordered_on: Option<NaiveDate>,
    stream_ended_on: Option<NaiveDate>,
    filed_on: NaiveDate,
) -> NaiveDate {
    min_retain_until(transaction_completed_on(ordered_on, stream_ended_on, filed_on)).max(filed_on)
}

/// Why a record is kept until a day: the rule the deletion log names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A case file (complaint, events, clocks, offers, decisions, the
    /// complainant's details): three years after closure, the statutory
    /// three-year periods (Order 117 Art. 16; Order 121 Art. 16(4)) [policy].
    CaseFile,
    /// Evidence and replay references: three years after the end of the
    /// stream or the closure, whichever is later (Order 117 Art. 16).
    Evidence,
    /// A tip that led to no case (立案) and names no complaint: one year
    /// after it was closed (PIPL Art. 19: the shortest time necessary) [policy].
    TipWithoutCase,
    /// A tip the agency opened a case on, or one linked to a complaint:
    /// three years after it was closed, as a case file.
    TipWithCase,
    /// An account its holder deleted (PIPL Art. 47(1)): erased at once where no
    /// duty to keep applies; the case files it filed stay until their own day.
    AccountDeletion,
}
str_enum!(Rule {
    CaseFile => "CASE_FILE_3Y_AFTER_CLOSURE",
    Evidence => "EVIDENCE_3Y_AFTER_STREAM_OR_CLOSURE",
    TipWithoutCase => "TIP_WITHOUT_CASE_1Y_AFTER_CLOSURE",
    TipWithCase => "TIP_WITH_CASE_3Y_AFTER_CLOSURE",
    AccountDeletion => "ACCOUNT_DELETED_ON_REQUEST"
});

impl Rule {
    /// The basis, as the deletion log and the pages cite it.
    pub fn basis(self) -> &'static str {
        match self {
            Rule::CaseFile => "Order 117 Art. 16; Order 121 Art. 16(4); PIPL Art. 47",
            Rule::Evidence => "Order 117 Art. 16; E-Commerce Law Art. 31; PIPL Art. 47",
            Rule::TipWithoutCase => "PIPL Arts. 19, 47",
            Rule::TipWithCase => "Order 117 Art. 16; PIPL Art. 47",
            Rule::AccountDeletion => "PIPL Art. 47(1)",
        }
    }
}

/// A closed case file is kept until this day (`Rule::CaseFile`).
pub fn case_file_until(closed_on: NaiveDate) -> NaiveDate {
    min_retain_until(closed_on)
}

/// A case's evidence is kept until this day (`Rule::Evidence`): never before
/// its case file, and three years from the end of the stream it shows.
pub fn evidence_until(closed_on: NaiveDate, stream_ended_on: Option<NaiveDate>) -> NaiveDate {
    case_file_until(closed_on).max(stream_ended_on.map(min_retain_until).unwrap_or(closed_on))
}

/// A closed tip is kept until this day, by the rule that applies to it.
pub fn tip_until(closed_on: NaiveDate, with_case: bool) -> (NaiveDate, Rule) {
    if with_case {
        (min_retain_until(closed_on), Rule::TipWithCase)
    } else {
        (closed_on.checked_add_months(Months::new(12)).unwrap_or(closed_on), Rule::TipWithoutCase)
    }
}

/// Whether a record kept until `retain_until` may be deleted on `today`:
/// only once that day has passed, never while open (no date yet), never under
/// a legal hold.
pub fn expired(retain_until: Option<NaiveDate>, legal_hold: bool, today: NaiveDate) -> bool {
    !legal_hold && retain_until.is_some_and(|d| d < today)
}

/// Who may hold a record against deletion: the agency (a case, litigation or
/// inspection still open), never a party to the dispute.
pub fn may_hold(role: Role) -> bool {
    role == Role::Regulator
}

/// The reason for a legal hold or its release, as the chain records it.
pub fn hold_reason(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    match t.chars().count() {
        0 => Err(FieldError::new(
            "reason",
            "请写明保全理由（如诉讼、行政处罚案件编号）",
            "Give the reason (e.g. the lawsuit or penalty case)",
        )),
        n if n > 500 => Err(FieldError::new("reason", "理由不超过500字", "The reason has up to 500 characters")),
        _ => Ok(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn order117_art16_records_are_kept_at_least_three_years() {
        assert_eq!(min_retain_until(d(2026, 11, 20)), d(2029, 11, 20));
    }

    #[test]
    fn order117_art16_retention_runs_from_the_later_of_the_order_and_the_stream_end() {
        let filed = d(2026, 11, 28);
        // The stream ended after the order: three years from the stream's end, not the filing.
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 22)), Some(d(2026, 11, 23)), filed), d(2029, 11, 23));
        // Ordered after the stream (from its replay's link): from the order.
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 25)), Some(d(2026, 11, 23)), filed), d(2029, 11, 25));
        assert_eq!(min_retain_for_transaction(Some(d(2026, 11, 22)), None, filed), d(2029, 11, 22));
        assert_eq!(min_retain_for_transaction(None, Some(d(2026, 11, 23)), filed), d(2029, 11, 23));
        // Nothing known: the filing day, never before the transaction.
        assert_eq!(min_retain_for_transaction(None, None, filed), d(2029, 11, 28));
        // An order typed as five years back: not a day already past.
        assert_eq!(min_retain_for_transaction(Some(d(2021, 6, 1)), None, filed), filed);
    }

    #[test]
    fn order117_art16_three_years_from_a_leap_day_end_in_february() {
        assert_eq!(min_retain_until(d(2028, 2, 29)), d(2031, 2, 28));
    }

    #[test]
    fn order117_art16_a_case_file_is_kept_three_years_after_closure() {
        assert_eq!(case_file_until(d(2026, 12, 3)), d(2029, 12, 3));
    }

    #[test]
    fn order117_art16_evidence_is_kept_three_years_after_the_later_of_stream_end_and_closure() {
        assert_eq!(evidence_until(d(2026, 12, 3), Some(d(2026, 11, 20))), d(2029, 12, 3));
        // A stream that ended after the case closed (a replay linked later) sets the date.
        assert_eq!(evidence_until(d(2026, 12, 3), Some(d(2026, 12, 20))), d(2029, 12, 20));
        assert_eq!(evidence_until(d(2026, 12, 3), None), d(2029, 12, 3));
    }

    #[test]
    fn pipl_art19_a_tip_without_a_case_is_kept_one_year_with_a_case_three() {
        assert_eq!(tip_until(d(2026, 12, 3), false), (d(2027, 12, 3), Rule::TipWithoutCase));
        assert_eq!(tip_until(d(2026, 12, 3), true), (d(2029, 12, 3), Rule::TipWithCase));
    }

    #[test]
    fn pipl_art47_deleted_once_the_day_has_passed_never_under_a_legal_hold() {
        let until = Some(d(2029, 12, 3));
        assert!(!expired(until, false, d(2029, 12, 3)), "kept through its last day");
        assert!(expired(until, false, d(2029, 12, 4)));
        assert!(!expired(until, true, d(2035, 1, 1)), "a legal hold keeps it");
        assert!(!expired(None, false, d(2035, 1, 1)), "an open case has no date yet");
    }

    #[test]
    fn pipl_art47_only_the_agency_sets_a_legal_hold_with_a_reason() {
        let who: Vec<Role> =
            [Role::Consumer, Role::Operator, Role::Platform, Role::Regulator, Role::System, Role::Admin]
                .into_iter()
                .filter(|r| may_hold(*r))
                .collect();
        assert_eq!(who, [Role::Regulator]);
        assert_eq!(hold_reason("  ").unwrap_err().field, "reason");
        assert_eq!(hold_reason(" （2027）京0105民初123号 ").unwrap(), "（2027）京0105民初123号");
        assert_eq!(Rule::CaseFile.as_str(), "CASE_FILE_3Y_AFTER_CLOSURE");
    }
}
