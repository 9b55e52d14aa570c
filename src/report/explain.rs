//! `newsdedup explain`'s output: the two articles side by side, sentence by
//! sentence, with the scores and what the normalizer removed from each.
//!
//! The text format is two columns, one row per sentence in the first
//! article's reading order, marked `=` (both hold it), `~` (a near match:
//! changed words coloured, or in `[brackets]` without colour), `<` (only in
//! A) or `>` (only in B). Colour and width are decided by the caller.
//!
//! `--format json` writes one object:
//!
//! ```text
//! {
//!   "schema_version": 2,            the version of the JSON contract
//!   "tool": {"name": "newsdedup", "version": "0.1.0"},
//!   "parameters": {"normalizer": 2, "strip_lines": [], "shingle_size": 5,
//!                  "min_words": 10, "threshold": 0.5, "containment": 0.8},
//!   "a": {"path": "a.txt",
//!         "words": 657,             words after normalization
//!         "shingles": 612,          distinct shingles
//!         "sentences": 38,          sentences after normalization
//!         "removed": [              what the normalizer removed, in order
//!           {"rule": "url", "text": "news.example.com/1.stm"}]},
//!   "b": {...},
//!   "jaccard": 0.9527,              unweighted (see below), four decimals
//!   "containment": 0.9843,
//!   "weighted": false,              always false: no corpus, no template
//!   "duplicates": true,             by the scan's rule under these parameters
//!   "shared_sentences": 34,         distinct sentences, as in the scan report
//!   "only_a": 4, "only_b": 1,
//!   "near_matches": 0,              pairs of unshared sentences a few words apart
//!   "rows": [                       reading order of A
//!     {"kind": "shared", "a": "...", "b": "..."},
//!     {"kind": "near", "a": "...", "b": "...",
//!      "changed_a": ["77"], "changed_b": ["78"]},
//!     {"kind": "only_a", "a": "..."},
//!     {"kind": "only_b", "b": "..."}
//!   ]
//! }
//! ```
//!
//! Sentences are shown normalized (lowercased, one per row), as they were
//! compared. The scores are the scan's for the pair whenever the scan
//! learned no template sentence that either file holds; a scan weighs
//! template sentences less, so its figures can then differ.

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::json::{Tool, SCHEMA_VERSION, TOOL};
use crate::evidence::{self, Counts, Row, Word};
use crate::normalize::Removed;
use crate::verify::{Scores, MIN_CONTAINED_SHARE};

/// How to write an explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    /// Two columns of text `width` characters wide, coloured or not.
    Text {
        /// Whether to use ANSI colours.
        color: bool,
        /// Total width in characters.
        width: usize,
    },
    /// One JSON document.
    Json,
}

/// Why two articles match or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The settings the pair was compared under.
    pub parameters: ExplainParameters,
    /// The two articles, A then B.
    pub sides: [Side; 2],
    /// Unweighted scores of the pair.
    pub scores: Scores,
    /// Whether the pair are duplicates by the scan's rule.
    pub duplicates: bool,
    /// Distinct sentences shared and held alone (A is `a`, B is `b`).
    pub counts: Counts,
    /// The sentences side by side, in A's reading order.
    pub rows: Vec<Row>,
}

/// The settings of an explanation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExplainParameters {
    /// Normalizer rule-table version.
    pub normalizer: u32,
    /// Extra `--strip-line` patterns.
    pub strip_lines: Vec<String>,
    /// Words per shingle.
    pub shingle_size: usize,
    /// Fewer words than this and a document is never a duplicate.
    pub min_words: usize,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold.
    pub containment: f64,
}

/// One article of the pair.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Side {
    /// The path as given.
    pub path: String,
    /// Words after normalization.
    pub words: usize,
    /// Distinct shingles.
    pub shingles: usize,
    /// Canonical sentences, in reading order.
    pub sentences: Vec<String>,
    /// What the normalizer removed, in reading order.
    pub removed: Vec<Removed>,
}

