//! What a consumer can name in a complaint: the red-line violation categories of
//! Order 117 (Arts. 25–26, 29, 32–34, 36–37) and the demands (投诉要求, Order 121 Art. 10).
pub mod complainant;
pub mod complaint;
pub mod moment;
pub mod org;
pub mod tip;

pub use complaint::{ComplaintForm, Narrative, NewComplaint, OrderNo, RoomRef};
pub use moment::Moment;
use serde::{Deserialize, Serialize};
pub use tip::{NewTip, TipForm};

coded_enum!(
    /// Red-line categories (违法行为类别), Order 117 Arts. 25–37, plus after-sales codes.
    Category {
        IllegalGoodsUnsafe = "ILLEGAL_GOODS_UNSAFE", "不符合安全要求的商品或服务", "Unsafe goods or services", "Order 117 Art. 33(1)";
        IllegalGoodsSubstandard = "ILLEGAL_GOODS_SUBSTANDARD", "假冒伪劣、以假充真、以次充好", "Fake, adulterated or substandard goods", "Order 117 Art. 33(2)";
        IllegalGoodsProhibited = "ILLEGAL_GOODS_PROHIBITED", "禁止销售的商品或服务", "Prohibited goods or services", "Order 117 Art. 33(3)";
        FalseAdvertising = "FALSE_ADVERTISING", "虚假宣传、引人误解的商业宣传", "False or misleading advertising", "Order 117 Art. 34 ¶1";
        AiFabrication = "AI_FABRICATION", "利用人工智能编造虚假商业信息或冒充他人", "AI-fabricated information or impersonation", "Order 117 Art. 34 ¶2";
        CommercialDefamation = "COMMERCIAL_DEFAMATION", "商业诋毁", "Commercial defamation", "Order 117 Art. 36";
        PriceMarking = "PRICE_MARKING", "未明码标价或未标明参考价、折扣依据", "Price not marked, or reference price/discount basis missing", "Order 117 Art. 32";
        SellerInfoNotShown = "SELLER_INFO_NOT_SHOWN", "未持续公示实际销售者信息", "Actual seller not shown", "Order 117 Art. 26";
        OperatorInfoNotDisclosed = "OPERATOR_INFO_NOT_DISCLOSED", "账号主页未公示经营者信息", "Operator information not disclosed", "Order 117 Art. 25";
        MisleadingRoomSetup = "MISLEADING_ROOM_SETUP", "直播间名称、布景等欺骗误导", "Misleading room name, set or props", "Order 117 Art. 29";
        AiPersonUnlabelled = "AI_PERSON_UNLABELLED", "数字人未持续标识", "Digital human not labelled", "Order 117 Art. 37";
        AfterSalesRefused = "AFTER_SALES_REFUSED", "拒绝售后", "After-sales refused", "CPL Regs";
        SevenDayReturnRefused = "SEVEN_DAY_RETURN_REFUSED", "拒绝七日无理由退货", "7-day no-reason return refused", "CPL Regs Art. 19";
        PersonalInfoMisuse = "PERSONAL_INFO_MISUSE", "侵害个人信息", "Personal information misused", "CPL Regs Art. 23";
        PlatformRecordsRefused = "PLATFORM_RECORDS_REFUSED", "平台拒绝提供经营者信息或交易记录", "Platform refused operator info or records", "Order 117 Art. 18";
        Other = "OTHER", "其他", "Other", "—";
    }
);

coded_enum!(
    /// Demands (投诉要求), multi-select; `Punish` will spawn a linked tip (Order 121 Art. 9).
    Demand {
        Refund = "REFUND", "退款", "Refund", "CPL Art. 24";
        ReturnRefund = "RETURN_REFUND", "退货退款", "Return and refund", "CPL Art. 24";
        Exchange = "EXCHANGE", "换货", "Exchange", "CPL Art. 24";
        Repair = "REPAIR", "维修", "Repair", "CPL Art. 24";
        Compensation = "COMPENSATION", "赔偿", "Compensation", "CPL Art. 52";
        PunitiveDamages = "PUNITIVE_DAMAGES", "惩罚性赔偿", "Punitive damages", "CPL Art. 55";
        Apology = "APOLOGY", "赔礼道歉", "Apology", "CPL Art. 50";
        Punish = "PUNISH", "请求查处违法行为", "Punish the violation", "Order 121 Art. 9";
    }
);

/// A signal for the regulator, never an automatic refusal: Order 121 Art. 17
/// asks for case-by-case judgement; refusing under Art. 16 is the regulator's decision (Art. 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntakeWarning {
    /// More than 3 years since the consumer knew of the harm (Art. 16(4)).
    PossiblyTimeBarred,
    /// No order number: no provable purchase yet (Art. 16(3), Art. 17).
    NoOrderRecord,
}

impl IntakeWarning {
    pub fn label_zh(self) -> &'static str {
        match self {
            IntakeWarning::PossiblyTimeBarred => "知道权益受损已超过三年，可能不予受理（令第121号第十六条第（四）项）",
            IntakeWarning::NoOrderRecord => "未提供订单号，购买事实待核实（令第121号第十六条第（三）项、第十七条）",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            IntakeWarning::PossiblyTimeBarred => {
                "More than 3 years since the harm was known: possibly inadmissible (Order 121 Art. 16(4))"
            }
            IntakeWarning::NoOrderRecord => {
                "No order number: the purchase is not yet shown (Order 121 Arts. 16(3), 17)"
            }
        }
    }
}

/// Whether `on` is within three years of knowing of the harm (D12, Order 121
/// Art. 16(4)), to the day: a harm known on 2023-11-28 is still in time on 2026-11-28.
pub fn within_limitation(harm_known_on: chrono::NaiveDate, on: chrono::NaiveDate) -> bool {
    on <= harm_known_on.checked_add_months(chrono::Months::new(36)).unwrap_or(chrono::NaiveDate::MAX)
}

/// Intake warnings for a complaint filed on `filed_on`.
pub fn warnings(harm_known_on: chrono::NaiveDate, filed_on: chrono::NaiveDate, has_order: bool) -> Vec<IntakeWarning> {
    let mut w = Vec::new();
    if !within_limitation(harm_known_on, filed_on) {
        w.push(IntakeWarning::PossiblyTimeBarred);
    }
    if !has_order {
        w.push(IntakeWarning::NoOrderRecord);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn order121_art16_4_three_years_from_harm_known_is_a_warning_not_a_refusal() {
        assert_eq!(warnings(d("2023-11-28"), d("2026-11-28"), true), vec![]);
        assert_eq!(warnings(d("2023-11-28"), d("2026-11-29"), true), vec![IntakeWarning::PossiblyTimeBarred]);
    }

    #[test]
    fn each_warning_names_its_article_in_both_languages() {
        let all = [IntakeWarning::PossiblyTimeBarred, IntakeWarning::NoOrderRecord];
        assert!(all[0].label_zh().contains("第十六条第（四）项") && all[0].label_en().contains("Art. 16(4)"));
        assert!(all[1].label_zh().contains("第十七条") && all[1].label_en().contains("17"));
        assert_ne!(all[0].label_zh(), all[1].label_zh());
        assert_ne!(all[0].label_en(), all[1].label_en());
    }

    #[test]
    fn order121_art17_missing_order_is_flagged() {
        assert_eq!(warnings(d("2026-11-01"), d("2026-11-28"), false), vec![IntakeWarning::NoOrderRecord]);
    }

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
        }
        for c in Demand::ALL {
            assert_eq!(c.as_str().parse::<Demand>(), Ok(*c));
        }
    }
}
