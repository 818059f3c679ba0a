//! Prompts of a chosen length in tokens: a short header that differs for every request (so
//! that no server reuses a cached prefix: Ollama counts a reused prefix as evaluated but does
//! not time it, which would inflate the prefill rate), then one sentence repeated.
//!
//! Prefill time does not depend on what the tokens say, only on how many there are.

/// The repeated sentence.
pub const UNIT: &str = " The quick brown fox jumps over the lazy dog, and the patient cat watches it from the warm windowsill.";

/// The first words of a prompt: distinct for every `tag`.
pub fn header(tag: &str) -> String {
    format!("Benchmark run {tag}. Read the story below.")
}

/// `header(tag)` followed by `units` copies of [`UNIT`].
pub fn build(tag: &str, units: usize) -> String {
    let h = header(tag);
    let mut s = String::with_capacity(h.len() + UNIT.len() * units);
    s.push_str(&h);
    for _ in 0..units {
        s.push_str(UNIT);
    }
    s
}

/// Tokens per repeated unit and for the header, as measured on a server's tokenizer (or
/// estimated).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizer {
    pub tokens_per_unit: f64,
    pub header_tokens: f64,
    /// Measured with the server's tokenizer (`false`: an estimate).
    pub exact: bool,
}

impl Sizer {
    /// A tokenizer-free guess: about 4.2 characters per token for English prose in the common
    /// BPE vocabularies (Llama 3, Qwen); refined by [`Sizer::from_counts`] when the server
    /// reports a count.
    pub fn estimate() -> Sizer {
        Sizer {
            tokens_per_unit: UNIT.len() as f64 / 4.2,
            header_tokens: header("000000-00000").len() as f64 / 4.2,
            exact: false,
        }
    }

    /// From two counts: the tokens of `build(tag, 0)` and of `build(tag, units)`.
    pub fn from_counts(header_only: u64, with_units: u64, units: usize) -> Option<Sizer> {
        let per = (with_units.checked_sub(header_only)? as f64) / units.max(1) as f64;
        (per > 0.0).then_some(Sizer {
            tokens_per_unit: per,
            header_tokens: header_only as f64,
            exact: true,
        })
    }

    /// From one count of `build(tag, units)` (Ollama's `prompt_eval_count`), the header's
    /// share taken from the estimate.
    pub fn from_total(total: u64, units: usize) -> Option<Sizer> {
        let header_tokens = Sizer::estimate().header_tokens;
        let per = (total as f64 - header_tokens) / units.max(1) as f64;
        (per > 0.0).then_some(Sizer {
            tokens_per_unit: per,
            header_tokens,
            exact: false,
        })
    }

    /// Units that make a prompt of at most `tokens` tokens (by this sizing).
    pub fn units_for(&self, tokens: u64) -> usize {
        let room = tokens as f64 - self.header_tokens;
        if room <= 0.0 {
            0
        } else {
            (room / self.tokens_per_unit).floor() as usize
        }
    }

    /// Expected tokens of `units` units.
    pub fn tokens_of(&self, units: usize) -> f64 {
        self.header_tokens + units as f64 * self.tokens_per_unit
    }
}

/// The prompt sizes to run: `wanted` less those that do not fit `ctx` with `gen` tokens to
/// generate and `margin` spare; when some were dropped, the largest size that fits is added
/// (rounded down to 64), unless it is within 10% of a kept one. Returns the sizes and the
/// dropped ones.
pub fn fit_sizes(wanted: &[u64], ctx: u64, gen: u64, margin: u64) -> (Vec<u64>, Vec<u64>) {
    let cap = ctx.saturating_sub(gen + margin) / 64 * 64;
    let mut keep: Vec<u64> = wanted
        .iter()
        .copied()
        .filter(|&n| n > 0 && n <= cap)
        .collect();
    let dropped: Vec<u64> = wanted.iter().copied().filter(|&n| n > cap).collect();
    keep.sort_unstable();
    keep.dedup();
    if !dropped.is_empty() && cap >= 64 {
        let close = keep.last().is_some_and(|&k| k as f64 >= cap as f64 * 0.9);
        if !close {
            keep.push(cap);
        }
    }
    (keep, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_differ_from_the_first_words() {
        let a = build("1-512", 3);
        let b = build("2-2048", 3);
        assert_ne!(a.split_whitespace().nth(2), b.split_whitespace().nth(2));
        assert!(a.ends_with(UNIT));
        assert_eq!(build("x", 0), header("x"));
    }

    #[test]
    fn sizing_from_counts() {
        let s = Sizer::from_counts(10, 10 + 22 * 64, 64).unwrap();
        assert_eq!(s.tokens_per_unit, 22.0);
        assert_eq!(s.units_for(2048), (2038.0f64 / 22.0).floor() as usize);
        assert!(s.tokens_of(s.units_for(2048)) <= 2048.0);
        assert!(Sizer::from_counts(10, 5, 64).is_none());
        assert_eq!(Sizer::estimate().units_for(1), 0);
    }

    #[test]
    fn sizes_are_capped_at_the_context() {
        let want = [512, 2048, 8192, 32768];
        assert_eq!(fit_sizes(&want, 40000, 64, 64), (want.to_vec(), vec![]));
        let (keep, dropped) = fit_sizes(&want, 4096, 64, 64);
        assert_eq!(keep, vec![512, 2048, 3968]);
        assert_eq!(dropped, vec![8192, 32768]);
        // An 8192 context: 8192 itself does not fit with 64 to generate; 8128 does.
        let (keep, _) = fit_sizes(&want, 8192, 64, 0);
        assert_eq!(keep, vec![512, 2048, 8128]);
        let (keep, _) = fit_sizes(&[512, 8000], 8192, 64, 64);
        assert_eq!(keep, vec![512, 8000]);
        assert_eq!(fit_sizes(&want, 100, 64, 64).0, Vec::<u64>::new());
    }
}
