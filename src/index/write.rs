//! Changing an index: one SQLite transaction per batch added or removal,
//! so a process killed at any moment leaves the index exactly as it was
//! before or after the change.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::{
    all_fingerprints, codec, is_busy, push_postings, FingerprintSet, Index, CHUNK_DOCS, WRITER_WAIT,
};
use crate::candidates::nibble_words;
use crate::group::Completeness;
use crate::shingle::Sentences;
use crate::sketch::Signature;

/// A document to store.
pub struct NewDoc<'a> {
    /// Its path as given.
    pub path: &'a str,
    /// Its line, for a record of a JSON Lines file.
    pub line: Option<u64>,
    /// Its record's id field, if it had one.
    pub id: Option<&'a str>,
    /// Fingerprint of its shingle set.
    pub fingerprint: u128,
    /// Shingle and word counts.
    pub completeness: Completeness,
    /// Its MinHash signature (for its postings; not stored, as it is made
    /// again from the shingles whenever needed).
    pub signature: &'a Signature,
    /// Its sentences and shingles.
    pub sentences: &'a Sentences,
    /// Its distinct sentence hashes (sorted).
    pub distinct_sentences: &'a [u64],
}

/// An open write transaction: a batch being added, or a removal.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    batch: i64,
    added: u64,
    bands: super::Banding,
    /// Band keys and words of nibbles per document in a postings chunk.
    shape: (usize, usize),
    /// The postings of documents stored and not yet written: their ids and
    /// band keys, and their distinct sentences (all together).
    pending: codec::Postings,
    pending_sentences: Vec<u64>,
    /// The fingerprints of the pending documents, in id order.
    pending_fingerprints: Vec<u128>,
    /// The fingerprint of every text stored, read at the start: a text
    /// already here is not stored again.
    known: FingerprintSet,
}

impl Index {
    /// Starts the one transaction of a batch or removal. A second writer
    /// waits up to [`WRITER_WAIT`] for the first to finish, then fails.
    pub fn writer(&mut self) -> Result<Writer<'_>> {
        let path = self.path.display().to_string();
        let bands = self.parameters.banding();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| {
                if is_busy(&err) {
                    anyhow!(
                        "the index {path} is being changed by another process (waited {} s); \
                         try again when it has finished",
                        WRITER_WAIT.as_secs()
                    )
                } else {
                    anyhow!(err).context(format!("cannot write to the index {path}"))
                }
            })?;
        let batch: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM batches", [], |r| {
            r.get(0)
        })?;
        // Read inside the transaction: no other writer can add meanwhile.
        let known = all_fingerprints(&tx)?;
        Ok(Writer {
            tx,
            batch,
            added: 0,
            bands,
            shape: (bands.bands, nibble_words(self.parameters.permutations)),
            pending: codec::Postings::default(),
            pending_sentences: Vec::new(),
            pending_fingerprints: Vec::new(),
            known,
        })
    }
}

