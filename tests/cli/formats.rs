//! The output formats as contracts.
//!
//! JSON and JSON Lines are read back into the structs below, which mirror
//! the schema documented in `src/report/json.rs` and reject any field they
//! do not know: adding, renaming or dropping a field fails here until the
//! schema (and its version, if a field changes meaning) is updated on purpose.

use serde::Deserialize;
use serde_json::Value;

use crate::corpus::article;
use crate::harness::{same, Output, TestDir};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema_version: u32,
    tool: Tool,
    parameters: Parameters,
    groups: Vec<Group>,
    problems: Vec<Problem>,
    summary: Summary,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
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
    text_field: String,
    id_field: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Group {
    id: usize,
    representative: String,
    new: bool,
    members: Vec<Member>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Member {
    path: String,
    line: Option<u64>,
    id: Option<String>,
    jaccard: f64,
    containment: f64,
    exact: bool,
    words: usize,
    shared_sentences: usize,
    only_member: usize,
    only_representative: usize,
    indexed: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Problem {
    path: String,
    line: Option<u64>,
    kind: String,
    detail: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    files_seen: usize,
    articles_compared: usize,
    skipped: Skipped,
    lossy_decoded: usize,
    candidate_pairs: usize,
    template_sentences: usize,
    groups: usize,
    duplicate_articles: usize,
    new_groups: usize,
    complete: bool,
    elapsed_seconds: f64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Skipped {
    empty: usize,
    too_short: usize,
    binary: usize,
    too_large: usize,
    not_regular: usize,
    symlink: usize,
}

/// One line of `--format jsonl`, told apart by its `type` field.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line {
    Group(Group),
    Problem(Problem),
    Summary(Box<SummaryLine>),
}

/// The closing JSON Lines record: the report's header fields and the
/// summary's fields side by side, spelled out (not flattened) so unknown
/// fields are still refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryLine {
    schema_version: u32,
    tool: Tool,
    parameters: Parameters,
    files_seen: usize,
    articles_compared: usize,
    skipped: Skipped,
    lossy_decoded: usize,
    candidate_pairs: usize,
    template_sentences: usize,
    groups: usize,
    duplicate_articles: usize,
    new_groups: usize,
    complete: bool,
    elapsed_seconds: f64,
}

/// Two groups (an exact pair whose copy has a comma and quotes in its name,
/// and an article with a truncated copy), one lone article, one file too
/// short to compare; runs also name missing paths, for problems.
fn corpus(test: &str) -> TestDir {
    let dir = TestDir::new(test);
    dir.create("news/a.txt", article(1, 4));
    dir.create("news/b, \"copy\".txt", article(1, 4));
    dir.create("news/c.txt", article(2, 4));
    dir.create("news/d.txt", article(3, 6));
    dir.create("news/e.txt", article(3, 5));
    dir.create("news/tiny.txt", "Markets closed early.\n");
    dir
}

fn parse_report(out: &Output) -> Report {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|err| panic!("{}", out.explain(&format!("not schema JSON: {err}"))))
}

fn rounded(score: f64) -> bool {
    (score * 10_000.0).round() / 10_000.0 == score
}

