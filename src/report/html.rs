//! The review page (`--format html`): one self-contained HTML document, no
//! network and no external assets, for a reviewer to read before dropping
//! anything.
//!
//! At the top, a summary (counts, parameters, problems, how text is shown
//! and capped); then every group, largest first, as a collapsed
//! `<details class="group">` holding its members' scores and each member's
//! text against the representative's (`<table class="diff">`): shared
//! sentences as `tr.shared` across both columns, near matches as `tr.near`
//! with changed words in `<del>` and `<ins>`, sentences only one side holds
//! as `tr.only-rep` and `tr.only-member`. All text is escaped. Output is
//! deterministic like every other format. The one inline script expands or
//! collapses every group, and opens them all for `page.html#all` or one for
//! `page.html#group-N`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Group, Member, Report, Review, ReviewRow};
use crate::config::ReviewOptions;
use crate::review::page_order;

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::new();
    head(report, &mut page);
    summary(report, &mut page);
    page.push_str("<main>\n");
    for g in page_order(&report.groups) {
        group(&report.groups[g], &mut page);
        // Written in pieces, so a page for a large corpus is never held
        // twice in memory.
        out.write_all(page.as_bytes())?;
        page.clear();
    }
    page.push_str("</main>\n");
    page.push_str(SCRIPT);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// Text made safe inside HTML elements and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 48px;color:#1b1b1b}
