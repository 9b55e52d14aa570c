//! Inputs other than a folder of text files: JSON Lines records, gzip and
//! zstd files, `--files-from` lists, standard input, and the walk's globs,
//! hidden files and ignore files. (The JSON Lines and standard-input cases
//! of the reliability catalog are in `catalog.rs`, `c59` to `c66`.)

use std::io::Write;

use serde_json::{json, Value};

use crate::corpus::article;
use crate::harness::{same, Output, Run, TestDir};

/// One JSON Lines record.
fn record(fields: Value) -> String {
    format!("{fields}\n")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

/// Each group's members as `path`, `path:line` or `path:line#id`, sorted.
fn named_groups(out: &Output) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = out.json()["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            let mut names: Vec<String> = group["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    let mut name = m["path"].as_str().unwrap().to_string();
                    if let Some(line) = m["line"].as_u64() {
                        name.push_str(&format!(":{line}"));
                    }
                    if let Some(id) = m["id"].as_str() {
                        name.push_str(&format!("#{id}"));
                    }
                    name
                })
                .collect();
            names.sort();
            names
        })
        .collect();
    groups.sort();
    groups
}

fn names(groups: &[&[&str]]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut g: Vec<String> = g.iter().map(|s| (*s).to_string()).collect();
            g.sort();
            g
        })
        .collect();
    out.sort();
    out
}

fn json(dir: &TestDir, args: &[&str]) -> Output {
    dir.run_checked(&[&["scan", "--format", "json"][..], args].concat())
}

#[test]
fn jsonl_records_are_articles_named_by_path_line_and_id() {
    let dir = TestDir::new("jsonl-records");
    let mut dump = String::new();
    dump += &record(json!({"id": "a1", "text": article(1, 4)}));
    dump += &record(json!({"text": article(2, 4)}));
    // A longer copy of record 1, so the pair is read again to be scored.
    dump += &record(json!({"id": 7, "text": article(1, 5)}));
    dump += &record(json!({"text": article(2, 4)}));
    dir.create("d/dump.jsonl", dump);
    dir.create("d/c.txt", article(1, 4));
    dir.create("d/other.ndjson", record(json!({"text": article(3, 4)})));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "groups",
        &names(&[
            &["d/c.txt", "d/dump.jsonl:1#a1", "d/dump.jsonl:3#7"],
            &["d/dump.jsonl:2", "d/dump.jsonl:4"],
        ]),
        &named_groups(&out),
    );
    same(
        "compared",
        &Value::from(6),
        &out.json()["summary"]["articles_compared"],
    );

    let table = dir.run_checked(&["scan", "d"]);
    for shown in [
        "d/dump.jsonl:1 [id a1]",
        "d/dump.jsonl:3 [id 7]",
        "d/dump.jsonl:4",
    ] {
        assert!(
            table.stdout.contains(shown),
            "{}",
            table.explain(&format!("the table should show {shown}"))
        );
    }
    let csv = dir.run_checked(&["scan", "d", "--format", "csv"]);
    assert!(
        csv.stdout.contains(",d/dump.jsonl,") && csv.stdout.contains(",1,a1,true,false\n"),
        "{}",
        csv.explain("CSV rows carry line, id and new")
    );
    // The review page names records by line and shows each record's own
    // text against its representative's: record 3 holds one sentence more
    // than record 1 and the text file.
    let page = dir.run_checked(&["scan", "d", "--format", "html"]);
    for shown in ["d/dump.jsonl:1", "d/dump.jsonl:3", "d/dump.jsonl:4"] {
        assert!(
            page.stdout.contains(&format!("<code>{shown}</code>")),
            "{}",
            page.explain(&format!("the page should name {shown}"))
        );
    }
    assert!(
        !page.stdout.contains("could not be read again"),
        "{}",
        page.explain("every record is read again for the page")
    );
    assert!(
        page.stdout.contains("class=\"only-rep\""),
        "{}",
        page.explain("the representative's extra sentence is marked")
    );
}

