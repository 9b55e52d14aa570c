//! The same corpus gives the same report, whatever run, thread count,
//! creation order, argument order or spelling of its paths; links are
//! handled as documented; and no run ever changes its input.

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{same, unchanged, Output, Run, TestDir};

/// Runs the binary and asserts the scratch folder is byte-identical after.
fn scan(dir: &TestDir, args: &[&str]) -> Output {
    let before = dir.snapshot();
    let out = dir.run(args);
    unchanged(&before, &dir.snapshot());
    out
}

/// The JSON report without its one run-dependent field, the timing.
fn stable(out: &Output) -> String {
    let mut report = out.json();
    let summary = report["summary"].as_object_mut().unwrap();
    assert!(summary.remove("elapsed_seconds").is_some());
    serde_json::to_string_pretty(&report).unwrap()
}

/// A corpus over two folders: a pair split across them, a group of three
/// (an article, an exact copy, a truncated copy), an exact pair, and four
/// articles with no copy. `order` permutes the order the files are written.
fn corpus(dir: &TestDir, order: impl Iterator<Item = usize>) {
    let files: [(&str, String); 10] = [
        ("left/budget.txt", article(11, 5)),
        ("right/budget-wire.txt", article(11, 5)),
        ("left/storm.txt", article(12, 6)),
        ("left/storm-copy.txt", article(12, 6)),
        ("right/storm-teaser.txt", article(12, 3)),
        ("right/ferry.txt", article(13, 4)),
        ("right/ferry (1).txt", article(13, 4)),
        ("left/alone-1.txt", article(14, 4)),
        ("left/alone-2.txt", article(15, 4)),
        ("right/alone-3.txt", article(16, 4)),
    ];
    for i in order {
        let (name, text) = &files[i];
        dir.create(name, text);
    }
}

#[test]
fn same_report_every_run_and_thread_count() {
    let dir = TestDir::new("runs");
    corpus(&dir, 0..10);
    let json = ["scan", "left", "right", "--format", "json"];
    let first = scan(&dir, &json);
    first.expect_code(1);
    same("group count", &3, &first.groups().len());
    let again = scan(&dir, &json);
    same("second run", &stable(&first), &stable(&again));
    let one = scan(&dir, &[&json[..], &["--threads", "1"]].concat());
    let two = scan(&dir, &[&json[..], &["--threads", "2"]].concat());
    same(
        "--threads 1 against --threads 2",
        &stable(&one),
        &stable(&two),
    );
    same(
        "--threads 1 against the default",
        &stable(&first),
        &stable(&one),
    );
}

/// The second pass rebuilds shingles from text kept in memory while it
/// fits a budget, and reads the file again past it: the report must not
/// tell which (a debug-build hook sets the budget).
#[test]
fn kept_and_reread_texts_give_the_same_report() {
    let dir = TestDir::new("kept");
    corpus(&dir, 0..10);
    let json = ["scan", "left", "right", "--format", "json"];
    let kept = scan(&dir, &json);
    same("group count", &3, &kept.groups().len());
    for budget in ["0", "3000"] {
        let out = Run::new(&dir.root, &json)
            .env("NEWSDEDUP_TEST_KEPT_TEXT", budget)
            .output();
        same(
            &format!("report with {budget} bytes of kept text"),
            &stable(&kept),
            &stable(&out),
        );
    }
}

#[test]
fn creation_order_and_argument_order_do_not_matter() {
    let forward = TestDir::new("order-forward");
    corpus(&forward, 0..10);
    let backward = TestDir::new("order-backward");
    corpus(&backward, (0..10).rev());
    let a = scan(&forward, &["scan", "left", "right", "--format", "json"]);
    let b = scan(&backward, &["scan", "right", "left", "--format", "json"]);
    same("groups", &a.groups(), &b.groups());
    same("JSON report", &stable(&a), &stable(&b));
    // The formats without timing must match byte for byte.
    for format in ["table", "csv"] {
        let a = scan(
            &forward,
            &["scan", "left", "right", "--quiet", "--format", format],
        );
        let b = scan(
            &backward,
            &["scan", "right", "left", "--quiet", "--format", format],
        );
        same(format, &a.stdout, &b.stdout);
    }
}

#[test]
fn a_path_given_twice_is_read_once() {
    let dir = TestDir::new("twice");
    dir.create("d/a.txt", article(21, 4));
    dir.create("d/b.txt", article(22, 4));
    dir.create("d/sub/c.txt", article(23, 4));
    let once = scan(&dir, &["scan", "d", "--format", "json"]);
    once.expect_code(0);
    let seen = &once.json()["summary"]["files_seen"];
    same("files seen once", &Value::from(3), seen);
    for spelling in [
        &["d", "d"][..],
        &["d", "./d"],
        &["d", "d/"],
        &["d", "d/a.txt"],
        &["d/a.txt", "d"],
        &["d", "d/sub"],
        &["d/sub/../../d", "d"],
    ] {
        let out = scan(
            &dir,
            &[&["scan"][..], spelling, &["--format", "json"]].concat(),
        );
        let what = format!("scan {}", spelling.join(" "));
        assert!(
            out.code == 0,
            "{}",
            out.explain(&format!("{what}: a file matched itself"))
        );
        same(&what, seen, &out.json()["summary"]["files_seen"]);
    }
}

