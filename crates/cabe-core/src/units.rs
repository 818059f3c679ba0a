//! Byte sizes as users write them and as cabe prints them.
//!
//! "GB" is 10^9 bytes and "GiB" is 2^30, as everywhere else; but a machine *sold* as "64 GB" has
//! 64 GiB of RAM, which is why `--memory 64GB` is read as marketing GB = GiB unless `--si` is
//! given (the CLI says which it used).

pub const KIB: u64 = 1 << 10;
pub const MIB: u64 = 1 << 20;
pub const GIB: u64 = 1 << 30;

/// How a parsed size was interpreted, so the CLI can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeUnit {
    /// "GiB", "MiB": binary, unambiguous.
    Binary,
    /// "GB" read as the binary size a RAM/VRAM product is sold as.
    MarketingGb,
    /// "GB" read as 10^9 bytes.
    Decimal,
    /// A plain number of bytes.
    Bytes,
}

/// Parses "64GB", "64 GiB", "512MiB", "1.5TB", "68719476736". With `decimal_gb`, "GB" means
/// 10^9; otherwise "GB" is taken as marketed memory (= GiB).
pub fn parse_size(s: &str, decimal_gb: bool) -> Result<(u64, SizeUnit), String> {
    let t = s.trim();
    // A size is one line: "16\nGB" is not 16 GB (and would be echoed over two lines).
    if t.chars().any(char::is_control) {
        return Err(format!(
            "'{}' is not a size (try 64GB or 24GiB)",
            crate::text::shown(t, 80)
        ));
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num = num.replace('_', "");
    let value: f64 = num
        .parse()
        .map_err(|_| format!("'{t}' is not a size (try 64GB or 24GiB)"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("'{t}' is not a size (try 64GB or 24GiB)"));
    }
    let unit_l = unit.trim().to_ascii_lowercase();
    let (mult, kind) = match unit_l.as_str() {
        "" | "b" => (1.0, SizeUnit::Bytes),
        "kib" | "k" => (KIB as f64, SizeUnit::Binary),
        "mib" | "m" => (MIB as f64, SizeUnit::Binary),
        "gib" | "g" => (GIB as f64, SizeUnit::Binary),
        "tib" | "t" => ((1u64 << 40) as f64, SizeUnit::Binary),
        "kb" | "mb" | "gb" | "tb" => {
            let exp = match unit_l.as_str() {
                "kb" => 1,
                "mb" => 2,
                "gb" => 3,
                _ => 4,
            };
            if decimal_gb {
                (1000f64.powi(exp), SizeUnit::Decimal)
            } else {
                (1024f64.powi(exp), SizeUnit::MarketingGb)
            }
        }
        _ => {
            return Err(format!(
                "unknown unit '{}' in '{t}' (use B, MiB, GiB, MB, GB, TB)",
                unit.trim()
            ))
        }
    };
    let bytes = value * mult;
    if bytes > u64::MAX as f64 / 2.0 {
        return Err(format!("'{t}' is too large"));
    }
    Ok((bytes.round() as u64, kind))
}

/// Parses a duration: "300s", "5m", "1h", "1m30s", "300" (seconds), "2.5s".
pub fn parse_duration_secs(s: &str) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        format!(
            "'{}' is not a duration (try 300s, 5m or 1m30s)",
            crate::text::shown(s.trim(), 80)
        )
    };
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(v) = t.parse::<f64>() {
        return if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(bad())
        };
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            0.001
        } else {
            match c {
                'h' => 3600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => return Err(bad()),
            }
        };
        let v: f64 = num.parse().map_err(|_| bad())?;
        total += v * unit;
        num.clear();
    }
    if !(num.is_empty() && total.is_finite() && total > 0.0) {
        return Err(bad());
    }
    Ok(total)
}

/// "24.0 GiB", "512.0 MiB", "900 B".
pub fn fmt_bytes(b: u64) -> String {
    let f = b as f64;
    if b >= GIB {
        format!("{:.1} GiB", f / GIB as f64)
    } else if b >= MIB {
        format!("{:.1} MiB", f / MIB as f64)
    } else if b >= KIB {
        format!("{:.1} KiB", f / KIB as f64)
    } else {
        format!("{b} B")
    }
}

/// Signed variant for headroom.
pub fn fmt_signed_bytes(b: i64) -> String {
    if b < 0 {
        format!("-{}", fmt_bytes(b.unsigned_abs()))
    } else {
        fmt_bytes(b as u64)
    }
}

/// "262,144".
pub fn fmt_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Decimal GB with one decimal, for people who think in GB: "47.2 GB".
pub fn fmt_gb(b: u64) -> String {
    format!("{:.1} GB", b as f64 / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_as_documented() {
        assert_eq!(
            parse_size("64GB", false).unwrap(),
            (64 * GIB, SizeUnit::MarketingGb)
        );
        assert_eq!(
            parse_size("64GB", true).unwrap(),
            (64_000_000_000, SizeUnit::Decimal)
        );
        assert_eq!(parse_size("24 GiB", false).unwrap().0, 24 * GIB);
        assert_eq!(parse_size("512MiB", false).unwrap().0, 512 * MIB);
        assert_eq!(parse_size("1.5GiB", false).unwrap().0, 3 * GIB / 2);
        assert!(parse_size("lots", false).is_err());
        assert!(parse_size("64 parsecs", false).is_err());
        assert!(parse_size("-3GB", false).is_err());
        // One line, whatever the input holds.
        assert_eq!(
            parse_size("16\nGB", false).unwrap_err(),
            r"'16\nGB' is not a size (try 64GB or 24GiB)"
        );
        assert!(!parse_size("\nlots", false).unwrap_err().contains('\n'));
        assert!(!parse_duration_secs("\n5\nm").unwrap_err().contains('\n'));
        assert!(parse_size("1e30TB", false).is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_secs("300s").unwrap(), 300.0);
        assert_eq!(parse_duration_secs("5m").unwrap(), 300.0);
        assert_eq!(parse_duration_secs("1m30s").unwrap(), 90.0);
        assert_eq!(parse_duration_secs("250ms").unwrap(), 0.25);
        assert_eq!(parse_duration_secs("300").unwrap(), 300.0);
        for bad in ["", "soon", "5x", "-3s", "0s", "5m3"] {
            assert!(parse_duration_secs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formatting() {
        assert_eq!(fmt_int(262144), "262,144");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_bytes(25_769_803_776), "24.0 GiB");
        assert_eq!(fmt_signed_bytes(-(GIB as i64)), "-1.0 GiB");
    }
}