#[test]
fn jsonl_nested_fields_and_an_explicit_input_format() {
    let dir = TestDir::new("jsonl-nested");
    let mut dump = String::new();
    for (id, seed) in [("x", 4), ("y", 5), ("z", 4)] {
        dump += &record(json!({"meta": {"id": id}, "body": {"text": article(seed, 4)}}));
    }
    // Not named .jsonl: read as JSON Lines because the flag says so.
    dir.create("d/dump.txt", dump);
    let args = [
        "d",
        "--input-format",
        "jsonl",
        "--text-field",
        "body.text",
        "--id-field",
        "meta.id",
    ];
    let out = json(&dir, &args);
    out.expect_code(1);
    same(
        "groups",
        &names(&[&["d/dump.txt:1#x", "d/dump.txt:3#z"]]),
        &named_groups(&out),
    );
    let p = &out.json()["parameters"];
    same(
        "fields echoed",
        &(Value::from("body.text"), Value::from("meta.id")),
        &(p["text_field"].clone(), p["id_field"].clone()),
    );
    // As text, the same file is one article.
    let out = json(&dir, &["d", "--input-format", "text"]);
    out.expect_code(0);
    same(
        "one article",
        &Value::from(1),
        &out.json()["summary"]["articles_compared"],
    );
}

#[test]
fn gzip_and_zstd_by_extension_and_by_magic_bytes() {
    let dir = TestDir::new("compressed");
    let text = article(6, 4);
    dir.create("d/a.txt", &text);
    dir.create("d/b.txt.gz", gzip(text.as_bytes()));
    dir.create("d/c.txt.zst", zstd(text.as_bytes()));
    // No telling name: recognised by the magic bytes alone.
    dir.create("d/d.txt", gzip(text.as_bytes()));
    dir.create("d/e.dat", zstd(text.as_bytes()));
    let dump = record(json!({"id": "r", "text": text}));
    dir.create("d/f.jsonl.gz", gzip(dump.as_bytes()));
    dir.create("d/g.ndjson.zst", zstd(dump.as_bytes()));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "one group of every spelling",
        &names(&[&[
            "d/a.txt",
            "d/b.txt.gz",
            "d/c.txt.zst",
            "d/d.txt",
            "d/e.dat",
            "d/f.jsonl.gz:1#r",
            "d/g.ndjson.zst:1#r",
        ]]),
        &named_groups(&out),
    );
}

#[test]
fn broken_compressed_files_are_problems() {
    let dir = TestDir::new("compressed-broken");
    dir.create("d/a.txt", article(7, 4));
    dir.create("d/b.txt", article(7, 4));
    // Named like gzip, but plain text.
    dir.create("d/fake.txt.gz", article(7, 4));
    // gzip cut short.
    let whole = gzip(article(7, 4).as_bytes());
    dir.create("d/cut.txt", &whole[..whole.len() / 2]);
    let out = json(&dir, &["d"]);
    out.expect_code(2)
        .expect_stderr("d/fake.txt.gz")
        .expect_stderr("d/cut.txt");
    same(
        "the rest still grouped",
        &names(&[&["d/a.txt", "d/b.txt"]]),
        &named_groups(&out),
    );
}

#[test]
fn decompression_bombs_are_skipped_as_too_large() {
    let dir = TestDir::new("bomb");
    dir.create("d/a.txt", article(8, 4));
    let bomb = vec![b'a'; 4 << 20];
    let gz = gzip(&bomb);
    let zst = zstd(&bomb);
    assert!(gz.len() < 64 << 10 && zst.len() < 64 << 10);
    dir.create("d/bomb.txt.gz", gz);
    dir.create("d/bomb.txt.zst", zst);
    let out = json(&dir, &["d", "--max-bytes", "1000000"]);
    out.expect_code(0);
    same(
        "skipped",
        &Value::from(2),
        &out.json()["summary"]["skipped"]["too_large"],
    );
}

#[test]
fn files_from_a_list_by_lines_and_by_nul() {
    let dir = TestDir::new("files-from");
    let text = article(9, 4);
    dir.create("d/a.txt", &text);
    dir.create("d/new\nline.txt", &text);
    dir.create("d/unlisted.txt", &text);
    dir.create("list.txt", "d/a.txt\r\n\nd/sub\n");
    dir.create("d/sub/b.txt", &text);
    let out = json(&dir, &["--files-from", "list.txt"]);
    out.expect_code(1);
    same(
        "listed paths, a folder walked",
        &names(&[&["d/a.txt", "d/sub/b.txt"]]),
        &named_groups(&out),
    );

    dir.create("list0", "d/a.txt\0d/new\nline.txt\0");
    let out = json(&dir, &["--files-from", "list0", "-0"]);
    out.expect_code(1);
    same(
        "NUL-separated names",
        &names(&[&["d/a.txt", "d/new\nline.txt"]]),
        &named_groups(&out),
    );

    // The list on standard input, plus a path argument; a `-` in that list
    // cannot mean standard input again, and is passed over.
    let out = Run::new(
        &dir.root,
        &[
            "scan",
            "--format",
            "json",
            "--files-from",
            "-",
            "d/unlisted.txt",
        ],
    )
    .stdin("d/a.txt\n-\n")
    .output();
    out.expect_code(1);
    same(
        "list from stdin",
        &names(&[&["d/a.txt", "d/unlisted.txt"]]),
        &named_groups(&out),
    );
    same(
        "no empty article from the listed -",
        &Value::from(0),
        &out.json()["summary"]["skipped"]["empty"],
    );

    // A missing list is a problem naming it.
    let out = json(&dir, &["--files-from", "nowhere.txt", "d/a.txt"]);
    out.expect_code(2).expect_stderr("nowhere.txt");
}

