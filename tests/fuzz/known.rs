//! KNOWN_UNFIXED: the findings on main that issue 12 already describes
//! (classes 1–6, being fixed on other branches). The short run reports them
//! but does not fail on them; anything else fails it. Empty this list as the
//! fixes are merged — a fixed class that still matches here would hide a
//! regression.

use super::oracle::Finding;

/// One known class: which target, which symptom, and a piece of the key.
pub struct Known {
    /// The issue-12 class, in its words.
    pub class: &'static str,
    /// The target it shows in (None: any).
    pub target: Option<&'static str>,
    pub symptom: &'static str,
    /// A substring of the finding's key ("" matches every key).
    pub key: &'static str,
}

pub const KNOWN_UNFIXED: &[Known] = &[];

/// The issue-12 class a finding belongs to, if it is a known one.
pub fn class_of(target: &str, finding: &Finding) -> Option<&'static str> {
    KNOWN_UNFIXED
        .iter()
        .find(|k| {
            k.target.is_none_or(|t| t == target)
                && k.symptom == finding.symptom
                && (finding.key.contains(k.key)
                    || (finding.symptom != "panic" && finding.detail.contains(k.key)))
        })
        .map(|k| k.class)
}
