//! Command-line arguments.

use clap::{Args, Parser, Subcommand};

pub use crate::flags::{CtxChoice, MachineArgs, OutputArgs, RuntimeArgs, WorkloadArgs};

#[derive(Parser, Debug)]
#[command(
    name = "cabe",
    version,
    about = "Will this LLM fit this machine, and by how much?",
    long_about = "cabe sizes a model (from its catalog entry or a GGUF file) the way llama.cpp loads it: \
weights, KV cache, compute and output buffers, overheads, against a machine's memory."
)]
pub struct Cli {
    /// Language of the human output: en or es (default: CABE_LANG, else the locale, else
    /// English). --json is the same in every language.
    #[arg(long, global = true, value_name = "LANG", value_parser = crate::i18n::parse_flag)]
    pub lang: Option<cabe_i18n::Lang>,
    #[command(subcommand)]
    pub command: Command,
}

/// The help of each option and argument in Spanish (`i18n/es/args.ftl`), looked up as
/// `arg-<command>-<arg id>`, else `arg-<arg id>` (the top level's command is `cabe`). English
/// has no file: its help is clap's own, from the doc comments, so this catalog is Spanish only
/// and the two-language check (`Catalog::check`) does not apply to it; the tests in this
/// module check instead that every argument has its entry, that no entry is stale, and that
/// one shared entry never stands for two different English texts.
pub static ARG_HELP: cabe_i18n::Catalog =
    cabe_i18n::Catalog::new(&[], &[include_str!("../i18n/es/args.ftl")]);

/// The command line with its help in `lang`: for Spanish each command's description, each
/// option's and argument's help, the headings and the help and version flags.
pub fn localized(cmd: clap::Command, lang: cabe_i18n::Lang) -> clap::Command {
    if lang == cabe_i18n::Lang::En {
        return cmd;
    }
    let cmd = cmd
        .about(t!("cli-about"))
        .long_about(t!("cli-long-about"))
        .mut_args(|a| localized_arg("cabe", a, lang));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut cmd = spanish_frame(cmd);
    for name in names {
        let about = crate::i18n::CATALOG.get(lang, &format!("about-{name}"), &[]);
        cmd = cmd.mut_subcommand(&name, |c| {
            spanish_frame(c.about(about).long_about(None))
                .mut_args(|a| localized_arg(&name, a, lang))
        });
    }
    // clap adds its `help` subcommand when it builds the command: build, then word it.
    cmd.build();
    cmd.mut_subcommand("help", |c| c.about(t!("cli-help-command")))
}

/// The help of `command`'s argument in `lang` (`arg-<command>-<id>`, else `arg-<id>`), or
/// `None` where the catalog has none.
pub fn arg_help(command: &str, id: &str, lang: cabe_i18n::Lang) -> Option<String> {
    [format!("arg-{command}-{id}"), format!("arg-{id}")]
        .into_iter()
        .find_map(|key| {
            let text = ARG_HELP.get(lang, &key, &[]);
            // `Catalog::get` answers the id itself for a message it lacks.
            (text != key).then_some(text)
        })
}

/// One argument of `command` with its help in `lang`. An argument without English help
/// (`models --json`) gets none. clap writes `[default: …]` and `[possible values: …]` after
/// the help in English with no way to reword them, so for Spanish they are hidden and written
/// into the text here (the values themselves in backticks: they are typed as they are), from
/// the argument's own default and values, so they cannot drift from what clap applies.
fn localized_arg(command: &str, mut a: clap::Arg, lang: cabe_i18n::Lang) -> clap::Arg {
    let id = a.get_id().as_str();
    if a.get_help().is_none() || matches!(id, "help" | "version") {
        return a;
    }
    let Some(mut text) = arg_help(command, id, lang) else {
        return a;
    };
    let quoted = |values: Vec<String>| {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        cabe_i18n::Arg::from(values.join(", "))
    };
    // As clap: only for arguments that take a value (a bare flag's `false` is not shown).
    if a.get_action().takes_values() {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && !a.is_hide_default_value_set() {
            let value = ARG_HELP.get(lang, "help-default", &[("value", quoted(defaults))]);
            text = format!("{text} {value}");
            a = a.hide_default_value(true);
        }
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_string())
            .collect();
        if !values.is_empty() && !a.is_hide_possible_values_set() {
            let values = ARG_HELP.get(lang, "help-possible-values", &[("values", quoted(values))]);
            text = format!("{text} {values}");
            a = a.hide_possible_values(true);
        }
    }
    // A doc comment of several paragraphs gives a long help too (what `--help` shows, `-h`
    // the short one); none here has one today, but one added later must not stay English
    // under `--help`: the Spanish text is both.
    if a.get_long_help().is_some() {
        a = a.long_help(text.clone());
    }
    a.help(text)
}

