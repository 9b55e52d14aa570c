//! The persistent index: everything a scan needs to know about articles
//! collected earlier, kept in one SQLite file so that a new batch can be
//! checked against them after the files themselves are gone.
//!
//! This module owns the file: its creation (never over an existing file),
//! its recognition (a file that is not a newsdedup index is refused and
//! never written), its parameters, and reads and writes of documents. It
//! knows nothing of the command line and never reads article files; the
//! pipeline hands it analysed documents.
//!
//! Layout (format version 2):
//! - `meta`: the format marker, its version and the parameters (JSON);
//!   the file's SQLite `application_id` is [`APPLICATION_ID`] as well.
//! - `batches`: one row per `index add` that added something.
//! - `docs`: per document its path as given (with its line and id for a
//!   record of a JSON Lines file), the batch, its shingle and word counts,
//!   and its body: its sentences and shingles (see [`codec`]), all
//!   verification needs.
//! - `band_keys`, `sentence_counts` and `fingerprints`: postings, one row
//!   each per chunk of up to [`CHUNK_DOCS`] consecutive documents of a
//!   batch, keyed by the chunk's first document id: the 40-bit band keys
//!   and the signature nibbles of every document, how many of the chunk's
//!   documents hold each sentence, and every document's 128-bit shingle-set
//!   fingerprint (the same text is stored once: `index add` reads all
//!   fingerprints first, 18 bytes a document, instead of keeping a unique
//!   index whose pages a batch would rewrite all over).
//!
//! Why postings in chunks rather than a B-tree row per band key: adding a
//! batch then writes a few large rows instead of 64 small ones per
//! document inserted all over one big tree (a batch into a large index
//! rewrote most of that tree's pages), and a query reads the postings
//! through once, probing each key against its batch's keys in memory (see
//! [`probe`]): about 384 bytes per indexed document, read in
//! order, instead of a B-tree descent per band of every batch document.
//! The cost of a query grows with the index, at a rate measured in the
//! benchmark.

pub mod codec;
mod parameters;
pub mod probe;
mod write;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use rusqlite::{ffi, params, Connection, OpenFlags};

pub use parameters::IndexParameters;
pub use probe::Probe;
pub use write::{NewDoc, Writer};

use crate::candidates::{nibble_words, nibbles, Banding};
use crate::group::Completeness;
use crate::shingle::Sentences;
use crate::sketch::{Hashers, Signature};

/// The SQLite `application_id` of a newsdedup index ("NDDX").
pub const APPLICATION_ID: i32 = 0x4e44_4458;

/// The layout version this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;

/// The postings key of one band of a document: the upper 40 bits of the
/// band's key. Why 40 bits: a batch key matches a stored key of its band
/// by chance with probability 2^-40, under once for a batch of 10,000
/// against a million documents at 64 bands (about 150 times at 32 bits);
/// the extra byte per key costs little. Almost all band matches are real
/// ones, between documents sharing a sentence or two, and the signature
/// nibbles stored beside the keys drop those (see [`Index::band_matches`]).
pub fn band_key(banding: Banding, signature: &Signature, band: usize) -> u64 {
    banding.key(&signature.0, band) >> 24
}

/// Appends a document's band keys and signature nibbles to a chunk.
pub fn push_postings(
    chunk: &mut codec::Postings,
    banding: Banding,
    id: i64,
    signature: &Signature,
) {
    chunk.ids.push(id);
    chunk
        .keys
        .extend((0..banding.bands).map(|band| band_key(banding, signature, band)));
    chunk.nibbles.extend(nibbles(&signature.0));
}

/// How a band key is probed: the key above its band, so that the same key
/// in two bands never matches.
pub fn probe_key(key: u64, band: usize) -> u64 {
    (key << 24) | band as u64
}

/// Documents in one postings chunk, at most. A chunk is then about 1.5 MB
/// at 64 bands and 128 permutations; removing documents rewrites their
/// chunk once.
pub const CHUNK_DOCS: usize = 4096;

/// Postings chunks read before they are probed on the worker threads.
const CHUNKS_AT_ONCE: usize = 8;

