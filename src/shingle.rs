//! The shingler: canonical text in, a set of hashed word windows out.
//!
//! Windows never cross a sentence boundary (a line of canonical text), so an
//! added, dropped or edited sentence changes only its own shingles and never
//! its neighbours'. A sentence shorter than the window is one shingle.
//! Words are Unicode words (UAX #29); a word in a script written without
//! spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) is split into
//! its characters, so such text is shingled in character windows.
//!
//! The hash is specified here rather than borrowed from `std`, whose hasher
//! may change between Rust releases: a token is hashed with 64-bit FNV-1a
//! from the seed and finished with the SplitMix64 mixer; a window's hash
//! folds its tokens' hashes in order with a rotate-xor-multiply step and
//! finishes with the same mixer. Both only use wrapping 64-bit integer
//! arithmetic on the UTF-8 bytes, so a shingle hashes the same on every
//! platform, run and Rust release.

use unicode_segmentation::UnicodeSegmentation;

use crate::config::ShingleOptions;

/// The sorted, de-duplicated shingle hashes of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShingleSet {
    hashes: Vec<u64>,
}

impl ShingleSet {
    /// A set from any hashes (sorted and de-duplicated here).
    pub fn from_hashes(mut hashes: Vec<u64>) -> Self {
        hashes.sort_unstable();
        hashes.dedup();
        ShingleSet { hashes }
    }

    /// The hashes, ascending.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there are no shingles at all.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Number of shingles in both sets (a linear merge of two sorted lists).
    pub fn intersection_len(&self, other: &ShingleSet) -> usize {
        let (mut a, mut b) = (
            self.hashes.iter().peekable(),
            other.hashes.iter().peekable(),
        );
        let mut shared = 0;
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    a.next();
                    b.next();
                }
            }
        }
        shared
    }

    /// A 128-bit fingerprint of the whole set: equal sets, equal prints.
    pub fn fingerprint(&self) -> u128 {
        let (mut high, mut low) = (0x9e37_79b9_7f4a_7c15_u64, 0x2545_f491_4f6c_dd1d_u64);
        for &hash in &self.hashes {
            high = mix(high ^ hash);
            low = mix(low.rotate_left(17) ^ hash.wrapping_mul(0xff51_afd7_ed55_8ccd));
        }
        (u128::from(high) << 64) | u128::from(low ^ self.hashes.len() as u64)
    }
}

/// A shingled document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shingled {
    /// Every shingle.
    pub set: ShingleSet,
    /// The weight of each shingle of [`Shingled::set`], in the same order:
    /// the highest weight of a sentence it occurs in. Empty when every
    /// shingle weighs 1 (no template sentences).
    pub weights: Vec<f32>,
    /// Hashes of the document's sentences, sorted, without repeats.
    pub sentences: Vec<u64>,
    /// Tokens (words, or characters in unspaced scripts) in the document.
    pub words: usize,
}

/// A document's shingles sentence by sentence, in text order, before any
/// weighting: what the index stores, so that verification can weigh
/// template sentences later without the source file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentences {
    /// Hash of each sentence, in text order (repeats kept).
    pub hashes: Vec<u64>,
    /// Where each sentence's shingles end in [`Sentences::shingles`].
    pub ends: Vec<usize>,
    /// Shingle hashes, sentence after sentence, in text order.
    pub shingles: Vec<u64>,
    /// Tokens (words, or characters in unspaced scripts) in the document.
    pub words: usize,
}

/// Shingles canonical text (one sentence per line). `weight` gives each
/// sentence's weight from its hash (1 for ordinary text, less for template
/// sentences; see [`crate::template`]).
pub fn set(canonical: &str, options: &ShingleOptions, weight: impl Fn(u64) -> f32) -> Shingled {
    sentences(canonical, options).shingled(weight)
}

