//! `index add`: the stages of a scan's first pass, each document analysed
//! whole in one read, then stored in the index in one transaction.
//!
//! Files are analysed in parallel, a chunk at a time, and stored in path
//! order (the records of a JSON Lines file in line order, streamed a chunk
//! at a time), so memory stays bounded by a chunk whatever the batch's size
//! and document ids follow path and line order. A document whose text is in the index
//! already (same shingle-set fingerprint, from an earlier batch or from
//! earlier in this one) is counted and not stored again.

use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use rayon::prelude::*;

use super::{skip_counts, Analysed, NotRead};
use crate::config::Config;
use crate::config::InputOptions;
use crate::corpus::{label, Source};
use crate::corpus::{Problem, SkipReason};
use crate::index::{Index, NewDoc};
use crate::input::{self, Found, Loaded};
use crate::progress::Progress;
use crate::sketch::Hashers;

/// Files, or records of a JSON Lines file, analysed in parallel before
/// their documents are stored.
const CHUNK: usize = 1024;

/// Text a chunk of JSON Lines records holds at most before it is analysed
/// (records can be long; the scan bounds its batches the same way).
const CHUNK_BYTES: usize = 16 << 20;

/// What `index add` did.
#[derive(Clone, Debug, Default)]
pub struct Added {
    /// The batch id the documents were stored under.
    pub batch: i64,
    /// Documents stored.
    pub added: u64,
    /// Documents whose text the index held already.
    pub known: u64,
    /// Skipped inputs by reason.
    pub skipped: Vec<(SkipReason, usize)>,
    /// Every skipped input with its reason.
    pub skipped_files: Vec<(String, SkipReason)>,
    /// Inputs that could not be read.
    pub problems: Vec<Problem>,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
}

/// Reads and analyses plain files (`files` index `sources`) in parallel.
fn analyse_files<'s>(
    sources: &'s [Source],
    files: &[usize],
    config: &Config,
    hashers: &Hashers,
    progress: &Progress,
) -> Vec<(&'s Source, Analysed)> {
    files
        .par_iter()
        .flat_map_iter(|&i| {
            let source = &sources[i];
            let mut found = Vec::with_capacity(1);
            input::read(source, &config.input, None, &mut |f| found.push(f));
            progress.step();
            found
                .into_iter()
                .map(move |f| (source, super::analysed(f, config, hashers)))
        })
        .collect()
}

/// Adds the files under `input` to the index as one batch.
pub fn add(
    index: &mut Index,
    input: InputOptions,
    threads: usize,
    progress: &Progress,
) -> Result<Added> {
    let started = Instant::now();
    let config = index.parameters().config(input, threads)?;
    let hashers = Hashers::new(&config.sketch);
    let (walk, mut tally) = super::walk(&config);
    let mut writer = index.writer()?;
    let mut out = Added {
        batch: writer.batch(),
        ..Added::default()
    };
    progress.stage("adding", walk.sources.len());
    // Articles are analysed a chunk ahead on the worker threads while this
    // thread stores the previous chunk, so storing costs little wall time
    // on top of reading. A chunk is up to CHUNK plain files, or up to CHUNK
    // records of one JSON Lines file (read as a stream, so a dump of any
    // size is held a chunk at a time).
    let (send, receive) = mpsc::sync_channel(1);
    let (sources, config_ref, hashers_ref) = (&walk.sources, &config, &hashers);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            // Indexes of plain files waiting to be analysed.
            let mut plain: Vec<usize> = Vec::new();
            // False once storing has failed: its error is being reported.
            let mut open = true;
            let flush_plain = |plain: &mut Vec<usize>, open: &mut bool| {
                if plain.is_empty() || !*open {
                    return;
                }
                let chunk = analyse_files(sources, plain, config_ref, hashers_ref, progress);
                plain.clear();
                *open = send.send(chunk).is_ok();
            };
            for (i, source) in sources.iter().enumerate() {
                if !open {
                    break;
                }
                if !source.jsonl {
                    plain.push(i);
                    if plain.len() == CHUNK {
                        flush_plain(&mut plain, &mut open);
                    }
                    continue;
                }
                flush_plain(&mut plain, &mut open);
                let (mut records, mut bytes): (Vec<Found>, usize) = (Vec::new(), 0);
                let flush_records = |records: &mut Vec<Found>, open: &mut bool| {
                    if records.is_empty() || !*open {
                        return;
                    }
                    let chunk: Vec<_> = records
                        .par_drain(..)
                        .map(|f| (source, super::analysed(f, config_ref, hashers_ref)))
                        .collect();
                    *open = send.send(chunk).is_ok();
                };
                input::read(source, &config_ref.input, None, &mut |found| {
                    if !open {
                        return;
                    }
                    if let Loaded::Text { text, .. } = &found.loaded {
                        bytes += text.len();
                    }
                    records.push(found);
                    if records.len() == CHUNK || bytes >= CHUNK_BYTES {
                        flush_records(&mut records, &mut open);
                        bytes = 0;
                    }
                });
                flush_records(&mut records, &mut open);
                progress.step();
            }
            flush_plain(&mut plain, &mut open);
        });
        for chunk in receive {
            for (source, analysed) in chunk {
                match analysed.result {
                    Ok((doc, _lossy)) => {
                        let stored = writer.insert(&NewDoc {
                            path: &source.display,
                            line: analysed.line,
                            id: analysed.id.as_deref(),
                            fingerprint: doc.fingerprint,
                            completeness: doc.completeness,
                            signature: &doc.signature,
                            sentences: &doc.sentences,
                            distinct_sentences: &doc.distinct,
                        })?;
                        out.known += u64::from(!stored);
                    }
                    Err(NotRead::Skip(reason)) => {
                        tally.skip(&label(&source.display, analysed.line), reason)
                    }
                    Err(NotRead::Failed(problem)) => tally.problems.push(problem),
                }
            }
        }
        Ok(())
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    out.added = writer.commit(now)?;
    progress.finish();
    tally.problems.sort();
    tally.skipped_files.sort();
    out.skipped = skip_counts(&tally);
    out.skipped_files = tally.skipped_files;
    out.problems = tally.problems;
    out.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(out)
}
