//! The subcommands: each a thin run over the library's stages, writing its
//! output and messages into the writers `main` gives it and returning the
//! exit status. Fatal errors are returned, never printed here.

pub mod explain;
pub mod index;
pub mod scan;

use std::io::{self, Write};

use anyhow::{Context, Result};

use crate::corpus::{Problem, SkipReason};
use crate::report;

/// Starts the worker threads.
fn start_threads(threads: usize) -> Result<()> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .context("cannot start worker threads")
}

/// Names every problem, and with `verbose` every skipped file, on `err`.
fn messages(
    problems: &[Problem],
    skipped: &[(String, SkipReason)],
    verbose: bool,
    err: &mut dyn Write,
) -> io::Result<()> {
    if verbose {
        for (path, reason) in skipped {
            let path = report::escape(path);
            writeln!(err, "newsdedup: {path}: skipped: {}", reason.describe())?;
        }
    }
    for problem in problems {
        let label = problem.label();
        let path = report::escape(&label);
        writeln!(
            err,
            "newsdedup: {path}: {}",
            report::escape(&problem.detail)
        )?;
    }
    Ok(())
}
