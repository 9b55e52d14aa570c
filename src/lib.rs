//! newsdedup finds near-duplicate articles in scraped news corpora.
//!
//! The pipeline, one module a stage, data flowing one way
//! (`pipeline::run` is the only code that knows the order):
//!
//! - [`input`] walks the paths (sorted, each file once, links skipped unless
//!   followed, hidden and ignored files and globs honoured) and reads files,
//!   JSON Lines records and standard input as text: gzip and zstd
//!   decompressed, byte order marks handled, UTF-16 decoded, invalid UTF-8
//!   replaced, binary and oversized inputs skipped.
//! - [`normalize`] turns raw text into canonical text, one case-folded
//!   sentence per line, without bylines, links, footers and other scraping
//!   boilerplate, so re-scrapes and reflowed copies read the same.
//! - [`shingle`] hashes word windows inside each sentence into a
//!   [`shingle::ShingleSet`] with a specified, seeded hash.
//! - [`sketch`] computes MinHash signatures of the sets.
//! - [`candidates`] finds candidate pairs by LSH banding, without comparing
//!   all pairs.
//! - [`template`] learns template sentences (site chrome) from the corpus.
//! - [`verify`] scores each candidate pair exactly (Jaccard and containment),
//!   with template sentences weighing less the more documents hold them.
//! - [`group`] joins verified pairs into groups and picks representatives.
//! - [`evidence`] says why two documents match: shared sentence counts for
//!   every group member, and a sentence-by-sentence alignment (shared, only
//!   in one, near matches) for `explain` and the HTML review page.
//! - [`review`] (HTML format only) reads the group members again and sets
//!   each against its representative, sentence by sentence, within caps.
//! - [`report`] renders the result as a table, JSON, JSON Lines, CSV, an
//!   HTML review page or a list of the duplicates' paths, and [`exit`] maps
//!   it to the exit status (after [`baseline`] has marked which groups are
//!   new).
//!
//! [`baseline`] compares the groups with those accepted earlier (a file
//! read and written by the scan command), so a CI check fails only on new
//! ones.
//!
//! [`index`] keeps analysed articles in an SQLite file, so that
//! `scan --against` checks a new batch against everything collected
//! earlier ([`pipeline::add`] fills it, [`pipeline::against`] queries it).
//!
//! [`cli`] and [`config`] turn the command line into per-stage options;
//! [`cmd`] holds the subcommands (`scan`, `explain`, `index`), thin runs
//! over the stages;
//! [`invariants`] holds the checks the fuzz target and tests share.

/// A table of 256 entries, one per byte value: `classify(byte)` for the
/// ASCII bytes and `other` above them, computed at compile time. The word
/// and sentence scanners look up one class per byte in such tables.
macro_rules! ascii_table {
    ($other:expr, $classify:expr) => {{
        let mut table = [$other; 256];
        let mut byte = 0;
        while byte < 128 {
            table[byte] = $classify(byte as u8);
            byte += 1;
        }
        table
    }};
}

pub mod baseline;
pub mod candidates;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod corpus;
pub mod evidence;
pub mod exit;
pub mod group;
pub mod index;
pub mod input;
pub mod invariants;
pub mod normalize;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod review;
pub mod shingle;
pub mod sketch;
pub mod template;
pub mod verify;

/// Texts for the tests that hold a fast path equal to its reference.
#[cfg(test)]
pub(crate) mod test_texts {
    use crate::shingle::mix;

    /// `rounds` short strings over `alphabet` (each shorter than
    /// `max_len`), the same ones on every run for a given `seed`, each with
    /// its round number.
    pub(crate) fn random(
        alphabet: &[char],
        seed: u64,
        rounds: u64,
        max_len: u64,
    ) -> impl Iterator<Item = (u64, String)> + '_ {
        let mut state = seed;
        (0..rounds).map(move |round| {
            state = mix(state.wrapping_add(round));
            let text = (0..state % max_len)
                .map(|i| alphabet[(mix(state ^ i) % alphabet.len() as u64) as usize])
                .collect();
            (round, text)
        })
    }
}
