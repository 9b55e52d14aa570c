//! The input stage: find the inputs under the given paths and read them as
//! text.
//!
//! This is the only module that touches input files (and standard input),
//! and it only ever opens them for reading. [`walk`] turns paths, a
//! `--files-from` list and `-` into a sorted, de-duplicated list of
//! [`Source`]s plus problems; [`read`] turns one source into its articles
//! (one for a plain file, one per line for JSON Lines), each as decoded
//! text or a reason to skip it. gzip and zstd data is decompressed on the
//! fly, recognised by its magic bytes, and bounded by `--max-bytes` after
//! decompression like any other text.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;
use rayon::slice::ParallelSliceMut;

use crate::config::{InputFormat, InputOptions};
use crate::corpus::{Problem, ProblemKind, SkipReason, Source};

/// What walking the paths found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Inputs to read, sorted by their display path.
    pub sources: Vec<Source>,
    /// Entries passed over while walking (links, FIFOs, sockets).
    pub skipped: Vec<(String, SkipReason)>,
    /// Paths that could not be walked.
    pub problems: Vec<Problem>,
}

/// The path that means standard input.
pub const STDIN: &str = "-";

/// Walks every path, depth first, and lists the sources sorted by path.
///
/// Each file is listed once however it is reached: folders are remembered by
/// device and inode (so a folder given twice, or reached again through a
/// link, is walked once) and files by their canonical path (so `d d/a.txt`
/// lists `a.txt` once, while two hard links to one file stay two articles).
/// Inside folders, hidden entries, entries ignored by `.gitignore`-style
/// files and entries the globs exclude are passed over, as ripgrep does;
/// paths named by the user are always read.
pub fn walk(options: &InputOptions) -> Walk {
    let mut walker = Walker {
        options,
        dirs_seen: Arc::new(Mutex::new(HashSet::new())),
        files_seen: HashSet::new(),
        single_tree: false,
        stdin_read: false,
        out: Walk::default(),
    };
    let mut paths = options.paths.clone();
    if let Some(list) = &options.files_from {
        // Standard input holds the list: a `-` named in it cannot be read.
        walker.stdin_read = list.as_os_str() == STDIN;
        match read_list(list, options.null_separated) {
            Ok(listed) => paths.extend(listed),
            Err(problem) => walker.out.problems.push(problem),
        }
    }
    // One folder walked without following links reaches each file by one
    // path only, so there is nothing to tell apart: a million files need no
    // canonical paths and no set of them.
    walker.single_tree = paths.len() == 1 && !options.follow_links;
    for path in &paths {
        if path.as_os_str() == STDIN {
            walker.stdin();
        } else {
            walker.root(path);
        }
    }
    let mut out = walker.out;
    // Why sort: ids, grouping and output must not depend on the order the
    // file system or the user listed things in.
    sort_sources(&mut out.sources);
    out.skipped.sort();
    out
}

/// Sorts sources by their displayed path (then by the path opened, for two
/// names that display alike after lossy decoding).
///
/// Why not a plain comparison of the two strings: the paths of one folder
/// share their whole folder part (`../corpora/reuters/docs/` and more), and
/// comparing that prefix again at every comparison was most of the sort,
/// itself a tenth of the walk of a folder of 20,000 files. The prefix all
/// paths share is measured once and skipped. Two names that display alike
/// (lossy decoding) are ordered by their bytes; a stable sort used to keep
/// them in the walk's order, which for one folder is the file system's.
fn sort_sources(sources: &mut [Source]) {
    let shared = sources.first().map_or(0, |first| {
        let first = first.display.as_bytes();
        sources.iter().fold(first.len(), |shared, source| {
            let other = source.display.as_bytes();
            first[..shared]
                .iter()
                .zip(other)
                .take_while(|(a, b)| a == b)
                .count()
        })
    });
    sources.par_sort_unstable_by(|a, b| {
        a.display.as_bytes()[shared..]
            .cmp(&b.display.as_bytes()[shared..])
            .then_with(|| a.path.cmp(&b.path))
    });
}

