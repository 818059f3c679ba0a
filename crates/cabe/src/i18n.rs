//! The language of this run and the command line's messages (`i18n/{en,es}/*.ftl`).
//!
//! The language is set once in `main` (`--lang`, else `CABE_LANG`, else the locale); the
//! printers ask [`lang`] and [`t!`](crate::t) for their words. `--json` never goes through
//! here: its field names, ids and texts are the same in every language.

use cabe_i18n::{Catalog, Lang};
use std::sync::OnceLock;

pub static CATALOG: Catalog = Catalog::new(
    &[
        include_str!("../i18n/en/cli.ftl"),
        include_str!("../i18n/en/doctor.ftl"),
        include_str!("../i18n/en/fit.ftl"),
        include_str!("../i18n/en/list.ftl"),
        include_str!("../i18n/en/plan.ftl"),
        include_str!("../i18n/en/curve.ftl"),
        include_str!("../i18n/en/system.ftl"),
        include_str!("../i18n/en/inspect.ftl"),
        include_str!("../i18n/en/scan.ftl"),
        include_str!("../i18n/en/errors.ftl"),
        include_str!("../i18n/en/history.ftl"),
        include_str!("../i18n/en/serve.ftl"),
        include_str!("../i18n/en/calibrate.ftl"),
        include_str!("../i18n/en/recommend.ftl"),
        include_str!("../i18n/en/buy.ftl"),
        include_str!("../i18n/en/route.ftl"),
        include_str!("../i18n/en/bench.ftl"),
        include_str!("../i18n/en/mcp.ftl"),
        include_str!("../i18n/en/explain.ftl"),
        include_str!("../i18n/en/basis.ftl"),
        include_str!("../i18n/en/read.ftl"),
        include_str!("../i18n/en/rest.ftl"),
    ],
    &[
        include_str!("../i18n/es/cli.ftl"),
        include_str!("../i18n/es/doctor.ftl"),
        include_str!("../i18n/es/fit.ftl"),
        include_str!("../i18n/es/list.ftl"),
        include_str!("../i18n/es/plan.ftl"),
        include_str!("../i18n/es/curve.ftl"),
        include_str!("../i18n/es/system.ftl"),
        include_str!("../i18n/es/inspect.ftl"),
        include_str!("../i18n/es/scan.ftl"),
        include_str!("../i18n/es/errors.ftl"),
        include_str!("../i18n/es/history.ftl"),
        include_str!("../i18n/es/serve.ftl"),
        include_str!("../i18n/es/calibrate.ftl"),
        include_str!("../i18n/es/recommend.ftl"),
        include_str!("../i18n/es/buy.ftl"),
        include_str!("../i18n/es/route.ftl"),
        include_str!("../i18n/es/bench.ftl"),
        include_str!("../i18n/es/mcp.ftl"),
        include_str!("../i18n/es/explain.ftl"),
        include_str!("../i18n/es/basis.ftl"),
        include_str!("../i18n/es/read.ftl"),
        include_str!("../i18n/es/rest.ftl"),
    ],
);

static LANG: OnceLock<Lang> = OnceLock::new();

/// An error told in words from the catalog: English where it is shown as text (its `Display`,
/// which `--json`, the web API and the MCP tools carry), in this run's language where the
/// command line prints it (through `main`'s printer, which finds it in the
/// error's chain). Made with [`msg!`](crate::msg). `english` replaces the English message
/// when the error comes from a library crate's own words (kept as they were).
#[derive(Debug)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, cabe_i18n::Arg)>,
    pub english: Option<String>,
    /// What caused it: the rest of the error's chain.
    pub source: Option<anyhow::Error>,
}

impl Msg {
    /// The message in `l`.
    pub fn text(&self, l: Lang) -> String {
        match (&self.english, l) {
            (Some(e), Lang::En) => e.clone(),
            _ => CATALOG.get(l, self.id, &self.args),
        }
    }