#[test]
fn json_follows_the_schema() {
    let dir = corpus("json");
    let out = dir.run(&["scan", "news", "gone.txt", "--format", "json"]);
    out.expect_code(2);
    let report = parse_report(&out);

    same("schema_version", &2, &report.schema_version);
    let tool = Tool {
        name: "newsdedup".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    same("tool", &tool, &report.tool);
    let p = &report.parameters;
    assert!(p.bands * p.rows <= p.permutations, "{p:?}");
    same("follow_links", &false, &p.follow_links);
    same(
        "JSON Lines fields",
        &("text", "id"),
        &(p.text_field.as_str(), p.id_field.as_str()),
    );

    let members: Vec<Vec<&str>> = report
        .groups
        .iter()
        .map(|g| g.members.iter().map(|m| m.path.as_str()).collect())
        .collect();
    let expected = vec![
        vec!["news/a.txt", "news/b, \"copy\".txt"],
        vec!["news/d.txt", "news/e.txt"],
    ];
    same("group members, representative first", &expected, &members);
    for (i, group) in report.groups.iter().enumerate() {
        same("group id", &(i + 1), &group.id);
        same(
            "representative",
            &group.members[0].path,
            &group.representative,
        );
        // Without a baseline every group is new; files have no line or id.
        assert!(group.new, "{group:?}");
        assert!(
            group
                .members
                .iter()
                .all(|m| m.line.is_none() && m.id.is_none()),
            "{group:?}"
        );
        let head = &group.members[0];
        assert!(
            head.exact && head.jaccard == 1.0 && head.containment == 1.0,
            "{head:?}"
        );
        for m in &group.members {
            assert!(
                m.words >= 10 && rounded(m.jaccard) && rounded(m.containment),
                "{m:?}"
            );
            // Only a scan --against an index has indexed members.
            assert!(!m.indexed, "{m:?}");
            assert!(m.jaccard <= m.containment && m.containment <= 1.0, "{m:?}");
        }
    }
    // The truncated copy: all of it is in the full text, but not all of the
    // full text is in it.
    let truncated = &report.groups[1].members[1];
    assert!(!truncated.exact && truncated.jaccard < 1.0, "{truncated:?}");
    same("truncated containment", &1.0, &truncated.containment);
    // Evidence against the representative: the copy holds the sentences of
    // its first 5 paragraphs out of 6 and nothing else; the representative's own row
    // counts its sentences; an exact copy shares them all.
    let full = &report.groups[1].members[0];
    same(
        "representative's sentences",
        &(full.shared_sentences, 0, 0),
        &(
            full.shared_sentences,
            full.only_member,
            full.only_representative,
        ),
    );
    assert!(full.shared_sentences > 0, "{full:?}");
    assert!(
        truncated.shared_sentences > 0
            && truncated.only_member == 0
            && truncated.only_representative > 0
            && truncated.shared_sentences + truncated.only_representative == full.shared_sentences,
        "{truncated:?}"
    );
    let copy = &report.groups[0].members[1];
    same(
        "exact copy's sentences",
        &(report.groups[0].members[0].shared_sentences, 0, 0),
        &(
            copy.shared_sentences,
            copy.only_member,
            copy.only_representative,
        ),
    );

    same("problem count", &1, &report.problems.len());
    let problem = &report.problems[0];
    same(
        "problem",
        &("gone.txt", "not_found"),
        &(problem.path.as_str(), problem.kind.as_str()),
    );
    same("problem line", &None, &problem.line);
    assert!(!problem.detail.is_empty());

    let s = &report.summary;
    same(
        "files_seen, compared",
        &(6, 5),
        &(s.files_seen, s.articles_compared),
    );
    let skipped = Skipped {
        empty: 0,
        too_short: 1,
        binary: 0,
        too_large: 0,
        not_regular: 0,
        symlink: 0,
    };
    same("skipped", &skipped, &s.skipped);
    same(
        "groups, duplicates, new",
        &(2, 2, 2),
        &(s.groups, s.duplicate_articles, s.new_groups),
    );
    same("lossy_decoded", &0, &s.lossy_decoded);
    same("template_sentences", &0, &s.template_sentences);
    assert!(!s.complete && s.elapsed_seconds >= 0.0, "{s:?}");
}

#[test]
fn json_rejects_what_the_schema_does_not_list() {
    // Guards the guard: the strict structs really refuse an extra field.
    let dir = corpus("json-strict");
    let out = dir.run(&["scan", "news", "--format", "json"]);
    out.expect_code(1);
    let mut value = out.json();
    assert!(serde_json::from_value::<Report>(value.clone()).is_ok());
    value["summary"]["surprise"] = Value::from(1);
    assert!(serde_json::from_value::<Report>(value).is_err());

    // The same for every kind of JSON Lines record.
    let out = dir.run(&["scan", "news", "gone.txt", "--format", "jsonl"]);
    for line in out.stdout.lines() {
        let mut value: Value = serde_json::from_str(line).unwrap();
        assert!(
            serde_json::from_value::<Line>(value.clone()).is_ok(),
            "{line}"
        );
        value["surprise"] = Value::from(1);
        assert!(serde_json::from_value::<Line>(value).is_err(), "{line}");
    }
}

#[test]
fn json_parameters_echo_the_flags() {
    let dir = corpus("json-parameters");
    let args = [
        "scan",
        "news",
        "--format",
        "json",
        "--shingle-size",
        "4",
        "--min-words",
        "12",
        "--permutations",
        "64",
        "--bands",
        "16",
        "--threshold",
        "0.6",
        "--containment",
        "0.9",
        "--template-docs",
        "7",
        "--max-bytes",
        "100000",
        "--strip-line",
        "^Sponsored",
        "--follow",
    ];
    let report = parse_report(&dir.run(&args));
    let p = report.parameters;
    same(
        "shingle_size, min_words",
        &(4, 12),
        &(p.shingle_size, p.min_words),
    );
    same(
        "permutations, bands, rows",
        &(64, 16, 4),
        &(p.permutations, p.bands, p.rows),
    );
    same(
        "threshold, containment",
        &(0.6, 0.9),
        &(p.threshold, p.containment),
    );
    same(
        "template_docs, max_bytes",
        &(7, 100_000),
        &(p.template_docs, p.max_bytes),
    );
    same(
        "strip_lines",
        &vec!["^Sponsored".to_string()],
        &p.strip_lines,
    );
    same("follow_links", &true, &p.follow_links);
}

#[test]
fn jsonl_is_groups_then_problems_then_summary() {
    let dir = corpus("jsonl");
    let args = ["scan", "news", "gone-1.txt", "gone-2.txt", "--format"];
    let out = dir.run(&[&args[..], &["jsonl"]].concat());
    out.expect_code(2);
    let lines: Vec<Line> = out
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("{}", out.explain(&format!("{err} in {line}"))))
        })
        .collect();
    let types: Vec<&str> = lines
        .iter()
        .map(|line| match line {
            Line::Group(_) => "group",
            Line::Problem(_) => "problem",
            Line::Summary(_) => "summary",
        })
        .collect();
    same(
        "line types",
        &vec!["group", "group", "problem", "problem", "summary"],
        &types,
    );

    // The same records as the JSON report, in the same order.
    let json = parse_report(&dir.run(&[&args[..], &["json"]].concat()));
    for (line, group) in lines.iter().zip(&json.groups) {
        let Line::Group(line) = line else {
            unreachable!()
        };
        same("group line", group, line);
    }
    for (line, problem) in lines[2..].iter().zip(&json.problems) {
        let Line::Problem(line) = line else {
            unreachable!()
        };
        same("problem line", problem, line);
    }
    let Some(Line::Summary(last)) = lines.last() else {
        unreachable!()
    };
    same("schema_version", &json.schema_version, &last.schema_version);
    same("tool", &json.tool, &last.tool);
    same("parameters", &json.parameters, &last.parameters);
    let s = &json.summary;
    same(
        "summary counts",
        &(
            s.files_seen,
            s.articles_compared,
            s.groups,
            s.duplicate_articles,
            s.new_groups,
            s.complete,
        ),
        &(
            last.files_seen,
            last.articles_compared,
            last.groups,
            last.duplicate_articles,
            last.new_groups,
            last.complete,
        ),
    );
    same("skipped", &s.skipped, &last.skipped);
    assert!(last.elapsed_seconds >= 0.0, "{last:?}");
    same(
        "candidate_pairs, template_sentences, lossy_decoded",
        &(s.candidate_pairs, s.template_sentences, s.lossy_decoded),
        &(
            last.candidate_pairs,
            last.template_sentences,
            last.lossy_decoded,
        ),
    );
}

