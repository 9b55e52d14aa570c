//! The formats as contracts: JSON is read back into structs that reject
//! unknown fields, so any schema change has to be made here on purpose.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::harness::{article, Dir};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema_version: u32,
    tool: Tool,
    parameters: Parameters,
    groups: Vec<Group>,
    problems: Vec<Problem>,
    summary: Summary,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to check presence and type, not all values.
struct Parameters {
    normalizer: u32,
    strip_lines: Vec<String>,
    shingle_size: usize,
    min_words: usize,
    shingle_seed: u64,
    permutations: usize,
    minhash_seed: u64,
    bands: usize,
    rows: usize,
    threshold: f64,
    containment: f64,
    template_docs: usize,
    max_bytes: u64,
    follow_links: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    #[serde(rename = "type")]
    #[serde(default)]
    kind: Option<String>,
    id: usize,
    representative: String,
    members: Vec<Member>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Member {
    path: String,
    jaccard: f64,
    containment: f64,
    exact: bool,
    words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Problem {
    #[serde(rename = "type")]
    #[serde(default)]
    kind_of_line: Option<String>,
    path: String,
    kind: String,
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Summary {
    files_seen: usize,
    articles_compared: usize,
    skipped: BTreeMap<String, usize>,
    lossy_decoded: usize,
    candidate_pairs: usize,
    template_sentences: usize,
    groups: usize,
    duplicate_articles: usize,
    complete: bool,
    elapsed_seconds: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SummaryLine {
    #[serde(rename = "type")]
    kind: String,
    schema_version: u32,
    tool: Tool,
    parameters: Parameters,
    #[serde(flatten)]
    summary: Summary,
}

/// Two copies of one article (one named with a comma and quotes), one
/// other article, and a missing path for a problem.
fn corpus() -> Dir {
    let dir = Dir::new("formats");
    dir.create("c/a.txt", article(1, 9));
    dir.create("c/b, \"copy\".txt", article(1, 9));
    dir.create("c/other.txt", article(2, 9));
    dir
}

#[test]
fn json_follows_the_schema() {
    let dir = corpus();
    let out = dir.run(&["scan", "c", "missing", "--format", "json"]);
    out.code(2);
    let report: Report = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report.schema_version, 1);
    assert_eq!(
        (report.tool.name.as_str(), report.tool.version.as_str()),
        ("newsdedup", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(report.parameters.shingle_size, 5);
    assert_eq!(report.groups.len(), 1);
    let group = &report.groups[0];
    assert_eq!((group.id, group.kind.as_deref()), (1, None));
    assert_eq!(group.representative, "c/a.txt");
    assert_eq!(group.members[0].path, group.representative);
    assert_eq!(group.members[1].path, "c/b, \"copy\".txt");
    assert!(group
        .members
        .iter()
        .all(|m| m.exact && m.jaccard == 1.0 && m.containment == 1.0 && m.words > 0));
    assert_eq!(report.problems.len(), 1);
    assert_eq!(
        (
            report.problems[0].path.as_str(),
            report.problems[0].kind.as_str()
        ),
        ("missing", "not_found")
    );
    assert!(report.problems[0].kind_of_line.is_none() && !report.problems[0].detail.is_empty());
    let s = &report.summary;
    assert_eq!(
        (
            s.files_seen,
            s.articles_compared,
            s.groups,
            s.duplicate_articles
        ),
        (3, 3, 1, 1)
    );
    assert!(!s.complete);
    let reasons: Vec<&str> = s.skipped.keys().map(String::as_str).collect();
    assert_eq!(
        reasons,
        [
            "binary",
            "empty",
            "not_regular",
            "symlink",
            "too_large",
            "too_short"
        ]
    );
}

#[test]
fn jsonl_is_groups_then_problems_then_summary() {
    let dir = corpus();
    let out = dir.run(&["scan", "c", "missing", "--format", "jsonl"]);
    out.code(2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    let group: Group = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (group.kind.as_deref(), group.members.len()),
        (Some("group"), 2)
    );
    let problem: Problem = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(
        (problem.kind_of_line.as_deref(), problem.kind.as_str()),
        (Some("problem"), "not_found")
    );
    let summary: SummaryLine = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(
        (
            summary.kind.as_str(),
            summary.schema_version,
            summary.summary.groups
        ),
        ("summary", 1, 1)
    );
}

#[test]
fn csv_has_a_row_per_member_with_quoting() {
    let dir = corpus();
    let out = dir.run(&["scan", "c", "--format", "csv"]);
    out.code(1);
    let expected = "\
group,representative,path,jaccard,containment,exact,words
1,c/a.txt,c/a.txt,1,1,true,WORDS
1,c/a.txt,\"c/b, \"\"copy\"\".txt\",1,1,true,WORDS
";
    let words = out
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap();
    assert_eq!(out.stdout, expected.replace("WORDS", words));
}

#[test]
fn table_shows_groups_and_a_summary() {
    let dir = corpus();
    let out = dir.run(&["scan", "c", "--quiet"]);
    out.code(1);
    assert!(
        out.stdout
            .starts_with("group 1 (2 articles)\n  jaccard  contain  path\n"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("    1.000    1.000  c/a.txt  (representative)\n"));
    assert!(out.stdout.contains("c/b, \"copy\".txt  (same text)\n"));
    assert!(out
        .stdout
        .ends_with("1 group, 1 duplicate article among 3 articles compared\n"));
    // --quiet leaves stderr empty when nothing went wrong.
    assert_eq!(out.stderr, "");
}
