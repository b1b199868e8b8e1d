//! The public tip form (举报, Order 121 Art. 28: anyone, anonymously if they
//! wish) parsed once into typed values.
use super::complaint::RoomRef;
use super::Category;
use crate::field::{FieldError, FieldErrors};
use crate::jurisdiction::RespondentKind;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// A tip as filed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewTip {
    pub platform_id: i64,
    pub room: RoomRef,
    /// Offsets or clock times, as typed ("00:42:10", "2026-11-20 20:15").
    pub moments: Vec<String>,
    pub description: String,
    pub categories: Vec<Category>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The language progress notices are sent in.
    pub lang: Lang,
    /// Whom the tip is about: the room's operator (default), a marketer, an
    /// MCN or the platform itself (Order 117 Art. 47 decides the agency).
    pub target: RespondentKind,
    pub marketer_name: Option<String>,
    pub mcn_name: Option<String>,
}

/// The tip form as submitted.
#[derive(Clone, Debug, Default)]
pub struct TipForm<'a> {
    pub platform: &'a str,
    pub room: &'a str,
    /// One moment a line.
    pub moments: &'a str,
    pub description: &'a str,
    pub categories: Vec<&'a str>,
    pub reporter_name: &'a str,
    pub reporter_contact: &'a str,
    pub lang: Lang,
    /// "" or OPERATOR, MARKETER, MCN, PLATFORM.
    pub target: &'a str,
    pub marketer_name: &'a str,
    pub mcn_name: &'a str,
}

