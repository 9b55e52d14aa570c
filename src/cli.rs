//! The command line: what the user can type, and its one conversion into a
//! [`Config`]. Nothing else in the crate sees clap.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{
    Config, ExplainConfig, InputFormat, InputOptions, NormalizeOptions, ReviewOptions,
    ShingleOptions, SketchOptions, VerifyOptions,
};
use crate::report::{ExplainFormat, Format};

const EXIT_STATUS: &str = "\
Examples:
  newsdedup scan corpus/                      groups as a table
  newsdedup scan corpus/ --format json | jq '.groups[].members[].path'
  newsdedup scan batch/ --format csv > groups.csv
  newsdedup scan corpus/ --format html > review.html   a page to review groups
  newsdedup explain corpus/a.txt corpus/b.txt   why two files match, or not
  newsdedup scan corpus/ --write-baseline dedup.baseline   accept today's groups
  newsdedup scan corpus/ --baseline dedup.baseline         fail only on new ones
  newsdedup scan --against news.idx today/    today's articles already in an index

Exit status:
  0  no duplicate groups (and no errors)
  1  duplicate groups found (with --baseline: groups that are new or grew)
  2  an error: a path that does not exist, a file or record that could not
     be read, output that could not be written, a missing or malformed
     baseline, or nothing to scan; results for everything that could be
     read are still printed
  2 wins over 1, and --exit-zero turns 1 into 0 (never 2). Note this is
  the reverse of grep, where 0 means found.";

const EXPLAIN_HELP: &str = "\
Examples:
  newsdedup explain corpus/a.txt corpus/b.txt           side by side
  newsdedup explain a.txt b.txt --color never | less    plain text
  newsdedup explain a.txt b.txt --format json | jq '.shared_sentences'

Rows: '=' a sentence both hold, '~' a near match (a few words changed, shown
in [brackets] without colour), '<' only in A, '>' only in B. Sentences are
shown as compared: normalized and lowercased. The text is 100 columns wide,
or COLUMNS wide (60 to 240) when that variable is exported.

Scores are unweighted: a scan that learned site-template sentences from its
corpus (--template-docs) weighs them less, so its figures for a pair can
differ; without template sentences in either file they are the same.

Exit status:
  0  the two files are not duplicates by the scan's rule
  1  they are duplicates (as scan's 1 means duplicates found)
  2  an error: a file that does not exist, cannot be read or is not text,
     output that could not be written, or a bad option";

/// Find near-duplicate articles in scraped news corpora.
#[derive(Debug, Parser)]
#[command(name = "newsdedup", version, max_term_width = 100, after_long_help = EXIT_STATUS)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report groups of near-duplicate articles among files and folders.
    #[command(max_term_width = 100, after_long_help = EXIT_STATUS)]
    Scan(ScanArgs),
    /// Show why two articles match or not: sentence by sentence, with scores
    /// and what the normalizer removed.
    #[command(max_term_width = 100, after_long_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Keep articles in a persistent index to check new batches against.
    #[command(max_term_width = 100)]
    Index(IndexArgs),
}

/// Output formats, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Readable groups and scores.
    Table,
    /// One JSON document (schema in the README).
    Json,
    /// One JSON object per line: groups, problems, then a summary.
    Jsonl,
    /// One row per group member.
    Csv,
    /// One self-contained review page: every group, members shown against
    /// the representative.
    Html,
    /// The duplicates that keeping each group's representative would drop.
    Paths,
}

/// Output formats of `explain`, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormatArg {
    /// The two articles side by side.
    Text,
    /// One JSON document.
    Json,
}

/// When to colour `explain`'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even when piped or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}

/// Input formats, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// JSON Lines for .jsonl and .ndjson names, one article per file otherwise.
    Auto,
    /// Every file is one article.
    Text,
    /// Every file holds one JSON object per line.
    Jsonl,
}

