//! # cabe
//!
//! Will this model fit, how fast, and why does it fail. The command line around `cabe-core`.

mod cli;
mod fit;
mod inspect;
mod list;
mod machine;
mod resolve;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Fit(a) => fit::run(&a),
        cli::Command::Inspect(a) => inspect::run(&a),
        cli::Command::Models(a) => list::models(&a),
        cli::Command::Hardware(a) => list::hardware(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, no backtrace: the cause chain joined.
            let msg = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("cabe: error: {msg}");
            ExitCode::from(1)
        }
    }
}
