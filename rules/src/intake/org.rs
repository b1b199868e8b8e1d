//! Organisations the administrator creates: a platform (its credit code,
//! GB 32100-2015, and its domicile, which decides complaints against it, Order
//! 121 Art. 13 ¶1) and an agency (its kind and its GB/T 2260 division, whose
//! level is the agency's level and whose subtree it covers).
use crate::credit_code::CreditCode;
use crate::field::{FieldError, FieldErrors};
use crate::jurisdiction::region::{AgencyKind, Level, Region};
use crate::jurisdiction::RegionCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default)]
pub struct PlatformForm<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub credit_code: &'a str,
    pub domicile_region: &'a str,
    pub domicile_address: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPlatform {
    /// A short lowercase handle, unique on Redline.
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub credit_code: CreditCode,
    /// County-level: complaints against the platform go to the bureau there.
    pub domicile_region: RegionCode,
    pub domicile_address: String,
}

fn text(e: &mut FieldErrors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.is_empty() {
        e.add(field, "必填", "Required");
    } else if v.chars().count() > max {
        e.push(FieldError::new(field, format!("不超过{max}字"), format!("At most {max} characters")));
    }
    v.to_owned()
}

impl TryFrom<PlatformForm<'_>> for NewPlatform {
    type Error = FieldErrors;
    fn try_from(f: PlatformForm<'_>) -> Result<NewPlatform, FieldErrors> {
        let mut e = FieldErrors::default();
        let code = f.code.trim().to_owned();
        let ok = (2..=32).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            e.add(
                "code",
                "代号须为2至32位小写字母、数字或连字符",
                "A handle of 2 to 32 lowercase letters, digits or hyphens",
            );
        }
        let name = text(&mut e, "name", f.name, 100);
        let name_en = text(&mut e, "name_en", f.name_en, 100);
        let credit_code =
            e.keep(CreditCode::parse(f.credit_code).map_err(|x| CreditCode::field_error("credit_code", &x)));
        let domicile_region = e.keep(RegionCode::parse(f.domicile_region.trim()).map_err(|_| {
            FieldError::new(
                "domicile_region",
                "住所地须为6位县级行政区划代码（如 330106）",
                "The domicile is a 6-digit county-level region code (like 330106)",
            )
        }));
        let domicile_address = text(&mut e, "domicile_address", f.domicile_address, 200);
        e.into_result()?;
        Ok(NewPlatform {
            code,
            name,
            name_en,
            credit_code: credit_code.expect("no errors"),
            domicile_region: domicile_region.expect("no errors"),
            domicile_address,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct AgencyForm<'a> {
    pub name: &'a str,
    pub name_en: &'a str,
    pub kind: &'a str,
    pub region: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgency {
    pub name: String,
    pub name_en: String,
    pub kind: AgencyKind,
    pub region: Region,
}

impl NewAgency {
    /// County, prefecture (city), province or national: the division's level.
    pub fn level(&self) -> Level {
        self.region.level()
    }
}

impl TryFrom<AgencyForm<'_>> for NewAgency {
    type Error = FieldErrors;
    fn try_from(f: AgencyForm<'_>) -> Result<NewAgency, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text(&mut e, "name", f.name, 100);
        let name_en = text(&mut e, "name_en", f.name_en, 100);
        let kind = AgencyKind::parse(f.kind.trim());
        if kind.is_none() {
            e.add("kind", "请选择机构类别", "Choose the kind of agency");
        }
        let region = e.keep(Region::parse(f.region.trim()).map_err(|_| {
            FieldError::new(
                "region",
                "须为6位行政区划代码（县 330106、市 330100、省 330000、全国 000000）",
                "A 6-digit region code (county 330106, city 330100, province 330000, national 000000)",
            )
        }));
        e.into_result()?;
        Ok(NewAgency { name, name_en, kind: kind.expect("no errors"), region: region.expect("no errors") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(first17: &str) -> String {
        let b: [u8; 17] = first17.as_bytes().try_into().unwrap();
        format!("{first17}{}", crate::credit_code::check_char(&b).unwrap())
    }

    fn fields(e: FieldErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field.into_owned()).collect()
    }

    #[test]
    fn order121_art13_a_platform_needs_a_valid_credit_code_and_a_county_level_domicile() {
        let good = code("91330106MA2J0K1L3");
        let f = PlatformForm {
            code: "xinfeng",
            name: "新风直播",
            name_en: "Xinfeng Live",
            credit_code: &good,
            domicile_region: "330100",
            domicile_address: "浙江省杭州市西湖区1号",
        };
        assert_eq!(fields(NewPlatform::try_from(f.clone()).unwrap_err()), vec!["domicile_region"]);
        let p = NewPlatform::try_from(PlatformForm { domicile_region: "330106", ..f.clone() }).unwrap();
        assert_eq!((p.credit_code.as_str(), p.domicile_region.as_str()), (good.as_str(), "330106"));
        let bad = PlatformForm { code: "Xin Feng", credit_code: "91330106MA2J0K1L", name: " ", ..f };
        assert_eq!(
            fields(NewPlatform::try_from(bad).unwrap_err()),
            vec!["code", "name", "credit_code", "domicile_region"]
        );
    }

    #[test]
    fn gbt2260_an_agency_takes_its_level_from_its_division() {
        let f = AgencyForm {
            name: "宁波市市场监督管理局",
            name_en: "Ningbo AMR",
            kind: "MARKET_SUPERVISION",
            region: "330200",
        };
        assert_eq!(NewAgency::try_from(f.clone()).unwrap().level(), Level::Prefecture);
        let f = AgencyForm { region: "330000", kind: "INTERNET_INFORMATION", ..f };
        let a = NewAgency::try_from(f.clone()).unwrap();
        assert_eq!((a.level(), a.kind), (Level::Province, AgencyKind::InternetInformation));
        assert_eq!(NewAgency::try_from(AgencyForm { region: "000000", ..f.clone() }).unwrap().level(), Level::National);
        assert_eq!(
            fields(NewAgency::try_from(AgencyForm { region: "33", kind: "POLICE", ..f }).unwrap_err()),
            vec!["kind", "region"]
        );
    }
}
