//! The order of the stages, and nothing else: `run` takes a config and
//! returns the report; [`add`] runs the same stages to fill an index, and
//! [`against`] to check a batch against one.
//!
//! A scan reads every file twice at most, to keep memory proportional to the
//! sketches rather than to the corpus text:
//! 1. every file is read, normalized and shingled; only a fingerprint of its
//!    shingle set, its size, its sentence hashes and its MinHash signature
//!    are kept;
//! 2. documents with identical shingle sets form exact classes, and one
//!    member of each class goes into the candidate search;
//! 3. the files behind candidate pairs are read again and their shingle sets
//!    rebuilt (a file whose set changed meanwhile is reported, not scored),
//!    the pairs are verified on the exact sets, and the verified pairs and
//!    exact classes are grouped.

use std::collections::HashMap;
use std::time::Instant;

use rayon::prelude::*;

use crate::candidates::{self, Banding};
use crate::config::Config;
use crate::corpus::{Problem, ProblemKind, SkipReason, Source};
use crate::group::{self, Completeness};
use crate::input::{self, Loaded};
use crate::normalize;
use crate::progress::Progress;
use crate::report::{Group, Member, Parameters, Report, Summary};
use crate::shingle::{self, Sentences};
use crate::sketch::{Hashers, Signature, Signatures};
use crate::template::Templates;
use crate::verify::{self, Compared};

mod add;
mod against;

pub use add::{add, Added};
pub use against::against;

/// Version of the normalizer's rules, reported in `parameters`. Bump it
/// whenever canonical text changes for some input.
pub const NORMALIZER_VERSION: u32 = 2;