/// A heading in this run's language. clap keeps headings as `&'static str`: the few built
/// once per run are leaked, deliberately.
fn heading(id: &str) -> &'static str {
    Box::leak(
        crate::i18n::CATALOG
            .get(crate::i18n::lang(), id, &[])
            .into_boxed_str(),
    )
}

/// Headings, usage label, and help/version flags of one command, in this run's language.
fn spanish_frame(c: clap::Command) -> clap::Command {
    use clap::{Arg, ArgAction};
    let has_version = c.get_version().is_some();
    let c = c
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            t!("cli-usage")
        ))
        .subcommand_help_heading(heading("cli-commands"))
        .mut_args(|a| {
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading(heading("cli-arguments"))
            } else {
                a.help_heading(heading("cli-options"))
            }
        })
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!("cli-help"))
                .help_heading(heading("cli-options")),
        );
    if has_version {
        c.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t!("cli-version"))
                .help_heading(heading("cli-options")),
        )
    } else {
        c
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Will MODEL (catalog id, GGUF file or URL) fit: the memory breakdown, headroom and the
    /// largest context that fits.
    Fit(Box<FitArgs>),
    /// Show a GGUF file's header (local, or a URL read with HTTP range requests): metadata,
    /// tensors, parameter count, file type.
    Inspect(InspectArgs),
    /// List the built-in model catalog.
    Models(ListArgs),
    /// List the built-in hardware catalog.
    Hardware(ListArgs),
    /// What cabe detects about this machine: CPU, memory, GPUs, and the memory a model may use.
    System(SystemArgs),
    /// Find the models already on disk (Ollama, Hugging Face cache, LM Studio, llama.cpp cache,
    /// folders, URLs) and say which fit this machine.
    Scan(ScanArgs),
    /// What to run here: the catalog's models ranked for a use (general, chat, code,
    /// reasoning, long-context, agents), each at the best quantization that fits, with its
    /// memory, speed and quality cost; and the near misses.
    Recommend(Box<crate::recommend::RecommendArgs>),
    /// What to buy for a model and workload: every catalog machine, whether it fits, its
    /// headroom, largest context, decode and first-token time, price, price per GB and per
    /// tok/s; the ones that meet it cheapest first, and what the next tier up adds.
    Buy(Box<crate::buy::BuyArgs>),
    /// One model over several GPUs or machines (llama.cpp's layer split, RPC between hosts):
    /// per device its layers, weights, KV cache, compute buffer and headroom, the decode
    /// ceiling with the link's share, and the commands to run.
    Plan(Box<crate::plan::PlanArgs>),
    /// Which tasks of a workload run here and which go to a hosted model (whose context
    /// holds them, at its per-token price): private tasks never leave; the monthly cost.
    Route(Box<crate::route::RouteArgs>),
    /// Diagnose an Ollama model (or a running llama-server) against the workload and this
    /// machine: the context in force, truncation, timeouts, memory; and write the fix.
    Doctor(Box<DoctorArgs>),
    /// Measure this machine's memory read bandwidth and compute throughput and store them;
    /// speed predictions on this machine use them.
    Calibrate(crate::calibrate::CalibrateArgs),
    /// Run the model of a running Ollama or llama-server at several prompt sizes: measured
    /// against predicted prefill, time to first token and decode; stored in the history.
    Bench(crate::bench::BenchArgs),
    /// The bench runs stored on this machine, and the correction they give predictions.
    History(crate::history::HistoryArgs),
    /// Decode and prefill rate and time to first token against context length: terminal
    /// charts, an SVG, and where a client timeout is crossed.
    Curve(Box<crate::curve::CurveArgs>),
    /// A local web page and read-only JSON API over fit, curve, recommend, buy, plan, route,
    /// doctor (shown, never applied) and the catalogs (http://127.0.0.1:8431/ by default; the
    /// API described at /api/openapi.json).
    Serve(crate::serve::ServeArgs),
    /// A Model Context Protocol server on stdin/stdout for coding agents: the tools fit,
    /// recommend, plan, doctor (shows the fix, never applies it) and check_prompt.
    Mcp,
}

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// The Ollama model, name[:tag] (e.g. qwen3-coder:30b). With --llama-server: optional, or
    /// the GGUF path the server runs. With --catalog: a catalog model id or alias.
    pub model: Option<String>,
    /// The client's prompt size in tokens.
    #[arg(long, value_name = "N", conflicts_with = "prompt", value_parser = crate::flags::tokens)]
    pub prompt_tokens: Option<u64>,
    /// A file holding the prompt: counted by --llama-server's /tokenize when it answers, else
    /// estimated (bytes / 4, labelled as such).
    #[arg(long, value_name = "FILE")]
    pub prompt: Option<std::path::PathBuf>,
    /// The client's request timeout, e.g. 300s or 5m.
    #[arg(long, value_name = "DURATION", value_parser = crate::flags::duration)]
    pub timeout: Option<f64>,
    /// Prefill speed in tokens/s (llama-bench pp, or llama-server timings.prompt_per_second);
    /// default: predicted from the machine's compute when the catalog knows it.
    #[arg(long, value_name = "TOK_S", allow_hyphen_values = true, value_parser = crate::flags::rate)]
    pub prefill_rate: Option<f64>,
    /// options.num_ctx the client sends with each request (overrides the Modelfile).
    #[arg(long, value_name = "N", value_parser = crate::flags::tokens)]
    pub num_ctx: Option<u64>,
    /// MODEL is a catalog model id or alias (see `cabe models`), sized from the catalog: no
    /// store, server or OLLAMA_* variable is read, the setup is the one given (--ctx,
    /// --runtime, --quant).
    #[arg(long, conflicts_with_all = ["ollama_host", "models_dir", "llama_server", "offline"])]
    pub catalog: bool,
    /// With --catalog: the context in force, tokens per sequence (Ollama: the model's num_ctx;
    /// default the version's default. llama-server: its -c, required).
    #[arg(long, value_name = "N", requires = "catalog", value_parser = crate::flags::tokens)]
    pub ctx: Option<u64>,
    /// With --catalog: the runtime, ollama (default) or llama-server.
    #[arg(long, value_name = "RUNTIME", requires = "catalog", value_parser = crate::flags::runtime)]
    pub runtime: Option<cabe_engine::Runtime>,
    /// With --catalog: the whole-file quantization (Q4_K_M by default, Q8_0, F16, …).
    #[arg(long, short = 'q', requires = "catalog")]
    pub quant: Option<String>,
    /// Ollama server to ask (default $OLLAMA_HOST, else 127.0.0.1:11434).
    #[arg(long, value_name = "HOST")]
    pub ollama_host: Option<String>,
    /// Ollama's model store (default $OLLAMA_MODELS, else ~/.ollama/models).
    #[arg(long, value_name = "DIR")]
    pub models_dir: Option<std::path::PathBuf>,
    /// The installed Ollama version when the server cannot be asked (it sets the defaults).
    #[arg(long, value_name = "X.Y.Z")]
    pub ollama_version: Option<String>,
    /// A llama-server URL: diagnosed when no Ollama model is named, else used to count
    /// --prompt tokens.
    #[arg(long, value_name = "URL")]
    pub llama_server: Option<String>,
    /// Ask no server; read only the on-disk store.
    #[arg(long)]
    pub offline: bool,
    /// Connect/read timeout for servers (a whole request gets 2.5×).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = crate::flags::duration)]
    pub http_timeout: f64,
    /// Name of the corrected Ollama model (default: from the old tag, e.g. qwen3-coder:30b-256k).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Write the fixed Modelfile to FILE (an existing FILE is kept as FILE.bak first) and
    /// print the `ollama create` command. Without it nothing is written.
    #[arg(long, value_name = "FILE")]
    pub apply: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub machine: MachineArgs,
    /// Print one JSON object (findings[] with id, severity, message, numbers, fix).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SystemArgs {
    /// Read a recorded machine tree (proc/, sys/, commands/) instead of this machine.
    #[arg(long, value_name = "DIR")]
    pub root: Option<std::path::PathBuf>,
    /// Memory kept for the OS (default 2GiB, an assumption).
    #[arg(long, value_name = "SIZE")]
    pub os_reserve: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Folders or GGUF files to scan, or GGUF/safetensors URLs (read with HTTP range requests).
    /// With none, the default model stores are scanned.
    pub paths: Vec<String>,
    /// Also scan the default model stores (Ollama, Hugging Face cache, LM Studio, llama.cpp
    /// cache) when paths are given.
    #[arg(long)]
    pub defaults: bool,
    /// Context per model for the verdict: a number of tokens, `native` or `max`.
    #[arg(long, default_value = "native", value_parser = crate::flags::ctx)]
    pub ctx: CtxChoice,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    /// Folder depth to descend (default 8).
    #[arg(long, default_value_t = 8)]
    pub max_depth: usize,
    /// Read a recorded machine tree instead of this machine (see `cabe system --root`).
    #[arg(long, value_name = "DIR")]
    pub root: Option<std::path::PathBuf>,
    /// Memory kept for the OS (default 2GiB, an assumption).
    #[arg(long, value_name = "SIZE")]
    pub os_reserve: Option<String>,
    /// Seconds allowed for each remote header read.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Print one JSON object (no progress bar).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct FitArgs {
    /// A catalog model id or alias (see `cabe models`), a path to a GGUF file, or a GGUF's
    /// http(s) URL (Hugging Face resolve/ or blob/ links too): only its header is read, with
    /// HTTP range requests (at most 64 MiB in 30 s; CABE_REMOTE_MAX_BYTES and
    /// CABE_REMOTE_TIMEOUT change the limits).
    pub model: String,
    /// Whole-file quantization for a catalog model (Q4_K_M, Q8_0, F16, …). Default Q4_K_M.
    #[arg(long, short = 'q')]
    pub quant: Option<String>,
    /// Context per sequence: a number of tokens, `native` (the model's training context) or
    /// `max` (the largest that fits). Default native.
    #[arg(
        long,
        short = 'c',
        default_value = "native",
        allow_hyphen_values = true,
        value_parser = crate::flags::ctx
    )]
    pub ctx: CtxChoice,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub machine: MachineArgs,
    #[command(flatten)]
    pub workload: WorkloadArgs,
    /// A decode rate someone claims (tok/s): is it under the bandwidth ceiling?
    #[arg(long, value_name = "TOK_PER_S")]
    pub claimed_decode: Option<f64>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// A GGUF file or its http(s) URL (for split models, any shard). A URL's header is read
    /// with HTTP range requests, never the tensor data (at most 64 MiB in 30 s;
    /// CABE_REMOTE_MAX_BYTES and CABE_REMOTE_TIMEOUT change the limits).
    pub file: std::path::PathBuf,
    /// Print one JSON object with the full metadata and tensor infos.
    #[arg(long)]
    pub json: bool,
    /// Also list every tensor (human output).
    #[arg(long)]
    pub tensors: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only rows whose id or name contains this text.
    pub filter: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use cabe_i18n::Lang;
    use clap::CommandFactory;
    use std::collections::{BTreeMap, BTreeSet};

    /// (command, argument id, help) of every shown argument that has help, walking the built
    /// command line: `cabe` for the top level, a subcommand by its name (a nested one as
    /// `parent-child`). clap's own help and version flags are worded by `spanish_frame`,
    /// and clap's `help` subcommand by `localized`.
    fn arguments(cmd: &clap::Command) -> Vec<(String, String, String)> {
        fn walk(c: &clap::Command, key: &str, out: &mut Vec<(String, String, String)>) {
            for a in c.get_arguments() {
                let id = a.get_id().as_str();
                if a.is_hide_set() || matches!(id, "help" | "version") {
                    continue;
                }
                if let Some(h) = a.get_help() {
                    out.push((key.to_string(), id.to_string(), h.to_string()));
                }
            }
            for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
                let k = match key {
                    "cabe" => s.get_name().to_string(),
                    _ => format!("{key}-{}", s.get_name()),
                };
                walk(s, &k, out);
            }
        }
        let mut out = Vec::new();
        walk(cmd, "cabe", &mut out);
        out
    }

    fn english() -> Vec<(String, String, String)> {
        let mut cmd = Cli::command();
        cmd.build();
        arguments(&cmd)
    }

    fn spanish_ids() -> BTreeMap<String, BTreeSet<String>> {
        ARG_HELP.messages(Lang::Es).expect("args.ftl parses")
    }

    /// The English catalog's `about-<command>` (there for the two languages' consistency
    /// check; English help itself comes from the doc comments) says what the doc comment says.
    #[test]
    fn the_english_abouts_match_the_doc_comments() {
        let cmd = Cli::command();
        let mut compared = 0;
        for c in cmd.get_subcommands() {
            let doc = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            let id = format!("about-{}", c.get_name());
            if crate::i18n::CATALOG.has(&id) {
                let cat = crate::i18n::CATALOG.get(Lang::En, &id, &[]);
                // clap drops a one-sentence doc comment's final period.
                assert_eq!(
                    cat.trim_end_matches('.'),
                    doc,
                    "{id} in en/cli.ftl differs from the doc comment"
                );
                compared += 1;
            } else {
                panic!("{id} is missing from the catalogs");
            }
        }
        assert!(compared > 10, "{compared} commands");
    }

    /// Every argument of every command has its Spanish help, and every entry of args.ftl is
    /// the one some argument uses (none left over from a renamed or removed flag, and no
    /// shared entry that every command overrides).
    #[test]
    fn every_argument_has_spanish_help_and_no_entry_is_stale() {
        let ids = spanish_ids();
        let args = english();
        assert!(
            args.len() > 200,
            "only {} arguments: the walk is broken",
            args.len()
        );
        let mut missing = Vec::new();
        let mut used = BTreeSet::from(["help-default".to_string(), "help-possible-values".into()]);
        for (cmd, id, en) in &args {
            let own = format!("arg-{cmd}-{id}");
            let shared = format!("arg-{id}");
            if ids.contains_key(&own) {
                used.insert(own);
            } else if ids.contains_key(&shared) {
                used.insert(shared);
            } else {
                missing.push(format!("{own} (or {shared}): {en}"));
            }
        }
        assert!(
            missing.is_empty(),
            "no Spanish help for:\n{}",
            missing.join("\n")
        );
        let stale: Vec<&String> = ids.keys().filter(|k| !used.contains(*k)).collect();
        assert!(
            stale.is_empty(),
            "entries of args.ftl no argument uses: {stale:?}"
        );
        assert_eq!(ids["help-default"], BTreeSet::from(["value".to_string()]));
        assert_eq!(
            ids["help-possible-values"],
            BTreeSet::from(["values".to_string()])
        );
        for (id, vars) in &ids {
            assert!(
                id.starts_with("help-") || vars.is_empty(),
                "{id} uses variables {vars:?}: argument help has none"
            );
        }
    }

    /// One Spanish text never stands for two English ones: the commands that fall back to
    /// `arg-<id>` all have the same English help for that argument; a command whose English
    /// says something else has its own `arg-<command>-<id>`.
    #[test]
    fn a_shared_entry_stands_for_one_english_text() {
        let ids = spanish_ids();
        let mut shared: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for (cmd, id, en) in english() {
            if !ids.contains_key(&format!("arg-{cmd}-{id}")) {
                shared
                    .entry(id)
                    .or_default()
                    .entry(en)
                    .or_default()
                    .push(cmd);
            }
        }
        let mut problems = Vec::new();
        for (id, texts) in &shared {
            if texts.len() > 1 {
                let detail: Vec<String> = texts
                    .iter()
                    .map(|(en, cmds)| format!("  {cmds:?}: {en}"))
                    .collect();
                problems.push(format!(
                    "arg-{id} stands for {} English texts; give all but one command its own \
                     arg-<command>-{id}:\n{}",
                    texts.len(),
                    detail.join("\n")
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The Spanish command line carries those texts: every argument's help is its Spanish
    /// entry (plus clap's default and possible values, reworded), none is left English, and
    /// the English command line is untouched.
    #[test]
    fn the_spanish_command_line_carries_the_spanish_help() {
        let mut es = localized(Cli::command(), Lang::Es);
        es.build();
        let es: BTreeMap<(String, String), String> = arguments(&es)
            .into_iter()
            .map(|(c, id, h)| ((c, id), h))
            .collect();
        let en = english();
        assert_eq!(es.len(), en.len());
        for (cmd, id, english) in &en {
            let got = &es[&(cmd.clone(), id.clone())];
            let want = arg_help(cmd, id, Lang::Es).unwrap();
            assert!(got.starts_with(&want), "{cmd} --{id}: {got:?}");
            assert_ne!(got, english, "{cmd} --{id} is still English");
        }
        let fit = &es[&("fit".to_string(), "ctx".to_string())];
        assert!(fit.ends_with("[por defecto: `native`]"), "{fit}");
        let engine = &es[&("plan".to_string(), "engine".to_string())];
        assert!(
            engine.ends_with("[por defecto: `llama.cpp`] [valores posibles: `llama.cpp`, `vllm`]"),
            "{engine}"
        );
        let mut en_cmd = localized(Cli::command(), Lang::En);
        en_cmd.build();
        assert_eq!(arguments(&en_cmd), en);
        let help = en_cmd
            .find_subcommand_mut("fit")
            .unwrap()
            .render_help()
            .to_string();
        assert!(help.contains("[default: native]"), "{help}");
    }
}
