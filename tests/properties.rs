//! Properties of the library's stages, checked on generated inputs
//! (proptest: 256 cases each by default, `PROPTEST_CASES` to change that;
//! failing inputs are saved under `proptest-regressions/` and replayed).
//!
//! - decode + normalize + shingle never panic, end, and keep their
//!   invariants on arbitrary Unicode and arbitrary bytes;
//! - reflowing, hard-wrapping, line-ending style, a byte order mark, NFD and
//!   extra whitespace never change a document's shingles;
//! - verification is symmetric, its scores lie in [0, 1], and containment
//!   is never below Jaccard.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use newsdedup::config::{NormalizeOptions, ShingleOptions};
use newsdedup::input::{self, Loaded};
use newsdedup::invariants::check_text_path;
use newsdedup::normalize;
use newsdedup::shingle::{self, ShingleSet};
use newsdedup::verify::{self, Compared};
use unicode_normalization::UnicodeNormalization;

/// Characters scraped text is made of, weighted towards the awkward ones:
/// combining marks, invisible and bidi controls, unusual line breaks,
/// unspaced scripts, entity and tag fragments, sentence punctuation.
fn awkward_char() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,8}",
        2 => Just(" ".to_string()),
        1 => prop::sample::select(vec![
            "\n", "\r\n", "\r", "\u{2028}", "\u{85}", "\t", "\u{a0}", "\u{3000}",
        ])
        .prop_map(str::to_string),
        1 => prop::sample::select(vec![".", "!", "?", "...", "\u{3002}", ";", ":", "\"", "'"])
            .prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "\u{301}", "\u{308}", "\u{200b}", "\u{200d}", "\u{ad}", "\u{feff}", "\u{202e}",
            "\u{200f}", "\u{fdfa}", "\u{fb03}", "\u{3c2}", "\u{130}", "\u{df}",
        ])
        .prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "\u{6771}\u{4eac}", "\u{5e02}\u{8bae}\u{4f1a}", "\u{643}\u{650}\u{62a}\u{64e}",
            "\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}", "\u{e2a}\u{e27}\u{e31}",
            "\u{1f525}", "\u{10348}",
        ])
        .prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "&amp;", "&nbsp;", "&#39;", "&#x2014;", "&bogus;", "&", "<p>", "</div>", "<",
            "http://example.com/a?b=c", "www.example.org", "a@b.cd", "By Jane Doe",
            "Copyright 2024", "Share this article",
        ])
        .prop_map(str::to_string),
        1 => "[0-9]{1,6}",
    ]
}

fn awkward_text() -> impl Strategy<Value = String> {
    prop::collection::vec(awkward_char(), 0..400).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_unicode_keeps_the_invariants(text in any::<String>()) {
        check_text_path(text.as_bytes());
    }

    #[test]
    fn awkward_text_keeps_the_invariants(text in awkward_text()) {
        check_text_path(text.as_bytes());
    }

    #[test]
    fn any_bytes_keep_the_invariants(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check_text_path(&bytes);
    }
}

/// Words of generated articles, some with accents (so NFD changes bytes).
const WORDS: &[&str] = &[
    "council",
    "harbour",
    "minister",
    "café",
    "naïve",
    "zürich",
    "crème",
    "são",
    "budget",
    "river",
    "station",
    "farmers",
    "police",
    "school",
    "market",
    "bridge",
    "union",
    "señor",
    "voters",
    "ferry",
    "library",
    "prices",
    "strike",
    "flood",
    "deal",
    "fund",
    "review",
    "inquiry",
    "protest",
    "contract",
    "licence",
    "permit",
    "island",
    "district",
    "centre",
    "workers",
    "résumé",
    "façade",
    "piñata",
    "déjà",
    "vu",
    "fiancée",
    "coöperate",
    "élite",
];

/// An article: paragraphs of sentences of words, each sentence capitalized
/// and ended with a full stop.
fn article() -> impl Strategy<Value = Vec<Vec<Vec<&'static str>>>> {
    let sentence = prop::collection::vec(prop::sample::select(WORDS), 6..16);
    let paragraph = prop::collection::vec(sentence, 1..4);
    prop::collection::vec(paragraph, 2..6)
}