/// Splits one CSV record (no line breaks inside fields) as RFC 4180 quotes it.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn csv_has_a_header_and_a_row_per_member() {
    let dir = corpus("csv");
    let out = dir.run(&["scan", "news", "--format", "csv"]);
    out.expect_code(1);
    let mut lines = out.stdout.lines();
    same(
        "header",
        &Some("group,representative,path,jaccard,containment,exact,words,shared_sentences,only_member,only_representative,line,id,new,indexed"),
        &lines.next(),
    );
    // The awkward name is quoted, its quotes doubled.
    let quoted = "1,news/a.txt,\"news/b, \"\"copy\"\".txt\",1,1,true,";
    assert!(
        out.stdout.contains(quoted),
        "{}",
        out.explain("quoted path")
    );

    // Every row agrees with the JSON report of the same run.
    let json = parse_report(&dir.run(&["scan", "news", "--format", "json"]));
    let expected: Vec<Vec<String>> = json
        .groups
        .iter()
        .flat_map(|g| {
            g.members.iter().map(move |m| {
                let row = [
                    g.id.to_string(),
                    g.representative.clone(),
                    m.path.clone(),
                    m.jaccard.to_string(),
                    m.containment.to_string(),
                    m.exact.to_string(),
                    m.words.to_string(),
                    m.shared_sentences.to_string(),
                    m.only_member.to_string(),
                    m.only_representative.to_string(),
                    m.line.map(|l| l.to_string()).unwrap_or_default(),
                    m.id.clone().unwrap_or_default(),
                    g.new.to_string(),
                    m.indexed.to_string(),
                ];
                row.to_vec()
            })
        })
        .collect();
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    same("rows", &expected, &rows);
}

#[test]
fn table_lists_groups_then_a_summary_line() {
    let dir = corpus("table");
    let out = dir.run(&["scan", "news", "--quiet"]);
    out.expect_code(1);
    let first_group = "\
group 1 (2 articles)
  jaccard  contain  shared  extra  missing  path
    1.000    1.000      13      0        0  news/a.txt  (representative)
    1.000    1.000      13      0        0  news/b, \"copy\".txt  (same text)
";
    assert!(
        out.stdout.starts_with(first_group),
        "{}",
        out.explain("first group")
    );
    assert!(
        out.stdout.contains("\ngroup 2 (2 articles)\n"),
        "{}",
        out.stdout
    );
    let last = out.stdout.lines().last().unwrap();
    same(
        "summary line",
        "2 groups, 2 duplicate articles among 5 articles compared; skipped 1 too short",
        last,
    );
    // Nothing went wrong and --quiet was given: stderr stays empty.
    same("stderr", "", out.stderr.as_str());
}
