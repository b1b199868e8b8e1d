//! T24: a case marked as suspected fraud (涉嫌欺诈): evidence of planting,
//! swapping or extortion. The agency may then terminate mediation
//! (Order 121 Art. 23(6)) and pass the matter to the police (Art. 42). A
//! suspicion is never raised automatically: the platform or the agency
//! handling the case raises it, with a reason, and may lift it again. While
//! it stands the case leaves the normal path: the policy clocks that would
//! move it on by themselves (D1–D3) are held, so no deadline pushes a suspect
//! case along; the platform's record duties (D4, D4R) and the agency's legal
//! clocks (D5–D7) run on.
use crate::case::Role;
use crate::clock::ClockKind;
use crate::field::FieldError;

/// Who may raise or lift a suspicion.
pub fn may_mark(role: Role) -> bool {
    matches!(role, Role::Platform | Role::Regulator)
}

/// The clocks a suspicion holds (`ClockKind::held_while_fraud_suspected`).
pub fn held(kind: ClockKind) -> bool {
    kind.held_while_fraud_suspected()
}

/// The reason, as the chain records it.
pub fn reason(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    match t.chars().count() {
        0 => Err(FieldError::new("reason", "请写明理由和依据", "Give the reason and what it rests on")),
        n if n > 1000 => Err(FieldError::new("reason", "理由不超过1000字", "The reason has up to 1,000 characters")),
        _ => Ok(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t24_order121_arts23_6_42_only_the_platform_or_the_agency_marks_a_suspicion() {
        let who: Vec<Role> =
            [Role::Consumer, Role::Operator, Role::Platform, Role::Regulator, Role::System, Role::Admin]
                .into_iter()
                .filter(|r| may_mark(*r))
                .collect();
        assert_eq!(who, [Role::Platform, Role::Regulator], "never the system: never automatic");
    }

    #[test]
    fn t24_order121_art23_6_a_suspicion_holds_the_clocks_that_move_a_case_by_themselves() {
        let held: Vec<&str> = ClockKind::ALL.iter().filter(|k| held(**k)).map(|k| k.code()).collect();
        assert_eq!(held, ["D1", "D2", "D3"]);
        assert_eq!(reason(" ").unwrap_err().field, "reason");
        assert_eq!(
            reason(" 同一手机号在三日内对同一直播间提出12起索赔 ").unwrap(),
            "同一手机号在三日内对同一直播间提出12起索赔"
        );
    }
}
