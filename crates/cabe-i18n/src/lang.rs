//! Which language, and how it writes numbers.

/// A language cabe speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The code `--lang` takes: `en`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// A language tag or a POSIX locale name: `es`, `es-MX`, `es_ES.UTF-8`, `en_GB@euro`.
    /// `None` for any other language, and for `C` and `POSIX`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let base = tag.split(['.', '@']).next().unwrap_or("");
        let lang = base.split(['_', '-']).next().unwrap_or("");
        match lang.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// `--lang` if given, else `CABE_LANG`, else the locale of messages as POSIX resolves it
    /// (the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`); English when that names another
    /// language (or `C`). A `CABE_LANG` naming neither language is passed over. `env` reads a
    /// variable (the process environment, or a test's).
    pub fn select(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = flag {
            return l;
        }
        let set = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        if let Some(l) = set("CABE_LANG").and_then(|v| Lang::parse(v.trim())) {
            return l;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| set(k))
            .and_then(|v| Lang::parse(v.trim()))
            .unwrap_or(Lang::En)
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::Es => ('.', ','),
        }
    }

    /// 262144 → `262,144` (en), `262.144` (es). Spanish groups from five digits on, as CLDR's
    /// `es` does (`4096`, `16.384`).
    pub fn int(self, n: u64) -> String {
        self.group(&n.to_string())
    }

    /// A signed integer, grouped as [`Lang::int`].
    pub fn signed(self, n: i64) -> String {
        if n < 0 {
            format!("-{}", self.int(n.unsigned_abs()))
        } else {
            self.int(n as u64)
        }
    }

    fn group(self, digits: &str) -> String {
        let (sep, _) = self.separators();
        let min = match self {
            Lang::En => 4,
            Lang::Es => 5,
        };
        if digits.len() < min {
            return digits.to_string();
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// `x` with `digits` decimals: 1234.5 → `1,234.5` (en), `1234,5` (es).
    pub fn dec(self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return format!("{x}");
        }
        let s = format!("{:.*}", digits, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        out.push_str(&self.group(int));
        if !frac.is_empty() {
            out.push(self.separators().1);
            out.push_str(frac);
        }
        out
    }

    /// Whole numbers without decimals, else one: 300 → `300`, 350.55 → `350.6` / `350,6`.
    pub fn trim(self, x: f64) -> String {
        if x.fract() == 0.0 {
            self.dec(x, 0)
        } else {
            self.dec(x, 1)
        }
    }

    /// Bytes in binary units with one decimal, as `cabe_core::units::fmt_bytes` writes them
    /// in English: `17.3 GiB`, `512.0 MiB`, `900 B`; in Spanish `17,3 GiB`.
    pub fn bytes(self, b: u64) -> String {
        const KIB: u64 = 1 << 10;
        const MIB: u64 = 1 << 20;
        const GIB: u64 = 1 << 30;
        let f = b as f64;
        let (v, unit) = if b >= GIB {
            (f / GIB as f64, "GiB")
        } else if b >= MIB {
            (f / MIB as f64, "MiB")
        } else if b >= KIB {
            (f / KIB as f64, "KiB")
        } else {
            return format!("{b} B");
        };
        // English keeps `fmt_bytes`'s ungrouped figure (`1024.0 GiB`).
        match self {
            Lang::En => format!("{v:.1} {unit}"),
            Lang::Es => format!("{} {unit}", self.dec(v, 1)),
        }
    }

    /// [`Lang::bytes`] with a minus sign for a shortfall.
    pub fn signed_bytes(self, b: i64) -> String {
        if b < 0 {
            format!("-{}", self.bytes(b.unsigned_abs()))
        } else {
            self.bytes(b as u64)
        }
    }

    /// Decimal gigabytes with one decimal: `47.2 GB` / `47,2 GB`.
    pub fn gb(self, b: u64) -> String {
        match self {
            Lang::En => format!("{:.1} GB", b as f64 / 1e9),
            Lang::Es => format!("{} GB", self.dec(b as f64 / 1e9, 1)),
        }
    }

    /// 366.9 → `6 min 7 s`; 59 → `59 s`; 3600 → `1 h 0 min` (units are the same in both).
    pub fn duration(self, secs: f64) -> String {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn the_flag_then_cabe_lang_then_the_locale() {
        assert_eq!(
            Lang::select(Some(Lang::En), env(&[("CABE_LANG", "es")])),
            Lang::En
        );
        assert_eq!(
            Lang::select(None, env(&[("CABE_LANG", "es"), ("LANG", "en_US.UTF-8")])),
            Lang::Es
        );
        assert_eq!(
            Lang::select(None, env(&[("CABE_LANG", "en"), ("LC_ALL", "es_ES.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::select(None, env(&[("LANG", "es_ES.UTF-8")])),
            Lang::Es
        );
        assert_eq!(Lang::select(None, env(&[("LANG", "es_MX")])), Lang::Es);
        assert_eq!(Lang::select(None, env(&[])), Lang::En);
        assert_eq!(
            Lang::select(None, env(&[("LANG", "fr_FR.UTF-8")])),
            Lang::En
        );
        // A CABE_LANG naming another language is passed over.
        assert_eq!(
            Lang::select(None, env(&[("CABE_LANG", "de"), ("LANG", "es_ES")])),
            Lang::Es
        );
    }

    #[test]
    fn posix_precedence_lc_all_over_lc_messages_over_lang() {
        let e = env(&[("LC_ALL", "C"), ("LC_MESSAGES", "es_ES"), ("LANG", "es_ES")]);
        assert_eq!(Lang::select(None, e), Lang::En, "LC_ALL=C wins");
        let e = env(&[("LC_ALL", ""), ("LC_MESSAGES", "es_ES"), ("LANG", "en_US")]);
        assert_eq!(Lang::select(None, e), Lang::Es, "an empty LC_ALL is unset");
        let e = env(&[("LC_MESSAGES", "en_US"), ("LANG", "es_ES")]);
        assert_eq!(Lang::select(None, e), Lang::En);
    }

    #[test]
    fn numbers_as_each_language_writes_them() {
        assert_eq!(Lang::En.int(131072), "131,072");
        assert_eq!(Lang::Es.int(131072), "131.072");
        assert_eq!(Lang::En.int(4096), "4,096");
        assert_eq!(Lang::Es.int(4096), "4096");
        assert_eq!(Lang::Es.int(16384), "16.384");
        assert_eq!(Lang::En.dec(1234.56, 1), "1,234.6");
        assert_eq!(Lang::Es.dec(1234.56, 1), "1234,6");
        assert_eq!(Lang::Es.dec(12345.0, 2), "12.345,00");
        assert_eq!(Lang::Es.dec(-0.04, 1), "0,0");
        assert_eq!(Lang::Es.dec(-2.5, 1), "-2,5");
        assert_eq!(Lang::Es.trim(300.0), "300");
        assert_eq!(Lang::Es.trim(350.55), "350,6");
        assert_eq!(Lang::En.bytes(17 << 30), "17.0 GiB");
        assert_eq!(Lang::Es.bytes((173 << 30) / 10), "17,3 GiB");
        assert_eq!(Lang::Es.signed_bytes(-(1 << 20)), "-1,0 MiB");
        assert_eq!(Lang::Es.bytes(900), "900 B");
        assert_eq!(Lang::Es.gb(47_200_000_000), "47,2 GB");
        assert_eq!(Lang::Es.duration(366.9), "6 min 7 s");
    }
}
