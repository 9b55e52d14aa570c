//! The normalizer: raw article text in, canonical text out.
//!
//! Canonical text is one sentence per line, case-folded, with single spaces
//! between words. On the way there:
//! 1. characters are unified: HTML references decoded and tags dropped,
//!    zero-width and bidi controls and soft hyphens removed, NFKC applied,
//!    typographic quotes and dashes made ASCII, line endings made `\n`;
//! 2. lines that are not article text are dropped by the rule table in
//!    `rules` (bylines, credits, datelines, footers, share bars, ads,
//!    navigation, consent banners, plus `--strip-line` patterns), and links
//!    and e-mail addresses are cut out of the lines that stay;
//! 3. lines are put back together into paragraphs: a hard-wrapped line joins
//!    the next one, while a line that ends without sentence punctuation
//!    (a headline, a subhead) ends a sentence. That is what makes a reflowed
//!    or re-wrapped copy come out with the same sentences;
//! 4. paragraphs are split into sentences by Unicode's sentence rules
//!    (UAX #29), before case folding, which those rules depend on.
//!
//! It never fails: any string has a canonical form, possibly empty.
//! [`article`] is the scan's entry point; [`traced`] gives the same text and
//! also lists what each rule removed (for `explain`), at the cost of a copy
//! of every removed line.

mod entities;
mod rules;
mod sentences;

use std::borrow::Cow;

use crate::config::NormalizeOptions;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// An article's canonical text and what the normalizer took out of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Canonical {
    /// One case-folded sentence per line, each line ending in `\n`.
    pub text: String,
    /// Lines removed by a rule, in reading order; filled by [`traced`]
    /// only, and always empty from [`article`].
    pub removed: Vec<Removed>,
}

impl Canonical {
    /// The sentences, in reading order.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        lines(&self.text)
    }
}

/// A line (or part of one) the normalizer removed, and the rule that did it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    /// Name of the rule: `byline`, `url`, `strip-line`, ...
    pub rule: &'static str,
    /// The text removed, after character unification.
    pub text: String,
}

/// The lines of a text, exactly as [`str::lines`] cuts them (a test holds
/// the two equal), found by a vectorized search that carries on from one
/// line to the next: `str::lines` starts a new search for every line, which
/// costs more than the search itself on the short lines of news text.
pub fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut breaks = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let line = match breaks.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => {
                let line = &text[start..];
                start = text.len();
                line
            }
        };
        Some(line)
    })
}

/// Compiles the rule table's patterns (tens of milliseconds, Unicode
/// classes being large). Otherwise the first article to need them compiles
/// them while every other thread waits for it.
pub fn prepare() {
    rules::compile();
}

/// Normalizes one article, without saying what was removed: the scan's
/// path, which would otherwise copy every removed line of every document
/// only to drop it.
pub fn article(raw: &str, options: &NormalizeOptions) -> Canonical {
    normalize(raw, options, None)
}

/// Normalizes one article and lists what the rules removed, each with the
/// rule's name (for `explain`). The text is exactly [`article`]'s.
pub fn traced(raw: &str, options: &NormalizeOptions) -> Canonical {
    let mut removed = Vec::new();
    let text = normalize(raw, options, Some(&mut removed)).text;
    Canonical { text, removed }
}

fn normalize(
    raw: &str,
    options: &NormalizeOptions,
    removed: Option<&mut Vec<Removed>>,
) -> Canonical {
    let folded = fold_characters(raw);
    let lines = clean_lines(&folded, options, removed);
    let mut text = String::with_capacity(folded.len());
    paragraphs(&lines, |unit| {
        for sentence in sentences::split(unit) {
            push_folded(sentence, &mut text);
        }
    });
    // ASCII sentences are lower-cased here, all at once (the other ones
    // already were, and lower-casing ASCII changes nothing in them).
    text.make_ascii_lowercase();
    Canonical {
        text,
        removed: Vec::new(),
    }
}

/// Step 1: character unification. Plain ASCII text without carriage returns
/// or control characters (most of any English corpus) is borrowed untouched.
fn fold_characters(raw: &str) -> Cow<'_, str> {
    let (markup, mut plain) = scan_bytes(raw);
    let decoded = if markup {
        let decoded = entities::decode(raw);
        plain = scan_bytes(&decoded).1;
        Cow::Owned(decoded)
    } else {
        Cow::Borrowed(raw)
    };
    if plain {
        return decoded;
    }
    // Ignorable characters go before NFKC so they cannot sit inside a
    // sequence that NFKC would otherwise compose.
    let visible: String = decoded.chars().filter(|&c| !is_ignorable(c)).collect();
    let composed = match is_nfkc_quick(visible.chars()) {
        IsNormalized::Yes => visible,
        _ => visible.nfkc().collect(),
    };
    let mut out = String::with_capacity(composed.len());
    let mut chars = composed.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(fold_char(c));
    }
    Cow::Owned(out)
}

