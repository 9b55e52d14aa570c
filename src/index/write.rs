//! Changing an index: one SQLite transaction per batch added or removal,
//! so a process killed at any moment leaves the index exactly as it was
//! before or after the change.

use anyhow::{anyhow, bail, Context, Result};
use rayon::slice::ParallelSliceMut;
use rusqlite::{params, Transaction, TransactionBehavior};

use super::{codec, is_busy, lsh_entry, Index, DOC_BITS, WRITER_WAIT};
use crate::group::Completeness;
use crate::shingle::Sentences;
use crate::sketch::Signature;

/// Rows inserted by one statement (SQLite allows 32,766 parameters).
const ROWS_PER_INSERT: usize = 256;

/// LSH rows gathered before they are written (32 MB of them).
const PENDING_ROWS: usize = 4 << 20;

/// A document to store.
pub struct NewDoc<'a> {
    /// Its path as given.
    pub path: &'a str,
    /// Fingerprint of its shingle set.
    pub fingerprint: u128,
    /// Shingle and word counts.
    pub completeness: Completeness,
    /// Its MinHash signature.
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
    /// LSH rows to insert, and sentence counts to add: gathered, then
    /// written sorted by [`Writer::flush`], so the B-trees are walked in
    /// order rather than at random.
    pending_lsh: Vec<i64>,
    /// Sentence hashes of documents added (+1) or removed (-1).
    pending_sentences: Vec<(u64, i64)>,
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
        Ok(Writer {
            tx,
            batch,
            added: 0,
            bands,
            pending_lsh: Vec::new(),
            pending_sentences: Vec::new(),
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
        let stored = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO docs \
                 (batch, fingerprint, shingles, words, signature, path, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                self.batch,
                &doc.fingerprint.to_be_bytes()[..],
                doc.completeness.shingles as i64,
                doc.completeness.words as i64,
                codec::signature(doc.signature),
                doc.path,
                codec::body(doc.sentences),
            ])?;
        if stored == 0 {
            return Ok(false);
        }
        let id = self.tx.last_insert_rowid();
        if id >= 1 << DOC_BITS {
            bail!(
                "the index is full ({} documents at most)",
                1_i64 << DOC_BITS
            );
        }
        for band in 0..self.bands.bands {
            self.pending_lsh
                .push(lsh_entry(self.bands, doc.signature, band, id));
        }
        self.pending_sentences
            .extend(doc.distinct_sentences.iter().map(|&s| (s, 1)));
        self.added += 1;
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
        for &id in &ids {
            self.remove_one(id)?;
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

    fn remove_one(&mut self, id: i64) -> Result<()> {
        let (signature, words, body): (Vec<u8>, i64, Vec<u8>) = self.tx.query_row(
            "SELECT signature, words, body FROM docs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let signature = codec::read_signature(&signature, signature.len() / 4)?;
        let mut delete = self.tx.prepare_cached("DELETE FROM lsh WHERE entry = ?1")?;
        for band in 0..self.bands.bands {
            delete.execute([lsh_entry(self.bands, &signature, band, id)])?;
        }
        let mut sentences = codec::sentences(&body, words as usize)
            .with_context(|| format!("document {id} is damaged"))?
            .hashes;
        sentences.sort_unstable();
        sentences.dedup();
        self.pending_sentences
            .extend(sentences.into_iter().map(|s| (s, -1)));
        self.tx.execute("DELETE FROM docs WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Writes the LSH rows and sentence counts gathered so far (still
    /// inside the transaction) once they are many. Called between chunks
    /// to bound memory.
    ///
    /// Why wait until they are many: rows written in one sorted run fill
    /// the B-tree's pages in order, and a fresh index is then built almost
    /// sequentially; a few thousand rows at a time touch every page again
    /// and again.
    pub fn flush(&mut self) -> Result<()> {
        if self.pending_lsh.len() >= PENDING_ROWS
            || self.pending_sentences.len() >= PENDING_ROWS / 2
        {
            self.write_pending()?;
        }
        Ok(())
    }

    fn write_pending(&mut self) -> Result<()> {
        // Sorted on every worker thread: at the commit of a large batch this
        // sort of millions of entries is on the critical path.
        self.pending_lsh.par_sort_unstable();
        // Two bands of one document can share their key's upper 32 bits
        // (about once in two million documents): one entry serves both.
        self.pending_lsh.dedup();
        let entries = std::mem::take(&mut self.pending_lsh);
        for chunk in entries.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO lsh (entry) VALUES {}",
                vec!["(?)"; chunk.len()].join(", ")
            );
            self.tx
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(chunk))?;
        }
        let mut sentences = std::mem::take(&mut self.pending_sentences);
        sentences.par_sort_unstable();
        let counts: Vec<(i64, i64)> = sentences
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| (run[0].0 as i64, run.iter().map(|&(_, d)| d).sum::<i64>()))
            .filter(|&(_, count)| count != 0)
            .collect();
        self.insert_rows(
            "INSERT INTO sentences (hash, docs) VALUES ",
            " ON CONFLICT (hash) DO UPDATE SET docs = docs + excluded.docs",
            &counts,
        )?;
        let mut drop = self
            .tx
            .prepare_cached("DELETE FROM sentences WHERE hash = ?1 AND docs <= 0")?;
        for &(hash, count) in &counts {
            if count < 0 {
                drop.execute([hash])?;
            }
        }
        Ok(())
    }

    /// Runs `head (?, ?), (?, ?), ... tail` over `rows`, [`ROWS_PER_INSERT`]
    /// rows a statement. Why: a statement per row spends more time binding
    /// and stepping than inserting.
    fn insert_rows(&self, head: &str, tail: &str, rows: &[(i64, i64)]) -> Result<()> {
        let sql = |n: usize| format!("{head}{}{tail}", vec!["(?, ?)"; n].join(", "));
        let full = sql(ROWS_PER_INSERT);
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut stmt = if chunk.len() == ROWS_PER_INSERT {
                self.tx.prepare_cached(&full)?
            } else {
                self.tx.prepare_cached(&sql(chunk.len()))?
            };
            let values = chunk.iter().flat_map(|(a, b)| [a, b]);
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
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