impl TryFrom<TipForm<'_>> for NewTip {
    type Error = FieldErrors;

    fn try_from(f: TipForm<'_>) -> Result<NewTip, FieldErrors> {
        let mut e = FieldErrors::default();
        let platform_id = f.platform.trim().parse::<i64>().ok();
        if platform_id.is_none() {
            e.add("platform", "请选择平台", "Choose a platform");
        }
        let room = RoomRef::parse(f.room).map_err(|x| e.push(x)).ok();
        let moments: Vec<String> =
            f.moments.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| l.chars().take(40).collect()).collect();
        if moments.len() > 10 {
            e.add("moments", "最多填写10个时刻", "At most 10 moments");
        }
        let description = f.description.trim().to_owned();
        if !(10..=5000).contains(&description.chars().count()) {
            e.push(FieldError::new(
                "description",
                "请用10到5000字描述直播中说了或展示了什么",
                "Describe what was said or shown in 10 to 5000 characters",
            ));
        }
        let categories: Vec<Category> = f.categories.iter().filter_map(|c| c.parse().ok()).collect();
        if categories.is_empty() {
            e.add("categories", "请至少选择一个违法行为类别", "Choose at least one category");
        }
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let (reporter_name, reporter_contact) = (optional(f.reporter_name), optional(f.reporter_contact));
        if reporter_name.as_ref().is_some_and(|n| n.chars().count() > 60) {
            e.add("reporter_name", "姓名不超过60字", "Name up to 60 characters");
        }
        if reporter_contact.as_ref().is_some_and(|c| c.chars().count() > 100) {
            e.add("reporter_contact", "联系方式不超过100字", "Contact up to 100 characters");
        }
        let target = match f.target.trim() {
            "" | "OPERATOR" => Some(RespondentKind::InPlatformOperator),
            "MARKETER" => Some(RespondentKind::Marketer),
            "MCN" => Some(RespondentKind::Mcn),
            "PLATFORM" => Some(RespondentKind::PlatformItself),
            _ => None,
        };
        if target.is_none() {
            e.add("target", "请选择举报对象", "Choose whom the tip is about");
        }
        let (marketer_name, mcn_name) = (optional(f.marketer_name), optional(f.mcn_name));
        if marketer_name.as_ref().is_some_and(|n| n.chars().count() > 60) {
            e.add("marketer_name", "主播名称不超过60字", "A stage name has up to 60 characters");
        }
        if mcn_name.as_ref().is_some_and(|n| n.chars().count() > 100) {
            e.add("mcn_name", "机构名称不超过100字", "An MCN's name has up to 100 characters");
        }
        if target == Some(RespondentKind::Marketer) && marketer_name.is_none() {
            e.add("marketer_name", "举报主播时请填写主播名称", "Name the marketer the tip is about");
        }
        if target == Some(RespondentKind::Mcn) && mcn_name.is_none() {
            e.add("mcn_name", "举报机构时请填写机构名称", "Name the MCN the tip is about");
        }
        match (platform_id, room) {
            (Some(platform_id), Some(room)) if e.is_empty() => Ok(NewTip {
                platform_id,
                room,
                moments,
                description,
                categories,
                reporter_name,
                reporter_contact,
                lang: f.lang,
                target: target.expect("no errors"),
                marketer_name,
                mcn_name,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order117_art47_a_tip_about_a_marketer_or_mcn_names_it() {
        let base = TipForm {
            platform: "1",
            room: "R-1",
            description: "主播称该饮品可以三天美白。",
            categories: vec!["FALSE_ADVERTISING"],
            ..Default::default()
        };
        assert_eq!(NewTip::try_from(base.clone()).unwrap().target, RespondentKind::InPlatformOperator);
        let fields = |f: TipForm<'_>| {
            NewTip::try_from(f).unwrap_err().0.into_iter().map(|e| e.field.into_owned()).collect::<Vec<_>>()
        };
        assert_eq!(fields(TipForm { target: "MARKETER", ..base.clone() }), vec!["marketer_name"]);
        assert_eq!(fields(TipForm { target: "MCN", ..base.clone() }), vec!["mcn_name"]);
        assert_eq!(fields(TipForm { target: "SHOP", ..base.clone() }), vec!["target"]);
        let t = NewTip::try_from(TipForm { target: "MCN", mcn_name: " 星火传媒 ", ..base.clone() }).unwrap();
        assert_eq!((t.target, t.mcn_name.as_deref()), (RespondentKind::Mcn, Some("星火传媒")));
        assert_eq!(
            NewTip::try_from(TipForm { target: "PLATFORM", ..base }).unwrap().target,
            RespondentKind::PlatformItself
        );
    }

    #[test]
    fn order121_art28_a_tip_needs_no_name_or_contact() {
        let f = TipForm {
            platform: "1",
            room: "R-1",
            moments: "00:42:10\n\n 2026-11-20 20:15 ",
            description: "主播称该饮品可以三天美白。",
            categories: vec!["FALSE_ADVERTISING"],
            ..Default::default()
        };
        let t = NewTip::try_from(f).unwrap();
        assert_eq!(t.moments, vec!["00:42:10", "2026-11-20 20:15"]);
        assert_eq!((t.reporter_name, t.reporter_contact), (None, None));
    }

    #[test]
    fn tip_errors_name_every_bad_field() {
        let f = TipForm { reporter_name: &"名".repeat(61), ..Default::default() };
        let e = NewTip::try_from(f).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_ref()).collect();
        assert_eq!(fields, ["platform", "room", "description", "categories", "reporter_name"]);
    }

    /// Each limit at its edge; one bad field refuses the whole tip.
    #[test]
    fn tip_limits_hold_at_their_edges() {
        let good = || TipForm {
            platform: "1",
            room: "R-1",
            description: "主播称该饮品可以三天美白。",
            categories: vec!["FALSE_ADVERTISING"],
            ..Default::default()
        };
        let ten = ["00:00:01"; 10].join("\n");
        let eleven = ["00:00:01"; 11].join("\n");
        assert_eq!(NewTip::try_from(TipForm { moments: &ten, ..good() }).unwrap().moments.len(), 10);
        let e = NewTip::try_from(TipForm { moments: &eleven, ..good() }).unwrap_err();
        assert_eq!(e.0.iter().map(|x| x.field.as_ref()).collect::<Vec<_>>(), ["moments"]);
        let (name60, name61) = ("名".repeat(60), "名".repeat(61));
        assert!(NewTip::try_from(TipForm { reporter_name: &name60, ..good() }).is_ok());
        assert!(NewTip::try_from(TipForm { reporter_name: &name61, ..good() }).is_err());
        let (c100, c101) = ("c".repeat(100), "c".repeat(101));
        assert_eq!(
            NewTip::try_from(TipForm { reporter_contact: &c100, ..good() }).unwrap().reporter_contact,
            Some(c100)
        );
        let e = NewTip::try_from(TipForm { reporter_contact: &c101, ..good() }).unwrap_err();
        assert_eq!(e.0.iter().map(|x| x.field.as_ref()).collect::<Vec<_>>(), ["reporter_contact"]);
    }
}