/// Hashes a shingle-set fingerprint by taking its low 64 bits: fingerprints
/// are uniform already, and a million of them go into a set at the start of
/// every add (SipHash made that 130 ms of a 0.4 s daily add).
#[derive(Default)]
pub struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only fingerprints are hashed with it; any other key still hashes,
        // just less evenly.
        for chunk in bytes.chunks(8) {
            let mut word = [0_u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u128(&mut self, value: u128) {
        self.0 = value as u64;
    }
}

/// A map keyed by fingerprints.
pub type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<FingerprintHasher>>;

/// A set of fingerprints.
pub type FingerprintSet = HashSet<u128, BuildHasherDefault<FingerprintHasher>>;

/// How long a writer waits for another writer to finish before giving up.
pub const WRITER_WAIT: Duration = Duration::from_secs(5);

const FORMAT_MARKER: &str = "newsdedup-index";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    added_at INTEGER NOT NULL,
    documents INTEGER NOT NULL
);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch INTEGER NOT NULL,
    shingles INTEGER NOT NULL,
    words INTEGER NOT NULL,
    path TEXT NOT NULL,
    line INTEGER,
    record TEXT,
    body BLOB NOT NULL
);
CREATE INDEX docs_path ON docs (path);
CREATE INDEX docs_batch ON docs (batch);
CREATE TABLE band_keys (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE sentence_counts (first INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE fingerprints (first INTEGER PRIMARY KEY, data BLOB NOT NULL);
";

/// How an index is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Queries: the file is opened read-only and never created.
    Read,
    /// Adding and removing documents (the file must exist already).
    Write,
}

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    parameters: IndexParameters,
}

/// A document read back from the index.
#[derive(Clone, Debug)]
pub struct StoredDoc {
    /// The path it was added under.
    pub path: String,
    /// Its line, for a record of a JSON Lines file.
    pub line: Option<u64>,
    /// Its record's id field, if it had one.
    pub id: Option<String>,
    /// Its shingle and word counts.
    pub completeness: Completeness,
    /// Its sentences and shingles.
    pub sentences: Sentences,
}

/// Counts for `index stats`.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Documents stored.
    pub documents: u64,
    /// Batches stored: `(id, unix seconds when added, documents)`.
    pub batches: Vec<(i64, i64, u64)>,
    /// Size of the database file in bytes (pages in use times page size).
    pub bytes: u64,
}

impl Index {
    /// Creates a new, empty index at `path` with `parameters`. An existing
    /// file is never replaced: the index is built under a temporary name
    /// and linked into place only if nothing is there, so a killed create
    /// leaves no half-made index under the real name.
    pub fn create(path: &Path, parameters: &IndexParameters) -> Result<()> {
        if path.symlink_metadata().is_ok() {
            bail!("{} already exists; not overwritten", path.display());
        }
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".creating-{}", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let made = Self::initialise(&temp, parameters).and_then(|()| {
            std::fs::hard_link(&temp, path).map_err(|err| {
                if err.kind() == std::io::ErrorKind::AlreadyExists {
                    anyhow!("{} already exists; not overwritten", path.display())
                } else {
                    anyhow!("cannot create {}: {err}", path.display())
                }
            })
        });
        let _ = std::fs::remove_file(&temp);
        made
    }

    fn initialise(temp: &Path, parameters: &IndexParameters) -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(temp, flags)
            .with_context(|| format!("cannot create {}", temp.display()))?;
        // Why WAL: readers (queries) go on while a batch is being added, and
        // a killed writer's unfinished batch is simply ignored on recovery.
        // Why 16 KB pages rather than 4 KB: a document's row (about 1.3 KB)
        // rarely needs an overflow page and a postings chunk (1.5 MB) needs
        // fewer; measured on the first layout, adding the 100k scale corpus
        // took 8.0 s instead of 8.5 s, in an index 7% smaller.
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        conn.execute_batch(SCHEMA)?;
        let json = serde_json::to_string(parameters)?;
        for (key, value) in [
            ("format", FORMAT_MARKER.to_string()),
            ("format_version", FORMAT_VERSION.to_string()),
            ("parameters", json),
            (
                "created_by",
                concat!("newsdedup ", env!("CARGO_PKG_VERSION")).to_string(),
            ),
        ] {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        conn.close().map_err(|(_, err)| err)?;
        Ok(())
    }