fn sentence_text(words: &[&str]) -> String {
    let text = words.join(" ");
    let mut chars = text.chars();
    let first = chars.next().unwrap();
    first.to_uppercase().collect::<String>() + chars.as_str() + "."
}

fn paragraphs(article: &[Vec<Vec<&str>>]) -> Vec<String> {
    article
        .iter()
        .map(|p| {
            p.iter()
                .map(|s| sentence_text(s))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Hard-wraps a paragraph at `width` columns.
fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in paragraph.split(' ') {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn shingles(bytes: Vec<u8>) -> ShingleSet {
    let Loaded::Text { text, .. } = input::decode(bytes) else {
        panic!("not decoded as text");
    };
    let canonical = normalize::article(&text, &NormalizeOptions::default());
    shingle::set(&canonical.text, &ShingleOptions::default(), |_| 1.0).set
}

proptest! {
    #[test]
    fn layout_and_encoding_never_change_shingles(
        article in article(),
        width in 20_usize..90,
        crlf in any::<bool>(),
        bom in any::<bool>(),
        nfd in any::<bool>(),
        padding in 0_usize..3,
    ) {
        let paras = paragraphs(&article);
        let plain = paras.join("\n\n") + "\n";
        let expected = shingles(plain.clone().into_bytes());
        prop_assert!(!expected.is_empty());

        // All paragraphs reflowed into one line.
        prop_assert_eq!(&shingles(paras.join(" ").into_bytes()), &expected);

        // Hard-wrapped, with the chosen line ending, padding and encoding.
        let newline = if crlf { "\r\n" } else { "\n" };
        let pad = " ".repeat(padding);
        let mut wrapped = String::new();
        for para in &paras {
            for line in wrap(para, width) {
                wrapped.push_str(&pad);
                wrapped.push_str(&line.replace(' ', &format!(" {pad}")));
                wrapped.push_str(&pad);
                wrapped.push_str(newline);
            }
            wrapped.push_str(newline);
        }
        let wrapped = if nfd { wrapped.nfd().collect() } else { wrapped };
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend(wrapped.as_bytes());
        prop_assert_eq!(&shingles(bytes), &expected);

        // UTF-16 with a byte order mark.
        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend(plain.encode_utf16().flat_map(u16::to_be_bytes));
        prop_assert_eq!(&shingles(utf16), &expected);
    }
}

/// A document for verification: a set of shingles from a small range (so
/// generated documents overlap), each with a weight, or all weighing 1.
fn compared() -> impl Strategy<Value = Compared> {
    (
        prop::collection::btree_map(
            0_u64..200,
            prop_oneof![Just(1.0_f32), 0.001_f32..1.0],
            0..120,
        ),
        any::<bool>(),
    )
        .prop_map(|(shingles, weighted)| Compared {
            set: ShingleSet::from_hashes(shingles.keys().copied().collect()),
            weights: if weighted {
                shingles.values().copied().collect()
            } else {
                Vec::new()
            },
        })
}

proptest! {
    #[test]
    fn verification_is_symmetric_and_bounded(a in compared(), b in compared()) {
        let (ab, ba) = (verify::compare(&a, &b), verify::compare(&b, &a));
        prop_assert_eq!(ab, ba);
        for score in [ab.jaccard, ab.containment, ab.size_ratio] {
            prop_assert!((0.0..=1.0).contains(&score), "{:?}", ab);
        }
        prop_assert!(ab.containment >= ab.jaccard, "{:?}", ab);
        let selfie = verify::compare(&a, &a);
        if !a.set.is_empty() {
            prop_assert!((selfie.jaccard - 1.0).abs() < 1e-9, "{:?}", selfie);
        }
    }
}

/// Every input of the fuzz corpus and every saved crash, through the same
/// checks as the fuzz target, on the stable toolchain.
#[test]
fn fuzz_corpus_and_regressions_replay() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for folder in ["corpus/text_path", "regressions/text_path"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".keep") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check_text_path(&bytes));
            assert!(outcome.is_ok(), "{} fails the checks", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 10, "only {replayed} fuzz inputs found");
}