/// Arguments of `newsdedup scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan; folders are walked recursively; - is one
    /// article on standard input.
    ///
    /// Standard input is read only when - is given (or --files-from -),
    /// never guessed.
    #[arg(value_name = "PATH", required_unless_present = "files_from")]
    pub paths: Vec<PathBuf>,

    /// Also report the articles that duplicate ones stored in this index.
    ///
    /// The index (made by `newsdedup index create`, filled by `index add`)
    /// is opened read-only and must exist. Groups then hold the scanned
    /// articles and the indexed articles they duplicate, marked `indexed`.
    /// Matching options must equal the index's.
    #[arg(long, value_name = "INDEX", help_heading = "Input")]
    pub against: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub matching: MatchingArgs,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FormatArg::Table,
          help_heading = "Output")]
    pub format: FormatArg,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub run: RunArgs,

    /// Compare with a baseline: only new or grown groups exit 1.
    ///
    /// FILE is written by --write-baseline. Groups all of whose members are
    /// in one baseline group are reported but pass; the others are marked
    /// new. A missing or malformed FILE is an error (exit 2).
    #[arg(long, value_name = "FILE", help_heading = "CI gate")]
    pub baseline: Option<PathBuf>,

    /// Record the groups found in FILE, to accept them (see --baseline).
    ///
    /// A sorted text file, meant to be committed next to the corpus and
    /// read in diffs. The exit status is still the scan's.
    #[arg(long, value_name = "FILE", help_heading = "CI gate")]
    pub write_baseline: Option<PathBuf>,

    /// Exit 0 when duplicates are found (errors still exit 2).
    #[arg(long, help_heading = "CI gate")]
    pub exit_zero: bool,
}

/// How files are found and read (`scan`, `index add`).
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Also scan the paths listed in FILE, one per line (- for standard
    /// input).
    ///
    /// Listed paths are treated like paths given as arguments: folders are
    /// walked, files are always read. With -0 the names are separated by NUL
    /// bytes, so any name survives (find -print0).
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub files_from: Option<PathBuf>,

    /// NUL-separated names: in --files-from, and in --format paths output.
    #[arg(short = '0', long = "null", help_heading = "Input")]
    pub null: bool,

    /// Walk only files matching GLOB; !GLOB excludes (repeatable).
    ///
    /// Globs apply to files met while walking folders, relative to the
    /// folder given (e.g. -g '*.txt' -g '!drafts/**'), with the last match
    /// winning; files named directly are always read.
    #[arg(short = 'g', long, value_name = "GLOB", help_heading = "Input")]
    pub glob: Vec<String>,

    /// Also walk hidden files and folders (names starting with a dot).
    #[arg(long, help_heading = "Input")]
    pub hidden: bool,

    /// Walk files that .gitignore, .ignore or git's exclude files ignore.
    ///
    /// By default these files are honoured while walking folders, as
    /// ripgrep and fd do (.gitignore inside a git repository only).
    #[arg(long, help_heading = "Input")]
    pub no_ignore: bool,

    /// How to read files.
    ///
    /// JSON Lines holds one JSON object per line, each one article; its
    /// records are named by path and line (and id) in every report. gzip
    /// and zstd files are decompressed whatever the format.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Input",
          default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,

    /// JSON Lines: the field holding the article text (a.b for nested).
    #[arg(long, value_name = "FIELD", help_heading = "Input",
          default_value_t = InputOptions::default().text_field)]
    pub text_field: String,

    /// JSON Lines: the field holding the record id (a.b for nested).
    ///
    /// Records without it are named by their line number.
    #[arg(long, value_name = "FIELD", help_heading = "Input",
          default_value_t = InputOptions::default().id_field)]
    pub id_field: String,

    /// Follow symbolic links while walking folders.
    ///
    /// Without it, links met inside folders are skipped (and counted). With
    /// it, each folder is still walked once however many links reach it, so
    /// link loops end. Paths named on the command line are always resolved.
    #[arg(long, help_heading = "Input")]
    pub follow: bool,

    /// Skip files larger than this many bytes.
    ///
    /// The limit applies after decompression too (so a decompression bomb is
    /// skipped, never held), to each line of a JSON Lines file, and to
    /// standard input.
    #[arg(long, value_name = "BYTES", help_heading = "Input",
          default_value_t = InputOptions::default().max_bytes)]
    pub max_bytes: u64,
}

