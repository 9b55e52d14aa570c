//! Integration tests: the real binary, run on files in temporary folders.
//! One test binary (this one) so the suite links once.

// Test code: a failed unwrap is a failed test, and skipped tests say why on stderr.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod harness;

/// The seed articles and the fixture cases, end to end.
mod seeds;

/// Every output format, the JSON ones read back as a contract.
mod formats;

/// Every exit status and the precedence rule.
mod exit;

/// Bad files: named on stderr, counted, the rest still grouped.
mod problems;

/// Same output whatever the order, threads or path doubles; input untouched.
mod determinism;

/// Output faults: closed pipes, full disks; and the help text.
mod output;

/// One test per fixed bug, named after its issue.
mod regression;
