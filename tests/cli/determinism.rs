//! The same corpus gives the same report, byte for byte (timing aside),
//! whatever the order, the threads or the ways a file is reached; and a run
//! never changes its input.

use crate::harness::{article, Dir, Output};

/// stdout with the only run-dependent field blanked.
fn stable(out: &Output) -> String {
    let mut report = out.json();
    report["summary"]["elapsed_seconds"] = serde_json::Value::Null;
    report.to_string()
}

/// Five articles, two of them copied, one copy edited.
fn corpus(dir: &Dir, order: &[usize]) {
    for &i in order {
        let text = match i {
            5 => article(0, 9),
            6 => article(1, 9).replacen(". ", ". Extra words were added to this copy here. ", 1),
            _ => article(i as u64, 9),
        };
        dir.create(&format!("d/sub{}/doc{i}.txt", i % 2), text);
    }
}

#[test]
fn same_output_twice_across_threads_and_orders() {
    let one = Dir::new("determinism-a");
    corpus(&one, &[0, 1, 2, 3, 4, 5, 6]);
    let before = one.snapshot();
    let first = one.run(&["scan", "d", "--format", "json"]);
    first.code(1);
    assert_eq!(first.groups().len(), 2);
    assert_eq!(
        stable(&first),
        stable(&one.run(&["scan", "d", "--format", "json"]))
    );
    assert_eq!(
        stable(&first),
        stable(&one.run(&["scan", "d", "--format", "json", "--threads", "1"]))
    );
    assert_eq!(
        stable(&first),
        stable(&one.run(&["scan", "d", "--format", "json", "--threads", "3"]))
    );
    assert_eq!(one.snapshot(), before, "input changed");

    // Files created in another order, the folders given the other way round.
    let two = Dir::new("determinism-b");
    corpus(&two, &[6, 4, 2, 0, 5, 3, 1]);
    let reordered = two.run(&["scan", "d/sub1", "d/sub0", "--format", "json"]);
    let forward = two.run(&["scan", "d/sub0", "d/sub1", "--format", "json"]);
    assert_eq!(reordered.groups(), forward.groups());
    assert_eq!(stable(&reordered), stable(&forward));
    for format in ["table", "csv", "jsonl"] {
        let a = one.run(&["scan", "d", "--format", format, "--quiet"]);
        let b = two.run(&["scan", "d", "--format", format, "--quiet"]);
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("elapsed"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (a, b) = (strip(&a.stdout), strip(&b.stdout));
        if format == "jsonl" {
            // The summary line carries the elapsed time.
            assert_eq!(a.lines().count(), b.lines().count());
        } else {
            assert_eq!(a, b, "{format}");
        }
    }
}

#[test]
fn path_doubles_are_read_once() {
    let dir = Dir::new("doubles");
    dir.create("d/a.txt", article(1, 6));
    dir.create("d/b.txt", article(2, 6));
    for args in [
        ["d", "d"],
        ["d", "./d"],
        ["d", "d/a.txt"],
        ["./d/../d", "d"],
    ] {
        let out = dir.run(&["scan", args[0], args[1], "--format", "json"]);
        out.code(0);
        assert_eq!(out.json()["summary"]["files_seen"], 2, "{args:?}");
    }
}

#[test]
fn links_are_skipped_unless_followed_and_never_self_match() {
    let dir = Dir::new("links");
    dir.create("d/a.txt", article(1, 6));
    std::os::unix::fs::symlink("a.txt", dir.root.join("d/link.txt")).unwrap();
    std::os::unix::fs::symlink("..", dir.root.join("d/loop")).unwrap();
    let plain = dir.run(&["scan", "d", "--format", "json"]);
    plain.code(0);
    assert_eq!(plain.json()["summary"]["skipped"]["symlink"], 2);
    // Followed, the link reaches a.txt again and the loop reaches d again:
    // each is read once, so there is nothing to group.
    let followed = dir.run(&["scan", "d", "--follow", "--format", "json"]);
    followed.code(0);
    assert_eq!(followed.json()["summary"]["articles_compared"], 1);
}

#[test]
fn hard_links_are_two_articles() {
    let dir = Dir::new("hardlinks");
    let a = dir.create("d/a.txt", article(1, 6));
    std::fs::hard_link(&a, dir.root.join("d/b.txt")).unwrap();
    dir.run(&["scan", "d"]).code(1);
}