/// Cuts canonical text into sentences and hashes each sentence's word
/// windows, keeping which shingles came from which sentence.
pub fn sentences(canonical: &str, options: &ShingleOptions) -> Sentences {
    let size = options.size.max(1);
    // Room for most texts at once (a line is a sentence; English words
    // take about six bytes with their space): growing these vectors step by
    // step cost more than hashing.
    let sentences = memchr::memchr_iter(b'\n', canonical.as_bytes()).count() + 1;
    let mut out = Sentences {
        hashes: Vec::with_capacity(sentences),
        ends: Vec::with_capacity(sentences),
        shingles: Vec::with_capacity(canonical.len() / 5),
        words: 0,
    };
    let mut tokens: Vec<u64> = Vec::with_capacity(64);
    for sentence in crate::normalize::lines(canonical) {
        tokenize(sentence, options.seed, &mut tokens);
        out.words += tokens.len();
        if tokens.is_empty() {
            continue;
        }
        out.hashes.push(sentence_of(&tokens));
        out.shingles
            .extend(tokens.windows(size.min(tokens.len())).map(window));
        out.ends.push(out.shingles.len());
    }
    out
}

impl Sentences {
    /// The document as a set: every shingle once, weighing the highest
    /// weight `weight` gives a sentence it occurs in.
    pub fn shingled(self, weight: impl Fn(u64) -> f32) -> Shingled {
        // Weights of the shingles so far, kept only once a sentence weighs
        // less than 1 (until then every weight is 1).
        let (mut hash_weights, mut weighted): (Vec<f32>, bool) = (Vec::new(), false);
        let mut start = 0;
        for (&sentence, &end) in self.hashes.iter().zip(&self.ends) {
            let w = weight(sentence);
            if w < 1.0 && !weighted {
                weighted = true;
                hash_weights.resize(start, 1.0);
            }
            if weighted {
                hash_weights.resize(end, w);
            }
            start = end;
        }
        let mut sentences = self.hashes;
        sentences.sort_unstable();
        sentences.dedup();
        let hashes = self.shingles;
        let weights = if !weighted {
            Vec::new()
        } else {
            let mut pairs: Vec<(u64, f32)> = hashes.iter().copied().zip(hash_weights).collect();
            // Equal hashes end up together, the heaviest first.
            pairs.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
            pairs.dedup_by_key(|pair| pair.0);
            pairs.into_iter().map(|(_, w)| w).collect()
        };
        Shingled {
            set: ShingleSet::from_hashes(hashes),
            weights,
            sentences,
            words: self.words,
        }
    }
}

/// The hash a sentence of canonical text gets in [`Shingled::sentences`]
/// (the one template detection and sentence evidence use), or `None` for a
/// line without a word. Sentences that differ only in punctuation or
/// spacing hash the same, since only their words are hashed.
pub fn sentence_hash(sentence: &str, options: &ShingleOptions) -> Option<u64> {
    let mut tokens = Vec::new();
    tokenize(sentence, options.seed, &mut tokens);
    (!tokens.is_empty()).then(|| sentence_of(&tokens))
}

/// Replaces `tokens` with the token hashes of one sentence: its words, or
/// its characters in scripts written without spaces.
#[inline]
fn tokenize(sentence: &str, seed: u64, tokens: &mut Vec<u64>) {
    tokens.clear();
    if sentence.is_ascii() {
        ascii_words(sentence, fnv_basis(seed), |_, hash| tokens.push(mix(hash)));
    } else {
        for word in sentence.unicode_words() {
            if word.chars().any(is_unspaced) {
                let mut buf = [0u8; 4];
                tokens.extend(word.chars().map(|c| token(c.encode_utf8(&mut buf), seed)));
            } else {
                tokens.push(token(word, seed));
            }
        }
    }
}

/// A sentence's hash from its tokens.
#[inline]
fn sentence_of(tokens: &[u64]) -> u64 {
    mix(window(tokens) ^ SENTENCE_DOMAIN)
}

/// Mixed into sentence hashes so that a one-window sentence's hash differs
/// from its shingle's.
const SENTENCE_DOMAIN: u64 = 0x7365_6e74_656e_6365;

