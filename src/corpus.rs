//! The nouns every stage shares: document ids, documents found on disk, and
//! the per-file problems that travel in the report instead of stopping the run.
//!
//! Nothing here does I/O; `input` fills these types and `report` renders them.

use std::fmt;
use std::path::PathBuf;

/// Index of a document in the scan, assigned after the file list is sorted
/// by path, so the same corpus always gets the same ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

impl DocId {
    /// The id as an index into per-document vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An input that will be read: a file (one article, or one per line for JSON
/// Lines), or standard input, whose bytes are read once and kept here because
/// a scan reads every input it verifies twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Path used to open the file (`-` for standard input).
    pub path: PathBuf,
    /// Path shown in every report, as the user would type it.
    pub display: String,
    /// Whether it holds one JSON object per line rather than one article.
    pub jsonl: bool,
    /// Standard input's bytes; `None` for a file.
    pub stdin: Option<Vec<u8>>,
}

/// One article: a whole source, or one line of a JSON Lines source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Index of its source in the walk's list.
    pub source: usize,
    /// 1-based line number inside a JSON Lines source.
    pub line: Option<u64>,
    /// The record's `--id-field` value, if it has one.
    pub id: Option<String>,
}

/// How a record is named in messages: `path`, or `path:line` for a record
/// of a JSON Lines file.
pub fn label(path: &str, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_string(),
    }
}

/// Why a file was read but not compared. Skips are policy, not failures: they
/// are counted in the summary and leave the exit status alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Nothing left after normalization (zero bytes, whitespace, boilerplate only).
    Empty,
    /// Fewer words than `--min-words`: too little text to call two articles the same.
    TooShort,
    /// A NUL byte was found: not text.
    Binary,
    /// Larger than `--max-bytes`.
    TooLarge,
    /// A FIFO, socket or device met while walking a folder; never opened.
    NotRegular,
    /// A symbolic link met while walking a folder without `--follow`.
    Symlink,
}

impl SkipReason {
    /// Every reason, in the order the summary lists them.
    pub const ALL: [SkipReason; 6] = [
        SkipReason::Empty,
        SkipReason::TooShort,
        SkipReason::Binary,
        SkipReason::TooLarge,
        SkipReason::NotRegular,
        SkipReason::Symlink,
    ];

    /// What the reason means, for `--verbose` messages.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Empty => "no text after normalization",
            SkipReason::TooShort => "fewer words than --min-words",
            SkipReason::Binary => "binary (a NUL byte)",
            SkipReason::TooLarge => "larger than --max-bytes",
            SkipReason::NotRegular => "not a regular file",
            SkipReason::Symlink => "a symbolic link (not followed without --follow)",
        }
    }

    /// Stable name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Empty => "empty",
            SkipReason::TooShort => "too_short",
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too_large",
            SkipReason::NotRegular => "not_regular",
            SkipReason::Symlink => "symlink",
        }
    }
}

/// What went wrong with one input. Every problem makes the exit status 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// A path given on the command line does not exist (or a link points nowhere).
    NotFound,
    /// The operating system refused to open or list it.
    PermissionDenied,
    /// A path given on the command line is neither a regular file nor a folder.
    NotRegular,
    /// A symbolic link loop met while following links.
    LinkLoop,
    /// The file changed between the two reads of a scan.
    Changed,
    /// Any other read error.
    Io,
    /// Nothing to scan was found under the paths given.
    NoFiles,
    /// A line of a JSON Lines file that is not an object with a text field.
    InvalidRecord,
}

impl ProblemKind {
    /// Stable name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::NotFound => "not_found",
            ProblemKind::PermissionDenied => "permission_denied",
            ProblemKind::NotRegular => "not_regular",
            ProblemKind::LinkLoop => "link_loop",
            ProblemKind::Changed => "changed",
            ProblemKind::Io => "io",
            ProblemKind::NoFiles => "no_files",
            ProblemKind::InvalidRecord => "invalid_record",
        }
    }

    /// Classifies an I/O error by what the user can do about it.
    pub fn from_io(err: &std::io::Error) -> Self {
        match err.kind() {
            std::io::ErrorKind::NotFound => ProblemKind::NotFound,
            std::io::ErrorKind::PermissionDenied => ProblemKind::PermissionDenied,
            _ => ProblemKind::Io,
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file's problem, carried to the report and to stderr.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The path as reported.
    pub path: String,
    /// The line, for a record of a JSON Lines file.
    pub line: Option<u64>,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// The detail in the user's terms (usually the operating system's message).
    pub detail: String,
}

impl Problem {
    /// A problem from an I/O error on `path`.
    pub fn io(path: &str, err: &std::io::Error) -> Self {
        Problem::new(path, ProblemKind::from_io(err), err.to_string())
    }

    /// A problem with a whole input.
    pub fn new(path: &str, kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            path: path.to_string(),
            line: None,
            kind,
            detail: detail.into(),
        }
    }

    /// Where the problem is, as messages name it: `path` or `path:line`.
    pub fn label(&self) -> String {
        label(&self.path, self.line)
    }
}
