//! The command line: what the user can type, and its one conversion into a
//! [`Config`]. Nothing else in the crate sees clap.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{
    Config, InputOptions, NormalizeOptions, ShingleOptions, SketchOptions, VerifyOptions,
};
use crate::report::Format;

const EXIT_STATUS: &str = "\
Examples:
  newsdedup scan corpus/                      groups as a table
  newsdedup scan corpus/ --format json | jq '.groups[].members[].path'
  newsdedup scan batch/ --format csv > groups.csv
  newsdedup scan --against news.idx today/    today's articles already in an index

Exit status:
  0  no duplicate groups (and no errors)
  1  duplicate groups found
  2  an error: a path that does not exist, a file that could not be read,
     output that could not be written, or nothing to scan; results for
     everything that could be read are still printed
  2 wins over 1. Note this is the reverse of grep, where 0 means found.";

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
}

/// Arguments of `newsdedup scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan; folders are walked recursively.
    #[arg(value_name = "PATH", required = true)]
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
}

/// How files are read (`scan`, `index add`).
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Follow symbolic links while walking folders.
    ///
    /// Without it, links met inside folders are skipped (and counted). With
    /// it, each folder is still walked once however many links reach it, so
    /// link loops end. Paths named on the command line are always resolved.
    #[arg(long, help_heading = "Input")]
    pub follow: bool,

    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", help_heading = "Input",
          default_value_t = InputOptions::default().max_bytes)]
    pub max_bytes: u64,
}

/// When two articles are duplicates (`scan`, `index create`).
#[derive(Debug, Args)]
pub struct MatchingArgs {
    /// Skip documents with fewer words than this after normalization.
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

    /// Sentences in at least this many distinct files are site template.
    ///
    /// Template sentences (navigation, newsletter pitches, "most read"
    /// lists, disclaimers) weigh a quarter of other text in comparisons, and
    /// less the more files hold them, so different articles inside one
    /// site's template are not grouped. 0 turns this off.
    #[arg(long, value_name = "N", help_heading = "Matching",
          default_value_t = VerifyOptions::default().template_docs)]
    pub template_docs: usize,

    /// Words per shingle (word window).
    #[arg(long, value_name = "K", help_heading = "Matching",
          default_value_t = ShingleOptions::default().size)]
    pub shingle_size: usize,

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

    /// Drop lines matching this regular expression before comparing.
    ///
    /// Repeatable. Use it for a site's own boilerplate that the built-in
    /// rules miss, e.g. --strip-line '^Sponsored by '. Patterns see the line
    /// trimmed, with typographic quotes and dashes made ASCII.
    #[arg(long, value_name = "REGEX", help_heading = "Matching")]
    pub strip_line: Vec<String>,
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
        #[arg(value_name = "PATH", required = true)]
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
        }
    }

    /// Validates the arguments and builds the run's configuration.
    pub fn config(&self) -> Result<Config> {
        self.matching
            .config(self.input.options(&self.paths), self.run.threads)
    }
}

impl InputArgs {
    /// The input options for `paths`.
    pub fn options(&self, paths: &[PathBuf]) -> InputOptions {
        InputOptions {
            paths: paths.to_vec(),
            follow_links: self.follow,
            max_bytes: self.max_bytes,
        }
    }
}

/// The worker threads to use: `--threads`, or twice the cores.
pub fn threads(given: usize) -> usize {
    match given {
        // Why twice the cores: reading a file blocks on the disk, and
        // the extra threads keep every core busy meanwhile (a cold
        // 1,000,000-file scan ran twice as fast with 4 threads as with
        // 2 on 2 cores); once files are cached the cost is a few
        // context switches.
        0 => 2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

impl MatchingArgs {
    /// Validates the arguments and builds the run's configuration.
    pub fn config(&self, input: InputOptions, threads: usize) -> Result<Config> {
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
        let strip_lines = self
            .strip_line
            .iter()
            .map(|pattern| {
                regex::Regex::new(pattern).with_context(|| {
                    format!("--strip-line {pattern:?} is not a valid regular expression")
                })
            })
            .collect::<Result<_>>()?;
        Ok(Config {
            input,
            normalize: NormalizeOptions { strip_lines },
            shingle: ShingleOptions {
                size: self.shingle_size,
                min_words: self.min_words,
                ..ShingleOptions::default()
            },
            sketch: SketchOptions {
                permutations: self.permutations,
                bands: self.bands,
                ..SketchOptions::default()
            },
            verify: VerifyOptions {
                threshold: self.threshold,
                containment: self.containment,
                template_docs: self.template_docs,
            },
            threads: self::threads(threads),
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
            unreachable!("parsed as scan")
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
        assert_eq!(
            scan(&["d", "--threshold", "0.7"]).unwrap().verify.threshold,
            0.7
        );
    }
}