/// Word-break classes of ASCII characters (UAX #29).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Numeric,
    /// `_`, which joins words on both sides.
    Connector,
    /// `:` between letters.
    MidLetter,
    /// `.` and `'`, between letters or between digits.
    MidBoth,
    /// `,` and `;` between digits.
    MidNum,
    Other,
}

/// The word-break class of every byte, computed once (bytes above ASCII
/// never reach the ASCII path).
static WORD_CLASSES: [Wb; 256] = ascii_table!(Wb::Other, word_class);

const fn word_class(byte: u8) -> Wb {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b'_' => Wb::Connector,
        b':' => Wb::MidLetter,
        b'.' | b'\'' => Wb::MidBoth,
        b',' | b';' => Wb::MidNum,
        _ => Wb::Other,
    }
}

/// The words of an ASCII sentence, exactly as `unicode_words` would give
/// them (a unit test holds the two equal), in one pass over its bytes with
/// one table lookup per byte. Each word comes with its FNV-1a hash from
/// `basis`, before [`token`]'s final mix (a test holds the two equal),
/// hashed as its bytes are read rather than in a second pass over them.
fn ascii_words<'a>(sentence: &'a str, basis: u64, mut emit: impl FnMut(&'a str, u64)) {
    let bytes = sentence.as_bytes();
    let class = |i: usize| {
        bytes
            .get(i)
            .map_or(Wb::Other, |&b| WORD_CLASSES[b as usize])
    };
    let wordy = |c: Wb| matches!(c, Wb::Letter | Wb::Numeric | Wb::Connector);
    let mut i = 0;
    while i < bytes.len() {
        let first = WORD_CLASSES[bytes[i] as usize];
        if !wordy(first) {
            i += 1;
            continue;
        }
        let start = i;
        // The class of the byte before `j`, and whether the word so far
        // holds a letter or digit (a run of `_` alone is not a word).
        let (mut prev, mut alphanumeric) = (first, first != Wb::Connector);
        let mut hash = fnv(basis, bytes[i]);
        let mut j = i + 1;
        while j < bytes.len() {
            let cur = WORD_CLASSES[bytes[j] as usize];
            if wordy(cur) {
                alphanumeric |= cur != Wb::Connector;
                prev = cur;
                hash = fnv(hash, bytes[j]);
                j += 1;
                continue;
            }
            // A letter-mid-letter or digit-mid-digit run stays one word.
            let next = class(j + 1);
            let letters = prev == Wb::Letter
                && matches!(cur, Wb::MidLetter | Wb::MidBoth)
                && next == Wb::Letter;
            let digits = prev == Wb::Numeric
                && matches!(cur, Wb::MidNum | Wb::MidBoth)
                && next == Wb::Numeric;
            if !(letters || digits) {
                break;
            }
            alphanumeric = true;
            prev = next;
            hash = fnv(fnv(hash, bytes[j]), bytes[j + 1]);
            j += 2;
        }
        if alphanumeric {
            emit(&sentence[start..j], hash);
        }
        i = j;
    }
}

/// Characters of scripts written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0e00}'..='\u{0eff}'   // Thai, Lao
        | '\u{1000}'..='\u{109f}' // Myanmar
        | '\u{1780}'..='\u{17ff}' // Khmer
        | '\u{3040}'..='\u{30ff}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134f}')
}

/// Hash of one token: FNV-1a over its UTF-8 bytes, seeded, then mixed.
fn token(word: &str, seed: u64) -> u64 {
    mix(word.bytes().fold(fnv_basis(seed), fnv))
}

/// FNV-1a's starting value for a seed.
fn fnv_basis(seed: u64) -> u64 {
    0xcbf2_9ce4_8422_2325_u64 ^ seed
}

