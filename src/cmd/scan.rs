//! `newsdedup scan PATH...`: runs the pipeline, marks the groups a
//! baseline does not hold, names skipped files and problems on the error
//! stream, writes the report, and gives the verdict.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::baseline::Baseline;
use crate::config::Config;
use crate::exit::ExitStatus;
use crate::pipeline;
use crate::progress::Progress;
use crate::report::{self, Format};

/// What a scan prints besides the report.
#[derive(Clone, Copy, Debug)]
pub struct Messages {
    /// No progress display and no timing line.
    pub quiet: bool,
    /// Name every skipped file.
    pub verbose: bool,
}

/// The CI gate around a scan.
#[derive(Debug, Default)]
pub struct Gate {
    /// Groups accepted earlier: only groups it does not hold are new.
    pub baseline: Option<Baseline>,
    /// Where to record this scan's groups as the next baseline.
    pub write_baseline: Option<PathBuf>,
    /// Report duplicates without failing: status 1 becomes 0 (2 stays).
    pub exit_zero: bool,
}

/// Runs a scan and writes its report to `out`, messages to `err`.
pub fn run(
    config: &Config,
    format: Format,
    gate: &Gate,
    messages: Messages,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build_global()
        .context("cannot start worker threads")?;
    let progress = Progress::new(!messages.quiet && io::stderr().is_terminal());
    let mut report = pipeline::run(config, &progress);
    if let Some(baseline) = &gate.baseline {
        baseline.mark(&mut report);
    }
    if let Some(path) = &gate.write_baseline {
        Baseline::of(&report).save(path)?;
    }
    // Messages are best effort: a closed error stream must not stop the
    // report or change the verdict.
    if messages.verbose {
        for (path, reason) in &report.skipped_files {
            let path = report::escape(path);
            let _ = writeln!(err, "newsdedup: {path}: skipped: {}", reason.describe());
        }
    }
    for problem in &report.problems {
        let label = problem.label();
        let path = report::escape(&label);
        let _ = writeln!(
            err,
            "newsdedup: {path}: {}",
            report::escape(&problem.detail)
        );
    }
    let mut status = ExitStatus::of(&report);
    if gate.exit_zero {
        status = status.exit_zero();
    }
    match report::write(&report, format, out) {
        // A reader that went away (`| head`) has what it wanted: the verdict
        // stands, and there is nothing to complain about.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(status),
        result => result.context("cannot write the report to standard output")?,
    }
    if !messages.quiet {
        let _ = writeln!(
            err,
            "newsdedup: scanned in {:.2} s",
            report.summary.elapsed_seconds
        );
    }
    Ok(status)
}
