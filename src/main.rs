//! The binary: parse the command line, run the scan, print problems and the
//! report, and turn the outcome into an exit status. The only place that
//! prints fatal errors or exits.

#![allow(clippy::print_stderr, clippy::exit)] // This is where messages and exits belong.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use newsdedup::baseline::Baseline;
use newsdedup::cli::{Cli, Command};
use newsdedup::exit::ExitStatus;
use newsdedup::{pipeline, progress::Progress, report};

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
    let Command::Scan(args) = Cli::parse().command;
    let config = args.config()?;
    // Read the baseline before scanning, so a missing one fails at once.
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build_global()
        .context("cannot start worker threads")?;
    let progress = Progress::new(!args.quiet && io::stderr().is_terminal());
    let mut report = pipeline::run(&config, &progress);
    if let Some(baseline) = &baseline {
        baseline.mark(&mut report);
    }
    if let Some(path) = &args.write_baseline {
        Baseline::of(&report).save(path)?;
    }
    if args.verbose {
        for (path, reason) in &report.skipped_files {
            let path = report::escape(path);
            eprintln!("newsdedup: {path}: skipped: {}", reason.describe());
        }
    }
    for problem in &report.problems {
        let label = problem.label();
        let path = report::escape(&label);
        eprintln!("newsdedup: {path}: {}", report::escape(&problem.detail));
    }
    let mut status = ExitStatus::of(&report);
    if args.exit_zero {
        status = status.exit_zero();
    }
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
