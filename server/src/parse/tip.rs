//! The tip forms: the public tip, the platform's answer (Order 117 Art. 12)
//! and the agency's steps on D9.
use super::{message, Errors, Fields};
use redline_rules::intake::{NewTip, TipForm};
use redline_rules::lang::Lang;
use redline_rules::tip::{Decision, Measure};
use redline_store::tip::handling::{PlatformAnswer, RegulatorAct};

/// The public tip form → a tip; the rules check every value (`NewTip::try_from`).
pub fn tip(f: &Fields, lang: Lang) -> Result<NewTip, Errors> {
    NewTip::try_from(TipForm {
        platform: f.get("platform"),
        room: f.get("room"),
        moments: f.get("moments"),
        description: f.get("description"),
        categories: f.values("categories"),
        reporter_name: f.get("reporter_name"),
        reporter_contact: f.get("reporter_contact"),
        lang,
        target: f.get("target"),
        marketer_name: f.get("marketer_name"),
        mcn_name: f.get("mcn_name"),
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
    if matches!(f.get("act"), "extend" | "not_file" | "pause" | "extend_decision") && note.chars().count() < 4 {
        e.add(
            "message",
            "延长期限、中止核查或不予立案须记录理由（延长处理期限须记录批准情况）",
            "Extending, holding or not filing needs a recorded reason (an extension of the decision, its approval)",
        );
    }
    let act = match f.get("act") {
        "extend" => Some(RegulatorAct::Extend(note)),
        "pause" => Some(RegulatorAct::Pause(note)),
        "resume" => Some(RegulatorAct::Resume(note)),
        "extend_decision" => Some(RegulatorAct::ExtendDecision(note)),
        "file" => Some(RegulatorAct::FileCase(note)),
        "not_file" => Some(RegulatorAct::NotFile(note)),
        "decide" => match f.get("decision").parse::<Decision>() {
            Ok(d) => Some(RegulatorAct::Decide(d, note)),
            Err(_) => {
                e.add("decision", "请选择处理决定", "Choose a decision");
                None
            }
        },
        "" => {
            e.add("act", "请选择核查结论", "Choose a conclusion");
            None
        }
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
