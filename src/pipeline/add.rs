//! `index add`: the stages of a scan's first pass, each document analysed
//! whole in one read, then stored in the index in one transaction.
//!
//! Files are analysed in parallel, a chunk at a time, and stored in path
//! order, so memory stays bounded by a chunk whatever the batch's size and
//! document ids follow path order. A document whose text is in the index
//! already (same shingle-set fingerprint, from an earlier batch or from
//! earlier in this one) is counted and not stored again.

use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use rayon::prelude::*;

use super::{skip_counts, whole, NotRead};
use crate::config::InputOptions;
use crate::corpus::{Problem, SkipReason};
use crate::index::{Index, NewDoc};
use crate::progress::Progress;
use crate::sketch::Hashers;

/// Files analysed in parallel before their documents are stored.
const CHUNK: usize = 1024;

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
    // Files are analysed a chunk ahead on the worker threads while this
    // thread stores the previous chunk, so storing costs little wall time
    // on top of reading.
    let (send, receive) = mpsc::sync_channel(1);
    let (sources, config_ref, hashers_ref) = (&walk.sources, &config, &hashers);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for chunk in sources.chunks(CHUNK) {
                let analysed: Vec<_> = chunk
                    .par_iter()
                    .map(|source| {
                        let result = whole(source, config_ref, hashers_ref);
                        progress.step();
                        result
                    })
                    .collect();
                if send.send((chunk, analysed)).is_err() {
                    // Storing failed; its error is being reported.
                    break;
                }
            }
        });
        for (chunk, analysed) in receive {
            for (source, result) in chunk.iter().zip(analysed) {
                match result {
                    Ok((doc, _lossy)) => {
                        let stored = writer.insert(&NewDoc {
                            path: &source.display,
                            fingerprint: doc.fingerprint,
                            completeness: doc.completeness,
                            signature: &doc.signature,
                            sentences: &doc.sentences,
                            distinct_sentences: &doc.distinct,
                        })?;
                        out.known += u64::from(!stored);
                    }
                    Err(NotRead::Skip(reason)) => tally.skip(&source.display, reason),
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