/// Runs a whole scan.
pub fn run(config: &Config, progress: &Progress) -> Report {
    let started = Instant::now();
    let banding = banding(config);
    let walk = input::walk(&config.input);
    let mut tally = Tally::default();
    for (path, reason) in &walk.skipped {
        tally.skip(path, *reason);
    }
    tally.problems.extend(walk.problems);
    if walk.sources.is_empty() && tally.problems.is_empty() {
        tally.problems.push(no_files(config));
    }

    progress.stage("reading", walk.sources.len());
    let hashers = Hashers::new(&config.sketch);
    let outcomes: Vec<FirstPass> = walk
        .sources
        .par_iter()
        .map(|source| {
            let outcome = first_pass(source, config, &hashers);
            progress.step();
            outcome
        })
        .collect();
    let docs = tally.collect(outcomes, &walk.sources);
    #[cfg(debug_assertions)]
    test_hooks::between_passes();

    let classes = Classes::of(&docs);
    let templates = Templates::learn(
        classes.reps.iter().map(|&d| docs[d].sentences.as_slice()),
        config.verify.template_docs,
    );
    let mut signatures = Signatures::new(config.sketch.permutations);
    for &d in &classes.reps {
        signatures.push(&docs[d].signature);
    }
    let floor = verify::jaccard_floor(&config.verify);
    let min_estimate = candidates::min_estimate(floor, config.sketch.permutations);
    let pairs = candidates::pairs(&signatures, banding, min_estimate);

    progress.stage("verifying", pairs.len());
    let sets = reload(
        &pairs,
        &classes,
        &docs,
        &walk.sources,
        config,
        &templates,
        &mut tally.problems,
    );
    let edges: Vec<(u32, u32)> = pairs
        .par_iter()
        .filter(|&&(a, b)| {
            progress.step();
            match (sets.get(&a), sets.get(&b)) {
                (Some(x), Some(y)) => verify::is_duplicate(verify::compare(x, y), &config.verify),
                _ => false,
            }
        })
        .copied()
        .collect();

    let groups = build_groups(&docs, &classes, &edges, &sets, &walk.sources);
    progress.finish();
    tally.problems.sort();
    let summary = Summary {
        files_seen: walk.sources.len() + walk.skipped.len(),
        articles_compared: docs.len(),
        skipped: skip_counts(&tally),
        lossy_decoded: tally.lossy,
        candidate_pairs: pairs.len(),
        template_sentences: templates.len(),
        groups: groups.len(),
        duplicate_articles: groups.iter().map(|g| g.members.len() - 1).sum(),
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    tally.skipped_files.sort();
    Report {
        parameters: parameters(config, banding),
        groups,
        problems: tally.problems,
        skipped_files: tally.skipped_files,
        summary,
    }
}

/// The LSH layout: `--bands` if given, else derived from the thresholds so
/// that pairs at the lowest Jaccard a duplicate can have
/// ([`verify::jaccard_floor`]: 0.30 at the defaults, a teaser holding 40%
/// of an article) become candidates with probability at least 0.99.
pub fn banding(config: &Config) -> Banding {
    match config.sketch.bands {
        Some(bands) => Banding::with_bands(config.sketch.permutations, bands),
        None => Banding::for_floor(
            config.sketch.permutations,
            verify::jaccard_floor(&config.verify),
        ),
    }
}

fn parameters(config: &Config, banding: Banding) -> Parameters {
    Parameters {
        normalizer: NORMALIZER_VERSION,
        strip_lines: config
            .normalize
            .strip_lines
            .iter()
            .map(|re| re.as_str().to_string())
            .collect(),
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
        max_bytes: config.input.max_bytes,
        follow_links: config.input.follow_links,
    }
}

fn no_files(config: &Config) -> Problem {
    let paths: Vec<String> = config
        .input
        .paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Problem {
        path: paths.join(" "),
        kind: ProblemKind::NoFiles,
        detail: "no files to scan".to_string(),
    }
}

/// A document kept after the first pass.
struct Doc {
    /// Index into the walk's sources.
    source: usize,
    fingerprint: u128,
    completeness: Completeness,
    signature: Signature,
    sentences: Vec<u64>,
}

/// Why a file gave no document.
enum NotRead {
    Skip(SkipReason),
    Failed(Problem),
}

impl From<NotRead> for FirstPass {
    fn from(not: NotRead) -> Self {
        match not {
            NotRead::Skip(reason) => FirstPass::Skip(reason),
            NotRead::Failed(problem) => FirstPass::Failed(problem),
        }
    }
}

enum FirstPass {
    Doc {
        fingerprint: u128,
        completeness: Completeness,
        signature: Signature,
        sentences: Vec<u64>,
        lossy: bool,
    },
    Skip(SkipReason),
    Failed(Problem),
}

/// Reads, normalizes and shingles one file: the work both passes (and the
/// index commands) share.
fn analyse(source: &Source, config: &Config) -> Result<(Sentences, bool), NotRead> {
    match input::read(source, &config.input) {
        Loaded::Text { text, lossy } => {
            let canonical = normalize::article(&text, &config.normalize);
            // The raw text is not needed any more: free it before shingling,
            // so a large document is not held three times at once.
            drop(text);
            Ok((shingle::sentences(&canonical.text, &config.shingle), lossy))
        }
        Loaded::Skip(reason) => Err(NotRead::Skip(reason)),
        Loaded::Failed(problem) => Err(NotRead::Failed(problem)),
    }
}

fn first_pass(source: &Source, config: &Config, hashers: &Hashers) -> FirstPass {
    // Templates are not known yet: they are learned from this pass.
    let (shingled, lossy) = match analyse(source, config) {
        Ok((sentences, lossy)) => (sentences.shingled(|_| 1.0), lossy),
        Err(not) => return not.into(),
    };
    if let Some(reason) = too_short(shingled.words, config) {
        return FirstPass::Skip(reason);
    }
    FirstPass::Doc {
        fingerprint: shingled.set.fingerprint(),
        completeness: Completeness {
            shingles: shingled.set.len(),
            words: shingled.words,
        },
        signature: hashers.signature(&shingled.set),
        sentences: shingled.sentences,
        lossy,
    }
}

/// Why a document of `words` words is skipped, if it is. Why skip short
/// documents rather than compare them: with a handful of words any two
/// texts look alike or unlike by accident, and an empty set must never
/// match another empty set.
fn too_short(words: usize, config: &Config) -> Option<SkipReason> {
    if words == 0 {
        Some(SkipReason::Empty)
    } else if words < config.shingle.min_words {
        Some(SkipReason::TooShort)
    } else {
        None
    }
}

/// A document analysed whole, as the index commands keep it: what a scan's
/// first pass keeps, plus its sentences and shingles.
struct WholeDoc {
    fingerprint: u128,
    completeness: Completeness,
    signature: Signature,
    /// Distinct sentence hashes, sorted.
    distinct: Vec<u64>,
    sentences: Sentences,
}

/// Reads and analyses one file whole (one read, no second pass).
fn whole(source: &Source, config: &Config, hashers: &Hashers) -> Result<(WholeDoc, bool), NotRead> {
    let (sentences, lossy) = analyse(source, config)?;
    if let Some(reason) = too_short(sentences.words, config) {
        return Err(NotRead::Skip(reason));
    }
    let shingled = sentences.clone().shingled(|_| 1.0);
    Ok((
        WholeDoc {
            fingerprint: shingled.set.fingerprint(),
            completeness: Completeness {
                shingles: shingled.set.len(),
                words: shingled.words,
            },
            signature: hashers.signature(&shingled.set),
            distinct: shingled.sentences,
            sentences,
        },
        lossy,
    ))
}

/// The summary's skip counts, every reason listed.
fn skip_counts(tally: &Tally) -> Vec<(SkipReason, usize)> {
    SkipReason::ALL
        .iter()
        .map(|&reason| (reason, tally.skipped.get(&reason).copied().unwrap_or(0)))
        .collect()
}

#[derive(Default)]
struct Tally {
    skipped: HashMap<SkipReason, usize>,
    skipped_files: Vec<(String, SkipReason)>,
    lossy: usize,
    problems: Vec<Problem>,
}

impl Tally {
    fn skip(&mut self, path: &str, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
        self.skipped_files.push((path.to_string(), reason));
    }

    fn collect(&mut self, outcomes: Vec<FirstPass>, sources: &[Source]) -> Vec<Doc> {
        let mut docs = Vec::new();
        for (source, outcome) in outcomes.into_iter().enumerate() {
            match outcome {
                FirstPass::Doc {
                    fingerprint,
                    completeness,
                    signature,
                    sentences,
                    lossy,
                } => {
                    self.lossy += usize::from(lossy);
                    docs.push(Doc {
                        source,
                        fingerprint,
                        completeness,
                        signature,
                        sentences,
                    });
                }
                FirstPass::Skip(reason) => self.skip(&sources[source].display, reason),
                FirstPass::Failed(problem) => self.problems.push(problem),
            }
        }
        docs
    }
}

/// Documents with identical shingle sets. Each class is represented in the
/// candidate search by its first document, so 50,000 copies of one page
/// cost one search entry, not 50,000² pairs.
struct Classes {
    /// Class of each document.
    of_doc: Vec<u32>,
    /// First document of each class.
    reps: Vec<usize>,
}

impl Classes {
    fn of(docs: &[Doc]) -> Self {
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by_key(|&d| (docs[d].fingerprint, d));
        let mut of_doc = vec![0; docs.len()];
        let mut reps: Vec<usize> = Vec::new();
        for run in order.chunk_by(|&x, &y| docs[x].fingerprint == docs[y].fingerprint) {
            for &d in run {
                of_doc[d] = reps.len() as u32;
            }
            reps.push(run[0]);
        }
        // Renumber classes by their first document so class ids, like
        // document ids, follow path order.
        let mut by_rep: Vec<u32> = (0..reps.len() as u32).collect();
        by_rep.sort_by_key(|&c| reps[c as usize]);
        let mut renumber = vec![0; reps.len()];
        for (new, &old) in by_rep.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        Classes {
            of_doc: of_doc.iter().map(|&c| renumber[c as usize]).collect(),
            reps: by_rep.iter().map(|&c| reps[c as usize]).collect(),
        }
    }
}

/// Second pass: rebuilds the shingles of every class in a candidate pair,
/// now with template sentences known. A file that fails now, or whose set no
/// longer matches its fingerprint, is reported and left out.
fn reload(
    pairs: &[(u32, u32)],
    classes: &Classes,
    docs: &[Doc],
    sources: &[Source],
    config: &Config,
    templates: &Templates,
    problems: &mut Vec<Problem>,
) -> HashMap<u32, Compared> {
    let mut needed: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    needed.sort_unstable();
    needed.dedup();
    let loaded: Vec<(u32, Result<Compared, Problem>)> = needed
        .par_iter()
        .map(|&class| {
            let doc = &docs[classes.reps[class as usize]];
            let source = &sources[doc.source];
            let analysed = analyse(source, config)
                .map(|(sentences, lossy)| (sentences.shingled(|s| templates.weight(s)), lossy));
            let result = match analysed {
                Ok((shingled, _)) if shingled.set.fingerprint() == doc.fingerprint => {
                    Ok(Compared {
                        set: shingled.set,
                        weights: shingled.weights,
                    })
                }
                Err(NotRead::Failed(problem)) => Err(problem),
                _ => Err(Problem {
                    path: source.display.clone(),
                    kind: ProblemKind::Changed,
                    detail: "file changed during the scan; left out of grouping".to_string(),
                }),
            };
            (class, result)
        })
        .collect();
    let mut sets = HashMap::new();
    for (class, result) in loaded {
        match result {
            Ok(set) => {
                sets.insert(class, set);
            }
            Err(problem) => problems.push(problem),
        }
    }
    sets
}

fn build_groups(
    docs: &[Doc],
    classes: &Classes,
    class_edges: &[(u32, u32)],
    sets: &HashMap<u32, Compared>,
    sources: &[Source],
) -> Vec<Group> {
    // Link every document to its class's first document, and the first
    // documents of verified class pairs to each other.
    let mut edges: Vec<(u32, u32)> = (0..docs.len())
        .map(|d| (d as u32, classes.reps[classes.of_doc[d] as usize] as u32))
        .filter(|(d, rep)| d != rep)
        .collect();
    edges.extend(class_edges.iter().map(|&(a, b)| {
        (
            classes.reps[a as usize] as u32,
            classes.reps[b as usize] as u32,
        )
    }));
    let mut groups: Vec<Group> = group::cluster(docs.len(), &edges)
        .into_iter()
        .map(|members| group_of(&members, docs, classes, sets, sources))
        .collect();
    groups.sort_by(|a, b| a.representative.cmp(&b.representative));
    for (i, group) in groups.iter_mut().enumerate() {
        group.id = i + 1;
    }
    groups
}

fn group_of(
    members: &[u32],
    docs: &[Doc],
    classes: &Classes,
    sets: &HashMap<u32, Compared>,
    sources: &[Source],
) -> Group {
    let rep = group::representative(members, |d| docs[d as usize].completeness);
    let rep_class = classes.of_doc[rep as usize];
    let mut ordered = vec![rep];
    ordered.extend(members.iter().copied().filter(|&d| d != rep));
    let members = ordered
        .into_iter()
        .map(|d| {
            let doc = &docs[d as usize];
            let class = classes.of_doc[d as usize];
            let (jaccard, containment, exact) = if class == rep_class {
                (1.0, 1.0, true)
            } else {
                let set = |c: u32| {
                    sets.get(&c)
                        .expect("a class grouped with another was verified, so its set is loaded")
                };
                let scores = verify::compare(set(class), set(rep_class));
                (scores.jaccard, scores.containment, false)
            };
            Member {
                path: sources[doc.source].display.clone(),
                jaccard,
                containment,
                exact,
                words: doc.completeness.words,
                indexed: false,
            }
        })
        .collect();
    Group {
        id: 0,
        representative: sources[docs[rep as usize].source].display.clone(),
        members,
    }
}

/// Hooks that let integration tests act at a chosen moment of a run (change
/// files between the two reads, send a signal mid-scan, provoke a bug).
/// Compiled into debug builds only, never into a release.
#[cfg(debug_assertions)]
mod test_hooks {
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    /// With `NEWSDEDUP_TEST_PAUSE=FILE`: after the first pass, creates
    /// `FILE.paused` and waits (up to a minute) until `FILE` exists. With
    /// `NEWSDEDUP_TEST_PANIC` set: panics here.
    pub fn between_passes() {
        assert!(
            std::env::var_os("NEWSDEDUP_TEST_PANIC").is_none(),
            "test hook: a deliberate panic"
        );
        let Some(go) = std::env::var_os("NEWSDEDUP_TEST_PAUSE").map(PathBuf::from) else {
            return;
        };
        let mut paused = go.clone().into_os_string();
        paused.push(".paused");
        let _ = std::fs::write(&paused, b"");
        let started = Instant::now();
        while !go.exists() && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