/// Writes an explanation and flushes it.
pub fn write(
    explanation: &Explanation,
    format: ExplainFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ExplainFormat::Text { color, width } => write_text(explanation, color, width, out)?,
        ExplainFormat::Json => write_json(explanation, out)?,
    }
    out.flush()
}

/// ANSI styles, or nothing without colour.
struct Paint(bool);

impl Paint {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.0 && !style.is_empty() && !text.is_empty() {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const BOLD_RED: &str = "1;31";
const BOLD_GREEN: &str = "1;32";
const BOLD: &str = "1";

fn write_text(e: &Explanation, color: bool, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(color);
    write_summary(e, &paint, out)?;
    write_removed(e, out)?;
    writeln!(
        out,
        "= in both   ~ near match{}   < only in A   > only in B",
        if color { "" } else { " ([changed words])" }
    )?;
    writeln!(out)?;
    let column = width.saturating_sub(5).max(20) / 2;
    for row in &e.rows {
        write_row(e, *row, column, &paint, out)?;
    }
    Ok(())
}

/// The two files, the scores, the verdict and the sentence counts.
fn write_summary(e: &Explanation, paint: &Paint, out: &mut dyn Write) -> io::Result<()> {
    let [a, b] = &e.sides;
    for (label, side) in [("A", a), ("B", b)] {
        writeln!(
            out,
            "{}  {}  ({} words, {} sentences)",
            paint.paint(BOLD, label),
            escape(&side.path),
            side.words,
            side.sentences.len()
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "jaccard {:.3}  containment {:.3}  (unweighted: no site-template weighting)",
        e.scores.jaccard, e.scores.containment
    )?;
    let verdict = verdict(e);
    let style = if e.duplicates { YELLOW } else { GREEN };
    writeln!(out, "{}", paint.paint(style, &verdict))?;
    let near = e.rows.iter().filter(|r| matches!(r, Row::Near(..))).count();
    writeln!(
        out,
        "sentences: {} shared, {} only in A, {} only in B; {near} near {}",
        e.counts.shared,
        e.counts.only_a,
        e.counts.only_b,
        if near == 1 { "match" } else { "matches" }
    )?;
    writeln!(out)
}

/// What the normalizer removed from each file, with the rule that did.
fn write_removed(e: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "removed by the normalizer:")?;
    for (label, side) in [("A", &e.sides[0]), ("B", &e.sides[1])] {
        if side.removed.is_empty() {
            writeln!(out, "  {label}  nothing")?;
        }
        for removed in &side.removed {
            writeln!(
                out,
                "  {label}  {:<11} {}",
                removed.rule,
                escape(&removed.text)
            )?;
        }
    }
    writeln!(out)
}

/// The verdict in words, with the figures and thresholds that decided it.
fn verdict(e: &Explanation) -> String {
    let p = &e.parameters;
    let s = &e.scores;
    let short: Vec<&str> = ["A", "B"]
        .into_iter()
        .zip(&e.sides)
        .filter(|(_, side)| side.words < p.min_words)
        .map(|(label, _)| label)
        .collect();
    if !short.is_empty() {
        return format!(
            "not duplicates: {} {} fewer than --min-words ({}) words, and scan skips such files",
            short.join(" and "),
            if short.len() == 1 { "has" } else { "have" },
            p.min_words
        );
    }
    if s.jaccard >= p.threshold {
        return format!(
            "duplicates: Jaccard {:.3} >= --threshold {}",
            s.jaccard, p.threshold
        );
    }
    if s.containment >= p.containment {
        let held = (s.size_ratio * 100.0).round();
        let floor = MIN_CONTAINED_SHARE * 100.0;
        return if e.duplicates {
            format!(
                "duplicates: containment {:.3} >= --containment {}, and the smaller holds {held}% of the larger (at least {floor}%)",
                s.containment, p.containment
            )
        } else {
            format!(
                "not duplicates: containment {:.3} >= --containment {}, but the smaller holds only {held}% of the larger (at least {floor}% needed)",
                s.containment, p.containment
            )
        };
    }
    format!(
        "not duplicates: Jaccard {:.3} < --threshold {} and containment {:.3} < --containment {}",
        s.jaccard, p.threshold, s.containment, p.containment
    )
}

/// The words of a row's two cells, marked when changed.
fn cells<'a>(e: &'a Explanation, row: Row) -> (Vec<Word<'a>>, Vec<Word<'a>>) {
    let [a, b] = &e.sides;
    let plain = |text: &'a str| text.split(' ').map(|w| (w, false)).collect::<Vec<_>>();
    match row {
        Row::Shared(i, j) => (plain(&a.sentences[i]), plain(&b.sentences[j])),
        Row::Near(i, j) => evidence::word_diff(&a.sentences[i], &b.sentences[j]),
        Row::OnlyA(i) => (plain(&a.sentences[i]), Vec::new()),
        Row::OnlyB(j) => (Vec::new(), plain(&b.sentences[j])),
    }
}

fn write_row(
    e: &Explanation,
    row: Row,
    column: usize,
    paint: &Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (left, right) = cells(e, row);
    let (marker, base_a, base_b) = match row {
        Row::Shared(..) => ("=", "", ""),
        Row::Near(..) => ("~", "", ""),
        Row::OnlyA(..) => ("<", RED, ""),
        Row::OnlyB(..) => (">", "", GREEN),
    };
    let left = wrap(&left, column, paint, base_a, BOLD_RED);
    let right = wrap(&right, column, paint, base_b, BOLD_GREEN);
    let marker_style = match row {
        Row::Near(..) => YELLOW,
        Row::OnlyA(..) => RED,
        Row::OnlyB(..) => GREEN,
        Row::Shared(..) => "",
    };
    for k in 0..left.len().max(right.len()) {
        let mark = if k == 0 {
            paint.paint(marker_style, marker)
        } else {
            " ".to_string()
        };
        let (l, l_width) = left.get(k).map_or(("", 0), |(t, w)| (t.as_str(), *w));
        let pad = " ".repeat(column.saturating_sub(l_width));
        match right.get(k) {
            Some((r, w)) if *w > 0 => writeln!(out, "{mark} {l}{pad} | {r}")?,
            _ => writeln!(out, "{mark} {l}{pad} |")?,
        }
    }
    Ok(())
}

/// Wraps words into lines at most `width` characters wide (a longer word is
/// cut), each line painted and paired with its visible width. Changed words
/// get `changed` (or brackets without colour), the others `base`.
fn wrap(
    words: &[Word<'_>],
    width: usize,
    paint: &Paint,
    base: &str,
    changed: &str,
) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let (mut line, mut line_width) = (String::new(), 0);
    for &(word, is_changed) in words {
        let shown = escape(word);
        let shown = if is_changed && !paint.0 {
            format!("[{shown}]")
        } else {
            shown.into_owned()
        };
        let chars: Vec<char> = shown.chars().collect();
        for piece in chars.chunks(width.max(1)) {
            let piece: String = piece.iter().collect();
            let piece_width = piece.chars().count();
            if line_width > 0 && line_width + 1 + piece_width > width {
                lines.push((std::mem::take(&mut line), line_width));
                line_width = 0;
            }
            if line_width > 0 {
                line.push(' ');
                line_width += 1;
            }
            line.push_str(&paint.paint(if is_changed { changed } else { base }, &piece));
            line_width += piece_width;
        }
    }
    if line_width > 0 || lines.is_empty() {
        lines.push((line, line_width));
    }
    lines
}

#[derive(Serialize)]
struct WireExplanation<'a> {
    schema_version: u32,
    tool: Tool,
    parameters: WireParameters<'a>,
    a: WireSide<'a>,
    b: WireSide<'a>,
    jaccard: f64,
    containment: f64,
    weighted: bool,
    duplicates: bool,
    shared_sentences: usize,
    only_a: usize,
    only_b: usize,
    near_matches: usize,
    rows: Vec<WireRow<'a>>,
}