/// How two articles are compared, and when they are duplicates (`scan`,
/// `index create`, `explain`).
#[derive(Debug, Args)]
pub struct ComparingArgs {
    /// Skip documents with fewer words than this after normalization.
    ///
    /// A skipped document is never a duplicate of anything.
    #[arg(long, value_name = "N", help_heading = "Input",
          default_value_t = ShingleOptions::default().min_words)]
    pub min_words: usize,

    /// Jaccard similarity at which two articles are duplicates (0 to 1].
    ///
    /// Jaccard is the share of word windows the two texts have in common
    /// out of all windows of either, after normalization.
    #[arg(long, value_name = "J", help_heading = "Matching",
          default_value_t = VerifyOptions::default().threshold)]
    pub threshold: f64,

    /// Containment at which two articles are duplicates (0 to 1].
    ///
    /// Containment is the share of the shorter text's word windows found in
    /// the longer one: it catches teasers and truncated copies.
    #[arg(long, value_name = "C", help_heading = "Matching",
          default_value_t = VerifyOptions::default().containment)]
    pub containment: f64,

    /// Words per shingle (word window).
    #[arg(long, value_name = "K", help_heading = "Matching",
          default_value_t = ShingleOptions::default().size)]
    pub shingle_size: usize,

    /// Drop lines matching this regular expression before comparing.
    ///
    /// Repeatable. Use it for a site's own boilerplate that the built-in
    /// rules miss, e.g. --strip-line '^Sponsored by '. Patterns see the line
    /// trimmed, with typographic quotes and dashes made ASCII.
    #[arg(long, value_name = "REGEX", help_heading = "Matching")]
    pub strip_line: Vec<String>,
}

/// When two articles are duplicates, and how candidates are found (`scan`,
/// `index create`).
#[derive(Debug, Args)]
pub struct MatchingArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub comparing: ComparingArgs,

    /// Sentences in at least this many distinct files are site template.
    ///
    /// Template sentences (navigation, newsletter pitches, "most read"
    /// lists, disclaimers) weigh a quarter of other text in comparisons, and
    /// less the more files hold them, so different articles inside one
    /// site's template are not grouped. 0 turns this off.
    #[arg(long, value_name = "N", help_heading = "Matching",
          default_value_t = VerifyOptions::default().template_docs)]
    pub template_docs: usize,

    /// MinHash permutations per document.
    #[arg(long, value_name = "N", help_heading = "Matching",
          default_value_t = SketchOptions::default().permutations)]
    pub permutations: usize,

    /// LSH bands (default: derived from the thresholds).
    ///
    /// Rows per band are PERMUTATIONS / BANDS. More bands find more
    /// candidate pairs at the cost of more verification work.
    #[arg(long, value_name = "B", help_heading = "Matching")]
    pub bands: Option<usize>,
}

/// Messages and threads (`scan`, `index add`).
#[derive(Debug, Args)]
pub struct RunArgs {
    /// No progress display and no closing timing line on stderr.
    ///
    /// Problems with files are still reported, and the exit status is the same.
    #[arg(long, short, help_heading = "Output", conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also name every skipped file and why on stderr (empty, too short,
    /// binary, too large, not a regular file, a link).
    ///
    /// Skips are counted in the report either way and never change the exit
    /// status.
    #[arg(long, short, help_heading = "Output")]
    pub verbose: bool,

    /// Worker threads (default: twice the number of cores).
    #[arg(
        long,
        value_name = "N",
        help_heading = "Output",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub threads: usize,
}

/// `newsdedup index ...`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// What to do with the index.
    #[command(subcommand)]
    pub command: IndexCommand,
}

/// The index subcommands.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Create an empty index with the matching parameters it will answer with.
    #[command(max_term_width = 100)]
    Create {
        /// The index file to create; an existing file is never overwritten.
        #[arg(value_name = "INDEX")]
        index: PathBuf,
        #[command(flatten)]
        #[allow(missing_docs)]
        matching: MatchingArgs,
    },
    /// Add a batch of files to an index, in one transaction.
    #[command(max_term_width = 100)]
    Add {
        /// The index file (it must exist).
        #[arg(value_name = "INDEX")]
        index: PathBuf,
        /// Files and folders to add; folders are walked recursively.
        #[arg(value_name = "PATH", required_unless_present = "files_from")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        #[allow(missing_docs)]
        input: InputArgs,
        #[command(flatten)]
        #[allow(missing_docs)]
        run: RunArgs,
    },
    /// Show what an index holds and how it was made.
    #[command(max_term_width = 100)]
    Stats {
        /// The index file.
        #[arg(value_name = "INDEX")]
        index: PathBuf,
        /// Also check the file's integrity (reads all of it).
        #[arg(long)]
        check: bool,
    },
    /// Remove documents from an index, by path as added or by batch.
    #[command(max_term_width = 100)]
    Remove {
        /// The index file.
        #[arg(value_name = "INDEX")]
        index: PathBuf,
        /// Paths exactly as they were given to `index add` (as `scan --against` shows them).
        #[arg(value_name = "PATH", required_unless_present = "batch")]
        paths: Vec<String>,
        /// Remove every document of this batch.
        #[arg(long, value_name = "ID")]
        batch: Option<i64>,
    },
}

