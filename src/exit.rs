//! The exit status, decided in one place.
//!
//! Like a linter, not like grep: 0 means clean, 1 means duplicates were
//! found, 2 means something went wrong, and 2 wins over 1 because a scan
//! that could not read everything can neither certify a clean corpus nor
//! claim a complete list of duplicates. Compared with a baseline, only
//! groups that are new or grew since count as duplicates found.

use crate::report::Report;

/// The outcome of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No duplicate groups, no problems.
    Clean,
    /// At least one duplicate group (with `--baseline`, one new or grown
    /// since the baseline), no problems.
    DuplicatesFound,
    /// A problem with an input or the output, or a fatal error.
    Error,
}

impl ExitStatus {
    /// The verdict a report gives.
    pub fn of(report: &Report) -> Self {
        if !report.problems.is_empty() {
            ExitStatus::Error
        } else if report.groups.iter().any(|g| g.new) {
            ExitStatus::DuplicatesFound
        } else {
            ExitStatus::Clean
        }
    }

    /// The status with `--exit-zero`: duplicates found report, but pass;
    /// errors still fail.
    pub fn exit_zero(self) -> Self {
        match self {
            ExitStatus::DuplicatesFound => ExitStatus::Clean,
            other => other,
        }
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::DuplicatesFound => 1,
            ExitStatus::Error => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    #[test]
    fn errors_win_over_duplicates() {
        let mut report = crate::report::tests::sample();
        assert_eq!(ExitStatus::of(&report), ExitStatus::Error);
        report.problems.clear();
        assert_eq!(ExitStatus::of(&report), ExitStatus::DuplicatesFound);
        assert_eq!(ExitStatus::of(&report).exit_zero(), ExitStatus::Clean);
        report.groups[0].new = false;
        assert_eq!(ExitStatus::of(&report), ExitStatus::Clean);
        assert_eq!(ExitStatus::of(&Report::default()).code(), 0);
    }
}
