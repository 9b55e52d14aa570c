//! `scan --against INDEX`: a batch checked against an index and against
//! itself, reported like a scan.
//!
//! 1. every batch file (or JSON Lines record) is read once and analysed
//!    whole (a batch is a day's scrape, so its shingles are kept in memory:
//!    about 2 KB an article);
//! 2. batch documents with identical shingle sets form exact classes; each
//!    class is looked up by fingerprint (an exact copy in the index) and by
//!    its LSH band keys (probed with every band key in the index's postings,
//!    read through once), and paired within the batch by the scan's
//!    candidate search;
//! 3. candidates from the index are filtered by the signature nibbles kept
//!    in the postings, then by their signatures, made again from their
//!    stored shingles (and only the [`candidates::MAX_BUCKET`] nearest kept
//!    per batch text, so chrome shared by thousands of indexed pages stays
//!    cheap),
//!    then the remaining pairs are verified on exact shingle sets, the
//!    index's read from its stored bodies;
//! 4. groups hold batch documents and the indexed documents they duplicate.
//!    Indexed documents are linked only through batch documents: a query
//!    never reports duplicates the index holds among its own documents.
//!
//! Template sentences are learned from the batch and the index together: a
//! sentence's document count is the batch's count (texts not already in
//! the index) plus the index's stored count.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use super::{finish, walk, wholes, Analysed, Classes, Counted, Doc, NotRead, WholeDoc};
use crate::candidates::{self, Banding};
use crate::config::Config;
use crate::corpus::{label, Record};
use crate::evidence;
use crate::group::{self, Completeness};
use crate::index::{band_key, probe_key, FingerprintMap, Index, Probe, StoredDoc};
use crate::progress::Progress;
use crate::report::{Group, Member, Report};
use crate::sketch::{Hashers, Signature, Signatures};
use crate::template::Templates;
use crate::verify::{self, Compared};

/// A document in a group: from the batch or from the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Node {
    Batch(usize),
    Indexed(i64),
}

/// Scans the files under `config.input` against `index`. The config's
/// parameters must be the index's (checked by the caller).
pub fn against(config: &Config, index: &Index, progress: &Progress) -> Result<Report> {
    let started = Instant::now();
    let banding = index.parameters().banding();
    let hashers = Hashers::new(&config.sketch);
    let (walk, mut tally) = walk(config);

    progress.stage("reading", walk.sources.len());
    let analysed: Vec<_> = walk
        .sources
        .par_iter()
        .map(|source| {
            let found = wholes(source, config, &hashers);
            progress.step();
            found
        })
        .collect();
    let mut docs: Vec<Doc> = Vec::new();
    let mut wholes: Vec<WholeDoc> = Vec::new();
    for (source, found) in analysed.into_iter().enumerate() {
        for Analysed { line, id, result } in found {
            match result {
                Ok((doc, lossy)) => {
                    tally.lossy += usize::from(lossy);
                    docs.push(Doc {
                        record: Record { source, line, id },
                        fingerprint: doc.fingerprint,
                        completeness: doc.completeness,
                        signature: doc.signature.clone(),
                        sentences: doc.distinct.clone(),
                        kept: None,
                    });
                    wholes.push(doc);
                }
                Err(NotRead::Skip(reason)) => {
                    tally.skip(&label(&walk.sources[source].display, line), reason)
                }
                Err(NotRead::Failed(problem)) => tally.problems.push(problem),
            }
        }
    }

    progress.stage("looking up", docs.len());
    let classes = Classes::of(&docs);
    let mut query = Query {
        index,
        hashers: &hashers,
        config,
        banding,
        docs: &docs,
        wholes: &wholes,
        classes: &classes,
        exact: Vec::new(),
        stored: BTreeMap::new(),
    };
    let by_fingerprint: FingerprintMap<usize> = classes
        .reps
        .iter()
        .enumerate()
        .map(|(c, &d)| (docs[d].fingerprint, c))
        .collect();
    query.exact = vec![None; classes.reps.len()];
    for (c, id) in index.fingerprint_matches(&by_fingerprint)? {
        query.exact[c] = Some(id);
    }
    let inner = query.batch_pairs();
    let outer = query.index_pairs()?;
    let templates = query.templates(&inner, &outer)?;
    let compared = query.compared(&inner, &outer, &templates)?;
    let verified = |a: u128, b: u128| {
        verify::is_duplicate(
            verify::compare(&compared[&a], &compared[&b]),
            &config.verify,
        )
    };
    let class_fp = |c: u32| docs[classes.reps[c as usize]].fingerprint;
    let mut edges: Vec<(Node, Node)> = Vec::new();
    for d in 0..docs.len() {
        let rep = classes.reps[classes.of_doc[d] as usize];
        if rep != d {
            edges.push((Node::Batch(d), Node::Batch(rep)));
        }
    }
    for (c, exact) in query.exact.iter().enumerate() {
        if let Some(id) = exact {
            edges.push((Node::Batch(classes.reps[c]), Node::Indexed(*id)));
        }
    }
    for &(a, b) in &inner {
        if verified(class_fp(a), class_fp(b)) {
            let rep = |c: u32| Node::Batch(classes.reps[c as usize]);
            edges.push((rep(a), rep(b)));
        }
    }
    for &(c, id) in &outer {
        if verified(class_fp(c), query.stored[&id].0) {
            edges.push((Node::Batch(classes.reps[c as usize]), Node::Indexed(id)));
        }
    }
    let groups = query.groups(&edges, &compared, &walk.sources)?;
    let counted = Counted {
        articles: docs.len(),
        candidate_pairs: inner.len() + outer.len(),
        template_sentences: templates.len(),
        started,
    };
    Ok(finish(
        config, banding, &walk, tally, groups, counted, progress,
    ))
}

