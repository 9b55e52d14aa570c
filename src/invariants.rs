//! Checks of the text path (decode -> normalize -> shingle) that must hold
//! for any input bytes at all. The fuzz target in `fuzz/` calls
//! [`check_text_path`] on generated inputs; the tests replay the fuzz corpus
//! and every saved crash through the same function on the stable toolchain,
//! so a failure found once stays fixed.

use crate::config::{NormalizeOptions, ShingleOptions};
use crate::input::{self, Loaded};
use crate::normalize;
use crate::shingle;

/// How much longer than its input canonical text may be: NFKC expands one
/// code point to at most 18 (U+FDFA), and folding adds at most a line
/// break per sentence.
pub const MAX_GROWTH: usize = 19;

/// Runs `bytes` through decoding, normalizing and shingling, and panics
/// with a description if an invariant does not hold:
///
/// - canonical text is at most [`MAX_GROWTH`] times the decoded text, each
///   line ends in a line break, and no line is blank;
/// - the traced normalizer (for `explain`) gives exactly the same text;
/// - shingling is deterministic, and a document has no more distinct
///   shingles than words;
/// - the same text decoded from UTF-16 (with a byte order mark) gives the
///   same canonical text as from UTF-8.
pub fn check_text_path(bytes: &[u8]) {
    let text = match input::decode(bytes.to_vec()) {
        Loaded::Text { text, .. } => text,
        Loaded::Skip(_) | Loaded::Failed(_) => return,
    };
    let options = NormalizeOptions::default();
    let canonical = normalize::article(&text, &options).text;
    assert!(
        canonical.len() <= MAX_GROWTH * text.len() + 1,
        "canonical text grew from {} to {} bytes",
        text.len(),
        canonical.len()
    );
    for line in canonical.split_terminator('\n') {
        assert!(
            !line.trim().is_empty(),
            "blank canonical line in {canonical:?}"
        );
    }
    assert!(
        canonical.is_empty() || canonical.ends_with('\n'),
        "canonical text does not end its last line: {canonical:?}"
    );
    assert!(
        normalize::traced(&text, &options).text == canonical,
        "traced and plain normalization differ"
    );

    let shingle_options = ShingleOptions::default();
    let once = shingle::set(&canonical, &shingle_options, |_| 1.0);
    let again = shingle::set(&canonical, &shingle_options, |_| 1.0);
    assert!(once == again, "shingling is not deterministic");
    assert!(
        once.set.len() <= once.words,
        "{} shingles from {} words",
        once.set.len(),
        once.words
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    if let Loaded::Text { text: decoded, .. } = input::decode(utf16) {
        assert!(
            normalize::article(&decoded, &options).text == canonical,
            "UTF-16 and UTF-8 copies normalize differently"
        );
    }
}