/// One byte into an FNV-1a hash.
#[inline]
fn fnv(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// Hash of a window of token hashes, order-sensitive.
fn window(tokens: &[u64]) -> u64 {
    let mut hash = tokens.len() as u64;
    for &token in tokens {
        hash = (hash.rotate_left(23) ^ token).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    mix(hash)
}

/// The SplitMix64 finalizer: spreads every input bit over the whole word.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shingle(text: &str) -> Shingled {
        set(text, &ShingleOptions::default(), |_| 1.0)
    }

    #[test]
    fn hashes_are_pinned() {
        // These values are part of the on-disk and cross-run contract: a
        // change here changes every signature ever computed.
        assert_eq!(token("osh", 0), 0x5053_8fcf_1b3c_29bb);
        assert_eq!(window(&[1, 2, 3]), 0x78f6_9f0a_f583_2673);
    }

    #[test]
    fn windows_stay_inside_sentences() {
        // Two sentences of 6 and 2 words: 2 windows + 1 whole-sentence shingle.
        let out = shingle("one two three four five six\nseven eight\n");
        assert_eq!(out.words, 8);
        assert_eq!(out.set.len(), 3);
        // Swapping sentence order does not change the set.
        assert_eq!(
            out.set,
            shingle("seven eight\none two three four five six\n").set
        );
    }

    #[test]
    fn unspaced_scripts_use_character_windows() {
        let out = shingle("東京都の天気は晴れです\n");
        assert_eq!(out.words, 11);
        assert_eq!(out.set.len(), 7);
        // Two unrelated sentences share nothing.
        let other = shingle("北京市の交通は混雑しています\n");
        assert_eq!(out.set.intersection_len(&other.set), 0);
    }

    #[test]
    fn words_follow_unicode_rules() {
        // Apostrophes and decimal points stay inside words; Devanagari
        // viramas and Arabic marks do not split words into letters.
        assert_eq!(shingle("it's 2.6 pct\n").words, 3);
        assert_eq!(shingle("नमस्ते दुनिया\n").words, 2);
        assert_eq!(shingle("كِتَابٌ جَمِيلٌ\n").words, 2);
    }

    #[test]
    fn intersection_and_fingerprint() {
        let a = ShingleSet::from_hashes(vec![5, 1, 3, 3, 9]);
        let b = ShingleSet::from_hashes(vec![3, 4, 5]);
        assert_eq!(a.hashes(), [1, 3, 5, 9]);
        assert_eq!(a.intersection_len(&b), 2);
        assert_eq!(
            a.fingerprint(),
            ShingleSet::from_hashes(vec![9, 5, 3, 1]).fingerprint()
        );
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn template_sentences_are_set_aside() {
        let text = "sign up to our newsletter today\nthe minister resigned on tuesday evening\n";
        let all = shingle(text);
        assert_eq!(all.sentences.len(), 2);
        assert!(all.weights.is_empty(), "no templates, no weights");
        let newsletter = shingle("sign up to our newsletter today\n").sentences[0];
        let out = set(text, &ShingleOptions::default(), |s| {
            if s == newsletter {
                0.25
            } else {
                1.0
            }
        });
        assert_eq!(out.set, all.set);
        let own = shingle("the minister resigned on tuesday evening\n").set;
        assert_eq!(out.weights.len(), out.set.len());
        for (hash, weight) in out.set.hashes().iter().zip(&out.weights) {
            let expected = if own.hashes().contains(hash) {
                1.0
            } else {
                0.25
            };
            assert_eq!(*weight, expected, "shingle {hash}");
        }
    }

    #[test]
    fn ascii_words_equal_unicode_words() {
        let alphabet: Vec<char> = "aaZZb0099 ..,,;;::''__-\"$".chars().collect();
        for (round, text) in crate::test_texts::random(&alphabet, 11, 50_000, 20) {
            let mut fast = Vec::new();
            ascii_words(&text, fnv_basis(round), |word, hash| {
                // The hash made while scanning is the token's.
                assert_eq!(mix(hash), token(word, round), "word: {word:?}");
                fast.push(word);
            });
            let reference: Vec<&str> = text.unicode_words().collect();
            assert_eq!(fast, reference, "text: {text:?}");
        }
    }
}