h1{font-size:1.5em;margin:18px 0 6px}
.summary{background:#f4f5f7;border:1px solid #d8dbe0;border-radius:6px;padding:8px 14px}
.summary p{margin:6px 0}
.note{color:#555;font-size:.92em}
code{font-size:.92em;word-break:break-all}
details.group{border:1px solid #d8dbe0;border-radius:6px;margin:8px 0;background:#fff}
details.group>summary{cursor:pointer;padding:8px 12px;background:#f9fafb;border-radius:6px}
details.group[open]>summary{border-bottom:1px solid #d8dbe0;border-radius:6px 6px 0 0}
.size{display:inline-block;min-width:5.5em;font-weight:600}
.body{padding:6px 12px 12px}
table{border-collapse:collapse;width:100%}
table.members td,table.members th{padding:3px 8px;text-align:right;border-bottom:1px solid #eceef1}
table.members td:first-child,table.members th:first-child{text-align:left}
details.member{margin:10px 0}
details.member>summary{cursor:pointer;font-weight:600}
table.diff{table-layout:fixed;margin-top:6px;font-size:.93em}
table.diff th{text-align:left;width:50%;padding:4px 8px;background:#f4f5f7}
table.diff td{vertical-align:top;padding:3px 8px;border-bottom:1px solid #f0f0f0;overflow-wrap:anywhere}
tr.shared td{background:#e3f4e1}
tr.near td{background:#fff6d6}
tr.only-rep td:first-child{background:#fde4e4}
tr.only-member td:last-child{background:#e1ecfd}
del{background:#f7b9b9;text-decoration:line-through}
ins{background:#a9d8a4;text-decoration:none;font-weight:600}
.legend span{padding:1px 6px;border-radius:3px;margin-right:6px}
.omitted{color:#8a5a00;font-style:italic}
.problems li{color:#9b1c1c}
</style>
"#;

const SCRIPT: &str = r#"<script>
function setAll(open){document.querySelectorAll('details.group').forEach(function(d){d.open=open;});}
document.getElementById('expand-all').addEventListener('click',function(){setAll(true);});
document.getElementById('collapse-all').addEventListener('click',function(){setAll(false);});
if(location.hash==='#all'){setAll(true);}
else if(location.hash.indexOf('#group-')===0){var g=document.getElementById(location.hash.slice(1));if(g){g.open=true;}}
</script>
"#;

fn head(report: &Report, page: &mut String) {
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>newsdedup review: {} groups</title>\n{STYLE}</head>\n<body>\n\
         <h1>newsdedup review</h1>\n",
        report.groups.len()
    );
}

fn plural(n: usize, word: &str) -> String {
    format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// A count with a comma between thousands, as the page's prose shows it.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn summary(report: &Report, page: &mut String) {
    let s = &report.summary;
    let p = &report.parameters;
    page.push_str("<section class=\"summary\" id=\"summary\">\n");
    let _ = writeln!(
        page,
        "<p><b>{}</b>, {} among {} compared ({} seen, {} skipped).</p>",
        plural(s.groups, "group"),
        plural(s.duplicate_articles, "duplicate article"),
        plural(s.articles_compared, "article"),
        plural(s.files_seen, "file"),
        s.skipped_total()
    );
    let mut sizes: Vec<usize> = report.groups.iter().map(|g| g.members.len()).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let mut by_size = Vec::new();
    for run in sizes.chunk_by(|a, b| a == b) {
        by_size.push(format!("{} of {}", plural(run.len(), "group"), run[0]));
    }
    if !by_size.is_empty() {
        let _ = writeln!(
            page,
            "<p>Group sizes: {} (largest first below).</p>",
            by_size.join(", ")
        );
    }
    let _ = writeln!(
        page,
        "<p class=\"note\">Duplicates: Jaccard &ge; {} or containment &ge; {}; \
         shingles of {} words; sentences in {} or more files weigh less as site template; \
         normalizer version {}.</p>",
        p.matching.threshold,
        p.matching.containment,
        p.matching.shingle_size,
        p.matching.template_docs,
        p.matching.normalizer
    );
    // The caps the scan applied (the command line always uses the defaults).
    let caps = ReviewOptions::default();
    let _ = writeln!(
        page,
        "<p class=\"note\">Each member is shown against its group's representative, \
         sentence by sentence in the representative's reading order, as the texts were \
         compared: normalized and lowercased, without the bylines, links and boilerplate \
         lines the normalizer removes. To keep the page usable, a group shows at most {} \
         members' texts, a member at most {} sentences, a sentence at most {} \
         characters and the page at most {} sentences; what is left out is marked. \
         Run <code>newsdedup explain REPRESENTATIVE MEMBER</code> for the whole text \
         of a pair.</p>",
        caps.members_per_group,
        thousands(caps.rows_per_member),
        thousands(caps.chars_per_sentence),
        thousands(caps.rows_per_page)
    );
    page.push_str(
        "<p class=\"legend\"><span style=\"background:#e3f4e1\">shared</span>\
         <span style=\"background:#fff6d6\">near match (<del>removed</del> <ins>added</ins> words)</span>\
         <span style=\"background:#fde4e4\">only in the representative</span>\
         <span style=\"background:#e1ecfd\">only in the member</span></p>\n",
    );
    if !report.problems.is_empty() {
        let _ = writeln!(
            page,
            "<p>{} (the scan is incomplete):</p>\n<ul class=\"problems\">",
            plural(report.problems.len(), "problem")
        );
        for problem in &report.problems {
            let _ = writeln!(
                page,
                "<li><code>{}</code>: {}</li>",
                escape(&problem.label()),
                escape(&problem.detail)
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str(
        "<p><button type=\"button\" id=\"expand-all\">Expand all</button> \
         <button type=\"button\" id=\"collapse-all\">Collapse all</button></p>\n</section>\n",
    );
}

fn group(group: &Group, page: &mut String) {
    let lowest = group
        .members
        .iter()
        .map(|m| m.jaccard)
        .fold(1.0_f64, f64::min);
    let _ = writeln!(
        page,
        "<details class=\"group\" id=\"group-{id}\" data-size=\"{n}\">\n\
         <summary><span class=\"size\">{n} articles</span> group {id}: <code>{rep}</code> \
         (lowest Jaccard {lowest:.3})</summary>\n<div class=\"body\">",
        id = group.id,
        n = group.members.len(),
        rep = escape(&group.members[0].label()),
    );
    page.push_str(
        "<table class=\"members\"><thead><tr><th>path</th><th>jaccard</th><th>containment</th>\
         <th>shared sentences</th><th>only in member</th><th>only in representative</th>\
         <th>words</th></tr></thead>\n<tbody>\n",
    );
    for (k, m) in group.members.iter().enumerate() {
        let note = if k == 0 {
            " (representative)"
        } else if m.exact {
            " (same text)"
        } else {
            ""
        };
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code>{note}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&m.label()),
            m.jaccard,
            m.containment,
            m.sentences.shared,
            m.sentences.only_a,
            m.sentences.only_b,
            m.words
        );
    }
    page.push_str("</tbody></table>\n");
    for m in &group.members[1..] {
        member(group, m, page);
    }
    page.push_str("</div>\n</details>\n");
}

fn member(group: &Group, m: &Member, page: &mut String) {
    let _ = writeln!(
        page,
        "<details class=\"member\" open><summary><code>{}</code>: Jaccard {:.3}, \
         {} shared, {} only here, {} only in the representative</summary>",
        escape(&m.label()),
        m.jaccard,
        m.sentences.shared,
        m.sentences.only_a,
        m.sentences.only_b
    );
    match &m.review {
        Some(Review::Shown { rows, hidden }) => {
            let _ = writeln!(
                page,
                "<table class=\"diff\"><thead><tr><th>representative <code>{}</code></th>\
                 <th>member <code>{}</code></th></tr></thead>\n<tbody>",
                escape(&group.members[0].label()),
                escape(&m.label())
            );
            for row in rows {
                diff_row(row, page);
            }
            page.push_str("</tbody></table>\n");
            if *hidden > 0 {
                let _ = writeln!(
                    page,
                    "<p class=\"omitted\">{} more left out of this page.</p>",
                    plural(*hidden, "sentence row")
                );
            }
        }
        Some(Review::Omitted(why)) => {
            let _ = writeln!(page, "<p class=\"omitted\">{}</p>", escape(why));
        }
        None => {}
    }
    page.push_str("</details>\n");
}

fn diff_row(row: &ReviewRow, page: &mut String) {
    match row {
        ReviewRow::Shared(text) => {
            let _ = writeln!(
                page,
                "<tr class=\"shared\"><td colspan=\"2\">{}</td></tr>",
                escape(text)
            );
        }
        ReviewRow::Near(a, b) => {
            let _ = writeln!(
                page,
                "<tr class=\"near\"><td>{}</td><td>{}</td></tr>",
                words(a, "del"),
                words(b, "ins")
            );
        }
        ReviewRow::OnlyRepresentative(text) => {
            let _ = writeln!(
                page,
                "<tr class=\"only-rep\"><td>{}</td><td></td></tr>",
                escape(text)
            );
        }
        ReviewRow::OnlyMember(text) => {
            let _ = writeln!(
                page,
                "<tr class=\"only-member\"><td></td><td>{}</td></tr>",
                escape(text)
            );
        }
    }
}

/// A near match's words, changed ones inside `tag`.
fn words(words: &[(String, bool)], tag: &str) -> String {
    let shown: Vec<String> = words
        .iter()
        .map(|(word, changed)| {
            if *changed {
                format!("<{tag}>{}</{tag}>", escape(word))
            } else {
                escape(word)
            }
        })
        .collect();
    shown.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(50_000), "50,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn page_escapes_text_and_marks_rows() {
        let page = render(Format::Html);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("one &lt;b&gt;bold&lt;/b&gt; &amp; two."));
        assert!(page.contains("<code>a/copy, &quot;2&quot;.txt</code>"));
        assert!(page.contains(
            "<tr class=\"near\"><td><del>77</del> dead.</td><td><ins>78</ins> dead.</td></tr>"
        ));
        assert!(page
            .contains("<tr class=\"only-member\"><td></td><td>added &quot;quote&quot;.</td></tr>"));
        assert!(page.contains("2 sentence rows more left out"));
        assert!(page.contains("1 problem (the scan is incomplete)"));
        // Nothing is fetched: no external scripts, styles, images or fonts.
        for outside in ["src=", "href=", "url(", "@import"] {
            assert!(!page.contains(outside), "{outside}");
        }
    }
}
