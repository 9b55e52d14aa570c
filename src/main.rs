//! The binary: parse the command line, run the subcommand, and turn the
//! outcome into an exit status. The only place that prints fatal errors or
//! exits.

#![allow(clippy::print_stderr, clippy::exit)] // This is where messages and exits belong.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use newsdedup::cli::{Cli, Command};
use newsdedup::exit::ExitStatus;
use newsdedup::{cmd, report};

fn main() -> ExitCode {
    // A panic is a bug. Say so in our own words, and exit with the error
    // status rather than the runtime's 101, so a script sees "error", not
    // an unknown code.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "newsdedup: internal error, please report it: {}{place}",
            report::escape(&what)
        );
    }));
    match std::panic::catch_unwind(run) {
        Ok(Ok(status)) => ExitCode::from(status.code()),
        Ok(Err(err)) => {
            eprintln!("newsdedup: error: {}", report::escape(&format!("{err:#}")));
            ExitCode::from(ExitStatus::Error.code())
        }
        Err(_) => ExitCode::from(ExitStatus::Error.code()),
    }
}

fn run() -> Result<ExitStatus> {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr();
    match &Cli::parse().command {
        Command::Scan(args) => cmd::scan::run(args, &mut stdout, &mut stderr),
        Command::Index(args) => cmd::index::run(args, &mut stdout, &mut stderr),
    }
}
