//! The report: one plain value holding everything a run found, and the
//! renderers that write it in each format. Renderers are pure: they write
//! into any `Write` and decide nothing about terminals or exit codes.

mod csv;
pub mod explain;
mod html;
pub mod json;
mod jsonl;
mod paths;
mod table;

pub use explain::{ExplainFormat, Explanation};

use std::borrow::Cow;
use std::io::{self, Write};

use crate::corpus::{label, Problem, SkipReason};
use crate::index::IndexParameters;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable table for terminals.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line: groups, then problems, then a summary.
    Jsonl,
    /// One CSV row per group member.
    Csv,
    /// One self-contained HTML review page.
    Html,
    /// The duplicates a keep-the-representative policy would drop, one per
    /// line, or each followed by a NUL byte with `nul`.
    Paths {
        /// End each path with a NUL byte instead of a line break.
        nul: bool,
    },
}

/// Everything a scan found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Every setting that affects the results.
    pub parameters: Parameters,
    /// Duplicate groups, sorted by representative path.
    pub groups: Vec<Group>,
    /// Per-file problems, sorted by path.
    pub problems: Vec<Problem>,
    /// Every skipped input with its reason, sorted by path (for
    /// `--verbose`; the formats show only the counts).
    pub skipped_files: Vec<(String, SkipReason)>,
    /// Counts.
    pub summary: Summary,
    /// Whether groups were compared with a baseline (`--baseline`); without
    /// one, every group is new.
    pub baseline: bool,
}

/// One group of documents that are the same article.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// 1-based position in the report.
    pub id: usize,
    /// Path of the representative (the most complete text).
    pub representative: String,
    /// Whether the group is new or grew since the baseline (always true
    /// without one): only new groups make the exit status 1.
    pub new: bool,
    /// The members, representative first, then by path.
    pub members: Vec<Member>,
}

/// One member of a group, scored against the group's representative.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The path as reported.
    pub path: String,
    /// Line of the record, for an article read from a JSON Lines file.
    pub line: Option<u64>,
    /// The record's id, for a JSON Lines record that has one.
    pub id: Option<String>,
    /// Fingerprint of its shingle set: recognises a member that moved,
    /// when compared with a baseline.
    pub fingerprint: u128,
    /// Exact Jaccard similarity to the representative.
    pub jaccard: f64,
    /// Exact containment with the representative.
    pub containment: f64,
    /// Whether its shingle set is identical to the representative's.
    pub exact: bool,
    /// Words in its normalized text.
    pub words: usize,
    /// Distinct sentences it shares with the representative (`shared`),
    /// holds alone (`only_a`) and lacks (`only_b`).
    pub sentences: crate::evidence::Counts,
    /// Its text against the representative's, for the review page; `None`
    /// for the representative and in every other format.
    pub review: Option<Review>,
    /// Whether it is a document stored in the index (`scan --against`),
    /// rather than a file of the batch.
    pub indexed: bool,
}

/// A member's text set against its representative's, sentence by sentence
/// in the representative's reading order.
#[derive(Clone, Debug, PartialEq)]
pub enum Review {
    /// The rows, and how many more the page leaves out.
    Shown {
        /// Rows shown.
        rows: Vec<ReviewRow>,
        /// Rows left out (a cap on rows per member was reached).
        hidden: usize,
    },
    /// Not shown, and why (a cap, or the file could not be read again).
    Omitted(String),
}

/// One sentence row of a review: representative's side, member's side.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewRow {
    /// A sentence both hold.
    Shared(String),
    /// A near match: the words of each side, marked when changed.
    Near(Vec<(String, bool)>, Vec<(String, bool)>),
    /// A sentence only the representative holds.
    OnlyRepresentative(String),
    /// A sentence only the member holds.
    OnlyMember(String),
}

impl Member {
    /// How messages and the table name it: `path`, or `path:line` for a
    /// JSON Lines record.
    pub fn label(&self) -> String {
        label(&self.path, self.line)
    }
}

/// Counts for the whole run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Files found (read or skipped) plus entries skipped while walking.
    pub files_seen: usize,
    /// Documents that were shingled and compared.
    pub articles_compared: usize,
    /// Skipped inputs by reason.
    pub skipped: Vec<(SkipReason, usize)>,
    /// Documents whose invalid UTF-8 was replaced.
    pub lossy_decoded: usize,
    /// Candidate pairs scored exactly.
    pub candidate_pairs: usize,
    /// Sentences learned as site template (set aside in verification).
    pub template_sentences: usize,
    /// Number of groups.
    pub groups: usize,
    /// Group members that are not the representative.
    pub duplicate_articles: usize,
    /// Groups that are new or grew since the baseline (all of them without
    /// one).
    pub new_groups: usize,
    /// Wall-clock seconds of the scan.
    pub elapsed_seconds: f64,
}

