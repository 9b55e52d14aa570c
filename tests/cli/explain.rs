//! `newsdedup explain A B`: the seed pair side by side, near matches, colour,
//! the JSON contract, agreement with scan's figures, and errors.

use std::process::Command;

use serde::Deserialize;

use crate::corpus::article;
use crate::harness::{fixtures, run_in, same, Output, TestDir};

const A: &str = "fixtures/000_4f22527343064fcb.txt";
const B: &str = "fixtures/003_ddd462f4338f5b86.txt";

/// Runs `newsdedup ARGS` in the repository root, where `fixtures/` is.
fn in_repo(args: &[&str]) -> Output {
    run_in(fixtures().parent().unwrap(), args)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explanation {
    schema_version: u32,
    tool: Tool,
    parameters: Parameters,
    a: Side,
    b: Side,
    jaccard: f64,
    containment: f64,
    weighted: bool,
    duplicates: bool,
    shared_sentences: usize,
    only_a: usize,
    only_b: usize,
    near_matches: usize,
    rows: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Parameters {
    normalizer: u32,
    strip_lines: Vec<String>,
    shingle_size: usize,
    min_words: usize,
    threshold: f64,
    containment: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Side {
    path: String,
    words: usize,
    shingles: usize,
    sentences: usize,
    removed: Vec<Removed>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Removed {
    rule: String,
    text: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Row {
    Shared {
        a: String,
        b: String,
    },
    Near {
        a: String,
        b: String,
        changed_a: Vec<String>,
        changed_b: Vec<String>,
    },
    OnlyA {
        a: String,
    },
    OnlyB {
        b: String,
    },
}

fn parse(out: &Output) -> Explanation {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|err| panic!("{}", out.explain(&format!("not explain JSON: {err}"))))
}

#[test]
fn seed_pair_side_by_side() {
    let out = in_repo(&["explain", A, B, "--color", "never"]);
    out.expect_code(1);
    same("stderr", "", out.stderr.as_str());
    let text = &out.stdout;
    for needle in [
        "A  fixtures/000_4f22527343064fcb.txt  (657 words, 38 sentences)\n",
        "B  fixtures/003_ddd462f4338f5b86.txt  (661 words, 35 sentences)\n",
        "jaccard 0.953  containment 0.984  (unweighted",
        "duplicates: Jaccard 0.953 >= --threshold 0.5\n",
        "sentences: 34 shared, 4 only in A, 1 only in B; 0 near matches\n",
        // The re-scrape's bare URL line, removed by the normalizer.
        "  B  url         news.bbc.co.uk/2/hi/world/asia_pacific/10300348.stm\n",
        "  A  nothing\n",
        // A shared sentence, on both sides.
        "= one child was crushed to death at the border.   | one child was crushed to death at the border.\n",
        // The headline and a subhead only the original has.
        "< kyrgyz leader asks russia to restore order in   |\n",
        "< 'streets ablaze'                                |\n",
        // The sentence only the re-scrape has.
        ">                                                 | there were also reports that the armed forces\n",
    ] {
        assert!(text.contains(needle), "{}", out.explain(&format!("missing {needle:?}")));
    }
    assert!(
        !text.contains('\x1b'),
        "{}",
        out.explain("colour when asked for none")
    );
}

#[test]
fn figures_agree_with_the_scan_report() {
    let scan = in_repo(&["scan", "fixtures", "--format", "json", "--quiet"]).json();
    let member = scan["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["members"].as_array().unwrap())
        .find(|m| m["path"] == A)
        .unwrap()
        .clone();
    let rep = "fixtures/003_ddd462f4338f5b86.txt";
    let explained = parse(in_repo(&["explain", A, rep, "--format", "json"]).expect_code(1));
    same(
        "jaccard, containment",
        &(
            member["jaccard"].as_f64().unwrap(),
            member["containment"].as_f64().unwrap(),
        ),
        &(explained.jaccard, explained.containment),
    );
    same(
        "sentence counts",
        &(
            member["shared_sentences"].as_u64().unwrap() as usize,
            member["only_member"].as_u64().unwrap() as usize,
            member["only_representative"].as_u64().unwrap() as usize,
        ),
        &(
            explained.shared_sentences,
            explained.only_a,
            explained.only_b,
        ),
    );
    same(
        "words",
        &member["words"].as_u64(),
        &Some(explained.a.words as u64),
    );
}

#[test]
fn json_follows_its_contract() {
    let out = in_repo(&["explain", A, B, "--format", "json"]);
    out.expect_code(1);
    let e = parse(&out);
    same("schema_version", &2, &e.schema_version);
    same(
        "tool",
        &("newsdedup", env!("CARGO_PKG_VERSION")),
        &(e.tool.name.as_str(), e.tool.version.as_str()),
    );
    same("normalizer", &2, &e.parameters.normalizer);
    assert!(e.parameters.strip_lines.is_empty() && e.parameters.shingle_size == 5);
    assert!(
        e.parameters.min_words == 10
            && e.parameters.threshold == 0.5
            && e.parameters.containment == 0.8
    );
    same("paths", &(A, B), &(e.a.path.as_str(), e.b.path.as_str()));
    same("sentences", &(38, 35), &(e.a.sentences, e.b.sentences));
    assert!(e.a.shingles > 500 && e.b.shingles > 500 && e.b.words == 661);
    same(
        "removed from B",
        &vec![Removed {
            rule: "url".into(),
            text: "news.bbc.co.uk/2/hi/world/asia_pacific/10300348.stm".into(),
        }],
        &e.b.removed,
    );
    assert!(!e.weighted && e.duplicates);
    same(
        "counts",
        &(34, 4, 1, 0),
        &(e.shared_sentences, e.only_a, e.only_b, e.near_matches),
    );
    let only_b: Vec<&Row> = e
        .rows
        .iter()
        .filter(|r| matches!(r, Row::OnlyB { .. }))
        .collect();
    same("rows only in B", &1, &only_b.len());
    assert!(
        matches!(e.rows[0], Row::OnlyA { ref a } if a == "kyrgyz leader asks russia to restore order in osh")
    );
    let shared = e
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Shared { .. }))
        .count();
    same("shared rows", &34, &shared);
}

#[test]
fn each_removed_line_is_named_with_its_rule() {
    let out = in_repo(&[
        "explain",
        "fixtures/cases/byline-footer/trawling-ban.txt",
        "fixtures/cases/byline-footer/trawling-ban-rescraped.txt",
    ]);
    out.expect_code(1);
    for line in [
        "  A  nothing\n",
        "  B  byline      By Ines Marlow, Environment Correspondent\n",
        "  B  url         https://www.coastlinewire.example/environment/2026/05/04/kestrel-bay-night-trawling-ban\n",
        "  B  dateline    KESTREL BAY, May 4 (Wire) -\n",
        "  B  share       Share this article\n",
        "  B  boilerplate Advertisement\n",
        "  B  copyright   \u{a9} 2026 Coastline Wire. All rights reserved.\n",
    ] {
        assert!(out.stdout.contains(line), "{}", out.explain(&format!("missing {line:?}")));
    }
}

/// An article, and a copy with one figure changed and a sentence added.
fn edited_pair(test: &str) -> TestDir {
    let dir = TestDir::new(test);
    let original = format!(
        "{}\nOfficials said 77 people were hurt in the fire on the northern estate.\n",
        article(5, 4)
    );
    let copy = format!(
        "{}\nOfficials said 78 people were hurt in the fire on the northern estate.\nThe council will meet again on Friday.\n",
        article(5, 4)
    );
    dir.create("a.txt", original);
    dir.create("b.txt", copy);
    dir
}

#[test]
fn a_changed_number_is_a_near_match() {
    let dir = edited_pair("explain-near");
    let out = dir.run(&["explain", "a.txt", "b.txt", "--color", "never"]);
    out.expect_code(1);
    assert!(
        out.stdout.contains("~ officials said [77] people were hurt in the     | officials said [78] people were hurt in the\n"),
        "{}",
        out.explain("near match row")
    );
    assert!(out.stdout.contains("; 1 near match\n"), "{}", out.stdout);
    assert!(out.stdout.contains(">                                                 | the council will meet again on friday.\n"), "{}", out.stdout);

    let e = parse(&dir.run(&["explain", "a.txt", "b.txt", "--format", "json"]));
    let near: Vec<&Row> = e
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Near { .. }))
        .collect();
    same(
        "near rows",
        &vec![&Row::Near {
            a: "officials said 77 people were hurt in the fire on the northern estate.".into(),
            b: "officials said 78 people were hurt in the fire on the northern estate.".into(),
            changed_a: vec!["77".into()],
            changed_b: vec!["78".into()],
        }],
        &near,
    );
    // Near matches are still unshared sentences in the counts, as in scan.
    same("counts", &(1, 1, 2), &(e.near_matches, e.only_a, e.only_b));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = edited_pair("explain-colour");
    let args = ["explain", "a.txt", "b.txt"];
    let run = |extra: &[&str], no_color: Option<&str>| {
        let all: Vec<&str> = args.iter().chain(extra).copied().collect();
        let mut run = crate::harness::Run::new(&dir.root, &all);
        if let Some(value) = no_color {
            run = run.env("NO_COLOR", value);
        }
        let out = run.output();
        out.expect_code(1);
        out.stdout
    };
    let coloured = run(&["--color", "always"], None);
    assert!(coloured.contains("\x1b[1;31m77\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[1;32m78\x1b[0m"), "{coloured}");
    assert!(!coloured.contains("[77]"), "{coloured}");
    // An explicit --color always wins over NO_COLOR.
    same(
        "always with NO_COLOR",
        &coloured,
        &run(&["--color", "always"], Some("1")),
    );
    let plain = run(&["--color", "never"], None);
    assert!(!plain.contains('\x1b') && plain.contains("[77]"), "{plain}");
    // Piped, auto means plain.
    same("auto, piped", &plain, &run(&[], None));
}

/// Runs `newsdedup explain a.txt b.txt` on a pseudo-terminal (util-linux
/// `script`), where `--color auto` colours unless NO_COLOR is set.
#[test]
fn auto_colours_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` command to give the binary a terminal");
        return;
    }
    let dir = edited_pair("explain-tty");
    let on_terminal = |no_color: Option<&str>| {
        let shell = format!("{} explain a.txt b.txt", env!("CARGO_BIN_EXE_newsdedup"));
        let mut command = Command::new("script");
        command
            .args(["-qec", &shell, "/dev/null"])
            .current_dir(&dir.root);
        command.env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let tty = on_terminal(None);
    assert!(tty.contains("\x1b[1;31m77"), "{tty}");
    let no_color = on_terminal(Some("1"));
    assert!(
        !no_color.contains('\x1b') && no_color.contains("[77]"),
        "{no_color}"
    );
    // An empty NO_COLOR does not count as set.
    assert!(on_terminal(Some("")).contains("\x1b[1;31m77"));
}

#[test]
fn different_articles_exit_zero() {
    let out = in_repo(&["explain", A, "fixtures/004_dcf93b46243cb9cc.txt"]);
    out.expect_code(0);
    assert!(
        out.stdout.contains("not duplicates: Jaccard 0.0"),
        "{}",
        out.explain("verdict")
    );
}

#[test]
fn a_short_file_is_never_a_duplicate() {
    let dir = TestDir::new("explain-short");
    dir.create("a.txt", "Markets closed early today.\n");
    dir.create("b.txt", "Markets closed early today.\n");
    let out = dir.run(&["explain", "a.txt", "b.txt"]);
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("not duplicates: A and B have fewer than --min-words (10) words"),
        "{}",
        out.explain("verdict")
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let dir = edited_pair("explain-missing");
    let out = dir.run(&["explain", "a.txt", "missing.txt"]);
    out.expect_code(2);
    out.expect_stderr("newsdedup: error: missing.txt: No such file or directory");
    same("stdout", "", out.stdout.as_str());
    dir.mkdir("folder");
    dir.run(&["explain", "folder", "a.txt"])
        .expect_code(2)
        .expect_stderr("folder: not a regular file");
    dir.run(&["explain", "a.txt", "b.txt", "--threshold", "2"])
        .expect_code(2)
        .expect_stderr("--threshold must be");
}

#[test]
fn help_documents_the_exit_status() {
    let out = in_repo(&["explain", "--help"]);
    out.expect_code(0);
    for needle in [
        "Exit status:",
        "1  they are duplicates",
        "Scores are unweighted",
        "NO_COLOR",
    ] {
        assert!(out.stdout.contains(needle), "{}", out.explain(needle));
    }
}
