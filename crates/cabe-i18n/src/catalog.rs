//! One crate's messages in every language: Project Fluent resources embedded in the binary,
//! parsed the first time a language is asked for (an English run never parses the Spanish
//! files, and a run that prints no message parses none).

use crate::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

type Bundle = FluentBundle<FluentResource>;

/// A value put into a message. Integers are written grouped as the language groups them
/// (and select plural forms); [`Arg::dec`] with a fixed number of decimals; text as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Int(f64),
    Dec(f64, usize),
    Str(String),
}

impl Arg {
    /// `x` written with `digits` decimals in the message's language.
    pub fn dec(x: f64, digits: usize) -> Arg {
        Arg::Dec(x, digits)
    }

    fn value(&self) -> FluentValue<'static> {
        let number = |v: f64, d: usize| {
            FluentValue::Number(FluentNumber::new(
                v,
                FluentNumberOptions {
                    minimum_fraction_digits: Some(d),
                    maximum_fraction_digits: Some(d),
                    ..FluentNumberOptions::default()
                },
            ))
        };
        match self {
            Arg::Int(v) => number(*v, 0),
            Arg::Dec(v, d) => number(*v, *d),
            Arg::Str(s) => FluentValue::from(s.clone()),
        }
    }
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Int(v as f64)
            }
        }
    )*};
}
int_arg!(u8, u16, u32, u64, usize, i32, i64);

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Str(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Str(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Str(v.clone())
    }
}

/// Numbers written as `L` writes them (Fluent's own formatting neither groups nor uses a
/// decimal comma).
fn number_as<M>(lang: Lang) -> impl Fn(&FluentValue, &M) -> Option<String> {
    move |v, _| match v {
        FluentValue::Number(n) => {
            Some(lang.dec(n.value, n.options.maximum_fraction_digits.unwrap_or(0)))
        }
        _ => None,
    }
}

fn number_en<M>(v: &FluentValue, m: &M) -> Option<String> {
    number_as(Lang::En)(v, m)
}

fn number_es<M>(v: &FluentValue, m: &M) -> Option<String> {
    number_as(Lang::Es)(v, m)
}

/// The messages of one crate: for each language, its `.ftl` sources.
pub struct Catalog {
    en: &'static [&'static str],
    es: &'static [&'static str],
    bundles: [OnceLock<Bundle>; 2],
}

