//! The order of the stages, and nothing else: `run` takes a config and
//! returns the report; [`add`] runs the same stages to fill an index, and
//! [`against`] to check a batch against one.
//!
//! A scan reads every input twice at most (group members once more for the
//! HTML review page), to keep memory proportional to the sketches rather
//! than to the corpus text (standard input, which cannot be read twice, is
//! the exception: its bytes are kept from the walk):
//! 1. every article (a file, or a record of a JSON Lines file) is read,
//!    normalized and shingled; only a fingerprint of its
//!    shingle set, its size, its sentence hashes and its MinHash signature
//!    are kept;
//! 2. documents with identical shingle sets form exact classes, and one
//!    member of each class goes into the candidate search;
//! 3. the shingle sets of articles in candidate pairs are rebuilt, now with
//!    template weights, from canonical text kept from pass 1 while it fits
//!    in [`KEPT_TEXT_BYTES`], or else by reading the article again (a JSON
//!    Lines file once for all its records that are needed; a file whose set
//!    changed meanwhile is reported, not scored); the pairs are verified on
//!    the exact sets, and the verified pairs and exact classes are grouped;
//! 4. for `--format html` only, [`crate::review`] reads the group members
//!    again and sets each against its representative.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::candidates::{self, Banding};
use crate::config::Config;
use crate::corpus::{label, Problem, ProblemKind, Record, SkipReason, Source};
use crate::evidence;
use crate::group::{self, Completeness};
use crate::index::IndexParameters;
use crate::input::{self, Found, Loaded};
use crate::normalize;
use crate::progress::Progress;
use crate::report::{Group, Member, Parameters, Report, Summary};
use crate::review;
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

/// Canonical text kept in memory from the first pass for the second, in
/// bytes, over all documents.
///
/// Why: reading and normalizing an article again costs as much as the
/// first time, and in a corpus of ordinary size every document fits; past
/// this budget (a corpus of a gigabyte or more) the rest are read again, so
/// memory stays proportional to the sketches. Which documents are kept
/// depends on thread timing, but the text is the same either way, so the
/// report is too. The text stays until the documents are freed, after
/// grouping.
pub const KEPT_TEXT_BYTES: usize = 64 << 20;

