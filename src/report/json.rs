//! The JSON report, and the schema it follows (schema version 2).
//!
//! `--format json` writes one object:
//!
//! ```text
//! {
//!   "schema_version": 2,
//!   "tool": {"name": "newsdedup", "version": "0.1.0"},
//!   "parameters": {
//!     "normalizer": 2,          rule-table version of the normalizer
//!     "strip_lines": [],        extra --strip-line patterns
//!     "shingle_size": 5,        words per shingle
//!     "min_words": 10,          shorter documents are skipped
//!     "shingle_seed": 7...,     seed of the token hash
//!     "permutations": 128,      MinHash values per document
//!     "minhash_seed": 7...,     seed of the MinHash functions
//!     "bands": 42, "rows": 3,   LSH layout
//!     "threshold": 0.5,         Jaccard at which a pair is a duplicate
//!     "containment": 0.8,       containment at which a pair is a duplicate
//!     "template_docs": 10,      a sentence in this many texts is template
//!     "max_bytes": 67108864,    larger files are skipped
//!     "follow_links": false,
//!     "text_field": "text",     JSON Lines: field holding the article
//!     "id_field": "id"          JSON Lines: field holding the record id
//!   },
//!   "groups": [
//!     {"id": 1,                 1-based, in order of representative path
//!      "representative": "dir/a.txt",
//!      "new": true,             new or grew since --baseline (always true
//!                               without one); only new groups exit 1
//!      "members": [             representative first, then by path and line
//!        {"path": "dir/a.txt",
//!         "line": null,         line of a JSON Lines record, else null
//!         "id": null,           its --id-field value (a string), else null
//!         "jaccard": 1.0,       exact, against the representative
//!         "containment": 1.0,   shared shingles / shingles of the smaller
//!         "exact": true,        same shingle set as the representative
//!         "words": 412,         words after normalization
//!         "shared_sentences": 30,    distinct sentences also in the
//!                                    representative (same words)
//!         "only_member": 0,          distinct sentences the representative
//!                                    lacks
//!         "only_representative": 0,  distinct sentences of the
//!                                    representative this member lacks
//!         "indexed": false}     a document stored in the index (scan
//!                               --against), not a file of this run
//!      ]}
//!   ],
//!   "problems": [               one per file that could not be read
//!     {"path": "dir/b.txt", "line": null,
//!      "kind": "permission_denied", "detail": "..."}
//!   ],
//!   "summary": {
//!     "files_seen": 3, "articles_compared": 2,
//!     "skipped": {"empty": 0, "too_short": 0, "binary": 0, "too_large": 0,
//!                 "not_regular": 0, "symlink": 0},
//!     "lossy_decoded": 0,       documents with invalid UTF-8 replaced
//!     "candidate_pairs": 1,     pairs scored exactly
//!     "template_sentences": 0,  sentences learned as site template
//!     "groups": 1, "duplicate_articles": 1,
//!     "new_groups": 1,          groups with "new": true
//!     "complete": false,        false when any problem occurred
//!     "elapsed_seconds": 0.01
//!   }
//! }
//! ```
//!
//! Problem kinds: `not_found`, `permission_denied`, `not_regular`,
//! `link_loop`, `changed` (the file changed during the scan), `io`,
//! `no_files` (nothing to scan under the paths given), `invalid_record` (a
//! JSON Lines line that is not an object with a string text field; `line`
//! names it). Scores carry four decimals. Every field is always present;
//! new fields may be added within a schema version, and a removal or change
//! of meaning bumps it.
//!
//! Sentence counts compare sentences by their words (punctuation and case
//! aside) and count each distinct sentence once; a sentence with one word
//! changed counts once in `only_member` and once in `only_representative`
//! (`newsdedup explain` shows such near matches). For the representative
//! itself, `shared_sentences` is its own count of distinct sentences.
//!
//! Version 2 (from version 1): every member gained the three sentence
//! counts; an article may be one line of a JSON Lines file, so `path` alone
//! no longer names it: members and problems gained `line` (and members
//! `id`); groups gained `new` and the summary `new_groups` for
//! `--baseline`; parameters gained `text_field` and `id_field`.
//!
//! With `scan --against INDEX`, groups hold the scanned files and the
//! indexed documents they duplicate; an indexed member's `path` is the path
//! it was added under and its `indexed` is true. Indexed documents are only
//! ever grouped through a scanned file, so every group has at least one
//! member with `indexed` false. `parameters` are the index's (the scan
//! refuses any other).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{round, Group, Parameters, Report, Summary};
use crate::index::IndexParameters;

/// The schema version written in every JSON and JSONL report.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
pub(super) struct Tool {
    name: &'static str,
    version: &'static str,
}

