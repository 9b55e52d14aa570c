//! The persistent index: `index create|add|stats|remove` and
//! `scan --against`, through the binary.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{fixtures, same, unchanged, Output, Run, TestDir};

/// A folder `name` of `count` distinct articles, seeds from `first`.
fn batch(dir: &TestDir, name: &str, first: u64, count: u64) {
    for seed in first..first + count {
        dir.create(&format!("{name}/{seed:05}.txt"), article(seed, 4));
    }
}

/// The `key: value` lines of `index stats`.
fn stats(dir: &TestDir, index: &str) -> BTreeMap<String, String> {
    let out = dir.run(&["index", "stats", index, "--check"]);
    out.expect_code(0);
    out.stdout
        .lines()
        .filter_map(|line| line.split_once(": "))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect()
}

fn documents(dir: &TestDir, index: &str) -> u64 {
    stats(dir, index)["documents"].parse().unwrap()
}

/// Copies seed fixtures into `dir/folder`.
fn seeds(dir: &TestDir, folder: &str, names: &[&str]) {
    for name in names {
        let text = std::fs::read(fixtures().join(name)).unwrap();
        dir.create(&format!("{folder}/{name}"), text);
    }
}

/// Runs a query and checks it changed nothing: the index file and the
/// inputs are byte-identical. SQLite's `-wal` and `-shm` companions of an
/// index in WAL mode may appear beside it: they are not part of the index.
fn run_query(dir: &TestDir, args: &[&str]) -> Output {
    let companion = |name: &String| name.ends_with("-wal") || name.ends_with("-shm");
    let mut before = dir.snapshot();
    before.retain(|name, _| !companion(name));
    let out = dir.run(args);
    let mut after = dir.snapshot();
    after.retain(|name, _| !companion(name));
    unchanged(&before, &after);
    out
}

const OLD: &str = "000_4f22527343064fcb.txt";
const COPY: &str = "003_ddd462f4338f5b86.txt";
const OTHER: &str = "004_dcf93b46243cb9cc.txt";