/// Runs a whole scan.
pub fn run(config: &Config, progress: &Progress) -> Report {
    let started = Instant::now();
    let banding = banding(config);
    let (walk, mut tally) = walk(config);

    progress.stage("reading", walk.sources.len());
    let hashers = Hashers::new(&config.sketch);
    let budget = AtomicUsize::new(kept_text_budget());
    let outcomes: Vec<Vec<Outcome>> = walk
        .sources
        .par_iter()
        .map(|source| {
            let found = each_batched(source, config, None, |article| {
                let Found { line, id, loaded } = article;
                (line, id, first_pass(loaded, config, &hashers, &budget))
            });
            progress.step();
            found
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
    let signatures = Signatures::gather(config.sketch.permutations, classes.reps.len(), |i| {
        &docs[classes.reps[i]].signature
    });
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
    let counted = Counted {
        articles: docs.len(),
        candidate_pairs: pairs.len(),
        template_sentences: templates.len(),
        started,
    };
    // Freeing every document's vectors and kept text is serial work that
    // nothing waits for (about 10 ms at 20,000 documents): it runs on a
    // thread of its own while the report is written, and a process that
    // exits first leaves it to the operating system.
    std::thread::spawn(move || drop((docs, sets, signatures, pairs, edges, classes)));
    finish(config, banding, &walk, tally, groups, counted, progress)
}

/// Walks the input and starts the tally with what the walk passed over or
/// could not walk (and "no files" when it found nothing at all).
fn walk(config: &Config) -> (input::Walk, Tally) {
    // The normalizer's patterns are compiled on another thread meanwhile:
    // the walk is a serial start, and the compiling would be one too.
    let mut walk = std::thread::scope(|scope| {
        scope.spawn(crate::normalize::prepare);
        input::walk(&config.input)
    });
    let mut tally = Tally::default();
    for (path, reason) in &walk.skipped {
        tally.skip(path, *reason);
    }
    tally.problems.append(&mut walk.problems);
    if walk.sources.is_empty() && tally.problems.is_empty() {
        tally.problems.push(no_files(config));
    }
    (walk, tally)
}

/// The run's counts that the summary reports besides the tally's.
struct Counted {
    articles: usize,
    candidate_pairs: usize,
    template_sentences: usize,
    started: Instant,
}

/// The last steps a scan and a query share: the review page's text (HTML
/// only), then the report with its summary, problems in order.
fn finish(
    config: &Config,
    banding: Banding,
    walk: &input::Walk,
    mut tally: Tally,
    mut groups: Vec<Group>,
    counted: Counted,
    progress: &Progress,
) -> Report {
    if let Some(options) = &config.review {
        progress.stage("reading group members", groups.len());
        review::attach(&mut groups, &walk.sources, config, options, progress);
    }
    progress.finish();
    tally.problems.sort();
    // A JSON Lines file that fails as a whole on its second read fails once
    // for every record needed from it: say so once.
    tally.problems.dedup();
    tally.skipped_files.sort();
    let summary = Summary {
        files_seen: walk.sources.len() + walk.skipped.len(),
        articles_compared: counted.articles,
        skipped: skip_counts(&tally),
        lossy_decoded: tally.lossy,
        candidate_pairs: counted.candidate_pairs,
        template_sentences: counted.template_sentences,
        groups: groups.len(),
        duplicate_articles: groups.iter().map(|g| g.members.len() - 1).sum(),
        new_groups: groups.len(),
        elapsed_seconds: counted.started.elapsed().as_secs_f64(),
    };
    Report {
        parameters: parameters(config, banding),
        groups,
        problems: tally.problems,
        skipped_files: tally.skipped_files,
        summary,
        baseline: false,
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
        matching: IndexParameters::of(config, banding),
        max_bytes: config.input.max_bytes,
        follow_links: config.input.follow_links,
        text_field: config.input.text_field.clone(),
        id_field: config.input.id_field.clone(),
    }
}

fn no_files(config: &Config) -> Problem {
    let paths: Vec<String> = config
        .input
        .paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Problem::new(&paths.join(" "), ProblemKind::NoFiles, "no files to scan")
}

/// A document kept after the first pass.
struct Doc {
    /// Where it came from.
    record: Record,
    fingerprint: u128,
    completeness: Completeness,
    signature: Signature,
    sentences: Vec<u64>,
    /// Canonical text kept for the second pass, if it fit the budget.
    kept: Option<String>,
}

/// The first pass over one article: its line and id (in a JSON Lines
/// source), and what became of it.
type Outcome = (Option<u64>, Option<String>, FirstPass);

enum FirstPass {
    Doc {
        fingerprint: u128,
        completeness: Completeness,
        signature: Signature,
        sentences: Vec<u64>,
        kept: Option<String>,
        lossy: bool,
    },
    Skip(SkipReason),
    Failed(Problem),
}

/// Normalizes one article's text: the work both passes share. Returns the
/// canonical text and whether decoding was lossy.
fn analyse(loaded: Loaded, config: &Config) -> Result<(String, bool), FirstPass> {
    match loaded {
        Loaded::Text { text, lossy } => {
            // The raw text is freed on return, before shingling, so a large
            // document is not held three times at once.
            Ok((normalize::article(&text, &config.normalize).text, lossy))
        }
        Loaded::Skip(reason) => Err(FirstPass::Skip(reason)),
        Loaded::Failed(problem) => Err(FirstPass::Failed(problem)),
    }
}

/// [`KEPT_TEXT_BYTES`], except in debug builds under test hooks: none when
/// the run pauses between the passes (those tests change files meanwhile
/// and need the second pass to read them again), and
/// `NEWSDEDUP_TEST_KEPT_TEXT` bytes when that is set (to test that kept and
/// re-read texts give the same report).
fn kept_text_budget() -> usize {
    #[cfg(debug_assertions)]
    {
        if std::env::var_os("NEWSDEDUP_TEST_PAUSE").is_some() {
            return 0;
        }
        let forced = std::env::var("NEWSDEDUP_TEST_KEPT_TEXT").ok();
        if let Some(bytes) = forced.and_then(|b| b.parse().ok()) {
            return bytes;
        }
    }
    KEPT_TEXT_BYTES
}

/// Takes `bytes` out of the budget if they fit.
fn take(budget: &AtomicUsize, bytes: usize) -> bool {
    budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(bytes)
        })
        .is_ok()
}

