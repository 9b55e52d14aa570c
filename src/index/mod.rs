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
//! Layout (format version 1):
//! - `meta`: the format marker, its version and the parameters (JSON);
//!   the file's SQLite `application_id` is [`APPLICATION_ID`] as well.
//! - `batches`: one row per `index add` that added something.
//! - `docs`: per document its path as given, the batch, the 128-bit
//!   fingerprint of its shingle set (unique: the same text is stored once),
//!   its shingle and word counts, its MinHash signature, and its body: its
//!   sentences and shingles (see [`codec`]), all verification needs.
//! - `lsh`: one integer per band of every document, its band key above its
//!   id (see [`lsh_entry`]), so a query finds candidates by B-tree range
//!   lookups instead of loading the index.
//! - `sentences`: for each sentence hash, the number of documents holding
//!   it, so template sentences are known without reading every document.

pub mod codec;
mod parameters;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{ffi, params, Connection, OpenFlags, OptionalExtension};

pub use parameters::IndexParameters;
pub use write::{NewDoc, Writer};

use crate::candidates::Banding;
use crate::group::Completeness;
use crate::shingle::Sentences;
use crate::sketch::Signature;

/// The SQLite `application_id` of a newsdedup index ("NDDX").
pub const APPLICATION_ID: i32 = 0x4e44_4458;

/// The layout version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The LSH table's entry for one band of a document: the upper 32 bits of
/// the band's key, then the document id in the low [`DOC_BITS`] bits, as
/// one integer. The table is nothing but these integers, as SQLite rowids.
///
/// Why one integer: the LSH table is most of the index (one row per band
/// per document) and most of the cost of adding; a rowid B-tree compares
/// plain integers and stores each entry in about 10 bytes, and a lookup is
/// a range scan over one key's entries. Why 32 bits of key: a truncated key
/// collides by chance about once in 67 lookups at 64 bands and a million
/// documents, and such a candidate is dropped by the signature estimate,
/// as chance candidates are anyway.
pub fn lsh_entry(banding: Banding, signature: &Signature, band: usize, doc: i64) -> i64 {
    lsh_first(banding, signature, band) | doc
}

/// The smallest entry of a band key (see [`lsh_entry`]).
pub fn lsh_first(banding: Banding, signature: &Signature, band: usize) -> i64 {
    ((banding.key(&signature.0, band) >> 32) as i64) << DOC_BITS
}

/// Bits of a document id in an LSH entry: ids up to two thousand million.
pub const DOC_BITS: u32 = 31;

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
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    fingerprint BLOB NOT NULL UNIQUE,
    shingles INTEGER NOT NULL,
    words INTEGER NOT NULL,
    signature BLOB NOT NULL,
    path TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX docs_path ON docs (path);
CREATE INDEX docs_batch ON docs (batch);
CREATE TABLE lsh (entry INTEGER PRIMARY KEY);
CREATE TABLE sentences (hash INTEGER PRIMARY KEY, docs INTEGER NOT NULL);
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
        // Why 16 KB pages rather than 4 KB: most documents' rows then fit in
        // one page without overflow pages, the LSH B-tree is shallower, and
        // adding the 100k scale corpus took 8.0 s instead of 8.5 s, in an
        // index 7% smaller.
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
        let parameters = recognise(&conn).map_err(|err| {
            anyhow!(
                "{} is not a newsdedup index ({err}); it was left as it is",
                path.display()
            )
        })?;
        // Per connection, not stored in the file. Why a larger page cache
        // than SQLite's 2 MB: a batch inserts 64 LSH rows per document into
        // one B-tree, and a query looks up as many keys; with the upper
        // levels of that tree cached, each costs a page read or none.
        conn.pragma_update(None, "cache_size", -256 * 1024)?;
        // Multi-row inserts keep a statement journal (to undo a statement
        // that fails halfway); in memory it costs no file writes.
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

    /// The stored document with this fingerprint, if any.
    pub fn exact(&self, fingerprint: u128) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM docs WHERE fingerprint = ?1")?
            .query_row([fingerprint.to_be_bytes()], |row| row.get(0))
            .optional()?)
    }

    /// Appends the documents stored under one band key, given by its
    /// smallest entry ([`lsh_first`]), to `out`.
    pub fn lookup(&self, first: i64, out: &mut Vec<i64>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entry FROM lsh WHERE entry BETWEEN ?1 AND ?2")?;
        let last = first | ((1 << DOC_BITS) - 1);
        let rows = stmt.query_map([first, last], |row| row.get::<_, i64>(0))?;
        for row in rows {
            out.push(row? & ((1 << DOC_BITS) - 1));
        }
        Ok(())
    }

    /// The signature of a stored document.
    pub fn signature(&self, doc: i64) -> Result<Signature> {
        let blob: Vec<u8> = self
            .conn
            .prepare_cached("SELECT signature FROM docs WHERE id = ?1")?
            .query_row([doc], |row| row.get(0))?;
        codec::read_signature(&blob, self.parameters.permutations)
    }

    /// A stored document, whole.
    pub fn document(&self, doc: i64) -> Result<StoredDoc> {
        let (path, shingles, words, body): (String, i64, i64, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT path, shingles, words, body FROM docs WHERE id = ?1")?
            .query_row([doc], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?;
        let sentences = codec::sentences(&body, words as usize)
            .with_context(|| format!("document {doc} ({path}) is damaged"))?;
        Ok(StoredDoc {
            path,
            completeness: Completeness {
                shingles: shingles as usize,
                words: words as usize,
            },
            sentences,
        })
    }

    /// How many stored documents hold a sentence.
    pub fn sentence_docs(&self, hash: u64) -> Result<u32> {
        Ok(self
            .conn
            .prepare_cached("SELECT docs FROM sentences WHERE hash = ?1")?
            .query_row([hash as i64], |row| row.get(0))
            .optional()?
            .unwrap_or(0))
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

    /// SQLite's own integrity check plus the index's invariants: the LSH
    /// table holds exactly the entries of the stored signatures, and the
    /// batch counts add up.
    /// Returns what is wrong (nothing when the index is sound).
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
        let lsh = count("SELECT count(*) FROM lsh")?;
        let (expected, missing) = self.lsh_entries()?;
        if lsh != expected || missing > 0 {
            wrong.push(format!(
                "{lsh} LSH entries, but the {docs} stored signatures make {expected} \
                 ({missing} of them missing)"
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
    /// How many distinct LSH entries the stored signatures make, and how
    /// many of them are missing from the LSH table.
    fn lsh_entries(&self) -> Result<(i64, i64)> {
        let banding = self.parameters.banding();
        let mut stmt = self.conn.prepare("SELECT id, signature FROM docs")?;
        let mut rows = stmt.query([])?;
        let mut has = self.conn.prepare("SELECT 1 FROM lsh WHERE entry = ?1")?;
        let (mut total, mut missing) = (0_i64, 0_i64);
        let mut entries = Vec::with_capacity(banding.bands);
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let blob: Vec<u8> = row.get(1)?;
            let signature = codec::read_signature(&blob, self.parameters.permutations)?;
            entries.clear();
            entries.extend((0..banding.bands).map(|b| lsh_entry(banding, &signature, b, id)));
            entries.sort_unstable();
            entries.dedup();
            total += entries.len() as i64;
            for &entry in &entries {
                missing += i64::from(!has.exists([entry])?);
            }
        }
        Ok((total, missing))
    }
}

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
        bail!("index format {version}, and this newsdedup reads format {FORMAT_VERSION}");
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