/// Whether a text holds `&` or `<` (HTML remnants maybe), and whether it is
/// plain: ASCII without carriage returns or control characters. One pass,
/// without branches, which the compiler turns into vector instructions.
fn scan_bytes(text: &str) -> (bool, bool) {
    let (mut markup, mut odd) = (0_u8, 0_u8);
    let mut chunks = text.as_bytes().chunks_exact(32);
    let mut look = |b: u8| {
        // `|` and `&` on flags, not `||` and `&&`: no branch per byte.
        markup |= u8::from(b == b'&') | u8::from(b == b'<');
        odd |= u8::from(b >= 0x80)
            | (u8::from(b < b' ') & u8::from(b != b'\n') & u8::from(b != b'\t'));
    };
    for chunk in chunks.by_ref() {
        for &b in chunk {
            look(b);
        }
    }
    for &b in chunks.remainder() {
        look(b);
    }
    (markup != 0, odd == 0)
}

/// Characters that change nothing a reader sees: zero-width spaces and
/// joiners, soft hyphens, bidi controls, the byte order mark mid-text.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// One character's canonical stand-in: ASCII quotes and hyphen for their
/// typographic variants, `\n` for every line break, a space for every other
/// space or control character.
fn fold_char(c: char) -> char {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => '\n',
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}'
        | '\u{301d}' | '\u{301e}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
        c if c.is_whitespace() || c.is_control() => ' ',
        c => c,
    }
}

/// A cleaned line, or `None` for a paragraph break (a blank line, or a line
/// a rule removed: it stood apart from its neighbours).
type Line<'a> = Option<Cow<'a, str>>;

/// Step 2: drop rule lines, cut links and datelines out of the rest,
/// recording what went into `removed` when there is one.
fn clean_lines<'a>(
    text: &'a str,
    options: &NormalizeOptions,
    mut removed: Option<&mut Vec<Removed>>,
) -> Vec<Line<'a>> {
    let mut record = |rule: &'static str, text: &str| {
        if let Some(removed) = removed.as_deref_mut() {
            removed.push(Removed {
                rule,
                text: text.to_string(),
            });
        }
    };
    let mut cleaned = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let floating = rules::may_float(text);
    for raw_line in lines(text) {
        // ASCII trimming is whole trimming here: character unification left
        // no other white space (each such character became a space or a
        // line break), and it costs a byte test instead of a character
        // decoding at each end of every line.
        let mut line = Cow::Borrowed(raw_line.trim_ascii());
        // A blank line is a paragraph break and nothing else: no rule can
        // remove anything from it (blank lines are half the lines of
        // wire copy, and the rules cost a pattern search each).
        if line.is_empty() {
            cleaned.push(None);
            continue;
        }
        if let Some(stripped) = rules::strip_links(&line) {
            record("url", &line);
            line = Cow::Owned(stripped.trim_ascii().to_string());
        }
        if let Some(rest) = rules::strip_dateline(&line) {
            record("dateline", line[..line.len() - rest.len()].trim());
            line = Cow::Owned(rest.to_string());
        }
        let rule = rules::dropping_rule_in(&line, floating).or_else(|| {
            let user = options.strip_lines.iter().any(|re| re.is_match(&line));
            user.then_some("strip-line")
        });
        match rule {
            _ if line.is_empty() => cleaned.push(None),
            Some(rule) => {
                record(rule, &line);
                cleaned.push(None);
            }
            None => cleaned.push(Some(line)),
        }
    }
    cleaned
}