pub(super) const TOOL: Tool = Tool {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
pub(super) struct WireParameters<'a> {
    /// The matching parameters, as an index stores them, then the input's.
    #[serde(flatten)]
    matching: &'a IndexParameters,
    max_bytes: u64,
    follow_links: bool,
    text_field: &'a str,
    id_field: &'a str,
}

impl<'a> From<&'a Parameters> for WireParameters<'a> {
    fn from(p: &'a Parameters) -> Self {
        WireParameters {
            matching: &p.matching,
            max_bytes: p.max_bytes,
            follow_links: p.follow_links,
            text_field: &p.text_field,
            id_field: &p.id_field,
        }
    }
}

#[derive(Serialize)]
pub(super) struct WireGroup<'a> {
    id: usize,
    representative: &'a str,
    new: bool,
    members: Vec<WireMember<'a>>,
}

#[derive(Serialize)]
struct WireMember<'a> {
    path: &'a str,
    line: Option<u64>,
    id: Option<&'a str>,
    jaccard: f64,
    containment: f64,
    exact: bool,
    words: usize,
    shared_sentences: usize,
    only_member: usize,
    only_representative: usize,
    indexed: bool,
}

impl<'a> From<&'a Group> for WireGroup<'a> {
    fn from(group: &'a Group) -> Self {
        WireGroup {
            id: group.id,
            representative: &group.representative,
            new: group.new,
            members: group
                .members
                .iter()
                .map(|m| WireMember {
                    path: &m.path,
                    line: m.line,
                    id: m.id.as_deref(),
                    jaccard: round(m.jaccard),
                    containment: round(m.containment),
                    exact: m.exact,
                    words: m.words,
                    shared_sentences: m.sentences.shared,
                    only_member: m.sentences.only_a,
                    only_representative: m.sentences.only_b,
                    indexed: m.indexed,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct WireProblem<'a> {
    pub(super) path: &'a str,
    pub(super) line: Option<u64>,
    pub(super) kind: &'static str,
    pub(super) detail: &'a str,
}

#[derive(Serialize)]
pub(super) struct WireSummary {
    files_seen: usize,
    articles_compared: usize,
    skipped: BTreeMap<&'static str, usize>,
    lossy_decoded: usize,
    candidate_pairs: usize,
    template_sentences: usize,
    groups: usize,
    duplicate_articles: usize,
    new_groups: usize,
    complete: bool,
    elapsed_seconds: f64,
}

impl WireSummary {
    pub(super) fn new(summary: &Summary, complete: bool) -> Self {
        WireSummary {
            files_seen: summary.files_seen,
            articles_compared: summary.articles_compared,
            skipped: summary
                .skipped
                .iter()
                .map(|(reason, n)| (reason.as_str(), *n))
                .collect(),
            lossy_decoded: summary.lossy_decoded,
            candidate_pairs: summary.candidate_pairs,
            template_sentences: summary.template_sentences,
            groups: summary.groups,
            duplicate_articles: summary.duplicate_articles,
            new_groups: summary.new_groups,
            complete,
            elapsed_seconds: (summary.elapsed_seconds * 1000.0).round() / 1000.0,
        }
    }
}

pub(super) fn problems(report: &Report) -> Vec<WireProblem<'_>> {
    report
        .problems
        .iter()
        .map(|p| WireProblem {
            path: &p.path,
            line: p.line,
            kind: p.kind.as_str(),
            detail: &p.detail,
        })
        .collect()
}

#[derive(Serialize)]
struct WireReport<'a> {
    schema_version: u32,
    tool: Tool,
    parameters: WireParameters<'a>,
    groups: Vec<WireGroup<'a>>,
    problems: Vec<WireProblem<'a>>,
    summary: WireSummary,
}

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let wire = WireReport {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        parameters: (&report.parameters).into(),
        groups: report.groups.iter().map(Into::into).collect(),
        problems: problems(report),
        summary: WireSummary::new(&report.summary, report.problems.is_empty()),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn json_has_the_documented_fields() {
        let value: serde_json::Value = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(value["schema_version"], 2);
        assert_eq!(value["groups"][0]["members"][1]["only_representative"], 3);
        assert_eq!(value["groups"][0]["new"], true);
        assert_eq!(
            value["groups"][0]["members"][0]["line"],
            serde_json::Value::Null
        );
        assert_eq!(value["tool"]["name"], "newsdedup");
        assert_eq!(value["groups"][0]["members"][1]["jaccard"], 0.6123);
        assert_eq!(value["problems"][0]["kind"], "permission_denied");
        assert_eq!(value["summary"]["skipped"]["empty"], 1);
        assert_eq!(value["summary"]["complete"], false);
    }
}