#[derive(Serialize)]
struct WireParameters<'a> {
    normalizer: u32,
    strip_lines: &'a [String],
    shingle_size: usize,
    min_words: usize,
    threshold: f64,
    containment: f64,
}

#[derive(Serialize)]
struct WireSide<'a> {
    path: &'a str,
    words: usize,
    shingles: usize,
    sentences: usize,
    removed: Vec<WireRemoved<'a>>,
}

#[derive(Serialize)]
struct WireRemoved<'a> {
    rule: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WireRow<'a> {
    Shared {
        a: &'a str,
        b: &'a str,
    },
    Near {
        a: &'a str,
        b: &'a str,
        changed_a: Vec<&'a str>,
        changed_b: Vec<&'a str>,
    },
    OnlyA {
        a: &'a str,
    },
    OnlyB {
        b: &'a str,
    },
}

fn wire_side(side: &Side) -> WireSide<'_> {
    WireSide {
        path: &side.path,
        words: side.words,
        shingles: side.shingles,
        sentences: side.sentences.len(),
        removed: side
            .removed
            .iter()
            .map(|r| WireRemoved {
                rule: r.rule,
                text: &r.text,
            })
            .collect(),
    }
}

fn wire_row(e: &Explanation, row: Row) -> WireRow<'_> {
    let [a, b] = &e.sides;
    match row {
        Row::Shared(i, j) => WireRow::Shared {
            a: &a.sentences[i],
            b: &b.sentences[j],
        },
        Row::Near(i, j) => {
            let (wa, wb) = evidence::word_diff(&a.sentences[i], &b.sentences[j]);
            fn changed(words: Vec<Word<'_>>) -> Vec<&str> {
                words.into_iter().filter(|w| w.1).map(|w| w.0).collect()
            }
            WireRow::Near {
                a: &a.sentences[i],
                b: &b.sentences[j],
                changed_a: changed(wa),
                changed_b: changed(wb),
            }
        }
        Row::OnlyA(i) => WireRow::OnlyA { a: &a.sentences[i] },
        Row::OnlyB(j) => WireRow::OnlyB { b: &b.sentences[j] },
    }
}