/// Step 3: join lines into paragraphs, each a run of text whose end is a
/// sentence end, and hand each to `each` in order. One buffer serves every
/// paragraph.
fn paragraphs(lines: &[Line<'_>], mut each: impl FnMut(&str)) {
    let mut block: Vec<&str> = Vec::new();
    let mut unit = String::new();
    for lines in lines.split(Option::is_none) {
        block.clear();
        block.extend(lines.iter().flatten().map(|line| line.as_ref()));
        let widest = block.iter().map(|line| width(line)).max().unwrap_or(0);
        for (i, line) in block.iter().enumerate() {
            if !unit.is_empty() {
                unit.push(' ');
            }
            unit.push_str(line);
            let joins = block
                .get(i + 1)
                .is_some_and(|next| continues(line, next, widest));
            if !joins {
                each(&unit);
                unit.clear();
            }
        }
    }
}

/// Whether `line` runs on into `next` rather than ending a sentence.
///
/// A line ending in sentence punctuation always runs on: the sentence rules
/// decide the boundary, exactly as they would in a reflowed copy. An
/// unpunctuated line runs on when the next line starts in lower case or with
/// a digit (a hard wrap), or when the line is nearly as wide as the widest
/// line around it (a hard wrap before a capitalized word). Otherwise it is a
/// headline or subhead and ends a sentence of its own.
fn continues(line: &str, next: &str, widest: usize) -> bool {
    if ends_sentence(line) {
        return true;
    }
    let starts_low = next
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit() || ",;:)".contains(c));
    starts_low || width(line) * 10 >= widest * 6
}

/// A line's width in characters (bytes for ASCII, which is most lines).
fn width(line: &str) -> usize {
    if line.is_ascii() {
        line.len()
    } else {
        line.chars().count()
    }
}

/// Whether a line ends with sentence punctuation, closing quotes aside.
fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', ')', ']', '}', '*'])
        .ends_with(['.', '!', '?', '\u{3002}', '\u{ff01}', '\u{ff1f}'])
}

/// Step 4's output: appends one sentence, with its white space collapsed,
/// as a line of canonical text; a non-ASCII sentence is case-folded here,
/// and ASCII is left for [`normalize`] to lower-case with the whole text.
/// Sentences with no letter or digit (stray punctuation) are dropped.
fn push_folded(sentence: &str, out: &mut String) {
    let ascii = sentence.is_ascii();
    let has_text = if ascii {
        sentence.bytes().any(|b| b.is_ascii_alphanumeric())
    } else {
        sentence.chars().any(char::is_alphanumeric)
    };
    if !has_text {
        return;
    }
    if ascii {
        push_collapsed_ascii(sentence, out);
    } else {
        // Full Unicode lowercasing (not ASCII-only), then the one fold
        // lowercasing leaves open: final sigma becomes sigma, so whether a
        // word ends a sentence, or a copy was lowercased by a tool that
        // ignores the final form, makes no difference.
        let start = out.len();
        let lower = sentence.to_lowercase();
        for word in lower.split_whitespace() {
            if out.len() > start {
                out.push(' ');
            }
            if word.contains('\u{3c2}') {
                out.push_str(&word.replace('\u{3c2}', "\u{3c3}"));
            } else {
                out.push_str(word);
            }
        }
    }
    out.push('\n');
}

