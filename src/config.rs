//! The run's configuration: one plain options struct per stage.
//!
//! The `Default` impls here are the single source of every default; the
//! command line (`cli.rs`) shows them in `--help` and overrides them. Each
//! stage receives only its own struct.

use std::path::PathBuf;

use regex::Regex;

/// Everything one `scan` needs.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Paths to scan and how to read them.
    pub input: InputOptions,
    /// How raw text becomes canonical text.
    pub normalize: NormalizeOptions,
    /// How canonical text becomes shingles.
    pub shingle: ShingleOptions,
    /// MinHash and LSH banding.
    pub sketch: SketchOptions,
    /// When a candidate pair counts as a duplicate.
    pub verify: VerifyOptions,
    /// Members' texts for the HTML review page; `None` (every other format)
    /// reads nothing after grouping.
    pub review: Option<ReviewOptions>,
    /// Worker threads; 0 lets the thread pool choose one per core.
    pub threads: usize,
}

/// Options of the input stage.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// Files and folders to scan, as the user gave them.
    pub paths: Vec<PathBuf>,
    /// Follow symbolic links while walking folders.
    pub follow_links: bool,
    /// Files larger than this are skipped as `too_large` before being read;
    /// the limit applies to the decompressed text of a compressed file too,
    /// and to each line of a JSON Lines file.
    pub max_bytes: u64,
    /// A file listing more paths (`-` for standard input).
    pub files_from: Option<PathBuf>,
    /// Names in `files_from` are separated by NUL bytes rather than lines.
    pub null_separated: bool,
    /// Include (or, with a leading `!`, exclude) globs for walked files.
    pub globs: Vec<String>,
    /// Walk hidden files and folders too.
    pub hidden: bool,
    /// Honour `.gitignore`, `.ignore` and git's exclude files while walking.
    pub ignore_files: bool,
    /// Whether files hold one article or one JSON object per line.
    pub format: InputFormat,
    /// Dotted path of the article text in a JSON Lines record.
    pub text_field: String,
    /// Dotted path of the record id in a JSON Lines record.
    pub id_field: String,
}

/// How input files are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// JSON Lines for `.jsonl` and `.ndjson` names (compressed or not),
    /// one article per file otherwise.
    Auto,
    /// Every input is one article.
    Text,
    /// Every input holds one JSON object per line.
    Jsonl,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            paths: Vec::new(),
            follow_links: false,
            // Why 64 MiB: the longest real news articles are well under 1 MiB,
            // so anything this size is a dump or a log, not an article; the cap
            // bounds the memory one file can take (text plus its shingles).
            max_bytes: 64 * 1024 * 1024,
            files_from: None,
            null_separated: false,
            globs: Vec::new(),
            hidden: false,
            // Why on: a corpus kept in git ignores what its owners ignore,
            // as ripgrep and fd do; --no-ignore turns it off.
            ignore_files: true,
            format: InputFormat::Auto,
            // Why `text` and `id`: the field names of most scraped-news and
            // web-text dumps (Common Crawl derivatives, datatrove, dolma).
            text_field: "text".to_string(),
            id_field: "id".to_string(),
        }
    }
}

/// Options of the normalizer.
#[derive(Clone, Debug, Default)]
pub struct NormalizeOptions {
    /// Extra line rules from `--strip-line`: a line matching any of them is
    /// dropped, like the built-in byline and boilerplate rules.
    pub strip_lines: Vec<Regex>,
}

impl NormalizeOptions {
    /// The `--strip-line` patterns as typed, for reports and the index.
    pub fn patterns(&self) -> Vec<String> {
        self.strip_lines
            .iter()
            .map(|re| re.as_str().to_string())
            .collect()
    }
}

/// Options of the shingler.
#[derive(Clone, Debug)]
pub struct ShingleOptions {
    /// Words (or characters, in scripts written without spaces) per shingle.
    pub size: usize,
    /// Documents with fewer words than this are skipped as `too_short`.
    pub min_words: usize,
    /// Seed of the token hash.
    pub seed: u64,
}

