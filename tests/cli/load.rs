//! Load cases of the robustness catalog (35, 36, 37, 29): too slow for
//! every `cargo test`, so ignored there. `.ci/run` runs them on a release
//! build, one at a time so memory readings are the run's own:
//!
//! ```text
//! cargo test --release --test cli -- --ignored --test-threads 1
//! ```
//!
//! Memory is read from the kernel's high-water mark of the running process
//! (`VmHWM` in /proc), sampled until it exits.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{same, Output, Run, TestDir};

/// Runs a scan and returns its output with its peak resident memory.
fn scan_measured(dir: &Path, args: &[&str]) -> (Output, u64) {
    let running = Run::new(dir, args).spawn();
    let status = format!("/proc/{}/status", running.child.id());
    let mut peak_kib = 0;
    // Sample until the process is gone (the file disappears once reaped,
    // and reads as a zombie's empty status just before).
    while let Ok(text) = fs::read_to_string(&status) {
        if let Some(kib) = text
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        } else if text.contains("State:\tZ") {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, out) = running.finish();
    assert!(
        status.code().is_some(),
        "{}",
        out.explain("died by a signal")
    );
    (out, peak_kib * 1024)
}

const MIB: u64 = 1024 * 1024;

#[test]
#[ignore = "load: 100,000 files; run by .ci/run in release"]
fn c35_hundred_thousand_tiny_files_with_few_descriptors() {
    let dir = TestDir::new("c35");
    let started = Instant::now();
    for i in 0..100_000_u64 {
        // 5,000 planted pairs: file 2k+1 copies file 2k for k < 5,000.
        let seed = if i < 10_000 { i / 2 } else { i };
        let text = article(seed, 1);
        dir.create(&format!("d/{:03}/{i:06}.txt", i % 500), text);
    }
    eprintln!("c35: made 100,000 files in {:?}", started.elapsed());
    // At most 256 open descriptors: files are opened one at a time per
    // worker and closed after reading.
    let bin = env!("CARGO_BIN_EXE_newsdedup");
    let started = Instant::now();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 256 && exec '{bin}' scan d --format json -q"
        ))
        .current_dir(&dir.root)
        .output()
        .unwrap();
    eprintln!("c35: scanned in {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    same(
        "problems",
        &0,
        &report["problems"].as_array().unwrap().len(),
    );
    same("groups", &Value::from(5000), &report["summary"]["groups"]);
    for group in report["groups"].as_array().unwrap() {
        same("pair", &2, &group["members"].as_array().unwrap().len());
    }
}

#[test]
#[ignore = "load: 50,000 copies; run by .ci/run in release"]
fn c36_fifty_thousand_copies_are_one_group_in_linear_work() {
    let dir = TestDir::new("c36");
    let text = format!("Subscribe to continue reading.\n{}", article(1, 3));
    for i in 0..50_000 {
        dir.create(&format!("d/{:02}/{i:05}.txt", i % 100), &text);
    }
    let started = Instant::now();
    let (out, peak) = scan_measured(&dir.root, &["scan", "d", "--format", "json", "-q"]);
    let took = started.elapsed();
    eprintln!("c36: {took:?}, peak {} MiB", peak / MIB);
    out.expect_code(1);
    let report = out.json();
    same("one group", &Value::from(1), &report["summary"]["groups"]);
    same(
        "members",
        &50_000,
        &report["groups"][0]["members"].as_array().unwrap().len(),
    );
    // Copies are one exact class: no pair is scored at all.
    same(
        "pairs",
        &Value::from(0),
        &report["summary"]["candidate_pairs"],
    );
    assert!(peak < 1024 * MIB, "peak {} MiB", peak / MIB);
}

#[test]
#[ignore = "load: LSH bucket storm; run by .ci/run in release"]
fn c37_shared_header_over_different_bodies_is_no_group() {
    let dir = TestDir::new("c37");
    // A 300-word header (a paywall or site notice) on 3,000 pages, each
    // with its own 30-word story: every page collides with every other in
    // every LSH band.
    let header: String = (0..10).map(|i| article(1_000 + i, 1)).collect();
    for i in 0..3_000 {
        let body = article(i, 1);
        let body: Vec<&str> = body.split_whitespace().take(30).collect();
        dir.create(
            &format!("d/{i:04}.txt"),
            format!("{header}\n{}.\n", body.join(" ")),
        );
    }
    let (out, peak) = scan_measured(&dir.root, &["scan", "d", "--format", "json", "-q"]);
    eprintln!("c37: peak {} MiB", peak / MIB);
    out.expect_code(0);
    let summary = &out.json()["summary"];
    // Giant buckets pair neighbours only: linear, not 4.5 million pairs.
    let pairs = summary["candidate_pairs"].as_u64().unwrap();
    assert!(pairs < 3_000 * 64 * 8, "{pairs} candidate pairs");
    assert!(peak < 512 * MIB, "peak {} MiB", peak / MIB);
}

#[test]
#[ignore = "load: a 200 MB one-line file; run by .ci/run in release"]
fn c29_two_hundred_megabyte_line_is_skipped_or_read_in_bounded_memory() {
    let dir = TestDir::new("c29big");
    let words: Vec<String> = (0..5_000).map(|i| format!("w{i:x}")).collect();
    let mut line = String::with_capacity(200 * MIB as usize + 64);
    let mut state = 1_u64;
    while line.len() < 200 * MIB as usize {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        line.push_str(&words[(state >> 33) as usize % words.len()]);
        line.push(' ');
    }
    dir.create("d/big.txt", &line);
    drop(line);
    dir.create("d/a.txt", article(2, 4));

    // By default (64 MiB limit): skipped without being read.
    let (out, peak) = scan_measured(&dir.root, &["scan", "d", "--format", "json", "-q"]);
    out.expect_code(0);
    same(
        "too large",
        &Value::from(1),
        &out.json()["summary"]["skipped"]["too_large"],
    );
    assert!(peak < 64 * MIB, "peak {} MiB when skipping", peak / MIB);

    // With the limit raised it is read; memory stays within three to four
    // times the document (raw bytes, canonical text, shingle hashes; about
    // 830 MiB here).
    let (out, peak) = scan_measured(
        &dir.root,
        &[
            "scan",
            "d",
            "--format",
            "json",
            "-q",
            "--max-bytes",
            "300000000",
        ],
    );
    eprintln!("c29: 200 MB line read with peak {} MiB", peak / MIB);
    out.expect_code(0);
    same(
        "read",
        &Value::from(2),
        &out.json()["summary"]["articles_compared"],
    );
    assert!(peak < 1024 * MIB, "peak {} MiB", peak / MIB);
}