#[test]
fn dash_is_one_article_on_standard_input() {
    let dir = TestDir::new("stdin");
    let text = article(10, 4);
    dir.create("d/a.txt", &text);
    let out = Run::new(&dir.root, &["scan", "--format", "json", "d", "-"])
        .stdin(text.clone())
        .output();
    out.expect_code(1);
    same(
        "stdin grouped",
        &names(&[&["-", "d/a.txt"]]),
        &named_groups(&out),
    );
    // Compressed on standard input, and a near copy, so it is read again
    // (from memory) to be scored.
    let out = Run::new(&dir.root, &["scan", "--format", "json", "d", "-"])
        .stdin(gzip(article(10, 5).as_bytes()))
        .output();
    out.expect_code(1);
    same(
        "gzip on stdin",
        &names(&[&["-", "d/a.txt"]]),
        &named_groups(&out),
    );
    // JSON Lines on standard input when the flag says so.
    let mut dump = record(json!({"text": article(10, 5)}));
    dump += &record(json!({"text": article(11, 4)}));
    dump += &record(json!({"text": article(10, 4)}));
    let out = Run::new(
        &dir.root,
        &["scan", "--format", "json", "--input-format", "jsonl", "-"],
    )
    .stdin(dump)
    .output();
    out.expect_code(1);
    same(
        "JSON Lines on stdin",
        &names(&[&["-:1", "-:3"]]),
        &named_groups(&out),
    );
    // Read once, however often it is named.
    let out = Run::new(&dir.root, &["scan", "--format", "json", "-", "-"])
        .stdin(text)
        .output();
    out.expect_code(0);
    same(
        "read once",
        &Value::from(1),
        &out.json()["summary"]["articles_compared"],
    );
    // Both ways at once cannot work: a usage error.
    let out = dir.run(&["scan", "--files-from", "-", "-"]);
    out.expect_code(2)
        .expect_stderr("standard input can be read once");
}

#[test]
fn globs_include_and_exclude_walked_files() {
    let dir = TestDir::new("globs");
    let text = article(12, 4);
    for name in ["d/a.txt", "d/b.txt", "d/c.md", "d/drafts/e.txt"] {
        dir.create(name, &text);
    }
    let cases: [(&[&str], &[&str]); 4] = [
        (&["-g", "*.txt"], &["d/a.txt", "d/b.txt", "d/drafts/e.txt"]),
        (
            &["-g", "*.txt", "-g", "!drafts/**"],
            &["d/a.txt", "d/b.txt"],
        ),
        (&["--glob", "!*.txt"], &["d/c.md"]),
        // A file named directly is read whatever the globs say.
        (&["-g", "*.md", "d/a.txt"], &["d/a.txt", "d/c.md"]),
    ];
    for (flags, expected) in cases {
        let out = json(&dir, &[&["d"][..], flags].concat());
        let what = format!("scan d {}", flags.join(" "));
        if expected.len() < 2 {
            out.expect_code(0);
            same(&what, &Vec::<Vec<String>>::new(), &named_groups(&out));
        } else {
            out.expect_code(1);
            same(&what, &names(&[expected]), &named_groups(&out));
        }
    }
    // Globs that leave nothing to scan: an error, as for an empty folder.
    let out = json(&dir, &["d", "-g", "*.pdf"]);
    out.expect_code(2).expect_stderr("no files to scan");
    // A bad glob is a usage error naming it.
    let out = dir.run(&["scan", "d", "-g", "a{b"]);
    out.expect_code(2).expect_stderr("--glob \"a{b\"");
}

#[test]
fn hidden_files_are_walked_only_with_hidden() {
    let dir = TestDir::new("hidden");
    let text = article(13, 4);
    dir.create("d/a.txt", &text);
    dir.create("d/.b.txt", &text);
    dir.create("d/.cache/c.txt", &text);
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same(
        "hidden not walked, not counted",
        &Value::from(1),
        &out.json()["summary"]["files_seen"],
    );
    let out = json(&dir, &["d", "--hidden"]);
    out.expect_code(1);
    same(
        "with --hidden",
        &names(&[&["d/.b.txt", "d/.cache/c.txt", "d/a.txt"]]),
        &named_groups(&out),
    );
    // Named directly, a hidden file is read.
    let out = json(&dir, &["d", "d/.b.txt"]);
    out.expect_code(1);
}

