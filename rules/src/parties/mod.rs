//! The regulated parties a platform reports (Order 117 Arts. 8–9, 25): live-room
//! operators (直播间运营者), their rooms, marketers (直播营销人员, including virtual
//! humans) and marketer service agencies (直播营销人员服务机构, MCN). Each report
//! is typed here from the strings a page or the API sent; `report` says when a
//! report came late.
use crate::credit_code::CreditCode;
use crate::field::{FieldError, FieldErrors};
use crate::jurisdiction::RegionCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub mod report;
#[cfg(test)]
mod tests;
pub mod unreachable;

/// What an operator is, which decides what it must disclose (Order 117 Art. 25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OperatorKind {
    /// 法人及其他组织: name, credit code, domicile, licences.
    LegalPerson,
    /// 个体工商户: name, operator's name, credit code, premises.
    IndividualBusiness,
    /// 未办理市场主体登记的自然人: actual business address, contact, MCN.
    UnregisteredPerson,
}

str_enum!(OperatorKind {
    LegalPerson => "LEGAL_PERSON",
    IndividualBusiness => "INDIVIDUAL_BUSINESS",
    UnregisteredPerson => "UNREGISTERED_PERSON",
});

impl OperatorKind {
    /// Registered businesses are identified by a credit code (Order 117 Art. 25 ¶1–2).
    pub fn is_registered(self) -> bool {
        !matches!(self, OperatorKind::UnregisteredPerson)
    }
}

/// A licence the operator holds, with its validity (Order 117 Art. 25 ¶1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub name: String,
    pub number: String,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorReport {
    /// The platform's own ID of the operator.
    pub platform_ref: String,
    pub kind: OperatorKind,
    pub name: String,
    pub credit_code: Option<CreditCode>,
    /// A natural person's ID number, masked by the platform: the number itself is never held here.
    pub masked_id: Option<String>,
    pub displayed_address: Option<String>,
    pub displayed_region: Option<RegionCode>,
    pub business_address: Option<String>,
    pub business_region: Option<RegionCode>,
    pub contact: Option<String>,
    pub licences: Vec<Licence>,
    pub mcn_ref: Option<String>,
    pub learned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomReport {
    pub platform_ref: String,
    pub display_name: String,
    pub url: String,
    pub operator_ref: String,
    pub learned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketerReport {
    pub platform_ref: String,
    pub stage_name: String,
    pub platform_account: String,
    /// 虚拟人 (Order 117 Art. 2 counts virtual humans as marketers).
    pub is_virtual: bool,
    pub mcn_ref: Option<String>,
    /// The platform's reference to the verified real identity it holds (Order 117
    /// Art. 8); the identity itself is not public and is not held here.
    pub identity_ref: Option<String>,
    pub learned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McnReport {
    pub platform_ref: String,
    pub name: String,
    pub credit_code: CreditCode,
    pub address: String,
    pub region: Option<RegionCode>,
    pub learned_at: DateTime<Utc>,
}

/// One item as submitted, every value a string (the form's or the JSON's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PartyFields {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub credit_code: String,
    pub masked_id: String,
    pub displayed_address: String,
    pub displayed_region: String,
    pub business_address: String,
    pub business_region: String,
    pub contact: String,
    pub licences: Vec<LicenceFields>,
    pub mcn: String,
    pub operator: String,
    pub url: String,
    pub account: String,
    pub is_virtual: bool,
    pub identity_ref: String,
    pub address: String,
    pub region: String,
    /// When the platform learned of this state (RFC 3339); blank means now.
    pub learned_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LicenceFields {
    pub name: String,
    pub number: String,
    pub valid_until: String,
}

/// The parser of one item: field names are prefixed (`rooms[3].operator`) so
/// a bulk call says which item is wrong.
struct Item<'a> {
    prefix: &'a str,
    now: DateTime<Utc>,
    errors: FieldErrors,
}

impl Item<'_> {
    fn name(&self, field: &str) -> Cow<'static, str> {
        if self.prefix.is_empty() {
            Cow::Owned(field.to_owned())
        } else {
            Cow::Owned(format!("{}.{field}", self.prefix))
        }
    }
    fn fail(&mut self, field: &str, zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) {
        let n = self.name(field);
        self.errors.push(FieldError::new(n, zh, en));
    }
    /// A required text of at most `max` characters.
    fn text(&mut self, field: &str, v: &str, max: usize) -> String {
        let v = v.trim();
        if v.is_empty() {
            self.fail(field, "必填", "Required");
        } else if v.chars().count() > max {
            self.fail(field, format!("不超过{max}字"), format!("At most {max} characters"));
        }
        v.to_owned()
    }
    fn optional(&mut self, field: &str, v: &str, max: usize) -> Option<String> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        Some(self.text(field, v, max))
    }
    /// A platform's own ID: printable ASCII without spaces, so it can sit in a URL.
    fn id(&mut self, field: &str, v: &str) -> String {
        let v = v.trim();
        if v.is_empty() || v.len() > 64 || !v.bytes().all(|b| b.is_ascii_graphic() && b != b'/') {
            self.fail(
                field,
                "须为1至64位字母、数字或符号（不含空格和/）",
                "1 to 64 letters, digits or symbols (no spaces or /)",
            );
        }
        v.to_owned()
    }
    fn region(&mut self, field: &str, v: &str) -> Option<RegionCode> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        RegionCode::parse(v)
            .map_err(|_| self.fail(field, "须为6位县级行政区划代码", "A 6-digit county-level region code"))
            .ok()
    }
    fn credit_code(&mut self, field: &str, v: &str) -> Option<CreditCode> {
        CreditCode::parse(v)
            .map_err(|e| {
                let fe = CreditCode::field_error("x", &e);
                self.fail(field, fe.zh, fe.en)
            })
            .ok()
    }
    fn learned_at(&mut self, v: &str) -> DateTime<Utc> {
        let v = v.trim();
        if v.is_empty() {
            return self.now;
        }
        match DateTime::parse_from_rfc3339(v) {
            // A few minutes of clock skew between the platform and us is not a lie.
            Ok(t) if t.with_timezone(&Utc) <= self.now + chrono::Duration::minutes(5) => t.with_timezone(&Utc),
            Ok(_) => {
                self.fail("learned_at", "不能晚于现在", "Cannot be in the future");
                self.now
            }
            Err(_) => {
                self.fail(
                    "learned_at",
                    "须为 RFC 3339 时间，如 2026-11-23T10:00:00+08:00",
                    "An RFC 3339 time such as 2026-11-23T10:00:00+08:00",
                );
                self.now
            }
        }
    }
    fn done<T>(self, v: T) -> Result<T, FieldErrors> {
        self.errors.into_result().map(|_| v)
    }
}