fn first_pass(
    loaded: Loaded,
    config: &Config,
    hashers: &Hashers,
    budget: &AtomicUsize,
) -> FirstPass {
    let (canonical, lossy) = match analyse(loaded, config) {
        Ok(done) => done,
        Err(outcome) => return outcome,
    };
    // Templates are not known yet: they are learned from this pass.
    let shingled = shingle::set(&canonical, &config.shingle, |_| 1.0);
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
        kept: take(budget, canonical.len()).then_some(canonical),
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

/// Why a file gave no document (the index commands).
enum NotRead {
    Skip(SkipReason),
    Failed(Problem),
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

/// One article of a source analysed whole, for the index commands.
struct Analysed {
    /// Its line and id, for a record of a JSON Lines source.
    line: Option<u64>,
    id: Option<String>,
    result: Result<(WholeDoc, bool), NotRead>,
}

/// Reads one source and analyses every article in it whole (one read, no
/// second pass), in order, for the index commands; a JSON Lines source's
/// records are analysed in parallel batches, as a scan's are.
fn wholes(source: &Source, config: &Config, hashers: &Hashers) -> Vec<Analysed> {
    each_batched(source, config, None, |found| {
        analysed(found, config, hashers)
    })
}

/// One article found in a source, analysed whole.
fn analysed(found: Found, config: &Config, hashers: &Hashers) -> Analysed {
    Analysed {
        line: found.line,
        id: found.id,
        result: whole(found.loaded, config, hashers),
    }
}

/// Analyses one loaded article whole.
fn whole(loaded: Loaded, config: &Config, hashers: &Hashers) -> Result<(WholeDoc, bool), NotRead> {
    let (canonical, lossy) = match loaded {
        Loaded::Text { text, lossy } => (normalize::article(&text, &config.normalize).text, lossy),
        Loaded::Skip(reason) => return Err(NotRead::Skip(reason)),
        Loaded::Failed(problem) => return Err(NotRead::Failed(problem)),
    };
    let sentences = shingle::sentences(&canonical, &config.shingle);
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

    /// Keeps the documents of the first pass, in source order and line
    /// order within a source (so document ids follow path and line), and
    /// counts the rest.
    fn collect(&mut self, outcomes: Vec<Vec<Outcome>>, sources: &[Source]) -> Vec<Doc> {
        let mut docs = Vec::with_capacity(outcomes.iter().map(Vec::len).sum());
        for (source, found) in outcomes.into_iter().enumerate() {
            for (line, id, outcome) in found {
                match outcome {
                    FirstPass::Doc {
                        fingerprint,
                        completeness,
                        signature,
                        sentences,
                        kept,
                        lossy,
                    } => {
                        self.lossy += usize::from(lossy);
                        docs.push(Doc {
                            record: Record { source, line, id },
                            fingerprint,
                            completeness,
                            signature,
                            sentences,
                            kept,
                        });
                    }
                    FirstPass::Skip(reason) => {
                        self.skip(&label(&sources[source].display, line), reason);
                    }
                    FirstPass::Failed(problem) => self.problems.push(problem),
                }
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
        // The keys copied out first: sorting by `docs[d].fingerprint` read
        // the documents in random order at every comparison.
        let mut order: Vec<(u128, usize)> = docs
            .iter()
            .enumerate()
            .map(|(d, doc)| (doc.fingerprint, d))
            .collect();
        order.par_sort_unstable();
        let mut of_doc = vec![0; docs.len()];
        let mut reps: Vec<usize> = Vec::new();
        for run in order.chunk_by(|x, y| x.0 == y.0) {
            for &(_, d) in run {
                of_doc[d] = reps.len() as u32;
            }
            reps.push(run[0].1);
        }
        // Renumber classes by their first document so class ids, like
        // document ids, follow path order.
        let mut by_rep: Vec<u32> = (0..reps.len() as u32).collect();
        by_rep.par_sort_unstable_by_key(|&c| reps[c as usize]);
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

/// The records needed from one source in the second pass: each one's line
/// (in a JSON Lines source) and class, in line order.
type Wanted = Vec<(Option<u64>, u32)>;

/// Second pass: rebuilds the shingles of every class in a candidate pair,
/// now with template sentences known, from the kept canonical text or by
/// reading the article again. A file that fails now, or whose set no longer
/// matches its fingerprint, is reported and left out.
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
    let rebuild = |text: &str| {
        let shingled = shingle::set(text, &config.shingle, |s| templates.weight(s));
        Compared {
            set: shingled.set,
            weights: shingled.weights,
        }
    };
    let (kept, reread): (Vec<u32>, Vec<u32>) = needed
        .into_iter()
        .partition(|&class| docs[classes.reps[class as usize]].kept.is_some());
    let mut sets: HashMap<u32, Compared> = kept
        .par_iter()
        .filter_map(|&class| {
            let text = docs[classes.reps[class as usize]].kept.as_deref()?;
            Some((class, rebuild(text)))
        })
        .collect();
    // Group the records read again by source, so a JSON Lines file is read
    // once for all of them, in line order.
    let mut by_source: BTreeMap<usize, Wanted> = BTreeMap::new();
    for &class in &reread {
        let record = &docs[classes.reps[class as usize]].record;
        by_source
            .entry(record.source)
            .or_default()
            .push((record.line, class));
    }
    let by_source: Vec<(usize, Wanted)> = by_source.into_iter().collect();
    let loaded: Vec<(u32, Result<Compared, Problem>)> = by_source
        .par_iter()
        .flat_map_iter(|(source, wanted)| {
            let source = &sources[*source];
            let lines: Vec<u64> = wanted.iter().filter_map(|&(line, _)| line).collect();
            let class_of: HashMap<Option<u64>, u32> = wanted.iter().copied().collect();
            let changed = |line| Problem {
                path: source.display.clone(),
                line,
                kind: ProblemKind::Changed,
                detail: "file changed during the scan; left out of grouping".to_string(),
            };
            // Each article is rebuilt as it is read, so only a batch of
            // texts is held at once, never a whole JSON Lines file's.
            let mut found: HashMap<Option<u64>, Result<Compared, Problem>> =
                each_batched(source, config, Some(&lines), |article| {
                    let line = article.line;
                    let result = match (class_of.get(&line), article.loaded) {
                        // A failure of the whole source (it vanished, its
                        // compressed data broke).
                        (None, Loaded::Failed(problem)) => Err(problem),
                        (None, _) => Err(changed(line)),
                        (Some(&class), loaded) => {
                            let doc = &docs[classes.reps[class as usize]];
                            match analyse(loaded, config).map(|(text, _)| rebuild(&text)) {
                                Ok(set) if set.set.fingerprint() == doc.fingerprint => Ok(set),
                                Err(FirstPass::Failed(problem)) => Err(problem),
                                _ => Err(changed(line)),
                            }
                        }
                    };
                    (line, result)
                })
                .into_iter()
                .collect();
            // A failure of the whole source stands for each record not read.
            let whole = match found.get(&None) {
                Some(Err(problem)) if source.jsonl => Some(problem.clone()),
                _ => None,
            };
            wanted
                .iter()
                .map(|&(line, class)| {
                    let result = found
                        .remove(&line)
                        .unwrap_or_else(|| Err(whole.clone().unwrap_or_else(|| changed(line))));
                    (class, result)
                })
                .collect::<Vec<_>>()
        })
        .collect();
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

/// Reads one source and maps `work` over its articles, in order. Articles
/// are taken in batches worked on in parallel, so one large JSON Lines file
/// keeps every core busy, and bounded in number and size, so only one
/// batch of texts is held at a time.
fn each_batched<T: Send>(
    source: &Source,
    config: &Config,
    wanted: Option<&[u64]>,
    work: impl Fn(Found) -> T + Sync,
) -> Vec<T> {
    // Why these bounds: a few hundred news articles (about 1 MB) amortise
    // the hand-over to the thread pool; 16 MiB caps what a batch of long
    // records holds.
    const ARTICLES: usize = 256;
    const BYTES: usize = 16 << 20;
    // A plain file is one article: no batch to hand over, and room for one
    // result (a first push would make room for four, a million times over).
    if !source.jsonl {
        let mut out = Vec::with_capacity(1);
        input::read(source, &config.input, wanted, &mut |article| {
            out.push(work(article));
        });
        return out;
    }
    let mut out = Vec::new();
    let mut batch: Vec<Found> = Vec::new();
    let mut bytes = 0;
    let flush = |batch: &mut Vec<Found>, out: &mut Vec<T>| {
        out.par_extend(batch.par_drain(..).map(&work));
    };
    input::read(source, &config.input, wanted, &mut |article| {
        if let Loaded::Text { text, .. } = &article.loaded {
            bytes += text.len();
        }
        batch.push(article);
        if batch.len() >= ARTICLES || bytes >= BYTES {
            flush(&mut batch, &mut out);
            bytes = 0;
        }
    });
    flush(&mut batch, &mut out);
    out
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
    groups.sort_by(|a, b| {
        (&a.representative, a.members[0].line).cmp(&(&b.representative, b.members[0].line))
    });
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
                path: sources[doc.record.source].display.clone(),
                line: doc.record.line,
                id: doc.record.id.clone(),
                fingerprint: doc.fingerprint,
                jaccard,
                containment,
                exact,
                words: doc.completeness.words,
                sentences: evidence::counts(&doc.sentences, &docs[rep as usize].sentences),
                review: None,
                indexed: false,
            }
        })
        .collect();
    Group {
        id: 0,
        representative: sources[docs[rep as usize].record.source].display.clone(),
        new: true,
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
