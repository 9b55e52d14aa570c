//! `newsdedup scan PATH...`, alone or `--against INDEX`.

use std::io::{self, IsTerminal, Write};

use anyhow::{bail, Context, Result};

use super::{messages, start_threads};
use crate::cli::ScanArgs;
use crate::config::Config;
use crate::exit::ExitStatus;
use crate::index::{Access, Index, IndexParameters};
use crate::pipeline;
use crate::progress::Progress;
use crate::report;

/// Runs a scan and writes its report to `out`, messages to `err`.
pub fn run(args: &ScanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    let config = args.config()?;
    // The index is opened, and its parameters checked, before any file is
    // read: a wrong index path fails at once.
    let index = match &args.against {
        Some(path) => Some(open_matching(path, &config)?),
        None => None,
    };
    start_threads(config.threads)?;
    let progress = Progress::new(!args.run.quiet && io::stderr().is_terminal());
    let report = match &index {
        Some(index) => pipeline::against(&config, index, &progress)
            .with_context(|| format!("cannot read the index {}", index.path().display()))?,
        None => pipeline::run(&config, &progress),
    };
    messages(
        &report.problems,
        &report.skipped_files,
        args.run.verbose,
        err,
    )?;
    let status = ExitStatus::of(&report);
    match report::write(&report, args.format(), out) {
        // A reader that went away (`| head`) has what it wanted: the verdict
        // stands, and there is nothing to complain about.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(status),
        result => result.context("cannot write the report to standard output")?,
    }
    if !args.run.quiet {
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
fn open_matching(path: &std::path::Path, config: &Config) -> Result<Index> {
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