impl Writer<'_> {
    /// The id the batch gets if something is added.
    pub fn batch(&self) -> i64 {
        self.batch
    }

    /// Stores a document in the batch, unless a document with its text
    /// (its fingerprint) is stored already, in an earlier batch or earlier
    /// in this one. Returns whether it was stored.
    pub fn insert(&mut self, doc: &NewDoc<'_>) -> Result<bool> {
        if !self.known.insert(doc.fingerprint) {
            return Ok(false);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO docs (batch, shingles, words, path, line, record, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.batch,
                doc.completeness.shingles as i64,
                doc.completeness.words as i64,
                doc.path,
                doc.line.map(|l| l as i64),
                doc.id,
                codec::body(doc.sentences),
            ])?;
        let id = self.tx.last_insert_rowid();
        push_postings(&mut self.pending, self.bands, id, doc.signature);
        self.pending_fingerprints.push(doc.fingerprint);
        self.pending_sentences
            .extend_from_slice(doc.distinct_sentences);
        self.added += 1;
        if self.pending.ids.len() >= CHUNK_DOCS {
            self.write_pending()?;
        }
        Ok(true)
    }

    /// Removes every document stored under one of `paths` (as stored) or,
    /// with `batch`, in that batch. Returns how many were removed.
    pub fn remove(&mut self, paths: &[String], batch: Option<i64>) -> Result<u64> {
        let mut ids: Vec<i64> = Vec::new();
        {
            let mut by_path = self
                .tx
                .prepare_cached("SELECT id FROM docs WHERE path = ?1")?;
            for path in paths {
                for id in by_path.query_map([path], |r| r.get(0))? {
                    ids.push(id?);
                }
            }
            if let Some(batch) = batch {
                let mut by_batch = self
                    .tx
                    .prepare_cached("SELECT id FROM docs WHERE batch = ?1")?;
                for id in by_batch.query_map([batch], |r| r.get(0))? {
                    ids.push(id?);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        // The documents grouped by the postings chunk they are in; each chunk
        // is then changed once: dropped when all its documents go, or
        // written again without them, under its new first and last ids.
        let mut by_chunk: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for &id in &ids {
            let (first, _): (i64, i64) = self
                .tx
                .prepare_cached(
                    "SELECT first, last FROM band_keys WHERE first <= ?1 \
                     ORDER BY first DESC LIMIT 1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .filter(|&(_, last)| id <= last)
                .ok_or_else(|| anyhow!("document {id} is in no postings chunk"))?;
            by_chunk.entry(first).or_default().push(id);
        }
        for (first, gone) in by_chunk {
            let (mut keys, mut counts, mut fingerprints) = read_chunk(&self.tx, self.shape, first)?;
            if let Some(id) = gone.iter().find(|id| keys.ids.binary_search(id).is_err()) {
                bail!("document {id} is missing from its postings chunk");
            }
            self.tx
                .execute("DELETE FROM band_keys WHERE first = ?1", [first])?;
            self.tx
                .execute("DELETE FROM sentence_counts WHERE first = ?1", [first])?;
            self.tx
                .execute("DELETE FROM fingerprints WHERE first = ?1", [first])?;
            for &id in &gone {
                if let Some(&(_, fingerprint)) = fingerprints.iter().find(|row| row.0 == id) {
                    self.known.remove(&fingerprint);
                }
            }
            if gone.len() < keys.ids.len() {
                keys.retain(|id| gone.binary_search(&id).is_err());
                fingerprints.retain(|row| gone.binary_search(&row.0).is_err());
                let mut lost: Vec<u64> = Vec::new();
                for &id in &gone {
                    lost.extend(self.distinct_sentences(id)?);
                }
                uncount(&mut counts, lost)
                    .with_context(|| format!("the postings chunk of document {first}"))?;
                self.write_chunk(&keys, &counts, &fingerprints)?;
            }
            for &id in &gone {
                self.tx.execute("DELETE FROM docs WHERE id = ?1", [id])?;
            }
        }
        self.tx.execute(
            "UPDATE batches SET documents = \
             (SELECT count(*) FROM docs WHERE docs.batch = batches.id)",
            [],
        )?;
        self.tx
            .execute("DELETE FROM batches WHERE documents = 0", [])?;
        Ok(ids.len() as u64)
    }

    /// A stored document's distinct sentence hashes, sorted.
    fn distinct_sentences(&self, id: i64) -> Result<Vec<u64>> {
        let (words, body): (i64, Vec<u8>) =
            self.tx
                .query_row("SELECT words, body FROM docs WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let mut hashes = codec::sentences(&body, words as usize)
            .with_context(|| format!("document {id} is damaged"))?
            .hashes;
        hashes.sort_unstable();
        hashes.dedup();
        Ok(hashes)
    }

    /// Writes one postings chunk (not empty), keyed by its first document.
    fn write_chunk(
        &self,
        keys: &codec::Postings,
        counts: &[(u64, u32)],
        fingerprints: &[(i64, u128)],
    ) -> Result<()> {
        let (first, last) = (keys.ids[0], keys.ids[keys.ids.len() - 1]);
        self.tx.execute(
            "INSERT INTO band_keys (first, last, data) VALUES (?1, ?2, ?3)",
            params![first, last, codec::postings(keys)],
        )?;
        self.tx.execute(
            "INSERT INTO sentence_counts (first, data) VALUES (?1, ?2)",
            params![first, codec::sentence_counts(counts)],
        )?;
        self.tx.execute(
            "INSERT INTO fingerprints (first, data) VALUES (?1, ?2)",
            params![first, codec::fingerprints(fingerprints)],
        )?;
        Ok(())
    }

    /// Writes the postings of the documents stored since the last chunk as
    /// one chunk (still inside the transaction).
    fn write_pending(&mut self) -> Result<()> {
        if self.pending.ids.is_empty() {
            return Ok(());
        }
        self.pending_sentences.sort_unstable();
        let counts = codec::counted(&self.pending_sentences);
        let pending = std::mem::take(&mut self.pending);
        let fingerprints: Vec<(i64, u128)> = pending
            .ids
            .iter()
            .copied()
            .zip(self.pending_fingerprints.drain(..))
            .collect();
        self.write_chunk(&pending, &counts, &fingerprints)?;
        self.pending_sentences.clear();
        Ok(())
    }

    /// Writes the batch's bookkeeping and commits: only now does the batch
    /// become visible, all at once. Returns the documents added.
    pub fn commit(mut self, added_at: i64) -> Result<u64> {
        self.write_pending()?;
        if self.added > 0 {
            self.tx.execute(
                "INSERT INTO batches (id, added_at, documents) VALUES (?1, ?2, ?3)",
                params![self.batch, added_at, self.added as i64],
            )?;
        }
        let added = self.added;
        self.tx.commit().context("cannot commit the batch")?;
        Ok(added)
    }
}

/// A postings chunk read back whole: band keys and nibbles, sentence counts,
/// and `(id, fingerprint)` of every document.
type Chunk = (codec::Postings, Vec<(u64, u32)>, Vec<(i64, u128)>);

/// A postings chunk, read back whole.
fn read_chunk(tx: &Transaction<'_>, (bands, row): (usize, usize), first: i64) -> Result<Chunk> {
    let (keys, counts, fingerprints): (Vec<u8>, Vec<u8>, Vec<u8>) = tx.query_row(
        "SELECT b.data, s.data, f.data FROM band_keys b, sentence_counts s, fingerprints f \
         WHERE b.first = ?1 AND s.first = ?1 AND f.first = ?1",
        [first],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut chunk = (codec::Postings::default(), Vec::new(), Vec::new());
    codec::read_postings(&keys, bands, row, &mut chunk.0)
        .and_then(|()| codec::read_sentence_counts(&counts, &mut chunk.1))
        .and_then(|()| codec::read_fingerprints(&fingerprints, &mut chunk.2))
        .with_context(|| format!("the postings chunk starting at document {first} is damaged"))?;
    Ok(chunk)
}

/// Takes the sentences of removed documents (`lost`, one entry per document
/// holding it) off a chunk's counts, dropping those left at zero.
fn uncount(counts: &mut Vec<(u64, u32)>, mut lost: Vec<u64>) -> Result<()> {
    lost.sort_unstable();
    for run in lost.chunk_by(|a, b| a == b) {
        match counts.binary_search_by_key(&run[0], |&(h, _)| h) {
            Ok(i) if counts[i].1 as usize >= run.len() => counts[i].1 -= run.len() as u32,
            _ => bail!("a removed document's sentence is missing from the counts"),
        }
    }
    counts.retain(|&(_, n)| n > 0);
    Ok(())
}
