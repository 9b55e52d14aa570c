//! The exit status: 0 no duplicates, 1 duplicates found, 2 any error, and 2
//! wins over 1. Whatever the status, the report for everything that could be
//! read is still printed.

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{same, TestDir};

/// What a case puts in its scratch folder.
enum Make {
    /// A generated article; equal seeds are copies.
    Article(u64),
    /// A file with exactly these bytes.
    Bytes(&'static [u8]),
    /// An empty folder.
    Folder,
}

struct Case {
    what: &'static str,
    files: &'static [(&'static str, Make)],
    args: &'static [&'static str],
    code: i32,
    groups: usize,
    compared: usize,
    /// Problem kinds in the JSON report.
    problems: &'static [&'static str],
    /// Text stderr must hold (the path of a problem).
    stderr: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        what: "no duplicates",
        files: &[("d/a.txt", Make::Article(1)), ("d/b.txt", Make::Article(2))],
        args: &["d"],
        code: 0,
        groups: 0,
        compared: 2,
        problems: &[],
        stderr: &[],
    },
    Case {
        what: "duplicates",
        files: &[
            ("d/a.txt", Make::Article(1)),
            ("d/b.txt", Make::Article(2)),
            ("d/c.txt", Make::Article(1)),
        ],
        args: &["d"],
        code: 1,
        groups: 1,
        compared: 3,
        problems: &[],
        stderr: &[],
    },
    Case {
        what: "a path that does not exist, before a folder that does",
        files: &[("d/a.txt", Make::Article(1)), ("d/b.txt", Make::Article(2))],
        args: &["no-such-folder", "d"],
        code: 2,
        groups: 0,
        compared: 2,
        problems: &["not_found"],
        stderr: &["no-such-folder"],
    },
    Case {
        what: "duplicates and a path that does not exist",
        files: &[("d/a.txt", Make::Article(1)), ("d/b.txt", Make::Article(1))],
        args: &["d", "missing.txt"],
        code: 2,
        groups: 1,
        compared: 2,
        problems: &["not_found"],
        stderr: &["missing.txt"],
    },
    Case {
        what: "an empty folder",
        files: &[("hollow", Make::Folder)],
        args: &["hollow"],
        code: 2,
        groups: 0,
        compared: 0,
        problems: &["no_files"],
        stderr: &["hollow"],
    },
    Case {
        what: "two empty files (never a group)",
        files: &[("d/a.txt", Make::Bytes(b"")), ("d/b.txt", Make::Bytes(b""))],
        args: &["d"],
        code: 0,
        groups: 0,
        compared: 0,
        problems: &[],
        stderr: &[],
    },
];

#[test]
fn exit_status_table() {
    for case in CASES {
        let dir = TestDir::new("exit-table");
        for (name, make) in case.files {
            match make {
                Make::Article(seed) => {
                    dir.create(name, article(*seed, 4));
                }
                Make::Bytes(bytes) => {
                    dir.create(name, bytes);
                }
                Make::Folder => {
                    dir.mkdir(name);
                }
            }
        }
        let what = case.what;
        let json = dir.run(&[&["scan"][..], case.args, &["--format", "json"]].concat());
        assert!(json.code == case.code, "{}", json.explain(what));
        for needle in case.stderr {
            json.expect_stderr(needle);
        }
        let report = json.json();
        let kinds: Vec<&str> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        same(
            &format!("{what}: problem kinds"),
            &case.problems.to_vec(),
            &kinds,
        );
        let summary = &report["summary"];
        same(
            &format!("{what}: groups"),
            &Value::from(case.groups),
            &summary["groups"],
        );
        let compared = &summary["articles_compared"];
        same(
            &format!("{what}: articles compared"),
            &Value::from(case.compared),
            compared,
        );

        // The human format gives the same status and still shows the groups.
        let table = dir.run(&[&["scan"][..], case.args].concat());
        assert!(table.code == case.code, "{}", table.explain(what));
        let shown = table.stdout.contains("group 1 (");
        assert!(shown == (case.groups > 0), "{}", table.explain(what));
    }
}

#[test]
fn missing_path_is_named_once_on_stderr() {
    let dir = TestDir::new("exit-missing");
    dir.create("d/a.txt", article(1, 4));
    let out = dir.run(&["scan", "d", "nowhere/at-all.txt", "--quiet"]);
    out.expect_code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    same("stderr lines", &1, &lines.len());
    let line = lines[0];
    assert!(
        line.starts_with("newsdedup: nowhere/at-all.txt: "),
        "{}",
        out.explain("program name, then the path, then the problem")
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = TestDir::new("exit-usage");
    dir.create("d/a.txt", article(1, 4));
    for args in [
        &["scan"][..],
        &["scan", "d", "--no-such-flag"],
        &["scan", "d", "--threshold", "1.5"],
        &["scan", "d", "--format", "yaml"],
        &["scan", "d", "--strip-line", "(unclosed"],
    ] {
        let out = dir.run(args);
        out.expect_code(2);
        assert!(
            out.stdout.is_empty(),
            "{}",
            out.explain("usage errors print no report")
        );
    }
}

#[test]
fn help_shows_the_exit_status_table() {
    let dir = TestDir::new("exit-help");
    for args in [&["--help"][..], &["scan", "--help"]] {
        let out = dir.run(args);
        out.expect_code(0);
        for needle in [
            "Exit status:",
            "\n  0  ",
            "\n  1  ",
            "\n  2  ",
            "2 wins over 1",
        ] {
            assert!(out.stdout.contains(needle), "{}", out.explain(needle));
        }
    }
}