#[test]
fn ignore_files_are_honoured_like_ripgrep() {
    let dir = TestDir::new("gitignore");
    let text = article(14, 4);
    dir.create("repo/a.txt", &text);
    dir.create("repo/b.txt", &text);
    dir.create("repo/build/c.txt", &text);
    dir.create("repo/d.bak", &text);
    dir.create("repo/.gitignore", "build/\n*.bak\n");
    // A .gitignore counts inside a git repository, as with ripgrep.
    dir.mkdir("repo/.git");
    // A .ignore file counts anywhere.
    dir.create("plain/a.txt", &text);
    dir.create("plain/skip/b.txt", &text);
    dir.create("plain/keep.txt", &text);
    dir.create("plain/.ignore", "skip/\n");
    let out = json(&dir, &["repo", "plain"]);
    out.expect_code(1);
    same(
        "ignored files left out",
        &names(&[&["plain/a.txt", "plain/keep.txt", "repo/a.txt", "repo/b.txt"]]),
        &named_groups(&out),
    );
    let out = json(&dir, &["repo", "plain", "--no-ignore"]);
    out.expect_code(1);
    same(
        "with --no-ignore",
        &Value::from(7),
        &out.json()["summary"]["articles_compared"],
    );
}

#[test]
fn a_large_jsonl_file_is_read_in_batches_with_one_result() {
    // More records than one batch holds (256), with copies far apart, some
    // near (read again to be scored) and some exact.
    let dir = TestDir::new("jsonl-batches");
    let mut dump = String::new();
    for i in 1..=700_u64 {
        let text = match i {
            5 => article(7, 5),
            650 => article(7, 4),
            300 | 301 => article(8, 3),
            i => article(1000 + i, 1),
        };
        dump += &record(json!({ "text": text }));
    }
    dir.create("d/big.jsonl", dump);
    let stable = |out: &Output| {
        let mut report = out.json();
        report["summary"]
            .as_object_mut()
            .unwrap()
            .remove("elapsed_seconds");
        report
    };
    let one = json(&dir, &["d", "--threads", "1"]);
    one.expect_code(1);
    same(
        "groups",
        &names(&[
            &["d/big.jsonl:5", "d/big.jsonl:650"],
            &["d/big.jsonl:300", "d/big.jsonl:301"],
        ]),
        &named_groups(&one),
    );
    let many = json(&dir, &["d", "--threads", "4"]);
    same(
        "same report on 1 and 4 threads",
        &stable(&one),
        &stable(&many),
    );
}

/// `explain` takes a record as scan names it, `FILE:LINE`; a record
/// without the text field, or a line that holds no article, is an error
/// naming it.
#[test]
fn explain_takes_json_lines_records_by_file_and_line() {
    let dir = TestDir::new("explain-records");
    let mut dump = String::new();
    dump += &record(json!({"text": article(5, 4)}));
    dump += &record(json!({"text": article(6, 4)}));
    dump += &record(json!({"text": article(5, 5)}));
    dump += &record(json!({"title": "no text here"}));
    dir.create("dump.jsonl", &dump);
    let copy = dir.run_checked(&[
        "explain",
        "dump.jsonl:1",
        "dump.jsonl:3",
        "--color",
        "never",
    ]);
    copy.expect_code(1);
    assert!(
        copy.stdout.contains("A  dump.jsonl:1") && copy.stdout.contains("B  dump.jsonl:3"),
        "{}",
        copy.explain("both sides named by file and line")
    );
    dir.run_checked(&["explain", "dump.jsonl:1", "dump.jsonl:2"])
        .expect_code(0);
    dir.create(
        "nested.jsonl",
        record(json!({"body": {"text": article(6, 4)}})),
    );
    let nested = [
        "explain",
        "nested.jsonl:1",
        "dump.jsonl:2",
        "--text-field",
        "body.text",
    ];
    dir.run_checked(&nested)
        .expect_code(2)
        .expect_stderr("dump.jsonl:2");
    dir.run_checked(&["explain", "dump.jsonl:1", "dump.jsonl:4"])
        .expect_code(2)
        .expect_stderr("dump.jsonl:4");
    dir.run_checked(&["explain", "dump.jsonl:1", "dump.jsonl:9"])
        .expect_code(2)
        .expect_stderr("dump.jsonl: no article at line 9");
}
