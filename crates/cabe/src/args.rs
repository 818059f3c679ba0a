//! Flag values several commands share, parsed with the flag's name in the error.

use anyhow::{Context, Result};
use cabe_core::units::parse_duration_secs;

/// A duration flag (`300`, `300s`, `5m`, `1h`), in seconds.
pub fn duration(flag: &str, value: &str) -> Result<f64> {
    parse_duration_secs(value)
        .map_err(anyhow::Error::msg)
        .with_context(|| flag.to_string())
}

/// An optional duration flag.
pub fn optional_duration(flag: &str, value: Option<&str>) -> Result<Option<f64>> {
    value.map(|v| duration(flag, v)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_name_their_flag() {
        assert_eq!(duration("--timeout", "5m").unwrap(), 300.0);
        assert_eq!(optional_duration("--timeout", None).unwrap(), None);
        let e = optional_duration("--timeout", Some("soon")).unwrap_err();
        assert!(format!("{e:#}").starts_with("--timeout: "), "{e:#}");
    }
}