    /// Opens the index at `path`. It must exist and be a newsdedup index of
    /// this format; nothing is written to a file that is not one.
    pub fn open(path: &Path, access: Access) -> Result<Index> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => bail!("{} is not a newsdedup index (not a file)", path.display()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
                "no index at {} (make one with `newsdedup index create {}`)",
                path.display(),
                path.display()
            ),
            Err(err) => bail!("cannot open the index {}: {err}", path.display()),
        }
        let flags = match access {
            Access::Read => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Access::Write => OpenFlags::SQLITE_OPEN_READ_WRITE,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .with_context(|| format!("cannot open the index {}", path.display()))?;
        conn.busy_timeout(WRITER_WAIT)?;
        let parameters = recognise(&conn).map_err(|err| match err.downcast::<OtherFormat>() {
            Ok(OtherFormat(version)) => anyhow!(
                "{} was made by another version of newsdedup (index format {version}; \
                 this one reads format {FORMAT_VERSION}); make a new index with \
                 `newsdedup index create` and add the articles again (the file was \
                 left as it is)",
                path.display()
            ),
            Err(err) => anyhow!(
                "{} is not a newsdedup index ({err}); it was left as it is",
                path.display()
            ),
        })?;
        // Per connection, not stored in the file. Why 32 MB of page cache
        // rather than SQLite's 2 MB: an add inserts into the fingerprint and
        // path indexes at random places, and a query reads documents by id;
        // with the upper levels of those trees cached, each costs a page
        // read or none. Why not more: the postings, most of what a query
        // reads, are read once (256 MB made a query no faster, and its
        // memory three times larger).
        conn.pragma_update(None, "cache_size", -32 * 1024)?;
        // Statement journals (SQLite's undo of a statement that fails
        // halfway through a transaction) kept in memory: no file writes.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        match access {
            Access::Write => {
                // A batch is on disk once `index add` says so, even if the
                // machine loses power.
                conn.pragma_update(None, "synchronous", "FULL")?;
            }
            Access::Read => {
                // One read transaction for the whole query: it sees one
                // state of the index even while a batch is being added,
                // and a statement does not take and release the file's
                // locks each time (which was a third of a query's time).
                conn.execute_batch("BEGIN")?;
            }
        }
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            parameters,
        })
    }

    /// The parameters the index was created with.
    pub fn parameters(&self) -> &IndexParameters {
        &self.parameters
    }

    /// The path it was opened at.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every `(value, document)` where a stored document's shingle-set
    /// fingerprint is a key of `wanted`. Reads the fingerprints through
    /// once (about 18 bytes a document).
    pub fn fingerprint_matches<V>(&self, wanted: &FingerprintMap<V>) -> Result<Vec<(V, i64)>>
    where
        V: Copy + Send + Sync,
    {
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        each_chunk(&self.conn, "SELECT data FROM fingerprints", |blob| {
            let mut rows = Vec::new();
            codec::read_fingerprints(blob, &mut rows)?;
            Ok(rows
                .iter()
                .filter_map(|(id, fingerprint)| wanted.get(fingerprint).map(|&v| (v, *id)))
                .collect())
        })
    }

    /// Every `(value, document)` where a band of a stored document has a
    /// key of `keys` (as [`probe_key`]) and `plausible(value, nibbles)`
    /// holds for the document's signature nibbles; unsorted, with repeats.
    /// Reads the index's postings through once; they are probed on the
    /// worker threads.
    ///
    /// Why the nibbles: most band matches are documents that share a
    /// sentence or two with a batch document; checked here, they are
    /// dropped without reading their bodies from all over the file.
    pub fn band_matches<V>(
        &self,
        keys: &Probe<V>,
        plausible: impl Fn(V, &[u64]) -> bool + Sync,
    ) -> Result<Vec<(V, i64)>>
    where
        V: Copy + Ord + Send + Sync,
    {
        let bands = self.parameters.banding().bands;
        let row = nibble_words(self.parameters.permutations);
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        each_chunk(&self.conn, "SELECT data FROM band_keys", |blob| {
            let mut chunk = codec::Postings::default();
            codec::read_postings(blob, bands, row, &mut chunk)?;
            let mut out = Vec::new();
            for (i, &id) in chunk.ids.iter().enumerate() {
                for (band, &key) in chunk.keys_of(i).iter().enumerate() {
                    out.extend(
                        keys.get(probe_key(key, band))
                            .filter(|&v| plausible(v, chunk.nibbles_of(i)))
                            .map(|v| (v, id)),
                    );
                }
            }
            Ok(out)
        })
    }

    /// How many stored documents hold each of `hashes` (sentence hashes),
    /// in their order. Reads the index's sentence counts through once.
    pub fn sentence_docs(&self, hashes: &[u64]) -> Result<Vec<u32>> {
        let mut totals = vec![0_u32; hashes.len()];
        let wanted = Probe::new(hashes.iter().enumerate().map(|(i, &h)| (h, i)).collect());
        if wanted.is_empty() {
            return Ok(totals);
        }
        let found = each_chunk(&self.conn, "SELECT data FROM sentence_counts", |blob| {
            let mut counts = Vec::new();
            codec::read_sentence_counts(blob, &mut counts)?;
            Ok(counts
                .iter()
                .flat_map(|&(hash, n)| wanted.get(hash).map(move |i| (i, n)))
                .collect())
        })?;
        for (i, n) in found {
            totals[i] = totals[i].saturating_add(n);
        }
        Ok(totals)
    }

    /// A stored document, whole.
    pub fn document(&self, doc: i64) -> Result<StoredDoc> {
        type Row = (String, Option<i64>, Option<String>, i64, i64, Vec<u8>);
        let (path, line, id, shingles, words, body): Row = self
            .conn
            .prepare_cached(
                "SELECT path, line, record, shingles, words, body FROM docs WHERE id = ?1",
            )?
            .query_row([doc], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })?;
        let sentences = codec::sentences(&body, words as usize)
            .with_context(|| format!("document {doc} ({path}) is damaged"))?;
        Ok(StoredDoc {
            path,
            line: line.map(|l| l as u64),
            id,
            completeness: Completeness {
                shingles: shingles as usize,
                words: words as usize,
            },
            sentences,
        })
    }

    /// Counts for `index stats`: read from indexes and the file header,
    /// never by scanning the documents, so they are quick at any size.
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |row| row.get::<_, i64>(0))? as u64)
        };
        let mut stmt = self
            .conn
            .prepare("SELECT id, added_at, documents FROM batches ORDER BY id")?;
        let batches = stmt
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as u64))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Stats {
            documents: one("SELECT count(*) FROM docs")?,
            batches,
            bytes: one("PRAGMA page_count")? * one("PRAGMA page_size")?,
        })
    }

    /// SQLite's own integrity check plus the index's invariants: the
    /// postings hold exactly the band keys of the documents' signatures
    /// (computed again from their stored shingles) and the
    /// sentences of the stored bodies, every document in one chunk, and the
    /// batch counts add up. Returns what is wrong (nothing when the index
    /// is sound).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut wrong = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |row| row.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                wrong.push(format!("SQLite: {line}"));
            }
        }
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let docs = count("SELECT count(*) FROM docs")?;
        let covered = self.check_postings(&mut wrong)?;
        if covered < docs {
            wrong.push(format!(
                "{} of the {docs} stored documents are in no postings chunk",
                docs - covered
            ));
        } else if covered > docs {
            wrong.push(format!(
                "postings chunks overlap: their ranges hold {covered} documents, {docs} are stored"
            ));
        }
        let orphans = count(
            "SELECT (SELECT count(*) FROM sentence_counts \
             WHERE first NOT IN (SELECT first FROM band_keys)) + \
             (SELECT count(*) FROM fingerprints \
             WHERE first NOT IN (SELECT first FROM band_keys))",
        )?;
        if orphans > 0 {
            wrong.push(format!(
                "{orphans} rows of sentence counts or fingerprints belong to no postings chunk"
            ));
        }
        let counted = count("SELECT coalesce(sum(documents), 0) FROM batches")?;
        if counted != docs {
            wrong.push(format!("batches count {counted} documents, {docs} stored"));
        }
        Ok(wrong)
    }
}

