//! The binary: parse the command line, run the subcommand (`scan`,
//! `explain` or `index`, in `cmd/`) on standard output and error, and turn
//! the outcome into an exit status. The only place that prints fatal errors
//! or exits.

#![allow(clippy::print_stderr, clippy::exit)] // This is where messages and exits belong.

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use newsdedup::baseline::Baseline;
use newsdedup::cli::{Cli, Command};
use newsdedup::cmd::{
    self,
    scan::{Gate, Messages},
};
use newsdedup::exit::ExitStatus;
use newsdedup::report;

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
    // Standard output flushes at every line break on its own; a report of
    // thousands of lines is written in large blocks instead (the formats
    // flush once at the end, and that flush reports a full disk).
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut err = io::stderr();
    match Cli::parse().command {
        Command::Scan(args) => {
            let shown = Messages {
                quiet: args.run.quiet,
                verbose: args.run.verbose,
            };
            // Read the baseline before scanning, so a missing one fails at once.
            let gate = Gate {
                baseline: args.baseline.as_deref().map(Baseline::load).transpose()?,
                write_baseline: args.write_baseline.clone(),
                exit_zero: args.exit_zero,
            };
            let config = args.config()?;
            let against = args.against.as_deref();
            cmd::scan::run(
                &config,
                args.format(),
                &gate,
                against,
                shown,
                &mut out,
                &mut err,
            )
        }
        Command::Explain(args) => cmd::explain::run(&args.config()?, &mut out),
        Command::Index(args) => cmd::index::run(&args, &mut out, &mut err),
    }
}