/// A masked ID number keeps at most the first 6 and last 4 characters
/// (PIPL Art. 51 minimisation): a full number is refused, never stored.
pub fn is_masked_id(s: &str) -> bool {
    let n = s.chars().count();
    let stars = s.chars().filter(|c| *c == '*').count();
    (15..=18).contains(&n) && n - stars <= 10 && s.chars().all(|c| c == '*' || c.is_ascii_alphanumeric())
}

pub fn operator(f: &PartyFields, prefix: &str, now: DateTime<Utc>) -> Result<OperatorReport, FieldErrors> {
    let mut it = Item { prefix, now, errors: FieldErrors::default() };
    let platform_ref = it.id("id", &f.id);
    let kind = f.kind.parse::<OperatorKind>().ok();
    if kind.is_none() {
        it.fail("kind", "请选择运营者类型", "Choose the operator's kind");
    }
    let name = it.text("name", &f.name, 100);
    let mut credit_code = None;
    let mut masked_id = None;
    match kind {
        Some(k) if k.is_registered() => credit_code = it.credit_code("credit_code", &f.credit_code),
        Some(_) if !f.masked_id.trim().is_empty() => {
            if is_masked_id(f.masked_id.trim()) {
                masked_id = Some(f.masked_id.trim().to_owned());
            } else {
                it.fail(
                    "masked_id",
                    "只接受打码后的证件号（如 330106********1234）",
                    "Only a masked ID number (like 330106********1234)",
                );
            }
        }
        _ => {}
    }
    let displayed_address = it.optional("displayed_address", &f.displayed_address, 200);
    let displayed_region = it.region("displayed_region", &f.displayed_region);
    let business_address = it.optional("business_address", &f.business_address, 200);
    let business_region = it.region("business_region", &f.business_region);
    let contact = it.optional("contact", &f.contact, 100);
    if kind == Some(OperatorKind::UnregisteredPerson) && (business_address.is_none() || contact.is_none()) {
        // Order 117 Art. 25 ¶3: an unregistered person discloses where and how to reach them.
        it.fail(
            "contact",
            "未登记的自然人须报送实际经营地址和联系方式",
            "An unregistered person must have an actual business address and a contact",
        );
    }
    let mut licences = Vec::new();
    for (i, l) in f.licences.iter().enumerate() {
        let name = it.text(&format!("licences[{i}].name"), &l.name, 100);
        let number = it.text(&format!("licences[{i}].number"), &l.number, 100);
        let valid_until = match l.valid_until.trim() {
            "" => None,
            v => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| {
                    it.fail(&format!("licences[{i}].valid_until"), "须为 YYYY-MM-DD 日期", "A date YYYY-MM-DD")
                })
                .ok(),
        };
        licences.push(Licence { name, number, valid_until });
    }
    let mcn_ref = match f.mcn.trim() {
        "" => None,
        v => Some(it.id("mcn", v)),
    };
    let learned_at = it.learned_at(&f.learned_at);
    it.done(OperatorReport {
        platform_ref,
        kind: kind.unwrap_or(OperatorKind::LegalPerson),
        name,
        credit_code,
        masked_id,
        displayed_address,
        displayed_region,
        business_address,
        business_region,
        contact,
        licences,
        mcn_ref,
        learned_at,
    })
}