/// Appends an ASCII sentence's words with one space between each two, the
/// words as `split_ascii_whitespace` cuts them. Most sentences already are
/// so once their ends are trimmed, and are copied whole.
fn push_collapsed_ascii(sentence: &str, out: &mut String) {
    let sentence = sentence.trim_ascii();
    // Whether white space other than single spaces occurs: one pass, no
    // branch per byte.
    let (mut odd, mut space_before) = (false, false);
    for &b in sentence.as_bytes() {
        let space = b == b' ';
        odd |= (space & space_before) | (b.is_ascii_whitespace() & !space);
        space_before = space;
    }
    if !odd {
        out.push_str(sentence);
        return;
    }
    let start = out.len();
    for word in sentence.split_ascii_whitespace() {
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(raw: &str) -> String {
        article(raw, &NormalizeOptions::default()).text
    }

    #[test]
    fn unified_text_has_only_ascii_white_space() {
        // Lines are trimmed as ASCII after character unification: that is
        // whole trimming only if no other white space is left.
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            if !c.is_whitespace() && !c.is_control() {
                continue;
            }
            let text = format!("a{c}b {c}\u{e9}{c}");
            let folded = fold_characters(&text);
            assert!(
                folded.chars().all(|d| d.is_ascii() || !d.is_whitespace()),
                "U+{:04X} left {folded:?}",
                c as u32
            );
        }
    }

    #[test]
    fn characters_are_unified() {
        let cases = [
            // Curly quotes, an en dash and an ellipsis from a CMS.
            (
                "\u{201c}Fine\u{201d} \u{2013} it\u{2019}s ok\u{2026}",
                "\"fine\" - it's ok...\n",
            ),
            // Zero-width space and soft hyphen inside words.
            ("Kyr\u{200b}gyz gov\u{ad}ernment.", "kyrgyz government.\n"),
            // Non-breaking and ideographic spaces.
            ("Osh\u{a0}city\u{3000}now.", "osh city now.\n"),
            // Full-width letters and a ligature (NFKC).
            ("\u{ff21}\u{ff22}\u{ff23} of\u{fb01}ce.", "abc office.\n"),
            // NFD accents compose to the same text as NFC.
            ("cafe\u{301} cr\u{e8}me.", "caf\u{e9} cr\u{e8}me.\n"),
            // HTML remnants.
            ("Tom &amp; Jerry&nbsp;said.", "tom & jerry said.\n"),
            // Full Unicode case folding: final sigma folds to sigma.
            (
                "\u{3a3}\u{39f}\u{3a3} STRASSE.",
                "\u{3c3}\u{3bf}\u{3c3} strasse.\n",
            ),
            (
                "\u{3bf}\u{3b4}\u{3bf}\u{3c2}.",
                "\u{3bf}\u{3b4}\u{3bf}\u{3c3}.\n",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(canon(raw), expected, "raw: {raw:?}");
        }
    }

    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        let alphabet = ['a', 'b', ' ', '\n', '\n', '\r', '\u{e9}'];
        for (_, text) in crate::test_texts::random(&alphabet, 3, 20_000, 12) {
            let ours: Vec<&str> = lines(&text).collect();
            let std: Vec<&str> = text.lines().collect();
            assert_eq!(ours, std, "text: {text:?}");
        }
    }

    #[test]
    fn line_endings_do_not_matter() {
        let lf = "Headline here\n\nFirst sentence. Second one.\nThird one.\n";
        let crlf = lf.replace('\n', "\r\n");
        let cr = lf.replace('\n', "\r");
        assert_eq!(canon(lf), canon(&crlf));
        assert_eq!(canon(lf), canon(&cr));
    }

    #[test]
    fn sentences_and_paragraphs() {
        let cases = [
            // Paragraphs each on a line, separated by blank lines.
            ("One two. Three four.\n\nFive six.", "one two.\nthree four.\nfive six.\n"),
            // A headline without punctuation ends a sentence.
            ("Kyrgyz leader asks Russia\n\nThe interim government asked.", "kyrgyz leader asks russia\nthe interim government asked.\n"),
            // A subhead in a block of one-line paragraphs.
            ("Thousands fled across the border into Uzbekistan on Saturday.\nBorder closed\nUzbekistan later closed it.", "thousands fled across the border into uzbekistan on saturday.\nborder closed\nuzbekistan later closed it.\n"),
            // Hard-wrapped lines join, before lower case and before a name.
            ("Deposits rose 2.6 pct in\njanuary, the Reserve Bank said, after a rise\nRoughly as expected.", "deposits rose 2.6 pct in january, the reserve bank said, after a rise roughly as expected.\n"),
        ];
        for (raw, expected) in cases {
            assert_eq!(canon(raw), expected, "raw: {raw:?}");
        }
    }

    #[test]
    fn reflowing_paragraphs_changes_nothing() {
        let paragraphs = "Headline words here\n\nFirst paragraph ends here. It has two sentences.\n\n\"A quote,\" she said.\n\nLast one!";
        let reflowed = "Headline words here\n\nFirst paragraph ends here. It has two sentences.  \"A quote,\" she said.  Last one!";
        assert_eq!(canon(paragraphs), canon(reflowed));
    }

    #[test]
    fn rules_remove_lines_and_say_so() {
        let raw = "Osh clashes\nBy Jane Doe, BBC News\nnews.bbc.co.uk/2/hi/world/1.stm\nLONDON (Reuters) - Troops arrived in the city.\nShare this article";
        let out = traced(raw, &NormalizeOptions::default());
        assert_eq!(out.text, "osh clashes\ntroops arrived in the city.\n");
        let rules: Vec<_> = out.removed.iter().map(|r| r.rule).collect();
        assert_eq!(rules, ["byline", "url", "dateline", "share"]);
        assert_eq!(out.removed[1].text, "news.bbc.co.uk/2/hi/world/1.stm");
        assert_eq!(out.removed[2].text, "LONDON (Reuters) -");
        // The scan's entry point gives the same text and records nothing.
        let plain = article(raw, &NormalizeOptions::default());
        assert_eq!(
            (plain.text.as_str(), plain.removed.len()),
            (out.text.as_str(), 0)
        );
    }

    #[test]
    fn user_rules_drop_lines() {
        let options = NormalizeOptions {
            strip_lines: vec![regex::Regex::new("^Sponsored by ").unwrap()],
        };
        let out = traced("Real text here.\nSponsored by Acme Corp", &options);
        assert_eq!(out.text, "real text here.\n");
        assert_eq!(out.removed[0].rule, "strip-line");
    }

    #[test]
    fn nothing_left_is_empty() {
        assert_eq!(canon(""), "");
        assert_eq!(canon(" \n\t\r\n\u{a0}\u{3000}"), "");
        assert_eq!(canon("!!! ... ---"), "");
    }

    /// A seeded article: a headline, then paragraphs of sentences built
    /// from a vocabulary with capitals, figures, accents and quotes.
    fn generated_article(seed: u64) -> (String, Vec<String>) {
        let vocabulary = [
            "the",
            "minister",
            "said",
            "on",
            "Tuesday",
            "that",
            "prices",
            "rose",
            "2.6",
            "pct",
            "in",
            "Osh",
            "caf\u{e9}",
            "r\u{e9}gime",
            "officials",
            "border",
            "U.S.",
            "government",
            "\"We",
            "need",
            "help,\"",
            "troops",
            "would",
            "not",
            "be",
            "sent",
            "Medvedev",
            "1,200",
            "people",
            "fled",
            "across",
            "Kyrgyz-Uzbek",
            "city",
            "of",
        ];
        let mut state = seed;
        let mut next = |bound: usize| {
            state = crate::shingle::mix(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
            (state % bound as u64) as usize
        };
        let mut paragraphs = Vec::new();
        for _ in 0..2 + next(5) {
            let mut sentences = Vec::new();
            for _ in 0..1 + next(4) {
                let mut words: Vec<&str> = (0..6 + next(14))
                    .map(|_| vocabulary[next(vocabulary.len())])
                    .collect();
                // A sentence opening with a figure ("1,200 people fled.")
                // is one the sentence rules cannot tell from a continuation
                // once paragraphs are joined; news style avoids it, and so
                // does this generator.
                while words[0].starts_with(|c: char| c.is_ascii_digit()) {
                    words[0] = vocabulary[next(vocabulary.len())];
                }
                let mut sentence = words.join(" ");
                if let Some(first) = sentence.get(..1) {
                    sentence.replace_range(..1, &first.to_uppercase());
                }
                sentence.push(['.', '!', '?'][next(3)]);
                sentences.push(sentence);
            }
            paragraphs.push(sentences.join(" "));
        }
        ("Minister says prices rose in Osh".to_string(), paragraphs)
    }

    fn wrap(paragraph: &str, width: usize) -> String {
        let mut out = String::new();
        let mut line_len = 0;
        for word in paragraph.split(' ') {
            if line_len > 0 && line_len + 1 + word.len() > width {
                out.push('\n');
                line_len = 0;
            } else if line_len > 0 {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += word.len();
        }
        out
    }

    /// The laws of the normalizer: re-scrape layouts and invisible
    /// characters never change a document's shingles.
    #[test]
    fn layout_and_invisible_changes_keep_the_shingles() {
        use unicode_normalization::UnicodeNormalization;
        let shingles = |raw: &str| {
            let canonical = article(raw, &NormalizeOptions::default());
            crate::shingle::set(
                &canonical.text,
                &crate::config::ShingleOptions::default(),
                |_| 1.0,
            )
            .set
        };
        for seed in 0..120 {
            let (headline, paragraphs) = generated_article(seed);
            let original = format!("{headline}\n\n{}\n", paragraphs.join("\n\n"));
            let expected = shingles(&original);
            let width = 50 + (seed as usize * 7) % 40;
            let wrapped: Vec<String> = paragraphs.iter().map(|p| wrap(p, width)).collect();
            let variants = [
                (
                    "reflowed",
                    format!("{headline}\n\n{}", paragraphs.join("  ")),
                ),
                (
                    "no blank lines",
                    format!("{headline}\n\n{}", paragraphs.join("\n")),
                ),
                (
                    "hard-wrapped",
                    format!("{headline}\n\n{}\n", wrapped.join("\n\n")),
                ),
                (
                    "wrapped, indented",
                    format!("{headline}\n\n    {}", wrapped.join("\n    ")),
                ),
                ("CRLF", original.replace('\n', "\r\n")),
                ("NFD", original.nfd().collect()),
                ("byte order mark", format!("\u{feff}{original}")),
                (
                    "zero-width",
                    original
                        .replace("rose", "ro\u{200b}se")
                        .replace("border", "bor\u{ad}der"),
                ),
                ("trailing space", original.replace('\n', "  \n\n")),
            ];
            for (name, variant) in variants {
                assert_eq!(
                    shingles(&variant),
                    expected,
                    "seed {seed}, {name}:\n{variant}"
                );
            }
        }
    }
}
