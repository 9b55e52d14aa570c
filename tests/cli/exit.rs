//! Exit status: 0 clean, 1 duplicates, 2 error; 2 wins over 1.

use crate::harness::{article, Dir};

/// What a case is, the files (name, article seed) it writes, the extra
/// paths it passes, and the exit code it expects.
type Case<'a> = (&'a str, &'a [(&'a str, u64)], &'a [&'a str], i32);

#[test]
fn exit_status_table() {
    let cases: &[Case] = &[
        (
            "distinct articles",
            &[("d/a.txt", 1), ("d/b.txt", 2)],
            &[],
            0,
        ),
        (
            "a duplicate pair",
            &[("d/a.txt", 1), ("d/b.txt", 1)],
            &[],
            1,
        ),
        (
            "missing path only",
            &[("d/a.txt", 1), ("d/b.txt", 2)],
            &["nope"],
            2,
        ),
        (
            "duplicates and a missing path",
            &[("d/a.txt", 1), ("d/b.txt", 1)],
            &["nope"],
            2,
        ),
    ];
    for (what, files, extra, code) in cases {
        let dir = Dir::new("exit");
        for (name, seed) in *files {
            dir.create(name, article(*seed, 6));
        }
        let mut args = vec!["scan", "d"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--format", "json"]);
        let out = dir.run(&args);
        assert_eq!(out.code, *code, "{what}\n{}", out.stderr);
        // Results are printed whatever the status.
        assert_eq!(out.json()["summary"]["articles_compared"], 2, "{what}");
    }
}

#[test]
fn missing_path_is_named_and_the_rest_still_scanned() {
    let dir = Dir::new("exit-missing");
    dir.create("d/a.txt", article(1, 6));
    dir.create("d/b.txt", article(1, 6));
    let out = dir.run(&["scan", "nope/", "d"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("newsdedup: nope/: No such file or directory"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("group 1 (2 articles)"),
        "{}",
        out.stdout
    );
}

#[test]
fn empty_folder_is_an_error() {
    let dir = Dir::new("exit-empty");
    std::fs::create_dir(dir.root.join("empty")).unwrap();
    let out = dir.run(&["scan", "empty", "--format", "json"]);
    out.code(2);
    assert_eq!(out.json()["problems"][0]["kind"], "no_files");
    assert!(out.stderr.contains("no files to scan"), "{}", out.stderr);
}

#[test]
fn empty_and_short_files_never_group() {
    let dir = Dir::new("exit-empties");
    dir.create("d/e1.txt", "");
    dir.create("d/e2.txt", "");
    dir.create("d/w1.txt", " \n\t\r\n\u{a0}");
    dir.create("d/s1.txt", "Breaking news");
    dir.create("d/s2.txt", "Breaking news");
    let out = dir.run(&["scan", "d", "--format", "json"]);
    out.code(0);
    let summary = &out.json()["summary"];
    assert_eq!(summary["skipped"]["empty"], 3);
    assert_eq!(summary["skipped"]["too_short"], 2);
    assert_eq!(summary["groups"], 0);
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new("exit-usage");
    dir.run(&["scan"]).code(2);
    dir.run(&["scan", ".", "--threshold", "2"]).code(2);
    let out = dir.run(&["scan", ".", "--strip-line", "("]);
    out.code(2);
    assert!(
        out.stderr.starts_with("newsdedup: error: --strip-line"),
        "{}",
        out.stderr
    );
}

#[test]
fn help_documents_the_exit_status() {
    let dir = Dir::new("exit-help");
    let out = dir.run(&["scan", "--help"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("Exit status:\n  0  no duplicate groups"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("2 wins over 1"));
}