/// The paths a `--files-from` list names: one per line (a trailing `\r`
/// dropped), or NUL-separated; empty entries are ignored.
fn read_list(list: &Path, null_separated: bool) -> Result<Vec<PathBuf>, Problem> {
    use std::os::unix::ffi::OsStrExt;
    let display = list.to_string_lossy();
    let bytes = if list.as_os_str() == STDIN {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        fs::read(list)
    }
    .map_err(|err| Problem::io(&display, &err))?;
    let separator = if null_separated { b'\0' } else { b'\n' };
    Ok(bytes
        .split(|&b| b == separator)
        .map(|name| match name {
            [rest @ .., b'\r'] if !null_separated => rest,
            name => name,
        })
        .filter(|name| !name.is_empty())
        .map(|name| PathBuf::from(std::ffi::OsStr::from_bytes(name)))
        .collect())
}

/// Whether a file name says JSON Lines, looking through a compression
/// extension (`a.jsonl.gz`).
fn is_jsonl_name(path: &Path) -> bool {
    // The file name's bytes, compared in place: this runs for every file
    // of the walk, and lower-casing a copy of the whole path was a fifth
    // of the walk.
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.as_encoded_bytes();
    let ends = |name: &[u8], suffix: &[u8]| {
        name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let name = [&b".gz"[..], b".zst", b".zstd"]
        .iter()
        .find(|ext| ends(name, ext))
        .map_or(name, |ext| &name[..name.len() - ext.len()]);
    ends(name, b".jsonl") || ends(name, b".ndjson")
}

struct Walker<'a> {
    options: &'a InputOptions,
    /// Shared with the walk's entry filter, which runs inside the `ignore`
    /// walker.
    dirs_seen: Arc<Mutex<HashSet<(u64, u64)>>>,
    files_seen: HashSet<PathBuf>,
    /// Whether the walk is of one tree whose files cannot be reached twice.
    single_tree: bool,
    stdin_read: bool,
    out: Walk,
}

