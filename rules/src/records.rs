//! The consumer's request for records (Order 117 Art. 18): a consumer in a
//! dispute may ask the platform for the live-room operator's and the
//! marketer's real identity and contact details and for the records Art. 16
//! makes the platform keep (the chat, the order, the payment, the delivery,
//! the replay of the stream). Art. 18 says "on request" without a number;
//! Redline's limit is the platform's D4 (3 working days by default), and a
//! missed answer is flagged for market supervision as a possible breach of
//! Art. 18 (penalty route Art. 55), with no other effect on the case.
use crate::field::FieldError;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// What a consumer may ask the platform for.
    Record {
        Identity = "IDENTITY", "经营者、主播的真实身份信息和联系方式", "the operator's and marketer's identity and contact", "Order 117 Art. 18";
        Chat = "CHAT", "聊天记录", "the chat", "Order 117 Art. 16";
        Order = "ORDER", "订单记录", "the order", "Order 117 Art. 16";
        Payment = "PAYMENT", "支付记录", "the payment", "Order 117 Art. 16";
        Logistics = "LOGISTICS", "物流记录", "the delivery", "Order 117 Art. 16";
        Replay = "REPLAY", "直播回放片段", "the replay segment", "Order 117 Art. 16";
    }
);

/// A request as asked: at least one record, each once, in the list's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordsAsk(Vec<Record>);

impl RecordsAsk {
    /// From the ticked boxes; an unknown value is refused, not dropped.
    pub fn parse(values: &[&str]) -> Result<RecordsAsk, FieldError> {
        let mut picked = Vec::new();
        for v in values {
            let r: Record = v.trim().parse().map_err(|_| {
                FieldError::new("records", "请从列表中选择要调取的记录", "Choose the records from the list")
            })?;
            picked.push(r);
        }
        let items: Vec<Record> = Record::ALL.iter().copied().filter(|r| picked.contains(r)).collect();
        if items.is_empty() {
            return Err(FieldError::new("records", "请至少选择一项要调取的记录", "Choose at least one record"));
        }
        Ok(RecordsAsk(items))
    }

    pub fn items(&self) -> &[Record] {
        &self.0
    }

    /// Stored as codes, comma-separated (`IDENTITY,ORDER`).
    pub fn codes(&self) -> String {
        self.0.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
    }

    pub fn from_codes(s: &str) -> Vec<Record> {
        s.split(',').filter_map(|c| c.parse().ok()).collect()
    }
}

/// The platform's answer: what it supplies or why it cannot.
pub fn answer_text(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    match t.chars().count() {
        0 => Err(FieldError::new(
            "answer",
            "请填写提供的信息或不能提供的理由",
            "Give the information, or why it cannot be given",
        )),
        n if n > 4000 => Err(FieldError::new("answer", "答复不超过4000字", "The answer has up to 4,000 characters")),
        _ => Ok(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order117_art18_a_consumer_asks_for_identity_and_art16_records() {
        let ask = RecordsAsk::parse(&["REPLAY", "IDENTITY", "ORDER", "IDENTITY"]).unwrap();
        assert_eq!(ask.items(), [Record::Identity, Record::Order, Record::Replay]);
        assert_eq!(ask.codes(), "IDENTITY,ORDER,REPLAY");
        assert_eq!(RecordsAsk::from_codes("IDENTITY,ORDER,REPLAY"), ask.items());
        assert_eq!(Record::Identity.article(), "Order 117 Art. 18");
        assert_eq!(Record::Chat.article(), "Order 117 Art. 16");
    }

    #[test]
    fn order117_art18_nothing_or_something_unknown_is_refused() {
        assert_eq!(RecordsAsk::parse(&[]).unwrap_err().field, "records");
        assert_eq!(RecordsAsk::parse(&["IDENTITY", "BANK_ACCOUNT"]).unwrap_err().field, "records");
        assert_eq!(answer_text("  ").unwrap_err().field, "answer");
        assert_eq!(answer_text(" 运营者：杭州优选电子商务有限公司 ").unwrap(), "运营者：杭州优选电子商务有限公司");
    }

    #[test]
    fn order117_art18_the_answer_is_due_in_the_platforms_d4_working_days() {
        use crate::calendar::Calendar;
        use crate::clock::{due, ClockKind, ClockPolicy};
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = due(ClockKind::D4R, monday, &ClockPolicy::default(), 0, Calendar::official());
        assert_eq!(d.due, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        // Asked on the Wednesday before National Day 2026: 1–7 October do not
        // count; the 8th, the 9th and the make-up Saturday the 10th do.
        let before = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let d = due(ClockKind::D4R, before, &ClockPolicy::default(), 0, Calendar::official());
        assert_eq!(d.due, chrono::NaiveDate::from_ymd_opt(2026, 10, 10).unwrap());
    }
}
