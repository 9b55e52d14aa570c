//! Bad inputs: each is named or counted, and never stops the run.

use std::process::Command;

use crate::harness::{article, Dir};

#[test]
fn binary_files_are_skipped_and_counted() {
    let dir = Dir::new("binary");
    dir.create("d/a.txt", article(1, 6));
    dir.create("d/a-copy.txt", article(1, 6));
    let mut binary = article(1, 6).into_bytes();
    binary.insert(100, 0);
    dir.create("d/blob.bin", binary);
    let out = dir.run(&["scan", "d", "--format", "json"]);
    out.code(1);
    let report = out.json();
    assert_eq!(report["summary"]["skipped"]["binary"], 1);
    assert_eq!(report["groups"][0]["members"].as_array().unwrap().len(), 2);
}

#[test]
fn encodings_group_with_the_plain_copy() {
    let dir = Dir::new("encodings");
    // Mostly ASCII with a few accented words, as English news is.
    let text = format!(
        "{}Caf\u{e9} owners in Z\u{fc}rich protested on Monday.\n",
        article(3, 9)
    );
    dir.create("d/plain.txt", &text);
    dir.create("d/bom.txt", format!("\u{feff}{text}"));
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    dir.create("d/utf16le.txt", le);
    dir.create("d/utf16be.txt", be);
    // Latin-1: every é becomes an invalid byte, replaced when decoding.
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    dir.create("d/latin1.txt", latin1);
    let out = dir.run(&["scan", "d", "--format", "json"]);
    out.code(1);
    let report = out.json();
    assert_eq!(report["summary"]["lossy_decoded"], 1);
    assert_eq!(
        out.groups(),
        vec![vec![
            "d/bom.txt",
            "d/latin1.txt",
            "d/plain.txt",
            "d/utf16be.txt",
            "d/utf16le.txt"
        ]]
    );
}

#[test]
fn size_limits_are_policy_skips() {
    let dir = Dir::new("sizes");
    dir.create("d/a.txt", article(1, 6));
    dir.create("d/big.txt", article(2, 60));
    dir.create("d/short.txt", "Only five words are here");
    let out = dir.run(&["scan", "d", "--max-bytes", "2000", "--format", "json"]);
    out.code(0);
    let skipped = &out.json()["summary"]["skipped"];
    assert_eq!(
        (skipped["too_large"].as_u64(), skipped["too_short"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn unreadable_file_is_an_error_and_the_rest_still_grouped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("unreadable");
    dir.create("d/a.txt", article(1, 6));
    dir.create("d/b.txt", article(1, 6));
    let locked = dir.create("d/locked.txt", article(2, 6));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Root reads anything; permission tests need an ordinary user.
        eprintln!("skipped: running as a user that chmod 000 does not stop");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
        return;
    }
    let out = dir.run(&["scan", "d", "--format", "json"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    out.code(2);
    assert!(
        out.stderr.contains("d/locked.txt: Permission denied"),
        "{}",
        out.stderr
    );
    assert_eq!(out.json()["problems"][0]["kind"], "permission_denied");
    assert_eq!(out.groups(), vec![vec!["d/a.txt", "d/b.txt"]]);
}

#[test]
fn fifo_in_a_folder_is_skipped_without_blocking() {
    let dir = Dir::new("fifo");
    dir.create("d/a.txt", article(1, 6));
    let status = Command::new("mkfifo")
        .arg(dir.root.join("d/pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    // If the FIFO were opened, this run would wait forever for a writer.
    let out = dir.run(&["scan", "d", "--format", "json"]);
    out.code(0);
    assert_eq!(out.json()["summary"]["skipped"]["not_regular"], 1);
}

#[test]
fn control_characters_in_names_are_escaped_on_stderr() {
    let dir = Dir::new("escape");
    dir.create("d/a.txt", article(1, 6));
    let out = dir.run(&["scan", "d", "no\u{1b}[2Jpe\u{202e}txt"]);
    out.code(2);
    assert!(
        out.stderr.contains("no\\u{1b}[2Jpe\\u{202e}txt"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{1b}'));
}