impl Walker<'_> {
    fn jsonl(&self, path: &Path) -> bool {
        match self.options.format {
            InputFormat::Auto => is_jsonl_name(path),
            InputFormat::Text => false,
            InputFormat::Jsonl => true,
        }
    }

    /// Standard input, read once, whole (at most `--max-bytes` and one byte
    /// more, so a larger stream is a `too_large` skip, not unbounded memory).
    fn stdin(&mut self) {
        if std::mem::replace(&mut self.stdin_read, true) {
            return;
        }
        let mut bytes = Vec::new();
        let read = io::stdin()
            .lock()
            .take(self.options.max_bytes.saturating_add(1))
            .read_to_end(&mut bytes);
        match read {
            Err(err) => self.out.problems.push(Problem::io(STDIN, &err)),
            Ok(_) => self.out.sources.push(Source {
                path: PathBuf::from(STDIN),
                display: STDIN.to_string(),
                // Standard input has no name to go by: it is JSON Lines only
                // when --input-format says so.
                jsonl: self.options.format == InputFormat::Jsonl,
                stdin: Some(bytes),
            }),
        }
    }

    fn root(&mut self, path: &Path) {
        let display = path.to_string_lossy().into_owned();
        // Paths named by the user are always resolved, links included: the
        // user asked for them by name.
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) => return self.out.problems.push(Problem::io(&display, &err)),
        };
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(err) => return self.out.problems.push(Problem::io(&display, &err)),
        };
        if meta.is_dir() {
            self.dir(path, &meta);
        } else if meta.is_file() {
            self.file(path.to_path_buf(), canonical);
        } else {
            self.out.problems.push(Problem::new(
                &display,
                ProblemKind::NotRegular,
                "not a regular file or folder",
            ));
        }
    }

    /// Walks one folder tree with the `ignore` crate's walker (iterative, so
    /// deep nesting cannot overflow the stack; sorted by name when order
    /// matters; links
    /// followed only with `--follow`), entering each folder once.
    fn dir(&mut self, root: &Path, meta: &fs::Metadata) {
        let seen = (meta.dev(), meta.ino());
        if !self.dirs_seen.lock().expect("no walk panics").insert(seen) {
            return;
        }
        let options = self.options;
        let mut builder = WalkBuilder::new(root);
        builder
            .standard_filters(options.ignore_files)
            .hidden(!options.hidden)
            .follow_links(options.follow_links);
        // Sorted by name, so that of two paths to one file the same one is
        // kept whatever order the file system lists them in. One tree
        // without links has no such pairs, and the sources are sorted at
        // the end anyway; its walk skips the sorting, whose comparisons
        // parse each path's last component again (a quarter of the walk of
        // a folder of 20,000 files). One exception is left to the file
        // system's order: a folder mounted twice inside the tree is walked
        // once, under whichever of its paths is listed first.
        if !self.single_tree {
            builder.sort_by_file_name(|a, b| a.cmp(b));
        }
        if !options.globs.is_empty() {
            let mut globs = OverrideBuilder::new(root);
            for glob in &options.globs {
                // The globs were checked when the command line was read.
                let _ = globs.add(glob);
            }
            match globs.build() {
                Ok(globs) => {
                    builder.overrides(globs);
                }
                // Walking everything instead would be a silent surprise.
                Err(err) => {
                    let display = root.to_string_lossy();
                    let detail = format!("the globs cannot be used here: {err}");
                    self.out
                        .problems
                        .push(Problem::new(&display, ProblemKind::Io, detail));
                    return;
                }
            }
        }
        let dirs_seen = Arc::clone(&self.dirs_seen);
        // Why a shared set of (device, inode): a folder reached again through
        // a link, or through two links, is walked once, which is what ends
        // link loops and mazes.
        builder.filter_entry(move |entry| {
            if !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            match entry.metadata() {
                Ok(meta) => dirs_seen
                    .lock()
                    .expect("no walk panics")
                    .insert((meta.dev(), meta.ino())),
                Err(_) => true,
            }
        });
        let mut parent: Option<(PathBuf, PathBuf)> = None;
        for found in builder.build() {
            let entry = match found {
                Ok(entry) => entry,
                Err(err) => {
                    self.walk_error(err);
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let path = entry.path();
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_symlink() {
                let display = path.to_string_lossy().into_owned();
                self.out.skipped.push((display, SkipReason::Symlink));
            } else if file_type.is_dir() {
                continue;
            } else if file_type.is_file() && self.single_tree {
                self.push(path.to_path_buf());
            } else if file_type.is_file() {
                let canonical = if entry.path_is_symlink() {
                    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
                } else {
                    canonical_in(path, &mut parent)
                };
                self.file(path.to_path_buf(), canonical);
            } else {
                let display = path.to_string_lossy().into_owned();
                self.out.skipped.push((display, SkipReason::NotRegular));
            }
        }
    }

    fn walk_error(&mut self, err: ignore::Error) {
        let mut path: Option<PathBuf> = None;
        let mut err = &err;
        loop {
            match err {
                ignore::Error::WithPath {
                    path: at,
                    err: inner,
                } => {
                    path.get_or_insert_with(|| at.clone());
                    err = inner;
                }
                ignore::Error::WithDepth { err: inner, .. }
                | ignore::Error::WithLineNumber { err: inner, .. } => err = inner,
                _ => break,
            }
        }
        let display = path
            .as_deref()
            .map_or_else(String::new, |p| p.to_string_lossy().into_owned());
        match err {
            // A link back to a folder being walked: that folder is walked
            // once, which is all a loop can ask for.
            ignore::Error::Loop { .. } => {}
            ignore::Error::Io(io_err) => {
                // The walker wraps the operating system's error in its own;
                // unwrap it, for its code and a message without the path.
                let io_err = io_err
                    .get_ref()
                    .and_then(|inner| inner.source())
                    .and_then(|inner| inner.downcast_ref::<io::Error>())
                    .unwrap_or(io_err);
                let mut problem = Problem::io(&display, io_err);
                if io_err.raw_os_error() == Some(40) {
                    problem.kind = ProblemKind::LinkLoop;
                } else if problem.kind == ProblemKind::NotFound && self.options.follow_links {
                    problem.detail = "broken symbolic link".to_string();
                }
                self.out.problems.push(problem);
            }
            // A malformed line in an ignore file: ripgrep warns and goes on;
            // it changes which files are walked, not how they are read.
            _ => {}
        }
    }

    fn file(&mut self, path: PathBuf, canonical: PathBuf) {
        if self.files_seen.insert(canonical) {
            self.push(path);
        }
    }

    fn push(&mut self, path: PathBuf) {
        let display = path.to_string_lossy().into_owned();
        let jsonl = self.jsonl(&path);
        self.out.sources.push(Source {
            path,
            display,
            jsonl,
            stdin: None,
        });
    }
}

/// The canonical path of a walked file: its folder's canonical path (one
/// lookup per folder, remembered in `parent`) joined with its name.
fn canonical_in(path: &Path, parent: &mut Option<(PathBuf, PathBuf)>) -> PathBuf {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return path.to_path_buf();
    };
    if !matches!(parent, Some((known, _)) if known == dir) {
        let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        *parent = Some((dir.to_path_buf(), canonical));
    }
    let (_, canonical) = parent.as_ref().expect("set just above");
    canonical.join(name)
}