impl ScanArgs {
    /// The output format.
    pub fn format(&self) -> Format {
        match self.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Html => Format::Html,
            FormatArg::Paths => Format::Paths {
                nul: self.input.null,
            },
        }
    }

    /// Validates the arguments and builds the run's configuration.
    pub fn config(&self) -> Result<Config> {
        let mut config = self
            .matching
            .config(self.input.options(&self.paths)?, self.run.threads)?;
        config.review = (self.format == FormatArg::Html).then(ReviewOptions::default);
        Ok(config)
    }
}

impl InputArgs {
    /// Validates the input flags and builds the input options for `paths`.
    pub fn options(&self, paths: &[PathBuf]) -> Result<InputOptions> {
        let stdin = std::path::Path::new(crate::input::STDIN);
        if self.files_from.as_deref() == Some(stdin) && paths.iter().any(|p| p == stdin) {
            bail!("standard input can be read once: give either --files-from - or the path -");
        }
        for (flag, field) in [
            ("--text-field", &self.text_field),
            ("--id-field", &self.id_field),
        ] {
            if field.is_empty() {
                bail!("{flag} must name a field");
            }
        }
        for glob in &self.glob {
            ignore::overrides::OverrideBuilder::new(".")
                .add(glob)
                .with_context(|| format!("--glob {glob:?} is not a valid glob"))?;
        }
        Ok(InputOptions {
            paths: paths.to_vec(),
            follow_links: self.follow,
            max_bytes: self.max_bytes,
            files_from: self.files_from.clone(),
            null_separated: self.null,
            globs: self.glob.clone(),
            hidden: self.hidden,
            ignore_files: !self.no_ignore,
            format: match self.input_format {
                InputFormatArg::Auto => InputFormat::Auto,
                InputFormatArg::Text => InputFormat::Text,
                InputFormatArg::Jsonl => InputFormat::Jsonl,
            },
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
        })
    }
}

/// The worker threads to use: `--threads`, or twice the cores.
pub fn threads(given: usize) -> usize {
    match given {
        // Why twice the cores: reading a file blocks on the disk, and the
        // extra threads keep every core busy meanwhile (a cold
        // 1,000,000-file scan ran twice as fast with 4 threads as with 2 on
        // 2 cores); once files are cached the cost is a few context
        // switches.
        0 => 2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

impl MatchingArgs {
    /// Validates the matching flags and builds a configuration around
    /// `input` (no review page; `scan` adds it for `--format html`).
    pub fn config(&self, input: InputOptions, threads: usize) -> Result<Config> {
        self.comparing.check()?;
        if !(1..=1024).contains(&self.permutations) {
            bail!(
                "--permutations must be from 1 to 1024, got {}",
                self.permutations
            );
        }
        if let Some(bands) = self.bands {
            if bands == 0 || bands > self.permutations {
                bail!(
                    "--bands must be from 1 to --permutations ({}), got {bands}",
                    self.permutations
                );
            }
        }
        Ok(Config {
            input,
            normalize: NormalizeOptions {
                strip_lines: strip_lines(&self.comparing.strip_line)?,
            },
            shingle: ShingleOptions {
                size: self.comparing.shingle_size,
                min_words: self.comparing.min_words,
                ..ShingleOptions::default()
            },
            sketch: SketchOptions {
                permutations: self.permutations,
                bands: self.bands,
                ..SketchOptions::default()
            },
            verify: VerifyOptions {
                threshold: self.comparing.threshold,
                containment: self.comparing.containment,
                template_docs: self.template_docs,
            },
            review: None,
            threads: self::threads(threads),
        })
    }
}

impl ComparingArgs {
    /// Checks the flags scan and explain share.
    fn check(&self) -> Result<()> {
        for (flag, value) in [
            ("--threshold", self.threshold),
            ("--containment", self.containment),
        ] {
            if !(value > 0.0 && value <= 1.0) {
                bail!("{flag} must be greater than 0 and at most 1, got {value}");
            }
        }
        if !(1..=64).contains(&self.shingle_size) {
            bail!(
                "--shingle-size must be from 1 to 64, got {}",
                self.shingle_size
            );
        }
        Ok(())
    }
}

/// Compiles `--strip-line` patterns.
fn strip_lines(patterns: &[String]) -> Result<Vec<regex::Regex>> {
    patterns
        .iter()
        .map(|pattern| {
            regex::Regex::new(pattern).with_context(|| {
                format!("--strip-line {pattern:?} is not a valid regular expression")
            })
        })
        .collect()
}

/// Arguments of `newsdedup explain`. The matching flags mean what they mean
/// for `scan`, so a pair can be explained under the settings that grouped it.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The first article: a file, or FILE:LINE for a record of a JSON Lines
    /// file (as scan names it).
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The second article, the same way.
    #[arg(value_name = "B")]
    pub b: PathBuf,

    /// JSON Lines: the field holding the article text (a.b for nested).
    #[arg(long, value_name = "FIELD", help_heading = "Input",
          default_value_t = InputOptions::default().text_field)]
    pub text_field: String,

    /// Refuse files larger than this many bytes (an error, as scan skips them).
    #[arg(long, value_name = "BYTES", help_heading = "Input",
          default_value_t = InputOptions::default().max_bytes)]
    pub max_bytes: u64,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub comparing: ComparingArgs,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ExplainFormatArg::Text,
          help_heading = "Output")]
    pub format: ExplainFormatArg,

    /// Colour the text: auto (on a terminal, unless NO_COLOR is set),
    /// always, or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto,
          help_heading = "Output")]
    pub color: ColorArg,
}