impl Catalog {
    pub const fn new(en: &'static [&'static str], es: &'static [&'static str]) -> Catalog {
        Catalog {
            en,
            es,
            bundles: [OnceLock::new(), OnceLock::new()],
        }
    }

    fn sources(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        self.bundles[lang as usize].get_or_init(|| {
            let id: unic_langid::LanguageIdentifier =
                lang.code().parse().expect("a valid language code");
            let mut b = Bundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around values: terminals show them, and commands
            // and file names put into messages must stay copyable.
            b.set_use_isolating(false);
            b.set_formatter(Some(match lang {
                Lang::En => number_en,
                Lang::Es => number_es,
            }));
            for src in self.sources(lang) {
                // A resource with syntax errors keeps its good messages; `check` (run by
                // the tests) reports the errors.
                let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(r, _)| r);
                b.add_resource_overriding(res);
            }
            b
        })
    }

    /// The message `id` in `lang` with `args`; the English one when `lang` lacks it, and the
    /// id itself when no language has it (the tests make sure none is missing).
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fargs.set(*k, v.value());
        }
        for l in [lang, Lang::En] {
            let b = self.bundle(l);
            if let Some(p) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(p, Some(&fargs), &mut errors).into_owned();
            }
        }
        id.to_string()
    }

    /// Whether `id` is an English message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle(Lang::En).has_message(id)
    }

    /// Every message id of `lang`, with the variables each uses.
    pub fn messages(&self, lang: Lang) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
        let mut out = BTreeMap::new();
        for (i, src) in self.sources(lang).iter().enumerate() {
            let res = fluent_syntax::parser::parse(*src).map_err(|(_, errs)| {
                format!(
                    "{} source {i}: {} syntax error(s): {errs:?}",
                    lang.code(),
                    errs.len()
                )
            })?;
            for entry in &res.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    for a in &m.attributes {
                        pattern_vars(&a.value, &mut vars);
                    }
                    if out.insert(m.id.name.to_string(), vars).is_some() {
                        return Err(format!("{}: {} defined twice", lang.code(), m.id.name));
                    }
                }
            }
        }
        Ok(out)
    }

    /// What is wrong with the catalog: syntax errors, a message one language has and the
    /// other lacks, a message whose variables differ between them. Empty when sound.
    pub fn check(&self) -> Vec<String> {
        let (en, es) = match (self.messages(Lang::En), self.messages(Lang::Es)) {
            (Ok(en), Ok(es)) => (en, es),
            (a, b) => return [a.err(), b.err()].into_iter().flatten().collect(),
        };
        let mut problems = Vec::new();
        for (id, vars) in &en {
            match es.get(id) {
                None => problems.push(format!("{id}: in English, not in Spanish")),
                Some(v) if v != vars => problems.push(format!(
                    "{id}: variables differ: English {vars:?}, Spanish {v:?}"
                )),
                Some(_) => {}
            }
        }
        for id in es.keys().filter(|id| !en.contains_key(*id)) {
            problems.push(format!("{id}: in Spanish, not in English"));
        }
        problems
    }
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
            for a in &arguments.named {
                inline_vars(&a.value, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tr;

    static CAT: Catalog = Catalog::new(
        &["hello = Hello, { $name }: { $n ->\n    [one] one file\n   *[other] { $n } files\n }\nsize = { $gib } GiB\nonly-en = x\n"],
        &["hello = Hola, { $name }: { $n ->\n    [one] un archivo\n   *[other] { $n } archivos\n }\nsize = { $gib } GiB\n"],
    );

    #[test]
    fn messages_with_plurals_and_numbers_in_each_language() {
        assert_eq!(
            tr!(CAT, Lang::En, "hello", name = "Ana", n = 1u64),
            "Hello, Ana: one file"
        );
        assert_eq!(
            tr!(CAT, Lang::En, "hello", name = "Ana", n = 131072u64),
            "Hello, Ana: 131,072 files"
        );
        assert_eq!(
            tr!(CAT, Lang::Es, "hello", name = "Ana", n = 1u64),
            "Hola, Ana: un archivo"
        );
        assert_eq!(
            tr!(CAT, Lang::Es, "hello", name = "Ana", n = 131072u64),
            "Hola, Ana: 131.072 archivos"
        );
        assert_eq!(
            tr!(CAT, Lang::Es, "size", gib = Arg::dec(17.25, 2)),
            "17,25 GiB"
        );
        assert_eq!(
            tr!(CAT, Lang::En, "size", gib = Arg::dec(17.25, 1)),
            "17.2 GiB"
        );
        // Missing in Spanish: the English one; missing everywhere: the id.
        assert_eq!(tr!(CAT, Lang::Es, "only-en"), "x");
        assert_eq!(tr!(CAT, Lang::Es, "nowhere"), "nowhere");
    }

    #[test]
    fn check_finds_what_one_language_lacks_or_words_differently() {
        let p = CAT.check();
        assert_eq!(p, vec!["only-en: in English, not in Spanish".to_string()]);
        static BAD: Catalog =
            Catalog::new(&["a = { $x } and { $y }\n"], &["a = { $x } y { $z }\n"]);
        assert_eq!(BAD.check().len(), 1, "{:?}", BAD.check());
        static BROKEN: Catalog = Catalog::new(&["a = {\n"], &["a = b\n"]);
        assert!(BROKEN.check()[0].contains("syntax"), "{:?}", BROKEN.check());
    }
}