/// One file's text, or why it is not an article.
#[derive(Debug)]
pub enum Loaded {
    /// Decoded text; `lossy` is set when invalid UTF-8 was replaced.
    Text {
        /// The decoded text.
        text: String,
        /// Whether invalid bytes were replaced by U+FFFD.
        lossy: bool,
    },
    /// A policy skip.
    Skip(SkipReason),
    /// A failure to read.
    Failed(Problem),
}

/// One article found in a source.
#[derive(Debug)]
pub struct Found {
    /// 1-based line number, for a record of a JSON Lines source.
    pub line: Option<u64>,
    /// The record's `--id-field` value, if any.
    pub id: Option<String>,
    /// Its text, or why it is not an article.
    pub loaded: Loaded,
}

/// Reads one source and hands each article in it to `each`, in order: the
/// whole text of a plain source, or every non-blank line of a JSON Lines
/// source. With `wanted` (sorted line numbers), only those lines of a JSON
/// Lines source are decoded; the second read of a scan uses it.
pub fn read(
    source: &Source,
    options: &InputOptions,
    wanted: Option<&[u64]>,
    each: &mut dyn FnMut(Found),
) {
    let whole = |loaded| Found {
        line: None,
        id: None,
        loaded,
    };
    let fail = |err: io::Error| Problem::io(&source.display, &err);
    if source.stdin.is_none() && !source.jsonl {
        match read_plain(&source.path, options) {
            Ok(Some(loaded)) => return each(whole(loaded)),
            Ok(None) => {}
            Err(err) => return each(whole(Loaded::Failed(fail(err)))),
        }
    }
    let reader = match open(source, options) {
        Ok(Opened::Reader(reader)) => reader,
        Ok(Opened::Skip(reason)) => return each(whole(Loaded::Skip(reason))),
        Err(err) => return each(whole(Loaded::Failed(fail(err)))),
    };
    if source.jsonl {
        if let Err(err) = jsonl(reader, source, options, wanted, each) {
            each(whole(Loaded::Failed(fail(err))));
        }
        return;
    }
    // Here come standard input, decompressed data, and files whose
    // metadata gives no size (procfs reports 0): plain files of known size
    // were read whole by `read_plain`.
    let mut bytes = Vec::new();
    match reader.take(options.max_bytes + 1).read_to_end(&mut bytes) {
        Err(err) => each(whole(Loaded::Failed(fail(err)))),
        Ok(_) if bytes.len() as u64 > options.max_bytes => {
            each(whole(Loaded::Skip(SkipReason::TooLarge)));
        }
        Ok(_) => each(whole(decode(bytes))),
    }
}

