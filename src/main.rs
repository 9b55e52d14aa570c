//! The binary: parse the command line, run the scan, print problems and the
//! report, and turn the outcome into an exit status. The only place that
//! prints fatal errors or exits.

#![allow(clippy::print_stderr, clippy::exit)] // This is where messages and exits belong.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use newsdedup::cli::{Cli, Command};
use newsdedup::exit::ExitStatus;
use newsdedup::{pipeline, progress::Progress, report};

fn main() -> ExitCode {
    match run() {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            eprintln!("newsdedup: error: {}", report::escape(&format!("{err:#}")));
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}

fn run() -> Result<ExitStatus> {
    let Command::Scan(args) = Cli::parse().command;
    let config = args.config()?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build_global()
        .context("cannot start worker threads")?;
    let progress = Progress::new(!args.quiet && io::stderr().is_terminal());
    let report = pipeline::run(&config, &progress);
    for problem in &report.problems {
        let path = report::escape(&problem.path);
        eprintln!("newsdedup: {path}: {}", report::escape(&problem.detail));
    }
    let status = ExitStatus::of(&report);
    let mut stdout = io::stdout().lock();
    match report::write(&report, args.format(), &mut stdout) {
        // A reader that went away (`| head`) has what it wanted: the verdict
        // stands, and there is nothing to complain about.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(status),
        result => result.context("cannot write the report to standard output")?,
    }
    if !args.quiet {
        let _ = writeln!(
            io::stderr(),
            "newsdedup: scanned in {:.2} s",
            report.summary.elapsed_seconds
        );
    }
    Ok(status)
}