impl Index {
    /// Compares every postings chunk with what the documents in its range
    /// make; returns how many documents the chunks cover.
    fn check_postings(&self, wrong: &mut Vec<String>) -> Result<i64> {
        let banding = self.parameters.banding();
        let nibble_row = nibble_words(self.parameters.permutations);
        let hashers = Hashers::new(&self.parameters.sketch());
        let mut chunks = self.conn.prepare(
            "SELECT b.first, b.last, b.data, s.data, f.data FROM band_keys b \
             LEFT JOIN sentence_counts s ON s.first = b.first \
             LEFT JOIN fingerprints f ON f.first = b.first ORDER BY b.first",
        )?;
        let mut in_range = self
            .conn
            .prepare("SELECT id, words, body FROM docs WHERE id BETWEEN ?1 AND ?2 ORDER BY id")?;
        let mut rows = chunks.query([])?;
        let (mut covered, mut previous) = (0_i64, 0_i64);
        while let Some(row) = rows.next()? {
            let (first, last): (i64, i64) = (row.get(0)?, row.get(1)?);
            // A value of the wrong type reads as empty, which the decoding
            // below reports as damage.
            let keys: Vec<u8> = row.get(2).unwrap_or_default();
            let sentences: Option<Vec<u8>> = row.get(3).unwrap_or(Some(Vec::new()));
            let chunk = format!("the postings chunk of documents {first} to {last}");
            if first <= previous {
                wrong.push(format!("{chunk} overlaps the one before"));
            }
            if last < first {
                wrong.push(format!("{chunk} has its range inverted"));
            }
            previous = previous.max(last);
            let mut expected = codec::Postings::default();
            let mut held: Vec<u64> = Vec::new();
            let mut fingerprints: Vec<(i64, u128)> = Vec::new();
            let mut docs = in_range.query([first, last])?;
            while let Some(doc) = docs.next()? {
                let id: i64 = doc.get(0)?;
                let words: i64 = doc.get(1)?;
                let sentences = match codec::sentences(doc.get_ref(2)?.as_blob()?, words as usize) {
                    Ok(sentences) => sentences,
                    Err(err) => {
                        wrong.push(format!("document {id} is damaged: {err}"));
                        continue;
                    }
                };
                let shingled = sentences.shingled(|_| 1.0);
                push_postings(
                    &mut expected,
                    banding,
                    id,
                    &hashers.signature(&shingled.set),
                );
                fingerprints.push((id, shingled.set.fingerprint()));
                held.extend(shingled.sentences);
            }
            covered += expected.ids.len() as i64;
            let stored_fingerprints: Option<Vec<u8>> = row.get(4).unwrap_or(Some(Vec::new()));
            let mut rows = Vec::new();
            match stored_fingerprints.map(|blob| codec::read_fingerprints(&blob, &mut rows)) {
                None => wrong.push(format!("{chunk} has no fingerprints")),
                Some(Err(err)) => wrong.push(format!("{chunk}: {err}")),
                Some(Ok(())) if rows != fingerprints => wrong.push(format!(
                    "{chunk}: its fingerprints are not those of its documents' shingles"
                )),
                Some(Ok(())) => {}
            }
            let mut stored = codec::Postings::default();
            match codec::read_postings(&keys, banding.bands, nibble_row, &mut stored) {
                Err(err) => wrong.push(format!("{chunk}: {err}")),
                Ok(()) if stored.ids.is_empty() => {
                    wrong.push(format!("{chunk} holds no documents"))
                }
                Ok(()) if stored != expected => wrong.push(format!(
                    "{chunk}: its band keys and nibbles ({} documents) are not those of \
                     the stored documents' signatures ({} documents)",
                    stored.ids.len(),
                    expected.ids.len()
                )),
                Ok(()) => {}
            }
            held.sort_unstable();
            let expected = codec::counted(&held);
            let mut stored = Vec::new();
            match sentences.map(|blob| codec::read_sentence_counts(&blob, &mut stored)) {
                None => wrong.push(format!("{chunk} has no sentence counts")),
                Some(Err(err)) => wrong.push(format!("{chunk}: {err}")),
                Some(Ok(())) if stored != expected => wrong.push(format!(
                    "{chunk}: its sentence counts ({} sentences) are not those of its \
                     documents ({} sentences)",
                    stored.len(),
                    expected.len()
                )),
                Some(Ok(())) => {}
            }
        }
        Ok(covered)
    }
}

