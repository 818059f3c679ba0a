//! # cabe-i18n
//!
//! The languages cabe speaks (English and Spanish) and how a message is put into one of them.
//!
//! - [`Lang`]: the language, picked from `--lang`, `CABE_LANG` or the POSIX locale
//!   ([`Lang::select`]), and how it writes numbers ([`Lang::int`], [`Lang::dec`],
//!   [`Lang::bytes`]): English `131,072` and `17.3 GiB`; Spanish as CLDR's `es` locale does,
//!   `131.072` and `17,3 GiB` (a dot between thousands, from five digits on; a decimal comma).
//!   Units stay units.
//! - [`Catalog`]: one crate's Project Fluent messages (`.ftl` files embedded with
//!   `include_str!`), parsed the first time a language is used, and [`Catalog::check`], which
//!   tests run: every message in both languages, with the same variables.
//!
//! Pure: no I/O; the caller reads the environment and hands it to [`Lang::select`].

mod catalog;
mod lang;

pub use catalog::{Arg, Catalog};
pub use lang::Lang;

/// A message of `catalog` in `lang`: `tr!(CATALOG, lang, "id", name = value, …)`. The
/// values are anything an [`Arg`] is made from (integers, strings, [`Arg::dec`]).
#[macro_export]
macro_rules! tr {
    ($cat:expr, $lang:expr, $id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $cat.get($lang, $id, &[$((stringify!($k), $crate::Arg::from($v))),*])
    };
}