pub fn room(f: &PartyFields, prefix: &str, now: DateTime<Utc>) -> Result<RoomReport, FieldErrors> {
    let mut it = Item { prefix, now, errors: FieldErrors::default() };
    let platform_ref = it.id("id", &f.id);
    let display_name = it.text("name", &f.name, 100);
    let url = it.text("url", &f.url, 300);
    if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
        it.fail("url", "须以 https:// 或 http:// 开头", "Must start with https:// or http://");
    }
    let operator_ref = it.id("operator", &f.operator);
    let learned_at = it.learned_at(&f.learned_at);
    it.done(RoomReport { platform_ref, display_name, url, operator_ref, learned_at })
}

pub fn marketer(f: &PartyFields, prefix: &str, now: DateTime<Utc>) -> Result<MarketerReport, FieldErrors> {
    let mut it = Item { prefix, now, errors: FieldErrors::default() };
    let platform_ref = it.id("id", &f.id);
    let stage_name = it.text("name", &f.name, 60);
    let platform_account = it.text("account", &f.account, 100);
    let mcn_ref = match f.mcn.trim() {
        "" => None,
        v => Some(it.id("mcn", v)),
    };
    let identity_ref = it.optional("identity_ref", &f.identity_ref, 100);
    let learned_at = it.learned_at(&f.learned_at);
    it.done(MarketerReport {
        platform_ref,
        stage_name,
        platform_account,
        is_virtual: f.is_virtual,
        mcn_ref,
        identity_ref,
        learned_at,
    })
}

pub fn mcn(f: &PartyFields, prefix: &str, now: DateTime<Utc>) -> Result<McnReport, FieldErrors> {
    let mut it = Item { prefix, now, errors: FieldErrors::default() };
    let platform_ref = it.id("id", &f.id);
    let name = it.text("name", &f.name, 100);
    let credit_code = it.credit_code("credit_code", &f.credit_code);
    let address = it.text("address", &f.address, 200);
    let region = it.region("region", &f.region);
    let learned_at = it.learned_at(&f.learned_at);
    it.done(())?;
    let credit_code = credit_code.expect("no errors means the code parsed");
    Ok(McnReport { platform_ref, name, credit_code, address, region, learned_at })
}

/// What the public room page shows of an operator (Order 117 Art. 25): a
/// registered business as disclosed; an unregistered natural person only by
/// account name and city (PIPL Art. 51 minimisation, our policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOperator {
    pub name: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    /// Set for natural persons instead of an address: the city part of the region code.
    pub city_region: Option<String>,
    /// A registered business's administrative licences (Order 117 Art. 25 ¶1).
    pub licences: Vec<Licence>,
}

/// What an operator holds, as the public view needs it.
pub struct OperatorRecord<'a> {
    pub kind: OperatorKind,
    pub name: &'a str,
    /// The room's display name: how a natural person is known publicly.
    pub account_name: &'a str,
    pub credit_code: Option<&'a str>,
    pub displayed_address: Option<&'a str>,
    pub region: Option<&'a str>,
    pub licences: Vec<Licence>,
}

pub fn public_operator(o: OperatorRecord<'_>) -> PublicOperator {
    if o.kind.is_registered() {
        PublicOperator {
            name: o.name.to_owned(),
            credit_code: o.credit_code.map(str::to_owned),
            address: o.displayed_address.map(str::to_owned),
            city_region: None,
            licences: o.licences,
        }
    } else {
        PublicOperator {
            name: o.account_name.to_owned(),
            credit_code: None,
            address: None,
            city_region: o.region.filter(|r| r.len() == 6).map(|r| format!("{}00", &r[..4])),
            licences: Vec::new(),
        }
    }
}
