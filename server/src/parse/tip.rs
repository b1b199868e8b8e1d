//! The tip forms: the public tip, the platform's answer (Order 117 Art. 12)
//! and the agency's steps on D9.
use super::{message, Errors, Fields};
use redline_rules::intake::Category;
use redline_rules::tip::{Decision, Measure};
use redline_store::tip::filing::NewTip;
use redline_store::tip::handling::{PlatformAnswer, RegulatorAct};

/// The public tip form → a tip, or back with errors.
pub fn tip(f: &Fields, zh: bool) -> Result<NewTip, Errors> {
    let mut e = Errors::default();
    let platform_id = f.get("platform").parse::<i64>().ok();
    if platform_id.is_none() {
        e.add("platform", "请选择平台", "Choose a platform");
    }
    let room = f.get("room").to_owned();
    if room.is_empty() || room.chars().count() > 300 {
        e.add("room", "请填写直播间ID或链接", "Give the live room's ID or URL");
    }
    let moments: Vec<String> = f
        .get("moments")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(40).collect())
        .collect();
    if moments.len() > 10 {
        e.add("moments", "最多填写10个时刻", "At most 10 moments");
    }
    let description = f.get("description").to_owned();
    if !(10..=5000).contains(&description.chars().count()) {
        e.add(
            "description",
            "请用10到5000字描述直播中说了或展示了什么",
            "Describe what was said or shown in 10 to 5000 characters",
        );
    }
    let categories: Vec<Category> = f.all("categories").iter().filter_map(|c| c.parse().ok()).collect();
    if categories.is_empty() {
        e.add("categories", "请至少选择一个违法行为类别", "Choose at least one category");
    }
    let name = Some(f.get("reporter_name").to_owned()).filter(|s| !s.is_empty());
    let contact = Some(f.get("reporter_contact").to_owned()).filter(|s| !s.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 60) {
        e.add("reporter_name", "姓名不超过60字", "Name up to 60 characters");
    }
    if contact.as_ref().is_some_and(|c| c.chars().count() > 100) {
        e.add("reporter_contact", "联系方式不超过100字", "Contact up to 100 characters");
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(NewTip {
        platform_id: platform_id.unwrap(),
        room,
        moments,
        description,
        categories,
        reporter_name: name,
        reporter_contact: contact,
        locale: if zh { "zh" } else { "en" }.to_owned(),
    })
}

/// The platform's answer: a measure, or no action with its reason.
pub fn platform_answer(f: &Fields) -> Result<PlatformAnswer, Errors> {
    let mut e = Errors::default();
    let note = message(f, &mut e);
    let ans = match f.get("answer") {
        "measure" => match f.get("measure").parse::<Measure>() {
            Ok(m) => Some(PlatformAnswer::Measure(m, note)),
            Err(_) => {
                e.add("measure", "请选择处置措施", "Choose a measure");
                None
            }
        },
        "no_action" if note.chars().count() >= 4 => Some(PlatformAnswer::NoAction(note)),
        "no_action" => {
            e.add("message", "不予处置时须说明理由", "Say why no action is taken");
            None
        }
        _ => {
            e.add("answer", "请选择处置结果", "Choose an answer");
            None
        }
    };
    match ans {
        Some(a) if e.is_empty() => Ok(a),
        _ => Err(e),
    }
}

/// The agency's step: extending D9 or not filing needs a recorded reason.
pub fn regulator_act(f: &Fields) -> Result<RegulatorAct, Errors> {
    let mut e = Errors::default();
    let note = message(f, &mut e);
    if matches!(f.get("act"), "extend" | "not_file") && note.chars().count() < 4 {
        e.add("message", "延长期限或不予立案须记录理由", "Extending or not filing needs a recorded reason");
    }
    let act = match f.get("act") {
        "extend" => Some(RegulatorAct::Extend(note)),
        "file" => Some(RegulatorAct::FileCase(note)),
        "not_file" => Some(RegulatorAct::NotFile(note)),
        "decide" => match f.get("decision").parse::<Decision>() {
            Ok(d) => Some(RegulatorAct::Decide(d, note)),
            Err(_) => {
                e.add("decision", "请选择处理决定", "Choose a decision");
                None
            }
        },
        _ => {
            e.add("act", "未知操作", "Unknown step");
            None
        }
    };
    match act {
        Some(a) if e.is_empty() => Ok(a),
        _ => Err(e),
    }
}
