//! Baselines: the duplicate groups a corpus's owners have accepted, so a CI
//! check fails only on groups that are new or grew since.
//!
//! A baseline is a text file meant to be committed next to the corpus and
//! read in a diff: a header line, then one paragraph per group, one member
//! per line, groups and members sorted:
//!
//! ```text
//! newsdedup-baseline 1
//!
//! 5c1e0d3f8a2b4c6d7e8f9a0b1c2d3e4f fixtures/000.txt
//! 0a1b2c3d4e5f60718293a4b5c6d7e8f9 fixtures/003.txt
//!
//! 77e1c0ffee0000000000000000000000 dump.jsonl→id 17
//! 88e1c0ffee0000000000000000000000 dump.jsonl→line 40
//! ```
//!
//! (`→` stands for a tab.) Each member line is the fingerprint of its normalized text (32 hex
//! digits), a space, its path, and for a JSON Lines record a tab and
//! `id ID` (or `line N` for a record without an id, since ids survive lines
//! being inserted above them). Backslashes, tabs, line breaks and carriage
//! returns in names are written `\\`, `\t`, `\n`, `\r`. Lines starting with
//! `#` are comments.
//!
//! A group found now is **not new** when some baseline group holds all its
//! members, each matched by its name, or else by its fingerprint to a
//! baseline member no other member matched (so a renamed file is the same
//! member, but a second copy of an accepted text is not). Everything else
//! is new: a group of articles never grouped before, or a baseline group
//! that gained a member.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::report::{Member, Report};

/// The first line of every baseline file (with its format version).
const HEADER: &str = "newsdedup-baseline 1";

/// The accepted groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    groups: Vec<Vec<Entry>>,
}

/// One accepted member: its name and the fingerprint of its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    key: Key,
    fingerprint: u128,
}

/// What names a member across runs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    path: String,
    record: Option<RecordKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum RecordKey {
    Id(String),
    Line(u64),
}

impl Key {
    fn of(member: &Member) -> Key {
        let record = match (&member.id, member.line) {
            (Some(id), _) => Some(RecordKey::Id(id.clone())),
            (None, Some(line)) => Some(RecordKey::Line(line)),
            (None, None) => None,
        };
        Key {
            path: member.path.clone(),
            record,
        }
    }
}

impl Baseline {
    /// The baseline that accepts exactly the report's groups.
    pub fn of(report: &Report) -> Baseline {
        let mut groups: Vec<Vec<Entry>> = report
            .groups
            .iter()
            .map(|group| {
                let mut entries: Vec<Entry> = group
                    .members
                    .iter()
                    .map(|m| Entry {
                        key: Key::of(m),
                        fingerprint: m.fingerprint,
                    })
                    .collect();
                entries.sort();
                entries
            })
            .collect();
        groups.sort();
        Baseline { groups }
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{HEADER}\n# Duplicate groups accepted in this corpus; newsdedup scan --baseline \
             THIS_FILE\n# fails only on groups that are new or grew. Regenerate with \
             --write-baseline.\n"
        );
        for group in &self.groups {
            out.push('\n');
            for entry in group {
                out.push_str(&format!(
                    "{:032x} {}",
                    entry.fingerprint,
                    escape(&entry.key.path)
                ));
                match &entry.key.record {
                    Some(RecordKey::Id(id)) => out.push_str(&format!("\tid {}", escape(id))),
                    Some(RecordKey::Line(line)) => out.push_str(&format!("\tline {line}")),
                    None => {}
                }
                out.push('\n');
            }
        }
        out
    }

    /// Reads a baseline's text; the error names the line that is wrong.
    pub fn parse(text: &str) -> Result<Baseline> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, first)) if first.trim_end() == HEADER => {}
            _ => bail!("not a newsdedup baseline (the first line should be {HEADER:?})"),
        }
        let mut groups = Vec::new();
        let mut group: Vec<Entry> = Vec::new();
        for (n, line) in lines {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.starts_with('#') {
                continue;
            }
            if line.is_empty() {
                if !group.is_empty() {
                    groups.push(std::mem::take(&mut group));
                }
                continue;
            }
            let entry = parse_entry(line).with_context(|| format!("line {}", n + 1))?;
            group.push(entry);
        }
        if !group.is_empty() {
            groups.push(group);
        }
        Ok(Baseline { groups })
    }

    /// Reads a baseline file; a missing or malformed file is an error naming
    /// it (a CI check must never pass because its baseline went missing).
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the baseline {}", path.display()))?;
        Baseline::parse(&text).with_context(|| format!("baseline {}", path.display()))
    }

    /// Writes the baseline to `path`, through a temporary file in the same
    /// folder renamed into place, so an interrupted write never leaves half
    /// a baseline behind.
    pub fn save(&self, path: &Path) -> Result<()> {
        let name = path
            .file_name()
            .with_context(|| format!("--write-baseline {} names no file", path.display()))?;
        let mut temporary = name.to_owned();
        temporary.push(format!(".tmp-{}", std::process::id()));
        let temporary = path.with_file_name(temporary);
        let written = fs::File::create(&temporary).and_then(|mut file| {
            file.write_all(self.render().as_bytes())?;
            file.sync_all()?;
            fs::rename(&temporary, path)
        });
        if let Err(err) = written {
            let _ = fs::remove_file(&temporary);
            return Err(err)
                .with_context(|| format!("cannot write the baseline {}", path.display()));
        }
        Ok(())
    }

    /// Marks each group of the report new or not, and counts the new ones.
    pub fn mark(&self, report: &mut Report) {
        for group in &mut report.groups {
            group.new = !self.groups.iter().any(|b| holds(b, &group.members));
        }
        report.baseline = true;
        report.summary.new_groups = report.groups.iter().filter(|g| g.new).count();
    }
}

