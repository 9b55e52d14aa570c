//! The CI gate: a baseline of accepted groups, the exit status relative to
//! it, `--exit-zero`, and `--format paths` for `xargs`.

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{same, Output, TestDir};

/// A corpus with one accepted pair of copies and one lone article.
fn corpus(test: &str) -> TestDir {
    let dir = TestDir::new(test);
    dir.create("corpus/a.txt", article(60, 4));
    dir.create("corpus/a-copy.txt", article(60, 5));
    dir.create("corpus/b.txt", article(61, 4));
    dir
}

fn scan(dir: &TestDir, args: &[&str]) -> Output {
    dir.run(&[&["scan", "corpus", "--format", "json"][..], args].concat())
}

/// Each group's `new` flag, in report order.
fn new_flags(out: &Output) -> Vec<bool> {
    out.json()["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["new"].as_bool().unwrap())
        .collect()
}

#[test]
fn accepted_groups_pass_and_new_ones_fail() {
    let dir = corpus("baseline");
    // Writing a baseline reports as usual.
    let out = scan(&dir, &["--write-baseline", "dedup.baseline"]);
    out.expect_code(1);
    let written = std::fs::read_to_string(dir.root.join("dedup.baseline")).unwrap();
    assert!(
        written.starts_with("newsdedup-baseline 1\n")
            && written.contains(" corpus/a.txt\n")
            && written.contains(" corpus/a-copy.txt\n"),
        "{written}"
    );
    // Writing it again gives the same bytes: it is meant for diffs.
    scan(&dir, &["--write-baseline", "dedup.baseline"]);
    same(
        "stable",
        &written,
        &std::fs::read_to_string(dir.root.join("dedup.baseline")).unwrap(),
    );

    // Nothing new: passes, and the group is reported as not new.
    let out = scan(&dir, &["--baseline", "dedup.baseline"]);
    out.expect_code(0);
    same("not new", &vec![false], &new_flags(&out));
    same(
        "new_groups",
        &Value::from(0),
        &out.json()["summary"]["new_groups"],
    );
    // A renamed member is still the accepted group.
    std::fs::rename(
        dir.root.join("corpus/a-copy.txt"),
        dir.root.join("corpus/a-moved.txt"),
    )
    .unwrap();
    scan(&dir, &["--baseline", "dedup.baseline"]).expect_code(0);

    // A new pair of duplicates: fails, and is marked new.
    dir.create("corpus/c.txt", article(62, 4));
    dir.create("corpus/c-copy.txt", article(62, 4));
    let out = scan(&dir, &["--baseline", "dedup.baseline"]);
    out.expect_code(1);
    same("new pair marked", &vec![false, true], &new_flags(&out));
    let table = dir.run(&["scan", "corpus", "--baseline", "dedup.baseline"]);
    table.expect_code(1);
    assert!(
        table.stdout.contains("group 2 (2 articles, new)")
            && table.stdout.contains("group 1 (2 articles)\n")
            && table.stdout.contains("1 new or grown since the baseline"),
        "{}",
        table.explain("the table marks the new group")
    );
    let csv = dir.run(&[
        "scan",
        "corpus",
        "--baseline",
        "dedup.baseline",
        "--format",
        "csv",
    ]);
    let ending = |end: &str| csv.stdout.lines().filter(|l| l.ends_with(end)).count();
    same(
        "CSV rows: the new group's have new true (then indexed false)",
        &(2, 2),
        &(ending(",true,false"), ending(",false,false")),
    );
    // --exit-zero: reported, but passes.
    let out = scan(&dir, &["--baseline", "dedup.baseline", "--exit-zero"]);
    out.expect_code(0);
    same(
        "still reported",
        &2,
        &out.json()["groups"].as_array().unwrap().len(),
    );
}

#[test]
fn a_group_that_grows_is_new() {
    let dir = corpus("baseline-grow");
    scan(&dir, &["--write-baseline", "dedup.baseline"]).expect_code(1);
    // A third copy of the accepted text, exact: the group grew.
    dir.create("corpus/a-third.txt", article(60, 4));
    let out = scan(&dir, &["--baseline", "dedup.baseline"]);
    out.expect_code(1);
    same("grown group is new", &vec![true], &new_flags(&out));
    // Accepting it again (ratchet): passes.
    scan(
        &dir,
        &[
            "--baseline",
            "dedup.baseline",
            "--write-baseline",
            "dedup.baseline",
        ],
    )
    .expect_code(1);
    scan(&dir, &["--baseline", "dedup.baseline"]).expect_code(0);
    // A group that shrank is within the baseline: not new.
    std::fs::remove_file(dir.root.join("corpus/a-third.txt")).unwrap();
    scan(&dir, &["--baseline", "dedup.baseline"]).expect_code(0);
}

#[test]
fn jsonl_records_are_kept_by_id() {
    let dir = TestDir::new("baseline-jsonl");
    let line = |id: &str, seed: u64| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "text": article(seed, 4)})
        )
    };
    dir.create(
        "corpus/dump.jsonl",
        line("a", 63) + &line("b", 64) + &line("a2", 63),
    );
    scan(&dir, &["--write-baseline", "b.txt"]).expect_code(1);
    let written = std::fs::read_to_string(dir.root.join("b.txt")).unwrap();
    assert!(written.contains(" corpus/dump.jsonl\tid a2\n"), "{written}");
    // A record inserted above moves every line, not the ids.
    dir.create(
        "corpus/dump.jsonl",
        line("z", 65) + &line("a", 63) + &line("b", 64) + &line("a2", 63),
    );
    scan(&dir, &["--baseline", "b.txt"]).expect_code(0);
}