/// The common case of [`read`]: a file of plain text, read straight into
/// the buffer that becomes its text, with one read when its size is
/// known. `None` for a file this cannot take (compressed, named or
/// starting like it, or of unknown size, as procfs reports 0), which the
/// general path then reads.
///
/// Why apart: the general path reads through a buffered reader and copies
/// out of it, an allocation and a copy per file that cost more than the
/// read itself on a folder of small articles.
fn read_plain(path: &Path, options: &InputOptions) -> io::Result<Option<Loaded>> {
    if Compression::of_name(path) != Compression::None {
        return Ok(None);
    }
    let file = fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Some(Loaded::Skip(SkipReason::NotRegular)));
    }
    if meta.len() > options.max_bytes {
        return Ok(Some(Loaded::Skip(SkipReason::TooLarge)));
    }
    if meta.len() == 0 {
        return Ok(None);
    }
    // A file that grows meanwhile is read as it was when its size was
    // taken, and one whose metadata tells less than it holds is cut there:
    // never more is read than the size checked against `--max-bytes`.
    let size = usize::try_from(meta.len()).map_err(io::Error::other)?;
    let mut bytes = Vec::with_capacity(size);
    (&file).take(meta.len()).read_to_end(&mut bytes)?;
    if Compression::of(&bytes) != Compression::None {
        return Ok(None);
    }
    Ok(Some(decode(bytes)))
}

/// Reads one article: a plain source whole, or line `line` of a JSON Lines
/// source. For the readers that want one article rather than a stream
/// (`explain`, the review page).
pub fn read_one(source: &Source, options: &InputOptions, line: Option<u64>) -> Loaded {
    let wanted: Vec<u64> = line.into_iter().collect();
    let mut found = None;
    read(source, options, Some(&wanted), &mut |article| {
        let whole_failed = article.line.is_none() && !matches!(article.loaded, Loaded::Text { .. });
        if found.is_none() && (article.line == line || whole_failed) {
            found = Some(article.loaded);
        }
    });
    found.unwrap_or_else(|| {
        let detail = match line {
            Some(l) => format!("no article at line {l} (a blank line, or the file changed)"),
            None => "no article found (the file changed)".to_string(),
        };
        Loaded::Failed(Problem::new(&source.display, ProblemKind::Changed, detail))
    })
}

enum Opened<'a> {
    /// The data, decompressed when it was compressed.
    Reader(Box<dyn BufRead + 'a>),
    Skip(SkipReason),
}

/// Compression, as told by the first bytes of the data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn of(start: &[u8]) -> Self {
        if start.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if start.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn of_name(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Opens a source for reading, decompressing it when its first bytes are
/// gzip's or zstd's magic numbers.
fn open<'a>(source: &'a Source, options: &InputOptions) -> io::Result<Opened<'a>> {
    let mut reader: Box<dyn BufRead + 'a> = match &source.stdin {
        Some(bytes) => Box::new(bytes.as_slice()),
        None => {
            let file = fs::File::open(&source.path)?;
            // Check the size before reading, so a huge file costs one stat
            // (compressed data larger than the limit cannot decompress to
            // less); the bounded reads below still protect against a file
            // that grows meanwhile or whose reported size is wrong (procfs
            // reports 0). A JSON Lines file is bounded line by line instead.
            let meta = file.metadata()?;
            if !meta.is_file() {
                return Ok(Opened::Skip(SkipReason::NotRegular));
            }
            if meta.len() > options.max_bytes && !source.jsonl {
                return Ok(Opened::Skip(SkipReason::TooLarge));
            }
            let capacity = usize::try_from(meta.len().min(1 << 16)).unwrap_or(1 << 16);
            Box::new(BufReader::with_capacity(capacity.max(512), file))
        }
    };
    let compression = Compression::of(reader.fill_buf()?);
    let named = Compression::of_name(&source.path);
    if named != Compression::None && compression != named {
        let what = if named == Compression::Gzip {
            "gzip"
        } else {
            "zstd"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("named like {what} data but does not start like it"),
        ));
    }
    Ok(Opened::Reader(match compression {
        Compression::None => reader,
        Compression::Gzip => Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader))),
        Compression::Zstd => {
            let decoder = ruzstd::decoding::StreamingDecoder::new(reader).map_err(|err| {
                io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {err}"))
            })?;
            Box::new(BufReader::new(decoder))
        }
    }))
}

