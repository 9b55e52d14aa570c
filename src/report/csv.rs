//! CSV: a header, then one row per group member (the representative too),
//! quoted as RFC 4180 asks. The columns are the JSON member fields; `line`
//! and `id` are empty for whole files.

use std::io::{self, Write};

use super::{round, Report};

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "group,representative,path,jaccard,containment,exact,words,\
         shared_sentences,only_member,only_representative,line,id,new,indexed"
    )?;
    for group in &report.groups {
        for member in &group.members {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                group.id,
                field(&group.representative),
                field(&member.path),
                round(member.jaccard),
                round(member.containment),
                member.exact,
                member.words,
                member.sentences.shared,
                member.sentences.only_a,
                member.sentences.only_b,
                member.line.map(|l| l.to_string()).unwrap_or_default(),
                field(member.id.as_deref().unwrap_or_default()),
                group.new,
                member.indexed
            )?;
        }
    }
    Ok(())
}

/// Quotes a field when it holds a comma, quote or line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn rows_are_quoted() {
        let expected = "\
group,representative,path,jaccard,containment,exact,words,shared_sentences,only_member,only_representative,line,id,new,indexed
1,a/full.txt,a/full.txt,1,1,true,120,9,0,0,,,true,false
1,a/full.txt,\"a/copy, \"\"2\"\".txt\",0.6123,0.95,false,80,6,1,3,,,true,true
";
        assert_eq!(render(Format::Csv), expected);
    }
}
