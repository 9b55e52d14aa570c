//! An index's parameters: every setting that changes what is stored or
//! what matches, fixed when the index is created, and compared with a
//! query's in flag terms.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::candidates::Banding;
use crate::config::{
    Config, InputOptions, NormalizeOptions, ShingleOptions, SketchOptions, VerifyOptions,
};

/// Every setting that changes what is stored or what matches: an index
/// answers only with the parameters it was built with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexParameters {
    /// Normalizer rule-table version.
    pub normalizer: u32,
    /// Extra `--strip-line` patterns.
    pub strip_lines: Vec<String>,
    /// Words per shingle.
    pub shingle_size: usize,
    /// Minimum words for a document to be stored or compared.
    pub min_words: usize,
    /// Seed of the token hash.
    pub shingle_seed: u64,
    /// MinHash permutations.
    pub permutations: usize,
    /// Seed of the MinHash functions.
    pub minhash_seed: u64,
    /// LSH bands.
    pub bands: usize,
    /// Rows per band.
    pub rows: usize,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold.
    pub containment: f64,
    /// Documents a sentence must occur in to be a template sentence.
    pub template_docs: usize,
}

impl IndexParameters {
    /// The parameters of a configuration with its LSH layout.
    pub fn of(config: &Config, banding: Banding) -> Self {
        IndexParameters {
            normalizer: crate::pipeline::NORMALIZER_VERSION,
            strip_lines: config.normalize.patterns(),
            shingle_size: config.shingle.size,
            min_words: config.shingle.min_words,
            shingle_seed: config.shingle.seed,
            permutations: config.sketch.permutations,
            minhash_seed: config.sketch.seed,
            bands: banding.bands,
            rows: banding.rows,
            threshold: config.verify.threshold,
            containment: config.verify.containment,
            template_docs: config.verify.template_docs,
        }
    }

    /// The LSH layout.
    pub fn banding(&self) -> Banding {
        Banding {
            bands: self.bands,
            rows: self.rows,
        }
    }

    /// The sketch settings.
    pub fn sketch(&self) -> SketchOptions {
        SketchOptions {
            permutations: self.permutations,
            seed: self.minhash_seed,
            bands: Some(self.bands),
        }
    }

    /// A configuration that reads `input` with these parameters.
    pub fn config(&self, input: InputOptions, threads: usize) -> Result<Config> {
        let strip_lines = self
            .strip_lines
            .iter()
            .map(|p| regex::Regex::new(p).with_context(|| format!("stored pattern {p:?}")))
            .collect::<Result<_>>()?;
        Ok(Config {
            input,
            normalize: NormalizeOptions { strip_lines },
            shingle: ShingleOptions {
                size: self.shingle_size,
                min_words: self.min_words,
                seed: self.shingle_seed,
            },
            sketch: self.sketch(),
            verify: VerifyOptions {
                threshold: self.threshold,
                containment: self.containment,
                template_docs: self.template_docs,
            },
            review: None,
            threads,
        })
    }

    /// Each setting of `given` that differs from these, in flag terms.
    pub fn differences(&self, given: &IndexParameters) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |what: &str, given: String, stored: String| {
            if given != stored {
                out.push(format!("{what} is {given} here but {stored} in the index"));
            }
        };
        differ(
            "the normalizer version",
            given.normalizer.to_string(),
            self.normalizer.to_string(),
        );
        differ(
            "--strip-line",
            format!("{:?}", given.strip_lines),
            format!("{:?}", self.strip_lines),
        );
        differ(
            "--shingle-size",
            given.shingle_size.to_string(),
            self.shingle_size.to_string(),
        );
        differ(
            "--min-words",
            given.min_words.to_string(),
            self.min_words.to_string(),
        );
        differ(
            "the shingle seed",
            given.shingle_seed.to_string(),
            self.shingle_seed.to_string(),
        );
        differ(
            "--permutations",
            given.permutations.to_string(),
            self.permutations.to_string(),
        );
        differ(
            "the MinHash seed",
            given.minhash_seed.to_string(),
            self.minhash_seed.to_string(),
        );
        differ(
            "--bands (bands x rows)",
            format!("{}x{}", given.bands, given.rows),
            format!("{}x{}", self.bands, self.rows),
        );
        differ(
            "--threshold",
            given.threshold.to_string(),
            self.threshold.to_string(),
        );
        differ(
            "--containment",
            given.containment.to_string(),
            self.containment.to_string(),
        );
        differ(
            "--template-docs",
            given.template_docs.to_string(),
            self.template_docs.to_string(),
        );
        out
    }
}
