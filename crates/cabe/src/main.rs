//! # cabe
//!
//! Will this model fit, how fast, and why does it fail. The command line around `cabe-core`.

// First: the `t!` macro is used by the modules below.
#[macro_use]
mod i18n;
mod bench;
mod buy;
mod calibrate;
mod cli;
mod curve;
mod doctor;
mod error_text;
mod explain_text;
mod fit;
mod flags;
mod history;
mod inspect;
mod list;
mod machine;
mod mcp;
mod plan;
mod recommend;
mod resolve;
mod route;
mod scan;
mod serve;
mod speed_text;
mod system;
mod workload_file;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Help and version as clap prints them; a usage mistake as one line (what clap says, without
/// its usage block and tips), exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(if e.use_stderr() { 2 } else { 0 })
        }
        _ => {
            eprintln!("{}", error_text::usage(&e));
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::from_args_and_env(&argv);
    i18n::set(lang);
    let cmd = cli::localized(cli::Cli::command(), lang);
    let args = match cmd
        .try_get_matches_from(&argv)
        .and_then(|m| cli::Cli::from_arg_matches(&m))
    {
        Ok(a) => a,
        Err(e) => return usage_error(e),
    };
    let result = match args.command {
        cli::Command::Fit(a) => fit::run(&a),
        cli::Command::Inspect(a) => inspect::run(&a),
        cli::Command::Models(a) => list::models(&a),
        cli::Command::Hardware(a) => list::hardware(&a),
        cli::Command::System(a) => system::run(&a),
        cli::Command::Scan(a) => scan::run(&a),
        cli::Command::Doctor(a) => doctor::run(&a),
        cli::Command::Recommend(a) => recommend::run(&a),
        cli::Command::Buy(a) => buy::run(&a),
        cli::Command::Plan(a) => plan::run(&a),
        cli::Command::Route(a) => route::run(&a),
        cli::Command::Calibrate(a) => calibrate::run(&a),
        cli::Command::Bench(a) => bench::run(&a),
        cli::Command::History(a) => history::run(&a),
        cli::Command::Curve(a) => curve::run(&a),
        cli::Command::Serve(a) => serve::run(&a),
        cli::Command::Mcp => mcp::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, no backtrace, in the run's language.
            eprintln!("{}", t!("error-line", message = error_text::chain(&e)));
            ExitCode::from(1)
        }
    }
}

/// A closed stdout (`cabe inspect big.gguf | head`) ends the program quietly, as for other Unix
/// tools, instead of panicking in `println!`.
#[cfg(unix)]
fn restore_sigpipe() {
    // SAFETY: resetting a signal disposition to its default at start-up, before any threads.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
