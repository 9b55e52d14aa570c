//! `scan --format html`: one self-contained page, groups largest first,
//! members set against their representative, every text escaped, and the
//! same bytes on every run.

use crate::corpus::article;
use crate::harness::{same, Output, TestDir};

/// A group of three (an article, an exact copy, a copy with a figure
/// changed), a group of two whose text and file name hold markup, and a
/// lone article.
pub fn corpus(test: &str) -> TestDir {
    let dir = TestDir::new(test);
    let fire = "Officials said 77 people were hurt in the fire on the northern estate.";
    dir.create("news/a.txt", format!("{}\n{fire}\n", article(11, 4)));
    dir.create("news/a-copy.txt", format!("{}\n{fire}\n", article(11, 4)));
    dir.create(
        "news/a-edited.txt",
        format!("{}\n{}\n", article(11, 4), fire.replace("77", "78")),
    );
    // Entities survive normalization as the characters they stand for, so
    // the page must escape them again; a raw tag is dropped as markup.
    let markup = "The page showed &lt;script&gt;document.title='pwned'&lt;/script&gt; \
                  and <script>alert(2)</script> in the old council report on Tuesday.";
    dir.create("news/b.txt", format!("{}\n{markup}\n", article(12, 4)));
    dir.create(
        "news/b <i>copy</i>.txt",
        format!("{}\n{markup}\n", article(12, 4)),
    );
    dir.create("news/c.txt", article(13, 4));
    dir
}

fn page(dir: &TestDir, extra: &[&str]) -> Output {
    let args: Vec<&str> = ["scan", "news", "--format", "html", "--quiet"]
        .iter()
        .chain(extra)
        .copied()
        .collect();
    let out = dir.run_checked(&args);
    out.expect_code(1);
    out
}

#[test]
fn page_lists_groups_largest_first_with_evidence() {
    let dir = corpus("html");
    let out = page(&dir, &[]);
    let html = &out.stdout;
    assert!(html.starts_with("<!DOCTYPE html>\n") && html.ends_with("</html>\n"));
    assert!(
        html.contains("<b>2 groups</b>, 3 duplicate articles among 6 articles compared"),
        "{}",
        out.explain("summary")
    );
    assert!(
        html.contains("Group sizes: 1 group of 3, 1 group of 2"),
        "{html}"
    );
    // Largest first: the group of three (group 1 by path) before the pair.
    let three = html.find("<details class=\"group\" id=\"group-1\" data-size=\"3\">");
    let two = html.find("<details class=\"group\" id=\"group-2\" data-size=\"2\">");
    assert!(
        matches!((three, two), (Some(x), Some(y)) if x < y),
        "{html}"
    );
    same(
        "collapsed groups",
        &2,
        &html.matches("<details class=\"group\"").count(),
    );
    // Each member against the representative: the exact copy all shared,
    // the edited copy with the changed figure marked on both sides.
    assert!(
        html.contains("<tr class=\"shared\"><td colspan=\"2\">"),
        "{html}"
    );
    assert!(
        html.contains("<tr class=\"near\"><td>officials said <del>77</del> people were hurt in the fire on the northern estate.</td><td>officials said <ins>78</ins> people were hurt"),
        "{}",
        out.explain("near row")
    );
    same(
        "member texts",
        &3,
        &html.matches("<table class=\"diff\">").count(),
    );
}

#[test]
fn page_escapes_every_text() {
    let dir = corpus("html-escape");
    let html = page(&dir, &[]).stdout;
    assert!(
        html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<code>news/b &lt;i&gt;copy&lt;/i&gt;.txt</code>"),
        "{html}"
    );
    assert!(!html.contains("<i>copy") && !html.contains("<script>document"));
    // The page's own script is the only one, and nothing is loaded.
    same("script elements", &1, &html.matches("<script").count());
    for outside in ["src=", "href=", "url(", "@import", "http://", "https://"] {
        assert!(!html.contains(outside), "{outside}");
    }
}

#[test]
fn page_is_the_same_on_every_run() {
    let dir = corpus("html-determinism");
    let first = page(&dir, &["--threads", "1"]).stdout;
    same(
        "second run",
        &first,
        &page(&dir, &["--threads", "4"]).stdout,
    );
}

#[test]
fn other_formats_are_unchanged_by_the_review() {
    // Members' texts are read for the page only: JSON has no text in it.
    let dir = corpus("html-json");
    let out = dir.run(&["scan", "news", "--format", "json"]);
    out.expect_code(1);
    assert!(!out.stdout.contains("officials said"), "{}", out.stdout);
}

#[test]
fn page_caps_what_it_shows() {
    // 23 copies of a 421-sentence article: 22 members against the
    // representative, more than a group shows, each longer than a member's
    // row cap.
    let dir = TestDir::new("html-caps");
    let long = article(21, 140);
    for i in 0..23 {
        dir.create(&format!("news/{i:02}.txt"), &long);
    }
    let html = page(&dir, &[]).stdout;
    same(
        "member texts shown",
        &20,
        &html.matches("<table class=\"diff\">").count(),
    );
    same(
        "members left out",
        &2,
        &html
            .matches("text left out: the page shows 20 members of a group")
            .count(),
    );
    same(
        "rows left out per member",
        &20,
        &html
            .matches("21 sentence rows more left out of this page.")
            .count(),
    );
    same(
        "rows shown",
        &(20 * 400),
        &html.matches("<tr class=\"shared\">").count(),
    );
}
