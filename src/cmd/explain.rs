//! `newsdedup explain A B`: reads two files through the scan's own stages
//! (input, normalize, shingle, verify) and says why they match or not,
//! sentence by sentence (see [`crate::report::explain`] for the output).
//!
//! Scores are unweighted: template sentences are learned from a corpus,
//! and two files are not one. Without template sentences the scan's
//! weighted scores are these same figures (the same [`verify::compare`]).

use std::io::{self, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::config::ExplainConfig;
use crate::corpus::Source;
use crate::evidence;
use crate::exit::ExitStatus;
use crate::input::{self, Loaded};
use crate::normalize;
use crate::pipeline::NORMALIZER_VERSION;
use crate::report::explain::{self as render, ExplainParameters, Explanation, Side};
use crate::shingle;
use crate::verify::{self, Compared};

/// Explains the pair and writes the explanation: status 1 when the two are
/// duplicates by the scan's rule, 0 when not. A file that cannot be read is
/// an error (status 2, from `main`).
pub fn run(config: &ExplainConfig, out: &mut dyn Write) -> Result<ExitStatus> {
    let explanation = explain(config)?;
    let status = if explanation.duplicates {
        ExitStatus::DuplicatesFound
    } else {
        ExitStatus::Clean
    };
    match render::write(&explanation, config.format, out) {
        // A reader that went away (`| head`) has what it wanted.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(status),
        result => {
            result.context("cannot write the explanation to standard output")?;
            Ok(status)
        }
    }
}

/// One file read, normalized and shingled.
struct Read {
    side: Side,
    compared: Compared,
    /// Sorted distinct sentence hashes, as a scan keeps them.
    sentence_set: Vec<u64>,
    /// Each sentence's hash, in reading order.
    hashes: Vec<Option<u64>>,
}

impl Read {
    /// Sentences with their hashes, as [`evidence::align`] takes them.
    fn view(&self) -> Vec<(&str, Option<u64>)> {
        let texts = self.side.sentences.iter().map(String::as_str);
        texts.zip(self.hashes.iter().copied()).collect()
    }
}

/// Builds the explanation of a pair.
pub fn explain(config: &ExplainConfig) -> Result<Explanation> {
    let a = read(&config.paths[0], config)?;
    let b = read(&config.paths[1], config)?;
    // Every shingle weighs 1, as in a scan that learned no template.
    let scores = verify::compare(&a.compared, &b.compared);
    let long_enough = [&a, &b]
        .iter()
        .all(|r| r.side.words >= config.shingle.min_words);
    let rows = evidence::align(&a.view(), &b.view());
    let counts = evidence::counts(&a.sentence_set, &b.sentence_set);
    Ok(Explanation {
        parameters: ExplainParameters {
            normalizer: NORMALIZER_VERSION,
            strip_lines: config.normalize.patterns(),
            shingle_size: config.shingle.size,
            min_words: config.shingle.min_words,
            threshold: config.verify.threshold,
            containment: config.verify.containment,
        },
        duplicates: long_enough && verify::is_duplicate(scores, &config.verify),
        scores,
        counts,
        rows,
        sides: [a.side, b.side],
    })
}

/// Where an article is: a whole file, or one line of a JSON Lines file
/// named `FILE:LINE` (as scan reports records).
fn locate(path: &Path) -> (Source, Option<u64>) {
    let whole = |path: &Path| Source {
        path: path.to_path_buf(),
        display: path.to_string_lossy().into_owned(),
        jsonl: false,
        stdin: None,
    };
    // A name that exists is a file, even if it ends in `:digits`.
    if path.exists() {
        return (whole(path), None);
    }
    let named = path.to_string_lossy();
    let record = named.rsplit_once(':').and_then(|(file, line)| {
        let line: u64 = line.parse().ok().filter(|&l| l > 0)?;
        Path::new(file).is_file().then(|| (file.to_string(), line))
    });
    match record {
        Some((file, line)) => {
            let mut source = whole(Path::new(&file));
            source.jsonl = true;
            source.display = file;
            (source, Some(line))
        }
        None => (whole(path), None),
    }
}

fn read(path: &Path, config: &ExplainConfig) -> Result<Read> {
    let (source, line) = locate(path);
    let shown = crate::corpus::label(&source.display, line);
    let text = match input::read_one(&source, &config.input, line) {
        Loaded::Text { text, .. } => text,
        Loaded::Skip(reason) => bail!("{shown}: {}", reason.describe()),
        Loaded::Failed(problem) => bail!("{}: {}", problem.label(), problem.detail),
    };
    let canonical = normalize::traced(&text, &config.normalize);
    let shingled = shingle::set(&canonical.text, &config.shingle, |_| 1.0);
    let sentences: Vec<String> = canonical.sentences().map(str::to_string).collect();
    let hashes = sentences
        .iter()
        .map(|s| shingle::sentence_hash(s, &config.shingle))
        .collect();
    Ok(Read {
        side: Side {
            path: shown,
            words: shingled.words,
            shingles: shingled.set.len(),
            sentences,
            removed: canonical.removed,
        },
        compared: Compared {
            set: shingled.set,
            weights: Vec::new(),
        },
        sentence_set: shingled.sentences,
        hashes,
    })
}
