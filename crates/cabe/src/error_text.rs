//! The one line the command line prints for an error, in this run's language.
//!
//! An error's English text is what `--json`, the web API and the MCP tools carry, so errors are
//! made in English (or as a [`Msg`], which is English as text) and put into the run's language
//! here, where they are printed: a [`Msg`] in its catalog words, a catalog miss
//! ([`NotFound`]), a GGUF file that cannot be read or sized ([`GgufError`], [`SpecError`]) from
//! their fields; anything else (a library's free English text) as it is.
//!
//! clap has no translations of its own (its messages are English `format!`s), so a usage
//! mistake is re-worded here from the context clap records with it (the argument, the value,
//! the suggestions) for the kinds a person meets; the rarer kinds stay in clap's English.

use crate::i18n::{lang, Msg};
use cabe_bench::server::ServerError;
use cabe_catalog::NotFound;
use cabe_gguf::spec::SpecError;
use cabe_gguf::GgufError;
use cabe_i18n::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// An error's cause chain on one line, each cause in the run's language, skipping causes whose
/// text the message already carries (errors that print their source).
pub fn chain(e: &anyhow::Error) -> String {
    chain_in(e, lang())
}

/// [`chain`] in `l` (`cabe mcp` answers in the server's language).
pub fn chain_in(e: &anyhow::Error, l: Lang) -> String {
    let mut english = String::new();
    let mut local = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        if english.contains(&c) {
            continue;
        }
        if !english.is_empty() {
            english.push_str(": ");
            local.push_str(": ");
        }
        english.push_str(&c);
        local.push_str(&cause_text(cause, l).unwrap_or(c));
    }
    local
}