impl Summary {
    /// Total of all skip reasons.
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|(_, n)| n).sum()
    }
}

/// The settings that affect results, echoed in machine-readable reports so a
/// stored report says how it was made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parameters {
    /// Everything that decides which articles match (what an index stores
    /// and a scan against it must share).
    pub matching: IndexParameters,
    /// Largest file read.
    pub max_bytes: u64,
    /// Whether links were followed.
    pub follow_links: bool,
    /// Field of a JSON Lines record holding the text.
    pub text_field: String,
    /// Field of a JSON Lines record holding its id.
    pub id_field: String,
}

/// Writes the report in a format and flushes it, so a full disk is an error
/// here and not a silently short file.
pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(report, out)?,
        Format::Json => json::write(report, out)?,
        Format::Jsonl => jsonl::write(report, out)?,
        Format::Csv => csv::write(report, out)?,
        Format::Html => html::write(report, out)?,
        Format::Paths { nul } => paths::write(report, nul, out)?,
    }
    out.flush()
}

/// A path or message made safe for a terminal: control characters and bidi
/// overrides (which could rewrite the screen or disguise a name) are shown
/// as `\u{..}` escapes.
pub fn escape(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Rounds a score for output: four decimals are plenty to read and compare,
/// and keep reports short and stable.
fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::corpus::ProblemKind;
    use crate::evidence::Counts;

    /// A small report with one chained group and one problem.
    pub(crate) fn sample() -> Report {
        Report {
            parameters: Parameters {
                matching: IndexParameters {
                    normalizer: 1,
                    shingle_size: 5,
                    ..IndexParameters::default()
                },
                ..Parameters::default()
            },
            groups: vec![Group {
                id: 1,
                representative: "a/full.txt".into(),
                new: true,
                members: vec![
                    Member {
                        path: "a/full.txt".into(),
                        line: None,
                        id: None,
                        fingerprint: 1,
                        jaccard: 1.0,
                        containment: 1.0,
                        exact: true,
                        words: 120,
                        sentences: Counts {
                            shared: 9,
                            only_a: 0,
                            only_b: 0,
                        },
                        review: None,
                        indexed: false,
                    },
                    Member {
                        path: "a/copy, \"2\".txt".into(),
                        line: None,
                        id: None,
                        fingerprint: 2,
                        jaccard: 0.612_34,
                        containment: 0.95,
                        exact: false,
                        words: 80,
                        sentences: Counts {
                            shared: 6,
                            only_a: 1,
                            only_b: 3,
                        },
                        review: Some(Review::Shown {
                            rows: vec![
                                ReviewRow::Shared("one <b>bold</b> & two.".into()),
                                ReviewRow::Near(
                                    vec![("77".into(), true), ("dead.".into(), false)],
                                    vec![("78".into(), true), ("dead.".into(), false)],
                                ),
                                ReviewRow::OnlyRepresentative("<script>alert(1)</script>".into()),
                                ReviewRow::OnlyMember("added \"quote\".".into()),
                            ],
                            hidden: 2,
                        }),
                        indexed: true,
                    },
                ],
            }],
            skipped_files: Vec::new(),
            problems: vec![Problem::new(
                "a/bad.txt",
                ProblemKind::PermissionDenied,
                "Permission denied (os error 13)",
            )],
            summary: Summary {
                files_seen: 4,
                articles_compared: 2,
                skipped: vec![(SkipReason::Empty, 1)],
                groups: 1,
                duplicate_articles: 1,
                new_groups: 1,
                ..Summary::default()
            },
            baseline: false,
        }
    }

    pub(crate) fn render(format: Format) -> String {
        let mut out = Vec::new();
        write(&sample(), format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escape_controls_and_bidi() {
        assert_eq!(escape("plain/path.txt"), "plain/path.txt");
        assert_eq!(escape("a\u{202e}txt.exe"), "a\\u{202e}txt.exe");
        assert_eq!(escape("a\nb\u{1b}[2J"), "a\\u{a}b\\u{1b}[2J");
    }
}