/// A newsdedup index of another layout version than [`FORMAT_VERSION`].
#[derive(Debug)]
struct OtherFormat(String);

impl std::fmt::Display for OtherFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "index format {}", self.0)
    }
}

impl std::error::Error for OtherFormat {}

/// Reads the format marker and parameters, or says why the file is not a
/// newsdedup index. Only reads.
fn recognise(conn: &Connection) -> Result<IndexParameters> {
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|err| match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => anyhow!("not an SQLite database"),
            _ => anyhow!(err),
        })?;
    if id != APPLICATION_ID {
        let pages: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
        if pages == 0 {
            bail!("an empty file");
        }
        bail!("an SQLite database of another application");
    }
    let meta = |key: &str| -> Result<String> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .with_context(|| format!("no {key} in its meta table"))
    };
    if meta("format")? != FORMAT_MARKER {
        bail!("wrong format marker");
    }
    let version = meta("format_version")?;
    if version != FORMAT_VERSION.to_string() {
        return Err(OtherFormat(version).into());
    }
    serde_json::from_str(&meta("parameters")?).context("unreadable parameters")
}

/// Whether an error is SQLite's "the database is locked" (another writer).
fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(
            ffi::Error {
                code: rusqlite::ErrorCode::DatabaseBusy,
                ..
            },
            _
        )
    )
}

