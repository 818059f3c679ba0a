//! Hosted models a task can be sent to (`data/cloud.toml`): context window, per-token prices
//! (with the dearer rates some providers charge for long prompts), free tier, source and date.
//! `cabe route` reads them; a user's own file in the same format replaces them.

use cabe_core::text::shown;
use serde::{Deserialize, Serialize};

pub const CLOUD_TOML: &str = include_str!("../data/cloud.toml");

/// A dearer rate for prompts over a threshold (Gemini 2.5 Pro above 200K tokens).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    pub above_prompt_tokens: u64,
    pub input_usd_per_m: f64,
    pub output_usd_per_m: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CloudModel {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub api_model: String,
    /// Prompt and answer together, tokens.
    pub context_tokens: u64,
    #[serde(default)]
    pub max_input_tokens: Option<u64>,
    #[serde(default)]
    pub max_output_tokens: Option<u64>,
    pub input_usd_per_m: f64,
    pub output_usd_per_m: f64,
    #[serde(default)]
    pub tiers: Vec<PriceTier>,
    pub free_tier: String,
    pub source: String,
    pub date: String,
    #[serde(default)]
    pub notes: String,
}

impl CloudModel {
    /// Whether a prompt of `prompt` tokens and an answer of `output` fit its limits.
    pub fn holds(&self, prompt: u64, output: u64) -> bool {
        prompt.saturating_add(output) <= self.context_tokens
            && self.max_input_tokens.is_none_or(|m| prompt <= m)
            && self.max_output_tokens.is_none_or(|m| output <= m)
    }

    /// USD per million input and output tokens for a prompt of `prompt` tokens: the last tier
    /// whose threshold the prompt is over, else the base rate.
    pub fn rates(&self, prompt: u64) -> (f64, f64) {
        self.tiers
            .iter()
            .rfind(|t| prompt > t.above_prompt_tokens)
            .map_or((self.input_usd_per_m, self.output_usd_per_m), |t| {
                (t.input_usd_per_m, t.output_usd_per_m)
            })
    }

    /// USD for one request.
    pub fn usd_per_request(&self, prompt: u64, output: u64) -> f64 {
        let (i, o) = self.rates(prompt);
        (prompt as f64 * i + output as f64 * o) / 1e6
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    cloud: Vec<CloudModel>,
}

/// Parses and checks a cloud catalog: every row an https source, a `YYYY-MM` date, a positive
/// context, finite non-negative prices, tiers in rising order inside the window, unique ids.
pub fn parse_cloud(text: &str) -> Result<Vec<CloudModel>, String> {
    let rows = toml::from_str::<File>(text)
        .map_err(|e| shown(&e.message().replace('\n', " "), 300))?
        .cloud;
    if rows.is_empty() {
        return Err("no [[cloud]] rows".into());
    }
    for (i, r) in rows.iter().enumerate() {
        // The file may be the user's (`--cloud-prices`): its text is shown on one line.
        let id = shown(&r.id, 80);
        check_row(r).map_err(|e| format!("row '{id}': {}", shown(&e, 300)))?;
        if rows[..i].iter().any(|o| o.id == r.id) {
            return Err(format!("row '{id}': the id is listed twice"));
        }
    }
    Ok(rows)
}

fn check_row(r: &CloudModel) -> Result<(), String> {
    if r.id.trim().is_empty() || r.id.len() > 64 || r.id.chars().any(char::is_control) {
        return Err("the id must be 1 to 64 printable characters".into());
    }
    if !r.source.starts_with("https://") {
        return Err(format!("source '{}' is not an https page", r.source));
    }
    let d = r.date.as_bytes();
    let month = r.date.get(5..).and_then(|m| m.parse::<u32>().ok());
    if !(d.len() == 7
        && d[4] == b'-'
        && r.date[..4].parse::<u32>().is_ok_and(|y| y >= 2023)
        && month.is_some_and(|m| (1..=12).contains(&m)))
    {
        return Err(format!("date '{}' is not YYYY-MM", r.date));
    }
    if r.context_tokens == 0 {
        return Err("context_tokens must be positive".into());
    }
    for (what, m) in [
        ("max_input_tokens", r.max_input_tokens),
        ("max_output_tokens", r.max_output_tokens),
    ] {
        if m.is_some_and(|m| m == 0 || m > r.context_tokens) {
            return Err(format!("{what} must be between 1 and context_tokens"));
        }
    }
    let price = |what: &str, x: f64| {
        if x.is_finite() && x >= 0.0 {
            Ok(())
        } else {
            Err(format!(
                "{what} must be a non-negative number of USD, not {x}"
            ))
        }
    };
    price("input_usd_per_m", r.input_usd_per_m)?;
    price("output_usd_per_m", r.output_usd_per_m)?;
    let mut last = 0;
    for t in &r.tiers {
        price("a tier's input_usd_per_m", t.input_usd_per_m)?;
        price("a tier's output_usd_per_m", t.output_usd_per_m)?;
        if t.above_prompt_tokens <= last || t.above_prompt_tokens >= r.context_tokens {
            return Err("tiers must rise and stay inside the context window".into());
        }
        last = t.above_prompt_tokens;
    }
    Ok(())
}

/// The embedded catalog, parsed once.
pub fn cloud_models() -> &'static [CloudModel] {
    static ROWS: std::sync::OnceLock<Vec<CloudModel>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| parse_cloud(CLOUD_TOML).expect("data/cloud.toml is valid (tested)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_sourced_dated_and_priced() {
        let rows = parse_cloud(CLOUD_TOML).unwrap();
        assert!(rows.len() >= 6);
        for r in &rows {
            assert!(r.source.starts_with("https://"), "{}", r.id);
            assert!(r.context_tokens > 0, "{}", r.id);
            assert!(r.input_usd_per_m >= 0.0 && r.output_usd_per_m >= 0.0);
            assert!(!r.free_tier.is_empty(), "{}", r.id);
        }
        let get = |id: &str| rows.iter().find(|r| r.id == id).unwrap();
        // The two the hybrid split is about: Devstral's 256K and Gemini 2.5 Pro's 1M.
        assert_eq!(get("devstral-2").context_tokens, 262_144);
        assert_eq!(get("gemini-2.5-pro").context_tokens, 1_048_576);
        for p in ["Mistral", "Google", "Anthropic", "OpenAI", "DeepSeek"] {
            assert!(rows.iter().any(|r| r.provider == p), "{p}");
        }
    }