/// What a group needs to know of a member, from the batch or the index.
struct Info<'a> {
    fingerprint: u128,
    path: &'a str,
    line: Option<u64>,
    id: Option<&'a str>,
    completeness: Completeness,
}

/// The state of one query.
struct Query<'a> {
    index: &'a Index,
    hashers: &'a Hashers,
    config: &'a Config,
    banding: Banding,
    docs: &'a [Doc],
    wholes: &'a [WholeDoc],
    classes: &'a Classes,
    /// The stored document with the same text as each class, if any.
    exact: Vec<Option<i64>>,
    /// Stored documents read so far, with their fingerprints.
    stored: BTreeMap<i64, (u128, StoredDoc)>,
}

impl Query<'_> {
    /// A group member's distinct sentence hashes, sorted, for its sentence
    /// counts against the representative.
    fn distinct(&self, n: Node) -> Vec<u64> {
        match n {
            Node::Batch(d) => self.docs[d].sentences.clone(),
            Node::Indexed(id) => {
                let mut hashes = self.stored[&id].1.sentences.hashes.clone();
                hashes.sort_unstable();
                hashes.dedup();
                hashes
            }
        }
    }

    /// The first document of a class, analysed whole.
    fn whole(&self, class: u32) -> &WholeDoc {
        &self.wholes[self.classes.reps[class as usize]]
    }

    /// Candidate pairs of classes within the batch, as a scan finds them.
    fn batch_pairs(&self) -> Vec<(u32, u32)> {
        let signatures = Signatures::gather(
            self.config.sketch.permutations,
            self.classes.reps.len(),
            |i| &self.docs[self.classes.reps[i]].signature,
        );
        let floor = verify::jaccard_floor(&self.config.verify);
        let min = candidates::min_estimate(floor, self.config.sketch.permutations);
        candidates::pairs(&signatures, self.banding, min)
    }

    /// Candidate pairs `(class, stored document)`: documents sharing a band
    /// key, whose signature agrees enough, and that are not the
    /// class's exact copy. Sorted, no repeats. Reads those documents.
    fn index_pairs(&mut self) -> Result<Vec<(u32, i64)>> {
        let mut keys: Vec<(u64, u32)> = Vec::new();
        for class in 0..self.classes.reps.len() as u32 {
            let signature = &self.whole(class).signature;
            keys.extend((0..self.banding.bands).map(|b| {
                let key = band_key(self.banding, signature, b);
                (probe_key(key, b), class)
            }));
        }
        let floor = verify::jaccard_floor(&self.config.verify);
        let min = candidates::min_estimate(floor, self.config.sketch.permutations);
        let min_agree = candidates::min_agree(min, self.config.sketch.permutations);
        let nibbles: Vec<Vec<u64>> = (0..self.classes.reps.len() as u32)
            .map(|class| candidates::nibbles(&self.whole(class).signature.0).collect())
            .collect();
        let mut found = self
            .index
            .band_matches(&Probe::new(keys), |class, stored| {
                candidates::nibbles_agree(&nibbles[class as usize], stored) >= min_agree
            })?;

        found.sort_unstable();
        found.dedup();
        let mut signatures = HashMap::new();
        let mut fetched: HashMap<i64, (u128, StoredDoc)> = HashMap::new();
        let mut pairs = Vec::new();
        for run in found.chunk_by(|a, b| a.0 == b.0) {
            let class = run[0].0;
            let mut plausible: Vec<(f64, i64)> = Vec::new();
            for &(_, id) in run {
                if self.exact[class as usize] == Some(id) {
                    continue;
                }
                if let Entry::Vacant(slot) = signatures.entry(id) {
                    // Made again from the stored shingles: the index does
                    // not keep signatures (a fifth of its size). The
                    // document is kept for verification, if it gets there.
                    let (fingerprint, signature, doc) = self.fetch(id)?;
                    slot.insert(signature);
                    fetched.insert(id, (fingerprint, doc));
                }
                let estimate = self.whole(class).signature.estimate(&signatures[&id]);
                if estimate >= min {
                    plausible.push((estimate, id));
                }
            }
            // Text that thousands of indexed pages share (a site's
            // chrome) can make them all plausible; as a scan pairs a giant
            // bucket by nearest neighbours, a class is verified against
            // its MAX_BUCKET nearest stored documents only.
            plausible.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            plausible.truncate(candidates::MAX_BUCKET);
            plausible.sort_by_key(|&(_, id)| id);
            pairs.extend(plausible.into_iter().map(|(_, id)| (class, id)));
        }
        for &(_, id) in &pairs {
            if let Some(doc) = fetched.remove(&id) {
                self.stored.insert(id, doc);
            }
        }
        for id in self.exact.clone().into_iter().flatten() {
            if !self.stored.contains_key(&id) {
                let (fingerprint, _, doc) = self.fetch(id)?;
                self.stored.insert(id, (fingerprint, doc));
            }
        }
        Ok(pairs)
    }

    /// Reads a stored document, with its fingerprint and signature.
    fn fetch(&self, id: i64) -> Result<(u128, Signature, StoredDoc)> {
        fetch(self.index, self.hashers, id)
    }

    /// Template sentences among the documents to verify, counted over the
    /// batch's texts that are new to the index plus the index's documents.
    fn templates(&self, inner: &[(u32, u32)], outer: &[(u32, i64)]) -> Result<Templates> {
        let min_docs = self.config.verify.template_docs;
        if min_docs == 0 {
            return Ok(Templates::default());
        }
        let mut batch: BTreeMap<u64, u32> = BTreeMap::new();
        for class in 0..self.classes.reps.len() as u32 {
            if self.exact[class as usize].is_none() {
                for &s in &self.whole(class).distinct {
                    *batch.entry(s).or_default() += 1;
                }
            }
        }
        let mut wanted: BTreeSet<u64> = BTreeSet::new();
        for &(a, b) in inner {
            wanted.extend(&self.whole(a).distinct);
            wanted.extend(&self.whole(b).distinct);
        }
        for &(class, id) in outer {
            wanted.extend(&self.whole(class).distinct);
            wanted.extend(&self.stored[&id].1.sentences.hashes);
        }
        let wanted: Vec<u64> = wanted.into_iter().collect();
        let stored = self.index.sentence_docs(&wanted)?;
        let counts = wanted
            .into_iter()
            .zip(stored)
            .map(|(s, stored)| (s, stored + batch.get(&s).copied().unwrap_or(0)));
        Ok(Templates::from_counts(counts, min_docs))
    }

    /// Every text to verify, weighted, by fingerprint.
    fn compared(
        &self,
        inner: &[(u32, u32)],
        outer: &[(u32, i64)],
        templates: &Templates,
    ) -> Result<HashMap<u128, Compared>> {
        let weigh = |sentences: &crate::shingle::Sentences| {
            let shingled = sentences.clone().shingled(|s| templates.weight(s));
            Compared {
                set: shingled.set,
                weights: shingled.weights,
            }
        };
        let mut out = HashMap::new();
        let classes = inner
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .chain(outer.iter().map(|&(c, _)| c));
        for class in classes {
            let doc = self.whole(class);
            out.entry(doc.fingerprint)
                .or_insert_with(|| weigh(&doc.sentences));
        }
        for (fingerprint, doc) in self.stored.values() {
            out.entry(*fingerprint)
                .or_insert_with(|| weigh(&doc.sentences));
        }
        Ok(out)
    }

    /// The groups of the verified edges, each member scored against its
    /// group's representative.
    fn groups(
        &self,
        edges: &[(Node, Node)],
        compared: &HashMap<u128, Compared>,
        sources: &[crate::corpus::Source],
    ) -> Result<Vec<Group>> {
        // Nodes numbered in path order (batch, then stored documents by
        // path), so the result never depends on lookup order.
        let mut nodes: Vec<Node> = (0..self.docs.len()).map(Node::Batch).collect();
        let mut indexed: Vec<i64> = edges
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter_map(|n| match n {
                Node::Indexed(id) => Some(id),
                Node::Batch(_) => None,
            })
            .collect();
        let place = |id: &i64| (&self.stored[id].1.path, self.stored[id].1.line, *id);
        indexed.sort_unstable_by(|a, b| place(a).cmp(&place(b)));
        indexed.dedup();
        nodes.extend(indexed.into_iter().map(Node::Indexed));
        let number: HashMap<Node, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i as u32))
            .collect();
        let numbered: Vec<(u32, u32)> = edges.iter().map(|(a, b)| (number[a], number[b])).collect();
        let info = |n: Node| -> Info<'_> {
            match n {
                Node::Batch(d) => {
                    let doc = &self.docs[d];
                    Info {
                        fingerprint: doc.fingerprint,
                        path: sources[doc.record.source].display.as_str(),
                        line: doc.record.line,
                        id: doc.record.id.as_deref(),
                        completeness: doc.completeness,
                    }
                }
                Node::Indexed(id) => {
                    let (fingerprint, doc) = &self.stored[&id];
                    Info {
                        fingerprint: *fingerprint,
                        path: doc.path.as_str(),
                        line: doc.line,
                        id: doc.id.as_deref(),
                        completeness: doc.completeness,
                    }
                }
            }
        };
        let mut groups: Vec<Group> = group::cluster(nodes.len(), &numbered)
            .into_iter()
            .map(|members| {
                let rep =
                    nodes[group::representative(&members, |m| info(nodes[m as usize]).completeness)
                        as usize];
                let rep_info = info(rep);
                let rep_fp = rep_info.fingerprint;
                let rep_sentences = self.distinct(rep);
                let mut members: Vec<Node> = members.iter().map(|&m| nodes[m as usize]).collect();
                let order = |n: Node| {
                    let at = info(n);
                    (n != rep, at.path, at.line, matches!(n, Node::Indexed(_)))
                };
                members.sort_by(|&a, &b| order(a).cmp(&order(b)));
                let members = members
                    .into_iter()
                    .map(|n| {
                        let Info {
                            fingerprint: fp,
                            path,
                            line,
                            id,
                            completeness,
                        } = info(n);
                        let (jaccard, containment) = if fp == rep_fp {
                            (1.0, 1.0)
                        } else {
                            let scores = verify::compare(&compared[&fp], &compared[&rep_fp]);
                            (scores.jaccard, scores.containment)
                        };
                        Member {
                            path: path.to_string(),
                            line,
                            id: id.map(str::to_string),
                            fingerprint: fp,
                            jaccard,
                            containment,
                            exact: fp == rep_fp,
                            words: completeness.words,
                            sentences: evidence::counts(&self.distinct(n), &rep_sentences),
                            review: None,
                            indexed: matches!(n, Node::Indexed(_)),
                        }
                    })
                    .collect();
                Group {
                    id: 0,
                    representative: rep_info.path.to_string(),
                    new: true,
                    members,
                }
            })
            .collect();
        groups.sort_by(|a, b| {
            (&a.representative, a.members[0].line, a.members[0].indexed).cmp(&(
                &b.representative,
                b.members[0].line,
                b.members[0].indexed,
            ))
        });
        for (i, group) in groups.iter_mut().enumerate() {
            group.id = i + 1;
        }
        Ok(groups)
    }
}

/// Reads a stored document, with the fingerprint and signature of its
/// shingle set (made from one shingling).
fn fetch(index: &Index, hashers: &Hashers, id: i64) -> Result<(u128, Signature, StoredDoc)> {
    let doc = index.document(id)?;
    let set = doc.sentences.clone().shingled(|_| 1.0).set;
    Ok((set.fingerprint(), hashers.signature(&set), doc))
}