/// Runs `sql` (one blob column) and maps `f` over its blobs on the
/// worker threads, a few at a time (so memory stays bounded), gathering
/// what it returns in row order.
fn each_chunk<T: Send>(
    conn: &Connection,
    sql: &str,
    f: impl Fn(&[u8]) -> Result<Vec<T>> + Sync,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let mut blobs: Vec<Vec<u8>> = Vec::with_capacity(CHUNKS_AT_ONCE);
    let mut done = false;
    while !done {
        blobs.clear();
        while blobs.len() < CHUNKS_AT_ONCE {
            let Some(row) = rows.next()? else {
                done = true;
                break;
            };
            let blob = row.get_ref(0)?.as_blob();
            blobs.push(blob.context("the index's postings are damaged")?.to_vec());
        }
        let found: Vec<Vec<T>> = blobs
            .par_iter()
            .map(|blob| f(blob))
            .collect::<Result<_>>()
            .context("the index's postings are damaged")?;
        out.extend(found.into_iter().flatten());
    }
    Ok(out)
}

/// The shingle-set fingerprints of every stored document.
fn all_fingerprints(conn: &Connection) -> Result<FingerprintSet> {
    let stored: i64 =
        conn.query_row("SELECT coalesce(sum(documents), 0) FROM batches", [], |r| {
            r.get(0)
        })?;
    let rows = each_chunk(conn, "SELECT data FROM fingerprints", |blob| {
        let mut rows = Vec::new();
        codec::read_fingerprints(blob, &mut rows)?;
        Ok(rows
            .into_iter()
            .map(|(_, fingerprint)| fingerprint)
            .collect())
    })?;
    let mut set =
        FingerprintSet::with_capacity_and_hasher(stored.max(0) as usize, Default::default());
    set.extend(rows);
    Ok(set)
}
