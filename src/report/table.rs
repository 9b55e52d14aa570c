//! The human table: each group with its representative first and every
//! member's scores against it, then a one-line summary. `shared`, `extra`
//! and `missing` count distinct sentences the member shares with the
//! representative, holds alone, and lacks. A JSON Lines record is shown as
//! `path:line`, with its id when it has one; compared with a baseline,
//! groups that are new or grew say so in their heading.

use std::io::{self, Write};

use super::{escape, Report};

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for group in &report.groups {
        let representative = &group.members[0];
        let new = if report.baseline && group.new {
            ", new"
        } else {
            ""
        };
        writeln!(
            out,
            "group {} ({} articles{new})",
            group.id,
            group.members.len()
        )?;
        writeln!(out, "  jaccard  contain  shared  extra  missing  path")?;
        for member in &group.members {
            let note = if std::ptr::eq(member, representative) {
                "  (representative)"
            } else if member.exact {
                "  (same text)"
            } else {
                ""
            };
            let indexed = if member.indexed { "  (indexed)" } else { "" };
            let id = match &member.id {
                Some(id) => format!(" [id {}]", escape(id)),
                None => String::new(),
            };
            writeln!(
                out,
                "  {:>7.3}  {:>7.3}  {:>6}  {:>5}  {:>7}  {}{id}{note}{indexed}",
                member.jaccard,
                member.containment,
                member.sentences.shared,
                member.sentences.only_a,
                member.sentences.only_b,
                escape(&member.label()),
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report))
}

fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = if s.groups == 0 {
        format!(
            "no duplicate groups among {}",
            plural(s.articles_compared, "article")
        )
    } else {
        format!(
            "{}, {} among {} compared",
            plural(s.groups, "group"),
            plural(s.duplicate_articles, "duplicate article"),
            plural(s.articles_compared, "article")
        )
    };
    if report.baseline {
        line.push_str(&format!(
            ", {} new or grown since the baseline",
            s.new_groups
        ));
    }
    let skipped: Vec<String> = s
        .skipped
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(reason, n)| format!("{n} {}", reason.as_str().replace('_', " ")))
        .collect();
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    if !report.problems.is_empty() {
        line.push_str(&format!(
            "; {} (see messages above)",
            plural(report.problems.len(), "problem")
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn table_layout() {
        let expected = "\
group 1 (2 articles)
  jaccard  contain  shared  extra  missing  path
    1.000    1.000       9      0        0  a/full.txt  (representative)
    0.612    0.950       6      1        3  a/copy, \"2\".txt  (indexed)

1 group, 1 duplicate article among 2 articles compared; skipped 1 empty; 1 problem (see messages above)
";
        assert_eq!(render(Format::Table), expected);
    }
}
