//! Output faults and the help text.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::corpus::article;
use crate::harness::TestDir;

fn corpus() -> TestDir {
    let dir = TestDir::new("output");
    for i in 0..40 {
        dir.create(&format!("d/{i:02}a.txt"), article(i, 6));
        dir.create(&format!("d/{i:02}b.txt"), article(i, 6));
    }
    dir
}

#[test]
fn closed_pipe_ends_quietly_with_the_verdict() {
    let dir = corpus();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdedup"))
        .args(["scan", "d", "--quiet"])
        .current_dir(&dir.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn full_disk_is_an_error() {
    use std::os::unix::fs::FileTypeExt;
    let full = std::path::Path::new("/dev/full");
    if !full
        .metadata()
        .is_ok_and(|m| m.file_type().is_char_device())
    {
        eprintln!("skipped: no /dev/full character device");
        return;
    }
    let dir = corpus();
    // The scan, and the index commands (whose output main buffers too).
    dir.run(&["index", "create", "made.idx"]).expect_code(0);
    for args in [
        &["scan", "d", "--quiet"][..],
        &["index", "create", "news.idx"],
        &["index", "stats", "made.idx"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_newsdedup"))
            .args(args)
            .current_dir(&dir.root)
            .stdout(std::fs::File::create(full).unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn readme_help_block_matches_the_binary() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let dir = TestDir::new("help");
    let help = dir.run(&["scan", "-h"]);
    help.expect_code(0);
    let start = readme
        .find("`newsdedup scan -h`")
        .expect("README has the -h section");
    let block = &readme[start..];
    let body_start = block.find("```text\n").unwrap() + "```text\n".len();
    let body = &block[body_start..body_start + block[body_start..].find("```").unwrap()];
    assert_eq!(
        body, help.stdout,
        "README's -h block is out of date: paste the output of `newsdedup scan -h`"
    );
}
