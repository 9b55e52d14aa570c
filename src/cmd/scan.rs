//! `newsdedup scan PATH...`, alone or `--against INDEX`: runs the
//! pipeline, marks the groups a baseline does not hold, names skipped files
//! and problems on the error stream, writes the report, and gives the
//! verdict.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::{messages, start_threads};
use crate::baseline::Baseline;
use crate::config::Config;
use crate::exit::ExitStatus;
use crate::index::{Access, Index, IndexParameters};
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

/// Runs a scan, against the index at `against` if given, and writes its
/// report to `out`, messages to `err`.
pub fn run(
    config: &Config,
    format: Format,
    gate: &Gate,
    against: Option<&Path>,
    shown: Messages,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    // The index is opened, and its parameters checked, before any file is
    // read: a wrong index path fails at once.
    let index = against
        .map(|path| open_matching(path, config))
        .transpose()?;
    start_threads(config.threads)?;
    let progress = Progress::new(!shown.quiet && io::stderr().is_terminal());
    let mut report = match &index {
        Some(index) => pipeline::against(config, index, &progress)
            .with_context(|| format!("cannot read the index {}", index.path().display()))?,
        None => pipeline::run(config, &progress),
    };
    if let Some(baseline) = &gate.baseline {
        baseline.mark(&mut report);
    }
    if let Some(path) = &gate.write_baseline {
        Baseline::of(&report).save(path)?;
    }
    // Messages are best effort: a closed error stream must not stop the
    // report or change the verdict.
    let _ = messages(&report.problems, &report.skipped_files, shown.verbose, err);
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
    if !shown.quiet {
        let _ = writeln!(
            err,
            "newsdedup: scanned in {:.2} s",
            report.summary.elapsed_seconds
        );
    }
    Ok(status)
}

/// Opens an index for a query and refuses it when its parameters are not
/// the ones this scan would use: its stored sketches would not compare.
fn open_matching(path: &Path, config: &Config) -> Result<Index> {
    let index = Index::open(path, Access::Read)?;
    let given = IndexParameters::of(config, pipeline::banding(config));
    let differences = index.parameters().differences(&given);
    if !differences.is_empty() {
        bail!(
            "the index {} was made with other parameters: {}. An index answers only with \
             the parameters it was created with (see `newsdedup index stats`); give the \
             same options, or create another index",
            path.display(),
            differences.join("; ")
        );
    }
    Ok(index)
}
