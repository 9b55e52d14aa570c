//! Sentence boundaries (UAX #29) with a fast path for ASCII text.
//!
//! Most news text is ASCII, and for ASCII the sentence rules of UAX #29
//! reduce to a handful of character classes with no Extend or Format
//! characters to skip. [`split`] applies those reduced rules to ASCII text
//! without line breaks, and hands anything else to unicode-segmentation.
//! The unit tests hold the two to the same output on random ASCII strings.

use unicode_segmentation::UnicodeSegmentation;

/// Sentence-break classes of the ASCII characters that occur in a unit of
/// canonical text (no line breaks: units are joined lines).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

/// The class of every byte, computed once (bytes above ASCII never reach
/// the ASCII rules).
static CLASSES: [Class; 256] = ascii_table!(Class::Other, classify);

fn class(byte: u8) -> Class {
    CLASSES[usize::from(byte)]
}

const fn classify(byte: u8) -> Class {
    match byte {
        b' ' | b'\t' | b'\x0b' | b'\x0c' => Class::Sp,
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Numeric,
        b'.' => Class::ATerm,
        b'!' | b'?' => Class::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::Close,
        b',' | b'-' | b':' | b';' => Class::SContinue,
        _ => Class::Other,
    }
}

/// Splits text into sentences, each with its trailing spaces, exactly as
/// `UnicodeSegmentation::split_sentence_bounds` would.
pub(crate) fn split(text: &str) -> Vec<&str> {
    // Branch-free, so the compiler checks many bytes at once.
    let odd = text.bytes().fold(0_u8, |odd, b| {
        odd | u8::from(b >= 0x80) | u8::from(b == b'\n') | u8::from(b == b'\r')
    });
    if odd != 0 {
        return text.split_sentence_bounds().collect();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Only a terminator can end a sentence: jump from one to the next.
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
        i += found;
        // SB9, SB10: no break inside the run of closers and spaces after a
        // terminator; SB11: the candidate break is at its end.
        let mut at = i + 1;
        while at < bytes.len() && class(bytes[at]) == Class::Close {
            at += 1;
        }
        while at < bytes.len() && class(bytes[at]) == Class::Sp {
            at += 1;
        }
        if at < bytes.len() && !breaks(bytes, i, at) {
            i = at;
            continue;
        }
        out.push(&text[start..at]);
        start = at;
        i = at;
    }
    if start < bytes.len() {
        out.push(&text[start..]);
    }
    out
}

/// Whether UAX #29 breaks at `at`, the end of the closers and spaces after
/// the terminator at `term`.
fn breaks(bytes: &[u8], term: usize, at: usize) -> bool {
    let next = class(bytes[at]);
    if class(bytes[term]) == Class::ATerm {
        let adjacent = at == term + 1;
        // SB6: "3.5".
        if adjacent && next == Class::Numeric {
            return false;
        }
        // SB7: "U.S" (a letter, a full stop, a capital).
        let letter_before =
            term > 0 && matches!(class(bytes[term - 1]), Class::Upper | Class::Lower);
        if adjacent && letter_before && next == Class::Upper {
            return false;
        }
        // SB8: "etc. and": the next letter is lower case.
        let first_letter = bytes[at..]
            .iter()
            .map(|&b| class(b))
            .find(|c| matches!(c, Class::Upper | Class::Lower | Class::ATerm | Class::STerm));
        if first_letter == Some(Class::Lower) {
            return false;
        }
    }
    // SB8a: a continuation or another terminator.
    !matches!(next, Class::SContinue | Class::ATerm | Class::STerm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> Vec<&str> {
        text.split_sentence_bounds().collect()
    }

    #[test]
    fn ascii_rules_equal_the_unicode_rules() {
        let alphabet: Vec<char> = "aaaabZZ  ..!?,;:-'\"()[]{}09$%\t".chars().collect();
        for (_, text) in crate::test_texts::random(&alphabet, 7, 50_000, 24) {
            assert_eq!(split(&text), reference(&text), "text: {text:?}");
        }
    }

    #[test]
    fn news_text_splits_like_the_unicode_rules() {
        let cases = [
            "Mr. Medvedev said. The U.S. dollar rose 2.6 pct. \"Out of control.\" She left!",
            "Shares fell (sharply). Then rose? yes. e.g. this, and that... Done",
            "It cost $3.50 vs. $4 in 1986. OK.",
        ];
        for text in cases {
            assert_eq!(split(text), reference(text), "text: {text:?}");
        }
    }
}
