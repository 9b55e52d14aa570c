//! The input stage: find the files under the given paths and read them as text.
//!
//! This is the only module that touches input files, and it only ever opens
//! them for reading. `walk` turns paths into a sorted, de-duplicated list of
//! [`Source`]s plus problems; `read` turns one source into decoded text or a
//! reason to skip it.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::config::InputOptions;
use crate::corpus::{Problem, ProblemKind, SkipReason, Source};

/// What walking the paths found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files to read, sorted by their display path.
    pub sources: Vec<Source>,
    /// Entries passed over while walking (links, FIFOs, sockets).
    pub skipped: Vec<(String, SkipReason)>,
    /// Paths that could not be walked.
    pub problems: Vec<Problem>,
}

/// Walks every path, depth first, in a deterministic order.
///
/// Each file is listed once however it is reached: folders are remembered by
/// device and inode (so a folder given twice, or reached again through a
/// link, is walked once) and files by their canonical path (so `d d/a.txt`
/// lists `a.txt` once, while two hard links to one file stay two articles).
pub fn walk(options: &InputOptions) -> Walk {
    let mut walker = Walker {
        follow: options.follow_links,
        dirs_seen: HashSet::new(),
        files_seen: HashSet::new(),
        out: Walk::default(),
    };
    for path in &options.paths {
        walker.root(path);
    }
    let mut out = walker.out;
    // Why sort: ids, grouping and output must not depend on the order the
    // file system or the user listed things in.
    out.sources.sort_by(|a, b| a.display.cmp(&b.display));
    out.skipped.sort();
    out
}

struct Walker {
    follow: bool,
    dirs_seen: HashSet<(u64, u64)>,
    files_seen: HashSet<PathBuf>,
    out: Walk,
}

impl Walker {
    fn root(&mut self, path: &Path) {
        let display = path.to_string_lossy().into_owned();
        // Paths named on the command line are always resolved, links included:
        // the user asked for them by name.
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(err) => return self.out.problems.push(Problem::io(&display, &err)),
        };
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(err) => return self.out.problems.push(Problem::io(&display, &err)),
        };
        if meta.is_dir() {
            self.dir(path.to_path_buf(), canonical, &meta);
        } else if meta.is_file() {
            self.file(path.to_path_buf(), canonical);
        } else {
            self.out.problems.push(Problem {
                path: display,
                kind: ProblemKind::NotRegular,
                detail: "not a regular file or folder".to_string(),
            });
        }
    }

    /// Walks one folder tree with an explicit stack, so deep nesting cannot
    /// overflow the call stack.
    fn dir(&mut self, path: PathBuf, canonical: PathBuf, meta: &fs::Metadata) {
        if !self.dirs_seen.insert((meta.dev(), meta.ino())) {
            return;
        }
        let mut stack = vec![(path, canonical)];
        while let Some((dir, canonical)) = stack.pop() {
            let mut children = Vec::new();
            if let Err(err) = self.list(&dir, &canonical, &mut children) {
                self.out
                    .problems
                    .push(Problem::io(&dir.to_string_lossy(), &err));
            }
            // Reverse so the stack pops children in name order.
            stack.extend(children.into_iter().rev());
        }
    }

    fn list(
        &mut self,
        dir: &Path,
        canonical: &Path,
        children: &mut Vec<(PathBuf, PathBuf)>,
    ) -> std::io::Result<()> {
        let mut entries = fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let path = entry.path();
            let file_type = entry.file_type()?;
            let display = path.to_string_lossy().into_owned();
            if file_type.is_symlink() {
                if self.follow {
                    self.link(path, children);
                } else {
                    self.out.skipped.push((display, SkipReason::Symlink));
                }
            } else if file_type.is_dir() {
                let meta = entry.metadata()?;
                if self.dirs_seen.insert((meta.dev(), meta.ino())) {
                    children.push((path, canonical.join(entry.file_name())));
                }
            } else if file_type.is_file() {
                self.file(path, canonical.join(entry.file_name()));
            } else {
                self.out.skipped.push((display, SkipReason::NotRegular));
            }
        }
        Ok(())
    }

    /// A link met while following links: resolved once, then treated as what
    /// it points to. Folders reached this way still go through the device and
    /// inode check, which is what ends symlink loops and mazes.
    fn link(&mut self, path: PathBuf, children: &mut Vec<(PathBuf, PathBuf)>) {
        let display = path.to_string_lossy().into_owned();
        let resolved = fs::metadata(&path).and_then(|meta| Ok((meta, fs::canonicalize(&path)?)));
        let (meta, canonical) = match resolved {
            Ok(found) => found,
            Err(err) => {
                let mut problem = Problem::io(&display, &err);
                if problem.kind == ProblemKind::NotFound {
                    problem.detail = "broken symbolic link".to_string();
                } else if err.raw_os_error() == Some(40) {
                    problem.kind = ProblemKind::LinkLoop;
                }
                return self.out.problems.push(problem);
            }
        };
        if meta.is_dir() {
            if self.dirs_seen.insert((meta.dev(), meta.ino())) {
                children.push((path, canonical));
            }
        } else if meta.is_file() {
            self.file(path, canonical);
        } else {
            self.out.skipped.push((display, SkipReason::NotRegular));
        }
    }

    fn file(&mut self, path: PathBuf, canonical: PathBuf) {
        if self.files_seen.insert(canonical) {
            let display = path.to_string_lossy().into_owned();
            self.out.sources.push(Source { path, display });
        }
    }
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

/// Reads one file, never more than `max_bytes + 1` bytes of it.
pub fn read(source: &Source, options: &InputOptions) -> Loaded {
    let fail = |err: std::io::Error| Loaded::Failed(Problem::io(&source.display, &err));
    let file = match fs::File::open(&source.path) {
        Ok(file) => file,
        Err(err) => return fail(err),
    };
    // Check the size before reading, so a huge file costs one stat; the
    // bounded read below still protects against a file that grows meanwhile
    // or one whose reported size is wrong (procfs reports 0).
    let size = match file.metadata() {
        Ok(meta) if meta.len() > options.max_bytes => return Loaded::Skip(SkipReason::TooLarge),
        Ok(meta) if !meta.is_file() => return Loaded::Skip(SkipReason::NotRegular),
        Ok(meta) => meta.len(),
        Err(err) => return fail(err),
    };
    // Room for the whole file and one byte more: the file is then read in
    // one call plus one that finds its end, instead of a growing buffer's
    // half a dozen.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    if let Err(err) = file.take(options.max_bytes + 1).read_to_end(&mut bytes) {
        return fail(err);
    }
    if bytes.len() as u64 > options.max_bytes {
        return Loaded::Skip(SkipReason::TooLarge);
    }
    decode(bytes)
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