/// Reads JSON Lines: each non-blank line one object whose `--text-field`
/// is the article. A line that is not such an object is a problem naming
/// the line; a line longer than `--max-bytes` is skipped as `too_large`
/// without ever being held whole.
fn jsonl(
    mut reader: Box<dyn BufRead + '_>,
    source: &Source,
    options: &InputOptions,
    wanted: Option<&[u64]>,
    each: &mut dyn FnMut(Found),
) -> io::Result<()> {
    let max = usize::try_from(options.max_bytes).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut wanted = wanted.map(|lines| lines.iter().copied().peekable());
    while let Some(too_long) = read_line(&mut reader, &mut buf, max)? {
        line += 1;
        if let Some(lines) = &mut wanted {
            while lines.next_if(|&w| w < line).is_some() {}
            match lines.peek() {
                Some(&w) if w == line => {}
                Some(_) => continue,
                None => break,
            }
        }
        let found = |id, loaded| Found {
            line: Some(line),
            id,
            loaded,
        };
        if too_long {
            each(found(None, Loaded::Skip(SkipReason::TooLarge)));
            continue;
        }
        let mut text = buf.as_slice();
        if line == 1 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        }
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match record(text, options) {
            Ok((article, id)) => each(found(
                id,
                Loaded::Text {
                    text: article,
                    lossy: false,
                },
            )),
            Err(detail) => each(found(
                None,
                Loaded::Failed(Problem {
                    path: source.display.clone(),
                    line: Some(line),
                    kind: ProblemKind::InvalidRecord,
                    detail,
                }),
            )),
        }
    }
    Ok(())
}

/// Reads one line without its `\n` (or `\r\n`) into `buf`, keeping at most
/// `max` bytes of it. `None` at the end of the data; `Some(true)` when the
/// line was longer than `max` (then `buf` is empty and the rest was read
/// past, never stored).
fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let end = chunk.iter().position(|&b| b == b'\n');
        let part = &chunk[..end.unwrap_or(chunk.len())];
        if !too_long {
            if buf.len() + part.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = end.map_or(chunk.len(), |i| i + 1);
        reader.consume(used);
        if end.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(any.then_some(too_long))
}

/// The text and id of one JSON Lines record, or what is wrong with it.
fn record(line: &[u8], options: &InputOptions) -> Result<(String, Option<String>), String> {
    let value: serde_json::Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(err) if err.to_string().contains("hex escape") => {
            return Err(format!(
                "invalid JSON: a \\u escape is not a valid character ({err})"
            ))
        }
        Err(err) => return Err(format!("invalid JSON: {err}")),
    };
    if !value.is_object() {
        return Err(format!(
            "expected one JSON object per line, got {}",
            kind_of(&value)
        ));
    }
    let text = match field(&value, &options.text_field) {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => {
            return Err(format!(
                "field `{}` is {}, not a string",
                options.text_field,
                kind_of(other)
            ))
        }
        None => return Err(format!("no field `{}`", options.text_field)),
    };
    let id = match field(&value, &options.id_field) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(id)) => Some(id.clone()),
        Some(other) => Some(other.to_string()),
    };
    Ok((text, id))
}