impl Default for ShingleOptions {
    fn default() -> Self {
        ShingleOptions {
            // Why 5: word 5-grams are the usual unit for near-duplicate news
            // (long enough that two different articles on one event rarely
            // share them by chance, short enough that a changed number costs
            // only the windows that cover it).
            size: 5,
            // Why 10: below about ten words (a headline, "Advertisement",
            // a one-line brief) any two texts look alike or unlike by accident.
            min_words: 10,
            seed: 0x6e65_7773_6465_6475,
        }
    }
}

/// Options of MinHash and LSH banding.
#[derive(Clone, Debug)]
pub struct SketchOptions {
    /// Number of MinHash values per document.
    pub permutations: usize,
    /// Seed from which the permutations are drawn.
    pub seed: u64,
    /// Bands of the LSH index; `None` derives them from the thresholds.
    pub bands: Option<usize>,
}

impl Default for SketchOptions {
    fn default() -> Self {
        SketchOptions {
            // Why 128: the common choice; enough for the banding to find pairs
            // at the default floor (Jaccard 0.30) with probability above 0.99,
            // and for the estimate filter's standard error (0.04) to be small.
            permutations: 128,
            seed: 0x6d69_6e68_6173_6831,
            bands: None,
        }
    }
}

/// Options of verification: when a candidate pair is a duplicate.
#[derive(Clone, Copy, Debug)]
pub struct VerifyOptions {
    /// A pair whose exact Jaccard reaches this is a duplicate.
    pub threshold: f64,
    /// A pair whose containment (share of the smaller document found in the
    /// larger) reaches this is a duplicate.
    pub containment: f64,
    /// Sentences found in at least this many distinct documents are
    /// template sentences (0 turns template detection off).
    pub template_docs: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            // Why 0.5: a re-scrape of the same article keeps most of its
            // shingles even with a few sentences added or dropped and numbers
            // updated (0.6 and up on our fixtures), while two outlets' articles
            // on the same event share almost none (under 0.05 on the seeds).
            threshold: 0.5,
            // Why 0.8: a teaser holding the first 60% of an article has
            // Jaccard 0.6 but containment 1.0; requiring 0.8 rather than 1.0
            // still catches a teaser that was also lightly edited.
            containment: 0.8,
            // Why 10: site chrome repeats on every page of a site (hundreds
            // or thousands), while one article rarely has more than a handful
            // of distinct re-scrapes in a corpus; and a widely syndicated
            // article is still compared whole (see verify).
            template_docs: 10,
        }
    }
}

/// How much text the HTML review page holds, so a page for a corpus with
/// thousands of groups stays small enough for a browser to open.
#[derive(Clone, Copy, Debug)]
pub struct ReviewOptions {
    /// Members of one group shown against the representative with their
    /// text; the rest are listed with their scores only.
    pub members_per_group: usize,
    /// Sentence rows shown for one member.
    pub rows_per_member: usize,
    /// Characters shown of one sentence.
    pub chars_per_sentence: usize,
    /// Sentence rows on the whole page; members after it show scores only.
    pub rows_per_page: usize,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            // Why these caps: a news article has 20 to 60 sentences, so 400
            // rows show any article whole; 20 members show how a large group
            // of copies varies; and 50,000 rows (a page of about 15 MB at
            // most) is what a browser still opens in a few seconds.
            members_per_group: 20,
            rows_per_member: 400,
            chars_per_sentence: 2_000,
            rows_per_page: 50_000,
        }
    }
}

/// Everything one `explain` needs.
#[derive(Clone, Debug)]
pub struct ExplainConfig {
    /// The two files, as given.
    pub paths: [PathBuf; 2],
    /// How to read them.
    pub input: InputOptions,
    /// How raw text becomes canonical text.
    pub normalize: NormalizeOptions,
    /// How canonical text becomes shingles.
    pub shingle: ShingleOptions,
    /// When the pair counts as a duplicate (template weighting aside).
    pub verify: VerifyOptions,
    /// How to write the explanation.
    pub format: crate::report::ExplainFormat,
}