impl ExplainArgs {
    /// Validates the arguments and builds the run's configuration. Reads
    /// the environment (`NO_COLOR`, `COLUMNS`) and whether standard output
    /// is a terminal, for colour and width.
    pub fn config(&self) -> Result<ExplainConfig> {
        use std::io::IsTerminal;
        self.comparing.check()?;
        // NO_COLOR (no-color.org): set and not empty turns colour off,
        // unless the command line asks for it explicitly.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        // Why 100 columns without COLUMNS: two 46-column halves still hold
        // a dozen words of a sentence each, and 100 fits any laptop terminal.
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .map_or(100, |c| c.clamp(60, 240));
        Ok(ExplainConfig {
            paths: [self.a.clone(), self.b.clone()],
            input: InputOptions {
                paths: vec![self.a.clone(), self.b.clone()],
                follow_links: true,
                max_bytes: self.max_bytes,
                text_field: self.text_field.clone(),
                ..InputOptions::default()
            },
            normalize: NormalizeOptions {
                strip_lines: strip_lines(&self.comparing.strip_line)?,
            },
            shingle: ShingleOptions {
                size: self.comparing.shingle_size,
                min_words: self.comparing.min_words,
                ..ShingleOptions::default()
            },
            verify: VerifyOptions {
                threshold: self.comparing.threshold,
                containment: self.comparing.containment,
                ..VerifyOptions::default()
            },
            format: match self.format {
                ExplainFormatArg::Text => ExplainFormat::Text { color, width },
                ExplainFormatArg::Json => ExplainFormat::Json,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn scan(args: &[&str]) -> Result<Config> {
        let cli = Cli::try_parse_from([&["newsdedup", "scan"], args].concat())?;
        let Command::Scan(scan) = cli.command else {
            unreachable!("parsed a scan command line")
        };
        scan.config()
    }

    #[test]
    fn bad_values_are_explained_in_flag_terms() {
        let err = |args: &[&str]| scan(args).unwrap_err().to_string();
        assert!(err(&["d", "--threshold", "1.5"]).contains("--threshold must be"));
        assert!(err(&["d", "--containment", "0"]).contains("--containment must be"));
        assert!(err(&["d", "--bands", "200"])
            .contains("--bands must be from 1 to --permutations (128)"));
        assert!(err(&["d", "--strip-line", "("]).contains("--strip-line \"(\" is not a valid"));
        assert!(err(&["-", "--files-from", "-"]).contains("standard input can be read once"));
        assert!(err(&["d", "--glob", "a{"]).contains("--glob \"a{\" is not a valid glob"));
        assert!(err(&["d", "--text-field", ""]).contains("--text-field must name a field"));
        assert!(scan(&["--files-from", "list.txt"]).is_ok());
        assert_eq!(
            scan(&["d", "--threshold", "0.7"]).unwrap().verify.threshold,
            0.7
        );
    }
}