/// Whether a baseline group holds every member: each matched by name, or
/// else by fingerprint to an entry no other member took.
fn holds(group: &[Entry], members: &[Member]) -> bool {
    let mut taken = vec![false; group.len()];
    let mut unmatched = Vec::new();
    for member in members {
        let key = Key::of(member);
        match group.iter().position(|e| e.key == key) {
            Some(i) if !taken[i] => taken[i] = true,
            _ => unmatched.push(member.fingerprint),
        }
    }
    // Entries named by a current member keep their name; only the others
    // (renamed or moved away) can be claimed by content.
    let names: HashSet<Key> = members.iter().map(Key::of).collect();
    unmatched.into_iter().all(|fingerprint| {
        let free = group.iter().enumerate().position(|(i, e)| {
            !taken[i] && e.fingerprint == fingerprint && !names.contains(&e.key)
        });
        match free {
            Some(i) => {
                taken[i] = true;
                true
            }
            None => false,
        }
    })
}

fn parse_entry(line: &str) -> Result<Entry> {
    let Some((fingerprint, rest)) = line.split_once(' ') else {
        bail!("expected a fingerprint, a space and a path");
    };
    if fingerprint.len() != 32 {
        bail!("the fingerprint should be 32 hexadecimal digits");
    }
    let fingerprint = u128::from_str_radix(fingerprint, 16)
        .context("the fingerprint should be 32 hexadecimal digits")?;
    let mut fields = rest.split('\t');
    let path = unescape(fields.next().unwrap_or_default())?;
    if path.is_empty() {
        bail!("no path");
    }
    let record = match fields.next() {
        None => None,
        Some(field) => Some(match field.split_once(' ') {
            Some(("id", id)) => RecordKey::Id(unescape(id)?),
            Some(("line", n)) => RecordKey::Line(n.parse().context("a bad line number")?),
            _ => bail!("expected `id ID` or `line N` after the path"),
        }),
    };
    if fields.next().is_some() {
        bail!("too many tab-separated fields");
    }
    Ok(Entry {
        key: Key { path, record },
        fingerprint,
    })
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('\\') => '\\',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            _ => bail!("a backslash must be followed by \\, t, n or r"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Group;

    fn member(path: &str, line: Option<u64>, id: Option<&str>, fingerprint: u128) -> Member {
        Member {
            path: path.into(),
            line,
            id: id.map(Into::into),
            fingerprint,
            jaccard: 1.0,
            containment: 1.0,
            exact: false,
            words: 100,
            sentences: Default::default(),
            review: None,
            indexed: false,
        }
    }

    fn report(groups: Vec<Vec<Member>>) -> Report {
        Report {
            groups: groups
                .into_iter()
                .map(|members| Group {
                    id: 1,
                    representative: members[0].path.clone(),
                    new: true,
                    members,
                })
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn render_then_parse_is_the_same_baseline() {
        let baseline = Baseline::of(&report(vec![vec![
            member("a\tb\\c\n.txt", None, None, 7),
            member("dump.jsonl", Some(3), Some("x 1"), u128::MAX),
            member("dump.jsonl", Some(9), None, 0),
        ]]));
        let text = baseline.render();
        assert!(text.starts_with("newsdedup-baseline 1\n"), "{text}");
        assert!(
            text.contains("\tid x 1\n") && text.contains("\tline 9\n"),
            "{text}"
        );
        assert_eq!(Baseline::parse(&text).unwrap(), baseline);
    }

    #[test]
    fn malformed_lines_are_named() {
        let err = |text: &str| format!("{:#}", Baseline::parse(text).unwrap_err());
        assert!(err("").contains("not a newsdedup baseline"));
        assert!(err("newsdedup-baseline 1\n\nzz a.txt\n").contains("line 3"));
        assert!(
            err("newsdedup-baseline 1\n00000000000000000000000000000001 a\tpage 2\n")
                .contains("`id ID` or `line N`")
        );
    }

    #[test]
    fn only_new_or_grown_groups_are_new() {
        let a = member("a.txt", None, None, 1);
        let b = member("b.txt", None, None, 2);
        let c = member("c.txt", None, None, 3);
        let baseline = Baseline::of(&report(vec![vec![a.clone(), b.clone()]]));
        let mut now = report(vec![
            vec![a.clone(), b.clone()],
            vec![a.clone(), b.clone(), c.clone()],
            vec![c.clone(), member("d.txt", None, None, 4)],
            vec![b.clone()],
        ]);
        baseline.mark(&mut now);
        let new: Vec<bool> = now.groups.iter().map(|g| g.new).collect();
        assert_eq!(new, [false, true, true, false]);
        assert_eq!(now.summary.new_groups, 2);
    }

    #[test]
    fn a_renamed_member_is_recognised_but_a_second_copy_is_not() {
        let a = member("a.txt", None, None, 1);
        let b = member("b.txt", None, None, 2);
        let baseline = Baseline::of(&report(vec![vec![a.clone(), b.clone()]]));
        let mut renamed = report(vec![vec![a.clone(), member("b2.txt", None, None, 2)]]);
        baseline.mark(&mut renamed);
        assert!(!renamed.groups[0].new);
        let mut copied = report(vec![vec![
            a.clone(),
            b,
            member("b-copy.txt", None, None, 2),
        ]]);
        baseline.mark(&mut copied);
        assert!(copied.groups[0].new);
    }
}