#[test]
fn errors_still_exit_2() {
    let dir = corpus("baseline-errors");
    // A missing baseline is an error naming it, before any scanning.
    let out = scan(&dir, &["--baseline", "missing.baseline"]);
    out.expect_code(2)
        .expect_stderr("cannot read the baseline missing.baseline");
    same("no report", &"", &out.stdout.as_str());
    // So is a corrupt one, naming the line.
    dir.create(
        "bad.baseline",
        "newsdedup-baseline 1\n\nnot a member line\n",
    );
    let out = scan(&dir, &["--baseline", "bad.baseline"]);
    out.expect_code(2)
        .expect_stderr("baseline bad.baseline: line 3");
    dir.create("other.baseline", "{\"groups\": []}\n");
    scan(&dir, &["--baseline", "other.baseline"])
        .expect_code(2)
        .expect_stderr("not a newsdedup baseline");
    // --exit-zero never hides an error.
    let out = dir.run(&["scan", "corpus", "gone.txt", "--exit-zero"]);
    out.expect_code(2);
    let out = dir.run(&["scan", "corpus", "--exit-zero", "--quiet"]);
    out.expect_code(0);
    assert!(out.stdout.contains("group 1"), "{}", out.stdout);
}

#[test]
fn paths_lists_what_keeping_representatives_would_drop() {
    let dir = corpus("paths");
    dir.create("corpus/new\nline.txt", article(61, 4));
    let out = dir.run(&["scan", "corpus", "--format", "paths"]);
    out.expect_code(1);
    same(
        "one per line",
        &"corpus/a.txt\ncorpus/new\nline.txt\n",
        &out.stdout.as_str(),
    );
    let out = dir.run(&["scan", "corpus", "--format", "paths", "-0"]);
    out.expect_code(1);
    same(
        "NUL-separated",
        &"corpus/a.txt\0corpus/new\nline.txt\0",
        &out.stdout.as_str(),
    );
    // Records of a JSON Lines file as path:line.
    let dir = TestDir::new("paths-jsonl");
    let line = |seed: u64| format!("{}\n", serde_json::json!({"text": article(seed, 4)}));
    dir.create("corpus/d.jsonl", line(66) + &line(67) + &line(66));
    let out = dir.run(&["scan", "corpus", "--format", "paths"]);
    out.expect_code(1);
    same("path:line", &"corpus/d.jsonl:3\n", &out.stdout.as_str());
}