/// A field by dotted path (`meta.id`); a name holding a dot as it is
/// (`"meta.id": ...`) is found too.
fn field<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    if let Some(found) = value.get(path) {
        return Some(found);
    }
    path.split('.')
        .try_fold(value, |value, name| value.get(name))
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Turns bytes into text: a UTF-8 byte order mark is dropped, UTF-16 with a
/// byte order mark is transcoded, a NUL byte means binary, and any other
/// invalid UTF-8 is replaced (and flagged as lossy).
pub fn decode(bytes: Vec<u8>) -> Loaded {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    let text = match utf16 {
        Some(unit) => {
            let units = bytes[2..]
                .chunks(2)
                .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]));
            let mut lossy = bytes.len() % 2 == 1;
            let text: String = char::decode_utf16(units)
                .map(|c| {
                    c.unwrap_or_else(|_| {
                        lossy = true;
                        char::REPLACEMENT_CHARACTER
                    })
                })
                .collect();
            (text, lossy)
        }
        None => {
            let mut bytes = bytes;
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            // Valid UTF-8 becomes the text without a copy.
            match String::from_utf8(bytes) {
                Ok(text) => (text, false),
                Err(err) => (String::from_utf8_lossy(err.as_bytes()).into_owned(), true),
            }
        }
    };
    // Why a NUL anywhere, after decoding: UTF-16 text is full of NUL bytes
    // until it is decoded, and checking the whole file (not a prefix) gives
    // one answer however the file is read.
    if text.0.contains('\0') {
        return Loaded::Skip(SkipReason::Binary);
    }
    Loaded::Text {
        text: text.0,
        lossy: text.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(read: Loaded) -> (String, bool) {
        match read {
            Loaded::Text { text, lossy } => (text, lossy),
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn json_lines_are_told_by_their_names() {
        let yes = [
            "a.jsonl",
            "dir/A.JSONL",
            "x.ndjson",
            "x.jsonl.gz",
            "x.JSONL.ZST",
            "x.ndjson.zstd",
            "dir.d/.jsonl",
            "x.zst.jsonl",
        ];
        let no = [
            "x.json",
            "x.jsonl.bz2",
            "x.gz",
            "jsonl",
            "x.jsonl.gz.gz",
            "dir.jsonl/x.txt",
            "..",
            "",
        ];
        for name in yes {
            assert!(is_jsonl_name(Path::new(name)), "{name}");
        }
        for name in no {
            assert!(!is_jsonl_name(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn sources_sort_as_their_displayed_paths_do() {
        let names = [
            "docs/reut_00002.txt",
            "docs/reut_00010.txt",
            "docs/reut_0001.txt",
            "docs/reut_00002.txt.gz",
            "docs/reut",
            "docs/sub/a.txt",
            "docs/é.txt",
            "docs/e.txt",
            "docs/Z.txt",
        ];
        for shared in ["", "../corpora/reuters/", "docs"] {
            let mut sources: Vec<Source> = names
                .iter()
                .rev()
                .map(|name| {
                    let display = format!("{shared}{name}");
                    Source {
                        path: PathBuf::from(&display),
                        display,
                        jsonl: false,
                        stdin: None,
                    }
                })
                .collect();
            let mut expected: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
            expected.sort();
            sort_sources(&mut sources);
            let sorted: Vec<String> = sources.into_iter().map(|s| s.display).collect();
            assert_eq!(sorted, expected);
        }
        let mut none: Vec<Source> = Vec::new();
        sort_sources(&mut none);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(
            text(decode(b"\xEF\xBB\xBFhello".to_vec())),
            ("hello".into(), false)
        );
    }

    #[test]
    fn utf16_with_bom_is_transcoded() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "café".encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(text(decode(le)), ("café".into(), false));
        assert_eq!(text(decode(be)), ("café".into(), false));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let (decoded, lossy) = text(decode(b"caf\xe9 ok".to_vec()));
        assert_eq!(decoded, "caf\u{FFFD} ok");
        assert!(lossy);
    }

    fn options() -> InputOptions {
        InputOptions {
            max_bytes: 100,
            ..InputOptions::default()
        }
    }

    /// The articles of a source held in memory, as (line, id, text or what
    /// became of it).
    fn articles(bytes: &[u8], jsonl: bool, wanted: Option<&[u64]>) -> Vec<String> {
        let source = Source {
            path: PathBuf::from(STDIN),
            display: "in".into(),
            jsonl,
            stdin: Some(bytes.to_vec()),
        };
        let mut out = Vec::new();
        read(&source, &options(), wanted, &mut |found| {
            let what = match found.loaded {
                Loaded::Text { text, .. } => text,
                Loaded::Skip(reason) => format!("skip {}", reason.as_str()),
                Loaded::Failed(problem) => format!("fail {}", problem.detail),
            };
            out.push(format!("{:?} {:?} {what}", found.line, found.id));
        });
        out
    }

    #[test]
    fn jsonl_lines_are_records() {
        let input = b"\xEF\xBB\xBF{\"id\":1,\"text\":\"one\"}\r\n\n{oops\n  \n\
            {\"text\":5}\n{\"meta\":{\"id\":\"x\"},\"text\":\"nul \\u0000 kept\"}";
        assert_eq!(
            articles(input, true, None),
            [
                "Some(1) Some(\"1\") one",
                "Some(3) None fail invalid JSON: key must be a string at line 1 column 2",
                "Some(5) None fail field `text` is a number, not a string",
                "Some(6) None nul \0 kept",
            ]
        );
        assert_eq!(
            articles(b"[1]\n{}", true, None)[0],
            "Some(1) None fail expected one JSON object per line, got an array"
        );
        assert_eq!(
            articles(b"{}", true, None)[0],
            "Some(1) None fail no field `text`"
        );
    }

    #[test]
    fn nested_fields_and_wanted_lines() {
        let source =
            b"{\"a\":{\"b\":\"one\"}}\n{\"a\":{\"b\":\"two\"}}\n{\"a\":{\"b\":\"three\"}}\n";
        let mut options = options();
        options.text_field = "a.b".into();
        let source = Source {
            path: PathBuf::from(STDIN),
            display: "in".into(),
            jsonl: true,
            stdin: Some(source.to_vec()),
        };
        let mut lines = Vec::new();
        read(&source, &options, Some(&[1, 3]), &mut |found| {
            if let Loaded::Text { text, .. } = found.loaded {
                lines.push((found.line, text));
            }
        });
        assert_eq!(lines, [(Some(1), "one".into()), (Some(3), "three".into())]);
    }

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let mut input = format!("{{\"text\":\"{}\"}}\n", "x".repeat(200)).into_bytes();
        input.extend_from_slice(b"{\"text\":\"short\"}");
        assert_eq!(
            articles(&input, true, None),
            ["Some(1) None skip too_large", "Some(2) None short"]
        );
    }

    #[test]
    fn compressed_data_is_read_and_bounded() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello gzip").unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(articles(&gz, false, None), ["None None hello gzip"]);
        let zst = ruzstd::encoding::compress_to_vec(
            &b"hello zstd"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        assert_eq!(articles(&zst, false, None), ["None None hello zstd"]);
        // A bomb: small compressed, larger than --max-bytes decompressed.
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        bomb.write_all(&[b'a'; 10_000]).unwrap();
        let bomb = bomb.finish().unwrap();
        assert!(bomb.len() < 100);
        assert_eq!(articles(&bomb, false, None), ["None None skip too_large"]);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(
            decode(b"hello\0world".to_vec()),
            Loaded::Skip(SkipReason::Binary)
        ));
        // UTF-16 without a byte order mark is indistinguishable from binary.
        let bare: Vec<u8> = "hi".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(matches!(decode(bare), Loaded::Skip(SkipReason::Binary)));
    }
}
