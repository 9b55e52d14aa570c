//! A temporary folder per test, a way to write files into it, and a way to
//! run the binary there and check what it did.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh folder, removed when the test passes.
pub struct Dir {
    pub root: PathBuf,
}

impl Dir {
    pub fn new(name: &str) -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("newsdedup-test-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        Dir { root }
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    /// Runs `newsdedup ARGS` in this folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(&self.root, args)
    }

    /// Every file below the folder with its bytes, to prove a run changed nothing.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.root)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.insert(entry.path(), fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

/// What a run did.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdedup"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    out.assert_no_panic();
    out
}

impl Output {
    fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked at") && self.code != 101,
            "the binary panicked\n--- stderr ---\n{}",
            self.stderr
        );
    }

    /// Asserts the exit code, printing both streams if it differs.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n--- stdout ---\n{}", self.stdout))
    }

    /// The groups of a JSON report as sorted lists of member paths.
    pub fn groups(&self) -> Vec<Vec<String>> {
        let mut groups: Vec<Vec<String>> = self.json()["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let mut members: Vec<String> = g["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["path"].as_str().unwrap().to_string())
                    .collect();
                members.sort();
                members
            })
            .collect();
        groups.sort();
        groups
    }
}

/// A distinct article of `sentences` sentences: words are drawn from a
/// seeded generator, so two articles with different seeds share no 5-word
/// window, and the same seed always gives the same text.
pub fn article(seed: u64, sentences: usize) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let syllables = [
        "ka", "lo", "mi", "ren", "tu", "sa", "vor", "ne", "di", "pa", "gul", "est",
    ];
    let mut word = || {
        let n = 1 + next() % 3;
        (0..n)
            .map(|_| syllables[(next() % 12) as usize])
            .collect::<String>()
    };
    let mut text = format!("{} {} {}\n\n", word(), word(), word());
    for i in 0..sentences {
        let words: Vec<String> = (0..12).map(|_| word()).collect();
        let mut sentence = words.join(" ");
        sentence[..1].make_ascii_uppercase();
        text.push_str(&sentence);
        text.push_str(if i % 3 == 2 { ".\n\n" } else { ". " });
    }
    text
}

/// The path of the repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
