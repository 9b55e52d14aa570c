//! The review page in a real browser: Debian's headless chromium opens a
//! page made from `fixtures/` plus the review corpus, and the test checks
//! the DOM it built (groups, highlighted rows, the page's own script ran and
//! no injected one did) and keeps a screenshot to look at.
//!
//! Skipped, saying so, where `/usr/bin/chromium` is missing, unless
//! `NEWSDEDUP_REQUIRE_BROWSER` is set; `.ci/run` installs chromium and sets
//! it, so CI always runs this. The screenshot goes to
//! `target/tmp/browser/review.png` (its path is printed).

use std::path::Path;
use std::process::Command;

use crate::harness::{fixtures, same};
use crate::review::corpus;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless chromium with a fresh profile on `url`, plus `args`, and
/// returns its standard output. Bounded by `timeout` (coreutils): a stuck
/// browser fails the test instead of hanging it.
fn chromium(profile: &Path, url: &str, args: &[&str]) -> String {
    let output = Command::new("timeout")
        .arg("120")
        .arg(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn review_page_in_a_headless_browser() {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("NEWSDEDUP_REQUIRE_BROWSER").is_none(),
            "{CHROMIUM} is missing and NEWSDEDUP_REQUIRE_BROWSER is set"
        );
        eprintln!("skipped: {CHROMIUM} is not installed (apt-get install chromium; .ci/run does)");
        return;
    }
    let dir = corpus("browser");
    let fixtures = fixtures();
    let out = dir.run(&[
        "scan",
        fixtures.to_str().unwrap(),
        "news",
        "--format",
        "html",
        "-q",
    ]);
    out.expect_code(1);
    let page = dir.create("review.html", &out.stdout);
    let url = format!("file://{}", page.display());

    let dom = chromium(
        &dir.root.join("profile-dom"),
        &format!("{url}#all"),
        &["--dump-dom"],
    );
    // Five fixture groups and the corpus's two, each a collapsed details
    // element until the page's own script opened them all (#all).
    same(
        "groups",
        &7,
        &dom.matches("<details class=\"group\"").count(),
    );
    let opened = dom
        .lines()
        .filter(|line| line.starts_with("<details class=\"group\"") && line.contains(" open=\"\""))
        .count();
    same("groups opened by the page's script (#all)", &7, &opened);
    assert!(dom.contains("<tr class=\"shared\"><td colspan=\"2\">kyrgyzstan's interim government"));
    assert!(dom.contains("<del>77</del>") && dom.contains("<ins>78</ins>"));
    // The sentence only the re-scrape (the representative) has.
    assert!(dom.contains("<tr class=\"only-rep\"><td>there were also reports"));
    // The escaped markup stayed text: the title is the page's own.
    assert!(
        dom.contains("<title>newsdedup review: 7 groups</title>"),
        "{dom}"
    );
    assert!(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"));

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("review.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &dir.root.join("profile-shot"),
        &format!("{url}#all"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
            "--hide-scrollbars",
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{}",
        shot.display()
    );
    eprintln!("screenshot of the review page: {}", shot.display());
}