fn write_json(e: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    let p = &e.parameters;
    let wire = WireExplanation {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        parameters: WireParameters {
            normalizer: p.normalizer,
            strip_lines: &p.strip_lines,
            shingle_size: p.shingle_size,
            min_words: p.min_words,
            threshold: p.threshold,
            containment: p.containment,
        },
        a: wire_side(&e.sides[0]),
        b: wire_side(&e.sides[1]),
        jaccard: super::round(e.scores.jaccard),
        containment: super::round(e.scores.containment),
        weighted: false,
        duplicates: e.duplicates,
        shared_sentences: e.counts.shared,
        only_a: e.counts.only_a,
        only_b: e.counts.only_b,
        near_matches: e.rows.iter().filter(|r| matches!(r, Row::Near(..))).count(),
        rows: e.rows.iter().map(|&row| wire_row(e, row)).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, width: usize) -> Vec<String> {
        let words: Vec<Word<'_>> = text.split(' ').map(|w| (w, w == "77")).collect();
        wrap(&words, width, &Paint(false), "", "")
            .into_iter()
            .map(|(line, w)| {
                assert_eq!(line.chars().count(), w);
                line
            })
            .collect()
    }

    #[test]
    fn wrapping_keeps_widths_and_marks_changes() {
        assert_eq!(
            wrapped("in which 77 people have died", 12),
            ["in which", "[77] people", "have died"]
        );
        assert_eq!(wrapped("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("", 4), [""]);
    }

    #[test]
    fn colour_wraps_words_in_escapes() {
        let words = [("a", false), ("77", true)];
        let lines = wrap(&words, 20, &Paint(true), "", BOLD_RED);
        assert_eq!(lines, [("a \x1b[1;31m77\x1b[0m".to_string(), 4)]);
    }
}