/// One cause in `l`, where it is one of the errors cabe knows the fields of.
fn cause_text(cause: &(dyn std::error::Error + 'static), l: Lang) -> Option<String> {
    if l == Lang::En {
        return None;
    }
    if let Some(m) = cause.downcast_ref::<Msg>() {
        return Some(m.text(l));
    }
    if let Some(nf) = cause.downcast_ref::<NotFound>() {
        return Some(not_found(nf, l));
    }
    if let Some(g) = cause.downcast_ref::<GgufError>() {
        return gguf(g, l);
    }
    if let Some(s) = cause.downcast_ref::<SpecError>() {
        return Some(spec(s, l));
    }
    if let Some(s) = cause.downcast_ref::<ServerError>() {
        return server(s, l);
    }
    if let Some(e) = cause.downcast_ref::<std::num::ParseIntError>() {
        use std::num::IntErrorKind;
        let kind = match e.kind() {
            IntErrorKind::Empty => "empty",
            IntErrorKind::PosOverflow => "too-large",
            IntErrorKind::NegOverflow => "too-small",
            _ => "invalid",
        };
        return Some(t!(in l, "error-not-an-integer", kind = kind));
    }
    // clap's integer range check ("70000 is not in 0..=65535"), a plain message.
    let text = cause.to_string();
    if let Some((value, range)) = text.split_once(" is not in ") {
        if !value.contains(' ') && !range.contains(' ') {
            return Some(t!(in l, "error-out-of-range", value = value, range = range));
        }
    }
    None
}

/// A bench server's error from its fields (the server's and the system's own words as they
/// are).
fn server(e: &ServerError, l: Lang) -> Option<String> {
    Some(match e {
        // Several addresses tried are joined with " or " (URLs have no spaces).
        ServerError::Down { url, detail } => t!(
            in l,
            "bench-server-down",
            url = url.replace(" or ", &t!(in l, "bench-server-or")),
            detail = detail.as_str()
        ),
        ServerError::Slow {
            server,
            url,
            endpoint,
            secs,
            hint,
        } => t!(
            in l,
            "bench-server-slow",
            server = *server,
            url = url.as_str(),
            endpoint = *endpoint,
            secs = cabe_i18n::Arg::dec(*secs, 0),
            hint = if hint.is_empty() {
                "none"
            } else if hint.contains("--timeout") {
                "generating"
            } else {
                "loading"
            }
        ),
        ServerError::Status {
            server,
            url,
            endpoint,
            status,
            message,
        } => t!(
            in l,
            "bench-server-status",
            server = *server,
            url = url.as_str(),
            endpoint = *endpoint,
            status = status.to_string(),
            message = message.as_str()
        ),
        ServerError::Malformed {
            server,
            url,
            endpoint,
            detail,
        } => t!(
            in l,
            "bench-server-malformed",
            server = *server,
            url = url.as_str(),
            endpoint = *endpoint,
            detail = detail.as_str()
        ),
        ServerError::TooLarge {
            server,
            url,
            endpoint,
            limit,
        } => t!(
            in l,
            "bench-server-too-large",
            server = *server,
            url = url.as_str(),
            endpoint = *endpoint,
            limit = *limit
        ),
        ServerError::Broken {
            server,
            url,
            endpoint,
            detail,
        } => t!(
            in l,
            "bench-server-broken",
            server = *server,
            url = url.as_str(),
            endpoint = *endpoint,
            detail = detail.as_str()
        ),
        ServerError::BadUrl { url, detail } => {
            t!(in l, "bench-server-bad-url", url = url.as_str(), detail = detail.as_str())
        }
        _ => return None,
    })
}

/// "unknown model 'x'; did you mean: a, b?" from the lookup's query and suggestions.
pub fn not_found(nf: &NotFound, l: Lang) -> String {
    let query = nf.query.as_str();
    let mut s = if nf.what == "hardware" {
        t!(in l, "error-unknown-hardware", query = query)
    } else {
        t!(in l, "error-unknown-model", query = query)
    };
    if !nf.suggestions.is_empty() {
        s += &t!(in l, "error-did-you-mean", ids = nf.suggestions.join(", "));
    }
    s
}

/// A GGUF read error from its fields, for the errors a person meets (a missing or wrong file,
/// a cut-off download, an old or foreign format); the format's fine detail stays English.
pub fn gguf(e: &GgufError, l: Lang) -> Option<String> {
    Some(match e {
        GgufError::File { path, source } => {
            let inner = gguf(source, l).unwrap_or_else(|| source.to_string());
            format!("{}: {inner}", path.display())
        }
        GgufError::Open(io) => t!(in l, "error-gguf-open", reason = io_reason(io, l)),
        GgufError::NotAFile { path, kind } => {
            let path = path.display().to_string();
            if *kind == "directory" {
                t!(in l, "error-gguf-directory", path = path)
            } else {
                t!(in l, "error-gguf-not-a-file", path = path)
            }
        }
        GgufError::Truncated {
            needed,
            offset,
            file_size,
        } => t!(
            in l,
            "error-gguf-truncated",
            needed = *needed,
            offset = *offset,
            size = *file_size
        ),
        GgufError::BadMagic { .. } => t!(in l, "error-gguf-magic"),
        GgufError::V1 => t!(in l, "error-gguf-v1"),
        GgufError::BadVersion { version, .. } => {
            t!(in l, "error-gguf-version", version = *version)
        }
        GgufError::MissingShard { shard, count, path } => t!(
            in l,
            "error-gguf-missing-shard",
            shard = *shard,
            count = *count,
            path = path.display().to_string()
        ),
        _ => return None,
    })
}

/// An operating system error's reason: the common kinds in words, others as the system says.
fn io_reason(io: &std::io::Error, l: Lang) -> String {
    match io.kind() {
        std::io::ErrorKind::NotFound => t!(in l, "error-io-not-found"),
        std::io::ErrorKind::PermissionDenied => t!(in l, "error-io-permission"),
        _ => io.to_string(),
    }
}

pub fn spec(e: &SpecError, l: Lang) -> String {
    match e {
        SpecError::NoArchitecture => t!(in l, "error-spec-no-architecture"),
        SpecError::Missing { arch, key } => {
            t!(in l, "error-spec-missing", arch = arch.as_str(), key = key.as_str())
        }
        SpecError::NotAModel(kind) => t!(in l, "error-spec-not-a-model", kind = kind.as_str()),
        SpecError::Range { key, value } => {
            t!(in l, "error-spec-range", key = key.as_str(), value = value.to_string())
        }
    }
}

/// A usage mistake on one line in the run's language: clap's first line in English, the
/// kinds a person meets re-worded from clap's context in other languages.
pub fn usage(e: &clap::Error) -> String {
    let l = lang();
    // clap's message runs to its tip, usage block or "For more information" line, not to its
    // first line: a value it quotes may hold newlines.
    let english = || {
        let text = e.render().to_string();
        let end = ["\n\n  tip:", "\n\nUsage:", "\n\nFor more information"]
            .iter()
            .filter_map(|m| text.find(m))
            .min()
            .unwrap_or(text.trim_end().len());
        // Its lines (a "[possible values: …]" line, a value's own newlines) joined with spaces.
        let first = text[..end]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        match first.strip_prefix("error: ").unwrap_or(&first) {
            "" => "invalid arguments".to_string(),
            message => message.to_string(),
        }
    };
    // clap puts the missing arguments on the lines after its first: they are named from its
    // context instead, in English too.
    let line = if l == Lang::En && e.kind() != ErrorKind::MissingRequiredArgument {
        english()
    } else {
        usage_local(e, l).unwrap_or_else(english)
    };
    // One line, whatever the arguments held.
    t!(in l, "error-usage", message = cabe_core::text::shown(&line, 600))
}

/// A usage mistake re-worded in `l` from clap's context, for the kinds a person meets.
pub(crate) fn usage_local(e: &clap::Error, l: Lang) -> Option<String> {
    let s = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let list = |k: ContextKind| match e.get(k) {
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    // A suggestion is a command, a flag or a value: written as code.
    let suggestion = || {
        [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .find_map(|k| match e.get(k) {
            Some(ContextValue::Strings(v)) => Some(v.clone()),
            Some(ContextValue::String(s)) => Some(vec![s.clone()]),
            _ => None,
        })
        .map(|v| {
            let ids: Vec<String> = v.iter().map(|s| format!("`{s}`")).collect();
            t!(in l, "error-did-you-mean", ids = ids.join(", "))
        })
        .unwrap_or_default()
    };
    Some(match e.kind() {
        ErrorKind::UnknownArgument => {
            t!(in l, "error-clap-unknown-argument", arg = s(ContextKind::InvalidArg)?)
                + &suggestion()
        }
        ErrorKind::InvalidSubcommand => {
            t!(in l, "error-clap-unknown-command", command = s(ContextKind::InvalidSubcommand)?)
                + &suggestion()
        }
        ErrorKind::InvalidValue => {
            let arg = s(ContextKind::InvalidArg)?;
            let value = s(ContextKind::InvalidValue)?;
            let mut m = if value.is_empty() {
                t!(in l, "error-clap-value-required", arg = arg)
            } else {
                t!(in l, "error-clap-invalid-value", value = value, arg = arg)
            };
            if let Some(valid) = list(ContextKind::ValidValue) {
                m += &t!(in l, "error-clap-possible-values", values = valid);
            }
            m + &suggestion()
        }
        ErrorKind::ValueValidation => {
            let arg = s(ContextKind::InvalidArg)?;
            let value = s(ContextKind::InvalidValue)?;
            let source = std::error::Error::source(e)?;
            let reason = cause_text(source, l).unwrap_or_else(|| source.to_string());
            t!(in l, "error-clap-value-validation", value = value, arg = arg, reason = reason)
        }
        ErrorKind::MissingRequiredArgument => {
            t!(in l, "error-clap-missing", args = list(ContextKind::InvalidArg)?)
        }
        ErrorKind::ArgumentConflict => {
            let arg = s(ContextKind::InvalidArg)?;
            match e.get(ContextKind::PriorArg) {
                Some(ContextValue::String(p)) if *p == arg => {
                    t!(in l, "error-clap-repeated", arg = arg)
                }
                Some(ContextValue::String(p)) => {
                    t!(in l, "error-clap-conflict", arg = arg, other = p.as_str())
                }
                Some(ContextValue::Strings(v)) => {
                    t!(in l, "error-clap-conflict", arg = arg, other = v.join(", "))
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}
