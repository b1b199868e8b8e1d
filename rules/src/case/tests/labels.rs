//! What a reader sees of each code: a distinct label in each language, and
//! for the agency's reasons the article they rest on.
use crate::case::{OfferKind, PauseReason, RefusalReason, Role, TerminationReason};
use std::collections::HashSet;

/// Labels of `all` in both languages: as many distinct ones as codes, Chinese in Chinese.
fn distinct<T>(all: &[T], zh: impl Fn(&T) -> &'static str, en: impl Fn(&T) -> &'static str) {
    let cjk = |l: &&str| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let z: HashSet<_> = all.iter().map(&zh).collect();
    let e: HashSet<_> = all.iter().map(&en).collect();
    assert_eq!((z.len(), e.len()), (all.len(), all.len()), "{z:?} {e:?}");
    assert!(z.iter().all(cjk), "{z:?}");
    assert!(e.iter().all(|l| l.len() > 2 && !cjk(l)), "{e:?}");
}

#[test]
fn every_reason_role_and_offer_has_its_own_label_in_both_languages() {
    distinct(&RefusalReason::ALL, RefusalReason::label_zh, RefusalReason::label_en);
    distinct(&TerminationReason::ALL, TerminationReason::label_zh, TerminationReason::label_en);
    distinct(&PauseReason::ALL, |r| r.label_zh(), |r| r.label_en());
    distinct(&Role::ALL, Role::label_zh, Role::label_en);
    distinct(&OfferKind::ALL, OfferKind::label_zh, OfferKind::label_en);
}

#[test]
fn every_event_says_what_it_did_in_both_languages() {
    let names: Vec<&str> = crate::case::CaseEvent::representatives().iter().map(|e| e.name()).collect();
    let labels: Vec<_> = names.iter().map(|n| crate::case::event_label(n).unwrap_or_else(|| panic!("{n}"))).collect();
    distinct(&labels, |l| l.0, |l| l.1);
}
