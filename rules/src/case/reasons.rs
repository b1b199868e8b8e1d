//! Reason codes the regulator records: refusal (不予受理, Order 121 Art. 16),
//! termination of mediation (终止调解, Art. 23) and suspension (中止, Arts. 21–22).

use serde::{Deserialize, Serialize};

/// Grounds for not accepting a complaint (不予受理), Order 121 Art. 16(1)–(7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefusalReason {
    NotMarketRegulation,
    AlreadyHandled,
    NotPersonalConsumption,
    TimeBarred,
    MaterialsMissingOrFalse,
    IdentityFraud,
    OtherLegal,
}

str_enum!(RefusalReason {
    NotMarketRegulation => "NOT_MARKET_REGULATION",
    AlreadyHandled => "ALREADY_HANDLED",
    NotPersonalConsumption => "NOT_PERSONAL_CONSUMPTION",
    TimeBarred => "TIME_BARRED",
    MaterialsMissingOrFalse => "MATERIALS_MISSING_OR_FALSE",
    IdentityFraud => "IDENTITY_FRAUD",
    OtherLegal => "OTHER_LEGAL",
});

impl RefusalReason {
    pub fn article(&self) -> &'static str {
        use RefusalReason::*;
        match self {
            NotMarketRegulation => "Order 121 Art. 16(1)",
            AlreadyHandled => "Order 121 Art. 16(2)",
            NotPersonalConsumption => "Order 121 Art. 16(3)",
            TimeBarred => "Order 121 Art. 16(4)",
            MaterialsMissingOrFalse => "Order 121 Art. 16(5)",
            IdentityFraud => "Order 121 Art. 16(6)",
            OtherLegal => "Order 121 Art. 16(7)",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        use RefusalReason::*;
        match self {
            NotMarketRegulation => "不属于市场监督管理部门职责，或者本部门无管辖权",
            AlreadyHandled => "法院、仲裁机构、市场监管部门或其他行政机关、消费者协会等已受理或处理",
            NotPersonalConsumption => "不是为生活消费需要，或者不能证明与被投诉人之间存在消费争议",
            TimeBarred => "知道或应当知道权益受侵害之日起超过三年",
            MaterialsMissingOrFalse => "投诉材料不全或者不真实",
            IdentityFraud => "冒用他人名义投诉，或者拒绝核实身份",
            OtherLegal => "法律、法规、规章规定不予受理的其他情形",
        }
    }

    pub fn label_en(&self) -> &'static str {
        use RefusalReason::*;
        match self {
            NotMarketRegulation => "Not a market-regulation matter, or this office lacks authority",
            AlreadyHandled => {
                "Already accepted or handled by a court, arbitration body, agency or consumer association"
            }
            NotPersonalConsumption => "Not for personal consumption, or no provable dispute with the respondent",
            TimeBarred => "More than 3 years since the harm was or should have been known",
            MaterialsMissingOrFalse => "Complaint materials missing or false",
            IdentityFraud => "Filed in another person's name, or identity verification refused",
            OtherLegal => "Other grounds under laws, regulations or rules",
        }
    }
}

/// Grounds for terminating mediation (终止调解), Order 121 Art. 23(1)–(8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TerminationReason {
    WithdrawnOrSettled,
    PartyAbsentOrRefuses,
    NoAgreementPossible,
    TestingCostDispute,
    TimeLimitExpired,
    InadmissibleOrFraudFound,
    DeathOrLossOfStanding,
    Other,
}

str_enum!(TerminationReason {
    WithdrawnOrSettled => "WITHDRAWN_OR_SETTLED",
    PartyAbsentOrRefuses => "PARTY_ABSENT_OR_REFUSES",
    NoAgreementPossible => "NO_AGREEMENT_POSSIBLE",
    TestingCostDispute => "TESTING_COST_DISPUTE",
    TimeLimitExpired => "TIME_LIMIT_EXPIRED",
    InadmissibleOrFraudFound => "INADMISSIBLE_OR_FRAUD_FOUND",
    DeathOrLossOfStanding => "DEATH_OR_LOSS_OF_STANDING",
    Other => "OTHER",
});

impl TerminationReason {
    pub fn article(&self) -> &'static str {
        use TerminationReason::*;
        match self {
            WithdrawnOrSettled => "Order 121 Art. 23(1)",
            PartyAbsentOrRefuses => "Order 121 Art. 23(2)",
            NoAgreementPossible => "Order 121 Art. 23(3)",
            TestingCostDispute => "Order 121 Art. 23(4)",
            TimeLimitExpired => "Order 121 Art. 23(5)",
            InadmissibleOrFraudFound => "Order 121 Art. 23(6)",
            DeathOrLossOfStanding => "Order 121 Art. 23(7)",
            Other => "Order 121 Art. 23(8)",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        use TerminationReason::*;
        match self {
            WithdrawnOrSettled => "投诉人撤回投诉，或者双方自行和解",
            PartyAbsentOrRefuses => "一方无正当理由不参加调解，或者拒绝调解",
            NoAgreementPossible => "一方明确表示无法达成调解协议",
            TestingCostDispute => "对检测费用无法达成一致",
            TimeLimitExpired => "自受理之日起60日内未达成调解协议",
            InadmissibleOrFraudFound => "受理后发现不予受理情形或者欺诈、勒索情形",
            DeathOrLossOfStanding => "当事人死亡或者丧失主体资格",
            Other => "应当终止调解的其他情形",
        }
    }

    pub fn label_en(&self) -> &'static str {
        use TerminationReason::*;
        match self {
            WithdrawnOrSettled => "Complaint withdrawn, or the parties settled",
            PartyAbsentOrRefuses => "A party did not attend without good reason, or refused mediation",
            NoAgreementPossible => "A party stated no agreement is possible",
            TestingCostDispute => "No agreement on testing costs",
            TimeLimitExpired => "No agreement within 60 days of acceptance",
            InadmissibleOrFraudFound => "An Art. 16 ground or fraud/extortion (Art. 42) found after acceptance",
            DeathOrLossOfStanding => "Death of a party, or loss of legal standing",
            Other => "Other grounds for termination",
        }
    }
}

/// Why mediation is suspended (调解中止): testing (检测, Art. 22) or a
/// recusal request (回避, Art. 21). D6 does not run meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PauseReason {
    Testing,
    Recusal,
}

str_enum!(PauseReason { Testing => "TESTING", Recusal => "RECUSAL" });

impl PauseReason {
    pub fn article(&self) -> &'static str {
        match self {
            PauseReason::Testing => "Order 121 Art. 22",
            PauseReason::Recusal => "Order 121 Art. 21",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            PauseReason::Testing => "检测、鉴定期间",
            PauseReason::Recusal => "回避申请审查期间",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            PauseReason::Testing => "testing in progress",
            PauseReason::Recusal => "recusal request pending",
        }
    }
}