    #[test]
    fn long_prompts_pay_the_tier_rate_and_limits_hold() {
        let rows = cloud_models();
        let pro = rows.iter().find(|r| r.id == "gemini-2.5-pro").unwrap();
        assert_eq!(pro.rates(200_000), (1.25, 10.0));
        assert_eq!(pro.rates(200_001), (2.5, 15.0));
        // 210K in, 4K out at the long-prompt rate.
        let usd = pro.usd_per_request(210_000, 4_000);
        assert!((usd - (0.21 * 2.5 + 0.004 * 15.0)).abs() < 1e-12, "{usd}");
        let gpt5 = rows.iter().find(|r| r.id == "gpt-5").unwrap();
        assert!(gpt5.holds(272_000, 1_000) && !gpt5.holds(272_001, 1_000));
        let devstral = rows.iter().find(|r| r.id == "devstral-2").unwrap();
        assert!(devstral.holds(250_000, 12_144) && !devstral.holds(250_000, 12_145));
    }

    #[test]
    fn bad_rows_are_refused_naming_the_row() {
        let good = r#"[[cloud]]
id = "x"
provider = "P"
name = "X"
api_model = "x"
context_tokens = 1000
input_usd_per_m = 1.0
output_usd_per_m = 2.0
free_tier = "none"
source = "https://example.com/pricing"
date = "2025-06"
"#;
        assert_eq!(parse_cloud(good).unwrap().len(), 1);
        for (from, to, says) in [
            ("https://example.com/pricing", "http://example.com", "https"),
            ("2025-06", "2025-13", "YYYY-MM"),
            ("2025-06", "June 2025", "YYYY-MM"),
            ("context_tokens = 1000", "context_tokens = 0", "positive"),
            ("input_usd_per_m = 1.0", "input_usd_per_m = -1.0", "non-negative"),
            ("input_usd_per_m = 1.0", "input_usd_per_m = nan", "non-negative"),
            ("free_tier", "free_teir", "unknown field"),
            (
                "context_tokens = 1000",
                "context_tokens = 1000\ntiers = [{ above_prompt_tokens = 5000, input_usd_per_m = 1.0, output_usd_per_m = 1.0 }]",
                "tiers",
            ),
        ] {
            let e = parse_cloud(&good.replace(from, to)).unwrap_err();
            assert!(e.contains(says), "{to}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
        let twice = format!("{good}\n{good}");
        assert!(parse_cloud(&twice).unwrap_err().contains("twice"));
        assert!(parse_cloud("").unwrap_err().contains("cloud"));
    }
}