#[test]
fn symlinked_file_is_skipped_and_never_its_targets_duplicate() {
    let dir = TestDir::new("link-file");
    dir.create("d/a.txt", article(31, 4));
    dir.create("d/b.txt", article(32, 4));
    dir.symlink("a.txt", "d/also-a.txt");
    let plain = scan(&dir, &["scan", "d", "--format", "json"]);
    plain.expect_code(0);
    let summary = &plain.json()["summary"];
    same(
        "skipped links",
        &Value::from(1),
        &summary["skipped"]["symlink"],
    );
    same("compared", &Value::from(2), &summary["articles_compared"]);

    let followed = scan(&dir, &["scan", "d", "--follow", "--format", "json"]);
    followed.expect_code(0);
    same(
        "groups with --follow",
        &Vec::<Vec<String>>::new(),
        &followed.groups(),
    );
    same(
        "compared",
        &Value::from(2),
        &followed.json()["summary"]["articles_compared"],
    );
}

#[test]
fn symlink_loops_end_when_followed() {
    let dir = TestDir::new("link-loop");
    dir.create("d/a.txt", article(41, 4));
    dir.create("d/sub/b.txt", article(42, 4));
    // A cycle through folders: d/sub/up is d again.
    dir.symlink("..", "d/sub/up");
    let plain = scan(&dir, &["scan", "d", "--format", "json"]);
    plain.expect_code(0);
    same(
        "skipped links",
        &Value::from(1),
        &plain.json()["summary"]["skipped"]["symlink"],
    );
    let followed = scan(&dir, &["scan", "d", "--follow", "--format", "json"]);
    followed.expect_code(0);
    same(
        "compared",
        &Value::from(2),
        &followed.json()["summary"]["articles_compared"],
    );

    // A link to itself cannot be resolved at all: a problem, not a hang.
    dir.symlink("knot", "d/knot");
    let knotted = scan(&dir, &["scan", "d", "--follow", "--format", "json"]);
    knotted.expect_code(2).expect_stderr("d/knot");
    let problem = &knotted.json()["problems"][0];
    same("kind", &Value::from("link_loop"), &problem["kind"]);
    same(
        "compared",
        &Value::from(2),
        &knotted.json()["summary"]["articles_compared"],
    );
}

#[test]
fn hard_links_are_two_articles() {
    // Two names for one file are two articles to whoever reads the corpus:
    // they are reported, unlike a symbolic link or a path given twice.
    let dir = TestDir::new("hardlinks");
    let a = dir.create("d/a.txt", article(21, 4));
    std::fs::hard_link(&a, dir.root.join("d/b.txt")).unwrap();
    let out = scan(&dir, &["scan", "d", "--format", "json"]);
    out.expect_code(1);
    same(
        "groups",
        &vec![vec!["d/a.txt".to_string(), "d/b.txt".to_string()]],
        &out.groups(),
    );
}

mod property {
    //! The same property on generated corpora: any mix of originals, exact
    //! copies and cut copies, named in any order, scanned with any thread
    //! count, gives one byte-identical report.

    use proptest::prelude::*;

    use super::{scan, stable};
    use crate::corpus::article;
    use crate::harness::{same, TestDir};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        #[test]
        fn any_corpus_order_and_thread_count_give_one_report(
            // (seed, paragraphs) per file: small seed ranges make copies.
            files in prop::collection::vec((0_u64..6, 3_usize..7), 3..14),
            order in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
            threads in 1_usize..5,
        ) {
            let dir = TestDir::new("prop-order");
            let mut names = Vec::new();
            for (i, (seed, paragraphs)) in files.iter().enumerate() {
                let name = format!("f{i:02}.txt");
                dir.create(&name, article(*seed, *paragraphs));
                names.push(name);
            }
            let base: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut shuffled = base.clone();
            // A seeded Fisher-Yates shuffle of the argument order.
            let mut state = order;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let threads = threads.to_string();
            let one = scan(&dir, &[&["scan", "--format", "json", "--threads", "1"][..], &base].concat());
            let other = scan(
                &dir,
                &[&["scan", "--format", "json", "--threads", &threads][..], &shuffled].concat(),
            );
            same("report", &stable(&one), &stable(&other));
        }
    }
}

/// Each group as its members' names (the file name, or the record id) with
/// their scores, in report order.
fn named_scores(out: &Output) -> Vec<Vec<(String, Value, Value, Value)>> {
    out.json()["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            group["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    let name = match m["id"].as_str() {
                        Some(id) => id.to_string(),
                        None => m["path"]
                            .as_str()
                            .unwrap()
                            .rsplit('/')
                            .next()
                            .unwrap()
                            .into(),
                    };
                    let scores = (m["jaccard"].clone(), m["containment"].clone());
                    (name, scores.0, scores.1, m["exact"].clone())
                })
                .collect()
        })
        .collect()
}

#[test]
fn c76_files_jsonl_and_stdin_give_the_same_groups() {
    let dir = TestDir::new("c76");
    let texts = [
        ("a.txt", article(81, 5)),
        ("b.txt", article(81, 4)),
        ("c.txt", article(82, 4)),
        ("d.txt", article(83, 4)),
        ("e.txt", article(83, 4)),
        ("f.txt", article(84, 6)),
    ];
    let mut dump = String::new();
    for (name, text) in &texts {
        dir.create(&format!("files/{name}"), text);
        dump.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": name, "text": text})
        ));
    }
    dir.create("dump/all.jsonl", &dump);
    let files = scan(&dir, &["scan", "files", "--format", "json"]);
    files.expect_code(1);
    let records = scan(&dir, &["scan", "dump", "--format", "json"]);
    records.expect_code(1);
    same(
        "files and records",
        &named_scores(&files),
        &named_scores(&records),
    );
    let piped = crate::harness::Run::new(
        &dir.root,
        &["scan", "-", "--input-format", "jsonl", "--format", "json"],
    )
    .stdin(dump)
    .output();
    piped.expect_code(1);
    same(
        "files and stdin",
        &named_scores(&files),
        &named_scores(&piped),
    );
}