#[test]
fn create_add_stats_remove() {
    let dir = TestDir::new("index-life");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    batch(&dir, "day1", 0, 5);
    let out = dir.run(&["index", "add", "news.idx", "day1", "--quiet"]);
    out.expect_code(0);
    same(
        "add output",
        "batch 1: added 5 articles, 0 already indexed, 0 skipped\n",
        out.stdout.as_str(),
    );
    let first = stats(&dir, "news.idx");
    same("documents", "5", first["documents"].as_str());
    same("batches", "1", first["batches"].as_str());
    assert!(
        first["batch 1"].starts_with("5 documents, added 20"),
        "{first:?}"
    );

    // The same batch again, under another name too: nothing added twice.
    let again = dir.run(&["index", "add", "news.idx", "day1", "--quiet"]);
    again.expect_code(0);
    assert!(again.stdout.contains("added 0 articles, 5 already indexed"));
    dir.create("renamed/x.txt", article(2, 4));
    let renamed = dir.run(&["index", "add", "news.idx", "renamed", "--quiet"]);
    assert!(renamed
        .stdout
        .contains("added 0 articles, 1 already indexed"));
    same("documents", &5, &documents(&dir, "news.idx"));

    batch(&dir, "day2", 5, 3);
    dir.run(&["index", "add", "news.idx", "day2", "--quiet"])
        .expect_code(0);
    same("documents", &8, &documents(&dir, "news.idx"));

    let removed = dir.run(&["index", "remove", "news.idx", "day1/00000.txt"]);
    removed.expect_code(0);
    same(
        "remove output",
        "removed 1 article\n",
        removed.stdout.as_str(),
    );
    same("documents", &7, &documents(&dir, "news.idx"));
    dir.run(&["index", "remove", "news.idx", "--batch", "2"])
        .expect_code(0);
    same("documents", &4, &documents(&dir, "news.idx"));
    // A path that matches nothing is an error, not a silent no-op.
    dir.run(&["index", "remove", "news.idx", "day1/nope.txt"])
        .expect_code(2)
        .expect_stderr("nothing in the index matches");

    // What was removed no longer matches; what stayed does.
    let out = dir.run(&["scan", "--against", "news.idx", "day1", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    let groups = report["groups"].as_array().unwrap();
    same("groups", &4, &groups.len());
    assert!(groups
        .iter()
        .all(|g| g["members"][0]["path"] != "day1/00000.txt"));
}

#[test]
fn against_finds_the_seed_copy_and_not_the_other_outlet() {
    let dir = TestDir::new("index-seeds");
    seeds(&dir, "archive", &[OLD]);
    seeds(&dir, "today", &[COPY, OTHER]);
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    dir.run(&["index", "add", "news.idx", "archive", "--quiet"])
        .expect_code(0);

    let out = run_query(
        &dir,
        &["scan", "--against", "news.idx", "today", "--format", "json"],
    );
    out.expect_code(1);
    let report = out.json();
    let members: Vec<(String, bool)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["members"].as_array().unwrap())
        .map(|m| {
            (
                m["path"].as_str().unwrap().to_string(),
                m["indexed"].as_bool().unwrap(),
            )
        })
        .collect();
    same(
        "members",
        &vec![
            (format!("today/{COPY}"), false),
            (format!("archive/{OLD}"), true),
        ],
        &members,
    );
    same(
        "compared",
        &Value::from(2),
        &report["summary"]["articles_compared"],
    );

    let table = dir.run(&["scan", "--against", "news.idx", "today", "--quiet"]);
    table.expect_code(1);
    assert!(
        table.stdout.contains(&format!("archive/{OLD}  (indexed)")),
        "{}",
        table.explain("indexed member marked in the table")
    );

    // The review page says why an indexed article's text is not shown,
    // rather than showing whatever a file of that name holds now.
    let page = dir.run(&[
        "scan",
        "--against",
        "news.idx",
        "today",
        "--format",
        "html",
        "--quiet",
    ]);
    page.expect_code(1);
    assert!(
        page.stdout
            .contains("an indexed article: the index keeps no text to show"),
        "{}",
        page.explain("indexed member in the review page")
    );

    // The other outlet alone: clean, exit 0.
    let clean = dir.run(&["scan", "--against", "news.idx", &format!("today/{OTHER}")]);
    clean.expect_code(0);
}

#[test]
fn against_also_reports_duplicates_within_the_batch() {
    let dir = TestDir::new("index-inner");
    batch(&dir, "archive", 10, 3);
    dir.create("today/a.txt", article(20, 5));
    dir.create("today/a-teaser.txt", article(20, 3));
    dir.create("today/b.txt", article(21, 5));
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    dir.run(&["index", "add", "news.idx", "archive", "--quiet"])
        .expect_code(0);
    let out = dir.run(&["scan", "--against", "news.idx", "today", "--format", "json"]);
    out.expect_code(1);
    same(
        "groups",
        &vec![vec![
            "today/a-teaser.txt".to_string(),
            "today/a.txt".to_string(),
        ]],
        &out.groups(),
    );
    // Same output whatever the thread count.
    let one = dir.run(&[
        "scan",
        "--against",
        "news.idx",
        "today",
        "--format",
        "csv",
        "--threads",
        "1",
    ]);
    let many = dir.run(&[
        "scan",
        "--against",
        "news.idx",
        "today",
        "--format",
        "csv",
        "--threads",
        "7",
    ]);
    same("csv output", &one.stdout, &many.stdout);
}

#[test]
fn a_missing_index_is_an_error_and_nothing_is_created() {
    let dir = TestDir::new("index-missing");
    batch(&dir, "today", 30, 2);
    for args in [
        &["scan", "--against", "typo.idx", "today"][..],
        &["index", "add", "typo.idx", "today"],
        &["index", "stats", "typo.idx"],
        &["index", "remove", "typo.idx", "--batch", "1"],
    ] {
        let out = dir.run_checked(args);
        out.expect_code(2).expect_stderr("no index at typo.idx");
        assert!(out.stdout.is_empty(), "{}", out.explain("no report"));
    }
}

#[test]
fn create_never_overwrites() {
    let dir = TestDir::new("index-exists");
    dir.create("news.idx", "precious");
    dir.run_checked(&["index", "create", "news.idx"])
        .expect_code(2)
        .expect_stderr("already exists; not overwritten");
    dir.run(&["index", "create", "fresh.idx"]).expect_code(0);
    dir.run_checked(&["index", "create", "fresh.idx"])
        .expect_code(2);
}

#[test]
fn parameters_that_differ_from_the_index_are_refused() {
    let dir = TestDir::new("index-params");
    batch(&dir, "today", 40, 2);
    dir.run(&["index", "create", "strict.idx", "--threshold", "0.7"])
        .expect_code(0);
    run_query(&dir, &["scan", "--against", "strict.idx", "today"])
        .expect_code(2)
        .expect_stderr("--threshold is 0.5 here but 0.7 in the index");
    dir.run_checked(&[
        "scan",
        "--against",
        "strict.idx",
        "today",
        "--threshold",
        "0.7",
        "--shingle-size",
        "4",
    ])
    .expect_code(2)
    .expect_stderr("--shingle-size is 4 here but 5 in the index");
    dir.run(&[
        "scan",
        "--against",
        "strict.idx",
        "today",
        "--threshold",
        "0.7",
    ])
    .expect_code(0);
    let shown = stats(&dir, "strict.idx");
    assert!(
        shown["parameters"].contains("\"threshold\":0.7"),
        "{shown:?}"
    );
}

#[test]
fn foreign_files_are_refused_and_left_alone() {
    let dir = TestDir::new("index-foreign");
    batch(&dir, "today", 50, 2);
    dir.create("notes.txt", "not an index at all\n");
    dir.create("empty.idx", "");
    {
        let other = rusqlite::Connection::open(dir.root.join("other.db")).unwrap();
        other
            .execute_batch("CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('format', 'x');")
            .unwrap();
    }
    for (file, why) in [
        ("notes.txt", "not an SQLite database"),
        ("empty.idx", "an empty file"),
        ("other.db", "an SQLite database of another application"),
    ] {
        for args in [
            &["scan", "--against", file, "today"][..],
            &["index", "add", file, "today"],
            &["index", "stats", file],
            &["index", "remove", file, "today/00050.txt"],
            &["index", "create", file],
        ] {
            // run_checked: the file is byte-identical afterwards, and no
            // journal or other file appeared beside it.
            let out = dir.run_checked(args);
            out.expect_code(2);
            if args[1] != "create" {
                out.expect_stderr(&format!("{file} is not a newsdedup index ({why})"));
            }
        }
    }
}

#[test]
fn a_second_writer_waits_then_fails_clearly() {
    let dir = TestDir::new("index-busy");
    batch(&dir, "today", 55, 2);
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    let holder = rusqlite::Connection::open(dir.root.join("news.idx")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    dir.run(&["index", "add", "news.idx", "today", "--quiet"])
        .expect_code(2)
        .expect_stderr("being changed by another process");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "it did not wait"
    );
    // Readers are not blocked by a writer.
    dir.run(&["scan", "--against", "news.idx", "today"])
        .expect_code(0);
    holder.execute_batch("ROLLBACK").unwrap();
    dir.run(&["index", "add", "news.idx", "today", "--quiet"])
        .expect_code(0);
}

/// An index of another layout version is named as such, with what to do,
/// and left as it is.
#[test]
fn an_index_of_another_format_says_to_make_a_new_one() {
    let dir = TestDir::new("index-format");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    let db = rusqlite::Connection::open(dir.root.join("news.idx")).unwrap();
    db.execute(
        "UPDATE meta SET value = '1' WHERE key = 'format_version'",
        [],
    )
    .unwrap();
    drop(db);
    batch(&dir, "today", 0, 1);
    for args in [
        &["index", "stats", "news.idx"][..],
        &["index", "add", "news.idx", "today"],
        &["scan", "--against", "news.idx", "today"],
    ] {
        let before = std::fs::read(dir.root.join("news.idx")).unwrap();
        dir.run(args)
            .expect_code(2)
            .expect_stderr("was made by another version of newsdedup (index format 1")
            .expect_stderr("make a new index with `newsdedup index create`");
        let after = std::fs::read(dir.root.join("news.idx")).unwrap();
        assert!(before == after, "{args:?} changed the index");
    }
}

/// Removing documents rewrites their postings chunks, or drops a chunk
/// whose documents all go; batches added afterwards get new ids, and the
/// index stays sound (every `documents` call runs `stats --check`).
#[test]
fn removals_then_adds_keep_the_postings_sound() {
    let dir = TestDir::new("index-remove-add");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    batch(&dir, "day1", 0, 5);
    dir.run(&["index", "add", "news.idx", "day1", "--quiet"])
        .expect_code(0);
    // The last document and a middle one: the chunk shrinks at its end.
    dir.run(&[
        "index",
        "remove",
        "news.idx",
        "day1/00004.txt",
        "day1/00002.txt",
    ])
    .expect_code(0);
    same("documents", &3, &documents(&dir, "news.idx"));
    batch(&dir, "day2", 5, 3);
    dir.run(&["index", "add", "news.idx", "day2", "--quiet"])
        .expect_code(0);
    same("documents", &6, &documents(&dir, "news.idx"));
    // A whole batch: its chunk goes.
    dir.run(&["index", "remove", "news.idx", "--batch", "1"])
        .expect_code(0);
    same("documents", &3, &documents(&dir, "news.idx"));
    // What is left still answers: day2's files are found, day1's are not.
    dir.create("today/copy.txt", article(6, 4));
    dir.create("today/old.txt", article(1, 4));
    let out = run_query(
        &dir,
        &["scan", "--against", "news.idx", "today", "--format", "json"],
    );
    out.expect_code(1);
    let groups = out.groups();
    same("groups", &1, &groups.len());
    assert!(
        groups[0].contains(&"day2/00006.txt".to_string()),
        "{groups:?}"
    );
}

/// `index stats --check` compares the postings with what the stored
/// documents make, and says which chunk is wrong.
#[test]
fn check_finds_postings_that_do_not_match_the_documents() {
    let dir = TestDir::new("index-check");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    batch(&dir, "day1", 0, 5);
    dir.run(&["index", "add", "news.idx", "day1", "--quiet"])
        .expect_code(0);
    same("documents", &5, &documents(&dir, "news.idx"));
    let db = rusqlite::Connection::open(dir.root.join("news.idx")).unwrap();
    // One byte of the last band key changed.
    let mut keys: Vec<u8> = db
        .query_row("SELECT data FROM band_keys WHERE first = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    *keys.last_mut().unwrap() ^= 0x5a;
    db.execute("UPDATE band_keys SET data = ?1 WHERE first = 1", [keys])
        .unwrap();
    db.execute("DELETE FROM sentence_counts", []).unwrap();
    db.execute("DELETE FROM fingerprints", []).unwrap();
    drop(db);
    dir.run(&["index", "stats", "news.idx", "--check"])
        .expect_code(2)
        .expect_stderr("postings chunk of documents 1 to 5: its band keys")
        .expect_stderr("postings chunk of documents 1 to 5 has no sentence counts")
        .expect_stderr("postings chunk of documents 1 to 5 has no fingerprints");
}

/// `index add` killed with SIGKILL at points spread over its run leaves
/// the index exactly before or after the batch, and sound.
#[test]
fn a_killed_add_leaves_the_index_before_or_after_the_batch() {
    let dir = TestDir::new("index-kill");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    const PER_BATCH: u64 = 300;
    // A first, uninterrupted batch times a whole run.
    batch(&dir, "b0", 1000, PER_BATCH);
    let started = Instant::now();
    dir.run(&["index", "add", "news.idx", "b0", "--quiet"])
        .expect_code(0);
    let whole = started.elapsed();
    let mut count = documents(&dir, "news.idx");
    same("first batch", &PER_BATCH, &count);

    let mut state = 0x5eed_u64;
    let (mut before, mut after) = (0, 0);
    for round in 1..=12_u64 {
        let name = format!("b{round}");
        batch(&dir, &name, 1000 + round * PER_BATCH, PER_BATCH);
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        // A delay from 0 to 1.2 times a whole run, fixed by the seed.
        let delay = whole.mul_f64((state >> 40) as f64 / (1u64 << 24) as f64 * 1.2);
        let running = Run::new(&dir.root, &["index", "add", "news.idx", &name, "--quiet"]).spawn();
        std::thread::sleep(delay);
        running.signal("KILL");
        let _ = running.finish();
        let now = documents(&dir, "news.idx");
        assert!(
            now == count || now == count + PER_BATCH,
            "round {round} (killed after {delay:?}): {now} documents, expected {count} or {}",
            count + PER_BATCH
        );
        if now == count {
            before += 1;
        } else {
            after += 1;
        }
        count = now;
        let integrity: String = rusqlite::Connection::open(dir.root.join("news.idx"))
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        same("integrity", "ok", integrity.as_str());
    }
    eprintln!("killed add: {before} rounds left the index before the batch, {after} after");
    // The loop must actually have interrupted some batches.
    assert!(before > 0, "no run was killed before it committed");
}

#[test]
fn an_index_answers_like_a_scan_of_the_same_files() {
    // The index holds yesterday's files; scanning today's against it finds
    // the same pairs across the two days as one scan of both folders.
    let dir = TestDir::new("index-vs-scan");
    for seed in 0..12_u64 {
        dir.create(&format!("old/{seed:02}.txt"), article(seed, 5));
    }
    for seed in [0_u64, 3, 7] {
        dir.create(&format!("new/{seed:02}-teaser.txt"), article(seed, 3));
    }
    dir.create("new/fresh.txt", article(60, 5));
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    dir.run(&["index", "add", "news.idx", "old", "--quiet"])
        .expect_code(0);
    let against = dir.run(&["scan", "--against", "news.idx", "new", "--format", "json"]);
    let scan = dir.run(&["scan", "old", "new", "--format", "json"]);
    same("groups", &scan.groups(), &against.groups());
    let scores = |out: &Output| -> Vec<(String, f64, f64)> {
        out.json()["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["members"].as_array().unwrap().clone())
            .map(|m| {
                (
                    m["path"].as_str().unwrap().to_string(),
                    m["jaccard"].as_f64().unwrap(),
                    m["containment"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    same("scores", &scores(&scan), &scores(&against));
}

#[test]
fn add_names_what_it_cannot_read_and_keeps_the_rest() {
    let dir = TestDir::new("index-partial");
    batch(&dir, "today", 45, 3);
    dir.create("today/short.txt", "Too short.");
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    let out = dir.run(&["index", "add", "news.idx", "today", "gone", "--verbose"]);
    out.expect_code(2)
        .expect_stderr("newsdedup: gone:")
        .expect_stderr("today/short.txt: skipped");
    assert!(
        out.stdout.contains(
            "added 3 articles, 0 already indexed, 1 skipped, 1 problem (see messages above)\n"
        ),
        "{}",
        out.explain("summary line")
    );
    same("documents", &3, &documents(&dir, "news.idx"));
}

#[test]
fn template_sentences_are_counted_over_the_index_too() {
    // Twelve indexed pages and one new page share a long site header
    // around different short stories. Counted over the index, the header
    // is template and the new page matches nothing; with template
    // detection off, the header alone makes them duplicates.
    let dir = TestDir::new("index-templates");
    let header = article(500, 3);
    for seed in 0..12_u64 {
        dir.create(
            &format!("site/{seed:02}.txt"),
            format!("{header}\n{}", article(seed, 1)),
        );
    }
    dir.create("today/new.txt", format!("{header}\n{}", article(30, 1)));
    for (index, extra) in [("weighted.idx", None), ("flat.idx", Some("0"))] {
        let mut create = vec!["index", "create", index];
        if let Some(n) = extra {
            create.extend(["--template-docs", n]);
        }
        dir.run(&create).expect_code(0);
        dir.run(&["index", "add", index, "site", "--quiet"])
            .expect_code(0);
    }
    dir.run(&["scan", "--against", "weighted.idx", "today", "--quiet"])
        .expect_code(0);
    let flat = dir.run(&[
        "scan",
        "--against",
        "flat.idx",
        "today",
        "--template-docs",
        "0",
        "--format",
        "json",
    ]);
    flat.expect_code(1);
    assert_eq!(flat.groups()[0].len(), 13, "{}", flat.explain("one group"));
}

#[test]
fn a_query_verifies_few_of_many_pages_that_share_chrome() {
    // 150 indexed pages share a long header; a new page is an edited copy
    // of one of them. Every page is plausible by its signature, but only
    // the nearest are verified, and the copy is still found.
    let dir = TestDir::new("index-chrome");
    let header = article(500, 3);
    for seed in 0..150_u64 {
        dir.create(
            &format!("site/{seed:03}.txt"),
            format!("{header}\n{}", article(1000 + seed, 1)),
        );
    }
    dir.create(
        "today/copy.txt",
        format!(
            "{header}\n{}\nThe council said the plan would be reviewed again next spring.\n",
            article(1007, 1)
        ),
    );
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    dir.run(&["index", "add", "news.idx", "site", "--quiet"])
        .expect_code(0);
    let out = dir.run(&["scan", "--against", "news.idx", "today", "--format", "json"]);
    out.expect_code(1);
    same(
        "groups",
        &vec![vec![
            "site/007.txt".to_string(),
            "today/copy.txt".to_string(),
        ]],
        &out.groups(),
    );
    let pairs = out.json()["summary"]["candidate_pairs"].as_u64().unwrap();
    assert!(pairs <= 100, "{pairs} candidate pairs verified");
}

/// JSON Lines dumps go into the index record by record: stored with their
/// file, line and id, reported under them by `scan --against`, a bad line
/// named as a problem while the rest is stored, and removed by the file's
/// path.
#[test]
fn json_lines_records_are_indexed_and_queried_by_path_line_and_id() {
    let dir = TestDir::new("index-jsonl");
    // Yesterday's dump: three records (one a bad line), and a plain file.
    let record =
        |seed: u64, id: &str| serde_json::json!({"id": id, "text": article(seed, 4)}).to_string();
    dir.create(
        "archive/dump.jsonl",
        format!("{}\n{{not json\n{}\n", record(70, "a1"), record(71, "a2")),
    );
    batch(&dir, "archive", 72, 1);
    dir.run(&["index", "create", "news.idx"]).expect_code(0);
    let out = dir.run(&[
        "index",
        "add",
        "news.idx",
        "archive",
        "--id-field",
        "id",
        "--quiet",
    ]);
    // The bad line is a problem naming it; the rest is stored.
    out.expect_code(2).expect_stderr("archive/dump.jsonl:2");
    assert!(out.stdout.contains("added 3 articles"), "{}", out.stdout);
    same("documents", &3, &documents(&dir, "news.idx"));

    // Today's dump holds a copy of record a2 and a new article.
    dir.create(
        "today/dump.jsonl",
        format!("{}\n{}\n", record(80, "b1"), record(71, "b2")),
    );
    let out = run_query(
        &dir,
        &[
            "scan",
            "--against",
            "news.idx",
            "today",
            "--id-field",
            "id",
            "--format",
            "json",
        ],
    );
    out.expect_code(1);
    let report = out.json();
    let groups = report["groups"].as_array().unwrap();
    same("groups", &1, &groups.len());
    let members: Vec<(String, u64, String, bool)> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["path"].as_str().unwrap().to_string(),
                m["line"].as_u64().unwrap(),
                m["id"].as_str().unwrap().to_string(),
                m["indexed"].as_bool().unwrap(),
            )
        })
        .collect();
    let mut expected = vec![
        ("archive/dump.jsonl".to_string(), 3, "a2".to_string(), true),
        ("today/dump.jsonl".to_string(), 2, "b2".to_string(), false),
    ];
    let mut got = members.clone();
    got.sort();
    expected.sort();
    same("members", &expected, &got);

    // Removing by path removes every record of that file.
    let removed = dir.run(&["index", "remove", "news.idx", "archive/dump.jsonl"]);
    removed.expect_code(0);
    same(
        "remove output",
        "removed 2 articles\n",
        removed.stdout.as_str(),
    );
    same("documents", &1, &documents(&dir, "news.idx"));
}