    /// The same error, whose English is a library's own text.
    pub fn english(mut self, text: impl Into<String>) -> Msg {
        self.english = Some(text.into());
        self
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Two errors are the same when they say the same (in English).
impl PartialEq for Msg {
    fn eq(&self, other: &Msg) -> bool {
        self.to_string() == other.to_string()
    }
}

impl std::error::Error for Msg {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e.as_ref() as _)
    }
}

/// `anyhow::Context` with a catalog message: `r.msg_context(|| msg!("id", …))`.
pub trait MsgContext<T> {
    fn msg_context(self, m: impl FnOnce() -> Msg) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> MsgContext<T> for Result<T, E> {
    fn msg_context(self, m: impl FnOnce() -> Msg) -> anyhow::Result<T> {
        self.map_err(|e| {
            let mut m = m();
            m.source = Some(e.into());
            anyhow::Error::new(m)
        })
    }
}

/// An error message of the catalog: `msg!("id", name = value, …)` is a [`Msg`].
macro_rules! msg {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::i18n::Msg {
            id: $id,
            args: vec![$((stringify!($k), cabe_i18n::Arg::from($v))),*],
            english: None,
            source: None,
        }
    };
}

/// This run's language (English until `main` sets it).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// Sets this run's language; the first call wins.
pub fn set(l: Lang) {
    let _ = LANG.set(l);
}

/// The language from the command line (`--lang es`, `--lang=es`, before or after the
/// subcommand) and the environment, read before clap parses so that `--help` is in it too.
pub fn from_args_and_env(args: &[std::ffi::OsString]) -> Lang {
    let mut flag = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let v = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_string)
        };
        if let Some(v) = v {
            flag = Lang::parse(&v).or(flag);
        }
    }
    Lang::select(flag, |k| std::env::var(k).ok())
}

/// `--lang`'s value: `en` or `es`.
pub fn parse_flag(s: &str) -> Result<Lang, Msg> {
    match s {
        "en" => Ok(Lang::En),
        "es" => Ok(Lang::Es),
        _ => Err(msg!("flag-lang", value = s)),
    }
}

/// A message in this run's language: `t!("id", name = value, …)`; `t!(in lang, "id", …)`
/// in a given one (`--json`'s English). Textually scoped (`#[macro_use] mod i18n;` comes
/// first in main.rs), not exported: the fuzz workspace compiles these modules through
/// `include!`, where an exported macro may not be named by path.
macro_rules! t {
    (in $lang:expr, $id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        cabe_i18n::tr!($crate::i18n::CATALOG, $lang, $id $(, $k = $v)*)
    };
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        cabe_i18n::tr!($crate::i18n::CATALOG, $crate::i18n::lang(), $id $(, $k = $v)*)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_hold_the_same_messages_with_the_same_variables() {
        let problems = CATALOG.check();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_flag_is_found_anywhere_on_the_line() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            from_args_and_env(&args(&["cabe", "fit", "x", "--lang", "es"])),
            Lang::Es
        );
        assert_eq!(
            from_args_and_env(&args(&["cabe", "--lang=es", "fit"])),
            Lang::Es
        );
        assert_eq!(
            from_args_and_env(&args(&["cabe", "--lang", "en", "fit"])),
            Lang::En
        );
    }

    /// Every `t!("id"` / `t!(in lang, "id"` in the sources names a message of the catalog.
    #[test]
    fn every_message_the_code_uses_exists() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut used = 0;
        let mut stack = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, _) in text.match_indices("t!(").chain(text.match_indices("msg!(")) {
                    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                    let before = &text[line_start..i];
                    if before.trim_start().starts_with("//")
                        || before
                            .chars()
                            .last()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    {
                        continue;
                    }
                    let rest = &text[i..];
                    let Some(q) = rest.find('"') else { continue };
                    let id: String = rest[q + 1..].chars().take_while(|c| *c != '"').collect();
                    if id.is_empty() || id.contains([' ', '(']) || id == "id" {
                        continue;
                    }
                    used += 1;
                    assert!(CATALOG.has(&id), "{}: no message {id}", p.display());
                }
            }
        }
        assert!(used > 30, "only {used} messages found: the scan is broken");
    }
}
