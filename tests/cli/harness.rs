//! The harness every integration test uses: a scratch folder per test, a way
//! to fill it, a way to run the real binary in it, and checks that print
//! what was expected next to what happened.
//!
//! Every run is checked for the things no run may ever do: panic, or hang.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// A run still going after this long is taken to be stuck (reading a FIFO,
/// walking a link loop). Generous, so a busy machine never trips it.
const RUN_LIMIT: Duration = Duration::from_secs(60);

static DIRS_MADE: AtomicUsize = AtomicUsize::new(0);

/// A scratch folder under the system temp dir, named after the test, a
/// counter and the process id so parallel tests and runs never share one.
/// Removed when the test passes; kept for a look when it fails.
pub struct TestDir {
    pub root: PathBuf,
}

impl TestDir {
    pub fn new(test: &str) -> TestDir {
        let n = DIRS_MADE.fetch_add(1, Ordering::Relaxed);
        let name = format!("newsdedup-{test}-{n}-{}", std::process::id());
        let root = std::env::temp_dir().join(name);
        // A leftover from an earlier run that had the same process id.
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        TestDir { root }
    }

    /// Writes `bytes` to `name` (a relative path; folders are made as needed).
    pub fn create(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Makes an empty folder.
    pub fn mkdir(&self, name: &str) -> PathBuf {
        let path = self.root.join(name);
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// Makes a symbolic link `name` whose target is `target`, as written.
    pub fn symlink(&self, target: &str, name: &str) {
        std::os::unix::fs::symlink(target, self.root.join(name)).unwrap();
    }

    /// Runs `newsdedup ARGS` with this folder as the working directory.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(&self.root, args)
    }

    pub fn snapshot(&self) -> BTreeMap<String, Entry> {
        snapshot(&self.root)
    }

    /// Runs like [`TestDir::run`], and also checks that the run left the
    /// folder exactly as it found it: no input changed, nothing written
    /// (no temporary file left behind).
    pub fn run_checked(&self, args: &[&str]) -> Output {
        let before = self.snapshot();
        let out = self.run(args);
        unchanged(&before, &self.snapshot());
        out
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        if !thread::panicking() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// What one run of the binary did.
pub struct Output {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary built for this test run, in `cwd`, with no stdin.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    Run::new(cwd, args).output()
}

/// A run of the binary with more than arguments: environment variables, a
/// different user. [`Run::output`] waits for it and checks it like
/// [`run_in`]; [`Run::spawn`] hands the running child to the test.
pub struct Run {
    command: Command,
    shown: String,
    stdin: Stdin,
}

/// What the run's standard input is.
enum Stdin {
    /// `/dev/null`.
    Null,
    /// A pipe that delivers these bytes, then closes.
    Bytes(Vec<u8>),
    /// A pipe that stays open, silent, until the run ends.
    Open,
}

impl Run {
    pub fn new(cwd: &Path, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsdedup"));
        command
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Run {
            command,
            shown: format!("newsdedup {}", args.join(" ")),
            stdin: Stdin::Null,
        }
    }

    /// Feeds `bytes` to the run's standard input, then closes it.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Stdin::Bytes(bytes.into());
        self.command.stdin(Stdio::piped());
        self
    }

    /// Gives the run a standard input that never delivers anything and
    /// never closes: reading it would hang the run.
    pub fn stdin_open(mut self) -> Run {
        self.stdin = Stdin::Open;
        self.command.stdin(Stdio::piped());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Run {
        self.command.env(key, value);
        self.shown = format!("{key}=... {}", self.shown);
        self
    }

    /// The same run as the unprivileged user `nobody`, for permission
    /// tests (root reads files whatever their mode). `None` when this user
    /// can neither switch users nor is unprivileged already: the caller
    /// skips the test and says so.
    pub fn by_nobody(self) -> Option<Run> {
        if !is_root() {
            return Some(self);
        }
        let runuser = Path::new("/usr/sbin/runuser");
        if !runuser.exists() {
            return None;
        }
        let mut command = Command::new(runuser);
        command
            .args(["-u", "nobody", "--"])
            .arg(self.command.get_program());
        command.args(self.command.get_args());
        if let Some(dir) = self.command.get_current_dir() {
            command.current_dir(dir);
        }
        for (key, value) in self.command.get_envs() {
            if let Some(value) = value {
                command.env(key, value);
            }
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Some(Run {
            command,
            shown: format!("(as nobody) {}", self.shown),
            stdin: Stdin::Null,
        })
    }

    /// Starts the run and returns it running.
    pub fn spawn(mut self) -> Running {
        let mut child = self.command.spawn().unwrap();
        let mut open_stdin = None;
        match self.stdin {
            Stdin::Null => {}
            Stdin::Bytes(bytes) => {
                let mut pipe = child.stdin.take().unwrap();
                // A reader that stops early closes the pipe: not our failure.
                thread::spawn(move || {
                    use std::io::Write;
                    let _ = pipe.write_all(&bytes);
                });
            }
            Stdin::Open => open_stdin = child.stdin.take(),
        }
        // Drain both pipes on their own threads, so a chatty child never
        // blocks on a full pipe while we wait for it.
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        Running {
            child,
            _stdin: open_stdin,
            stdout,
            stderr,
            command: self.shown,
            started: Instant::now(),
        }
    }

    /// Runs to the end and checks the run never panicked or hung.
    pub fn output(self) -> Output {
        let running = self.spawn();
        let (status, out) = running.finish();
        let code = status
            .code()
            .unwrap_or_else(|| panic!("{}", out.explain(&format!("died: {status}"))));
        let out = Output { code, ..out };
        assert!(
            !out.stderr.contains("panicked at") && out.code != 101,
            "{}",
            out.explain("the binary panicked")
        );
        out
    }
}

/// A run in progress.
pub struct Running {
    pub child: std::process::Child,
    /// Held, never written, so the run's standard input stays open.
    _stdin: Option<std::process::ChildStdin>,
    stdout: thread::JoinHandle<String>,
    stderr: thread::JoinHandle<String>,
    command: String,
    started: Instant,
}

impl Running {
    /// Sends `signal` (a name such as `INT`) to the process.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} failed");
    }

    /// Waits for the end (at most [`RUN_LIMIT`]) and returns the raw status
    /// with what was printed (`code` is -1 when a signal ended the run).
    pub fn finish(mut self) -> (std::process::ExitStatus, Output) {
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if self.started.elapsed() > RUN_LIMIT {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("`{}` did not finish within {RUN_LIMIT:?}", self.command);
            }
            thread::sleep(Duration::from_millis(5));
        };
        let out = Output {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout.join().unwrap(),
            stderr: self.stderr.join().unwrap(),
            command: self.command,
        };
        (status, out)
    }
}

/// Whether the tests run as root (who reads any file, whatever its mode).
pub fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Waits (up to [`RUN_LIMIT`]) until `path` exists.
pub fn wait_for(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < RUN_LIMIT,
            "{} never appeared",
            path.display()
        );
        thread::sleep(Duration::from_millis(5));
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

impl Output {
    /// A failure message: what went wrong, then the command and both streams.
    pub fn explain(&self, what: &str) -> String {
        format!(
            "{what}\n--- command ---\n{}\n--- exit code ---\n{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    pub fn expect_code(&self, expected: i32) -> &Self {
        let what = format!("expected exit code {expected}, got {}", self.code);
        assert!(self.code == expected, "{}", self.explain(&what));
        self
    }

    pub fn expect_stderr(&self, needle: &str) -> &Self {
        let what = format!("stderr should contain {needle:?}");
        assert!(self.stderr.contains(needle), "{}", self.explain(&what));
        self
    }

    /// stdout read as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("{}", self.explain(&format!("stdout is not JSON: {err}"))))
    }

    /// The groups of a JSON report, each as its member paths, sorted.
    pub fn groups(&self) -> Vec<Vec<String>> {
        let report = self.json();
        let mut groups: Vec<Vec<String>> = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|group| {
                let members = group["members"].as_array().unwrap().iter();
                let mut paths: Vec<String> = members
                    .map(|m| m["path"].as_str().unwrap().to_owned())
                    .collect();
                paths.sort();
                paths
            })
            .collect();
        groups.sort();
        groups
    }
}

/// Asserts equality, printing both values as labelled blocks when they differ.
pub fn same<T: PartialEq + Debug + ?Sized>(what: &str, expected: &T, actual: &T) {
    assert!(
        expected == actual,
        "{what}\n--- expected ---\n{expected:#?}\n--- actual ---\n{actual:#?}"
    );
}

/// One entry of a folder snapshot. Links are recorded, not followed.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
    Unreadable,
    Other,
}

/// Every entry below `root` (relative path and contents), to show that a run
/// left its input exactly as it found it.
pub fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    let mut entries = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for found in fs::read_dir(&dir).unwrap() {
            let path = found.unwrap().path();
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            let entry = if kind.is_symlink() {
                Entry::Link(fs::read_link(&path).unwrap())
            } else if kind.is_dir() {
                pending.push(path.clone());
                Entry::Folder
            } else if kind.is_file() {
                fs::read(&path).map_or(Entry::Unreadable, Entry::File)
            } else {
                Entry::Other
            };
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            entries.insert(name, entry);
        }
    }
    entries
}

/// Asserts two snapshots are equal, naming only the entries that differ.
pub fn unchanged(before: &BTreeMap<String, Entry>, after: &BTreeMap<String, Entry>) {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let changed: Vec<&String> = names
        .into_iter()
        .filter(|name| before.get(*name) != after.get(*name))
        .collect();
    assert!(changed.is_empty(), "the run changed its input: {changed:?}");
}

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
