//! Figures in words, shared by the findings and the fix.

use crate::inputs::{Prompt, TokenCount};
use cabe_i18n::Lang;
use serde_json::Value;

/// A figure for a finding's `numbers`.
pub(crate) fn num(v: impl Into<Value>) -> Value {
    v.into()
}

/// 366.9 → "6 min 7 s"; 59 → "59 s"; 3600 → "1 h 0 min".
pub fn fmt_duration(secs: f64) -> String {
    let s = secs.round() as u64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        if s.is_multiple_of(60) {
            format!("{} min", s / 60)
        } else {
            format!("{} min {} s", s / 60, s % 60)
        }
    } else {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    }
}

/// How the prompt's size is known, as a parenthesis after its token count ("" when given).
pub(crate) fn count_words(p: &Prompt, lang: Lang) -> String {
    match &p.count {
        TokenCount::Given => String::new(),
        TokenCount::Counted { by } => t!(lang, "count-counted", by = by),
        TokenCount::Estimated { bytes, .. } => t!(lang, "count-estimated", bytes = *bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(fmt_duration(366.9), "6 min 7 s");
        assert_eq!(fmt_duration(59.4), "59 s");
        assert_eq!(fmt_duration(600.0), "10 min");
    }
}
