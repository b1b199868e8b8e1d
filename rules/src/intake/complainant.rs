//! Who complains, as market supervision needs it (Order 121 Art. 10: the
//! complainant's name, phone and address; an agent adds the power of
//! attorney). Asked when the consumer escalates, not at filing: the platform's
//! own handling needs none of it. Respondents see the name only, unless the
//! consumer agrees to share phone and address for mediation (PIPL Art. 23).
use crate::field::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default)]
pub struct ComplainantForm<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub is_agent: bool,
    pub share_contact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complainant {
    pub name: String,
    pub phone: String,
    pub address: String,
    pub is_agent: bool,
    pub share_contact: bool,
}

/// A mainland mobile number (11 digits from 13–19) or a landline with its
/// area code (0xx-xxxxxxx, hyphen optional).
pub fn is_phone(s: &str) -> bool {
    let b = s.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit);
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let landline = s.starts_with('0')
        && s.matches('-').count() <= 1
        && (10..=12).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit());
    mobile || landline
}

impl TryFrom<ComplainantForm<'_>> for Complainant {
    type Error = FieldErrors;
    fn try_from(f: ComplainantForm<'_>) -> Result<Complainant, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = f.name.trim();
        if !(2..=60).contains(&name.chars().count()) {
            e.add("complainant_name", "请填写真实姓名（2至60字）", "Give your real name (2 to 60 characters)");
        }
        let phone: String = f.phone.chars().filter(|c| !c.is_whitespace()).collect();
        if !is_phone(&phone) {
            e.push(FieldError::new(
                "complainant_phone",
                "请填写手机号（11位）或带区号的固定电话",
                "Give a mobile number (11 digits) or a landline with its area code",
            ));
        }
        let address = f.address.trim();
        if !(5..=200).contains(&address.chars().count()) {
            e.add("complainant_address", "请填写联系地址（5至200字）", "Give your address (5 to 200 characters)");
        }
        e.into_result()?;
        Ok(Complainant {
            name: name.to_owned(),
            phone,
            address: address.to_owned(),
            is_agent: f.is_agent,
            share_contact: f.share_contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ComplainantForm<'static> {
        ComplainantForm {
            name: "李消费",
            phone: "138 0013 8000",
            address: "浙江省杭州市西湖区文三路100号",
            ..Default::default()
        }
    }

    #[test]
    fn order121_art10_escalation_needs_name_phone_and_address() {
        let c = Complainant::try_from(form()).unwrap();
        assert_eq!((c.phone.as_str(), c.share_contact), ("13800138000", false));
        let bad = ComplainantForm { name: "李", phone: "12345", address: "杭州", ..form() };
        let fields: Vec<String> =
            Complainant::try_from(bad).unwrap_err().0.into_iter().map(|e| e.field.into_owned()).collect();
        assert_eq!(fields, vec!["complainant_name", "complainant_phone", "complainant_address"]);
    }

    #[test]
    fn order121_art10_a_landline_with_area_code_is_a_phone() {
        for ok in ["0571-88888888", "057188888888", "010-12345678", "13912345678"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["88888888", "12912345678", "0571--8888888", "1391234567x", "0571-8888"] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
