//! # cabe
//!
//! Will this model fit, how fast, and why does it fail. The command line around `cabe-core`.

mod args;
mod bench;
mod calibrate;
mod cli;
mod curve;
mod doctor;
mod fit;
mod history;
mod inspect;
mod list;
mod machine;
mod resolve;
mod scan;
mod speed;
mod system;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    restore_sigpipe();
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Fit(a) => fit::run(&a),
        cli::Command::Inspect(a) => inspect::run(&a),
        cli::Command::Models(a) => list::models(&a),
        cli::Command::Hardware(a) => list::hardware(&a),
        cli::Command::System(a) => system::run(&a),
        cli::Command::Scan(a) => scan::run(&a),
        cli::Command::Doctor(a) => doctor::run(&a),
        cli::Command::Calibrate(a) => calibrate::run(&a),
        cli::Command::Bench(a) => bench::run(&a),
        cli::Command::History(a) => history::run(&a),
        cli::Command::Curve(a) => curve::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, no backtrace: the cause chain joined, skipping causes whose text the
            // message already carries (errors that print their source).
            let mut msg = String::new();
            for cause in e.chain() {
                let c = cause.to_string();
                if !msg.contains(&c) {
                    if !msg.is_empty() {
                        msg.push_str(": ");
                    }
                    msg.push_str(&c);
                }
            }
            eprintln!("cabe: error: {msg}");
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
