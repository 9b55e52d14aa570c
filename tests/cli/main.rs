//! Integration tests: the real `newsdedup` binary, run on files in scratch
//! folders (or on `fixtures/`), checked for what a user sees: stdout, stderr,
//! the exit status, and an input left untouched.
//!
//! All modules build into this one test binary, so the suite links once.

// clippy.toml lets `#[test]` functions unwrap and print, but not the helpers
// they call. Here a failed unwrap is a failed test, and a skipped check says
// why on stderr, so both are allowed in the whole test binary.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

/// Scratch folders, running the binary, labelled assertions and snapshots.
/// Every other module builds on it.
mod harness;

/// Generated articles for test corpora: repeatable, and distinct per seed.
mod corpus;

/// `fixtures/`: the real seed articles and each fictional case folder group
/// (or do not) as `fixtures/README.md` says.
mod seeds;

/// Table, JSON, JSON Lines and CSV. JSON is read back into strict structs,
/// so changing the schema means changing this test on purpose.
mod formats;

/// The exit status table (0 clean, 1 duplicates, 2 error, 2 over 1) and
/// its place in `--help`.
mod exit;

/// Inputs that are not plain articles: binary, badly encoded, BOMs, UTF-16,
/// too short, too large, unreadable, FIFOs. Skipped or reported, never fatal.
mod problems;

/// Same report for the same corpus whatever the run, thread count, file
/// order, argument order or path spelling; links; input never modified.
mod determinism;

/// Output that cannot be written (closed pipe, full disk) and the README's
/// copy of `-h`.
mod output;

/// JSON Lines, gzip and zstd, --files-from, standard input, globs, hidden
/// files and ignore files.
mod inputs;

/// The CI gate: --baseline, --write-baseline, --exit-zero, --format paths.
mod baseline;

/// The robustness catalog: one test per case of the reliability notes.
mod catalog;

/// The catalog's load cases (100,000 files, 50,000 copies, a bucket storm,
/// a 200 MB line): ignored by default, run by `.ci/run` in release.
mod load;

/// The persistent index (issue 5): create, add, stats, remove, scan
/// --against; missing and foreign files, parameters, a second writer, and
/// `index add` killed at random points.
mod index;

/// One test per fixed bug, named after its issue.
mod regression;

/// `newsdedup explain A B`: side by side, near matches, colour, its JSON
/// contract, agreement with scan's figures, errors.
mod explain;

/// `scan --format html`: the review page's content, escaping and order.
mod review;

/// The review page in a real headless browser (Debian's chromium), with a
/// screenshot kept; skipped with a message where chromium is missing.
mod browser;
