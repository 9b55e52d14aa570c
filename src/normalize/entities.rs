//! HTML remnants in scraped text: character references and stray tags.
//!
//! Scrapers that strip markup carelessly leave `&amp;`, `&nbsp;`, `&#8217;`
//! and the odd `<br>` behind; a copy with them and a copy without must come
//! out the same.

/// Named references that scraped news text actually contains. Unknown names
/// are left as they are: guessing would change real text such as "AT&T;".
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201a}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("bdquo", '\u{201e}'),
    ("laquo", '\u{ab}'),
    ("raquo", '\u{bb}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("euro", '\u{20ac}'),
    ("pound", '\u{a3}'),
    ("yen", '\u{a5}'),
    ("cent", '\u{a2}'),
    ("deg", '\u{b0}'),
    ("middot", '\u{b7}'),
    ("bull", '\u{2022}'),
    ("shy", '\u{ad}'),
    ("zwsp", '\u{200b}'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("eacute", '\u{e9}'),
    ("egrave", '\u{e8}'),
    ("aacute", '\u{e1}'),
    ("agrave", '\u{e0}'),
    ("ouml", '\u{f6}'),
    ("uuml", '\u{fc}'),
    ("auml", '\u{e4}'),
    ("szlig", '\u{df}'),
    ("ccedil", '\u{e7}'),
    ("ntilde", '\u{f1}'),
];

/// Decodes character references and replaces tags with white space (block
/// tags with a line break, so paragraphs stay paragraphs).
pub(crate) fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // A byte search: both are ASCII, so where one is found is a character
    // boundary, and a search for a set of chars decodes every character.
    while let Some(at) = rest.bytes().position(|b| b == b'&' || b == b'<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let consumed = if rest.starts_with('&') {
            reference(rest, &mut out)
        } else {
            tag(rest, &mut out)
        };
        match consumed {
            Some(len) => rest = &rest[len..],
            None => {
                out.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference at the start of `text`; returns its length.
fn reference(text: &str, out: &mut String) -> Option<usize> {
    let end = text.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let body = &text[1..end];
    let decoded = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        // A reference to NUL or a surrogate is broken markup, not text.
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        NAMED.iter().find(|(name, _)| *name == body)?.1
    };
    out.push(decoded);
    Some(end + 1)
}

/// Replaces the tag at the start of `text`; returns its length.
fn tag(text: &str, out: &mut String) -> Option<usize> {
    let name_start = text[1..].trim_start_matches('/');
    if !name_start.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = text.char_indices().take(200).find(|&(_, c)| c == '>')?.0;
    let name: String = name_start
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let block = matches!(
        name.as_str(),
        "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "blockquote"
    );
    out.push(if block { '\n' } else { ' ' });
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn references_and_tags() {
        let cases = [
            // Scraper left escaped ampersands and a non-breaking space.
            ("Tom &amp; Jerry&nbsp;said", "Tom & Jerry\u{a0}said"),
            // Numeric references for curly quotes, decimal and hex.
            (
                "it&#8217;s &#x201C;fine&#x201d;",
                "it\u{2019}s \u{201c}fine\u{201d}",
            ),
            // Paragraph markup left in the text.
            ("one.<br/>two.<p>three</p>", "one.\ntwo.\nthree\n"),
            // Inline markup becomes a space.
            ("a <b>bold</b> move", "a  bold  move"),
            // Not references: unknown names, no semicolon, a lone ampersand.
            ("AT&T; R&D & more &bogus;", "AT&T; R&D & more &bogus;"),
            // Not tags: comparisons and arrows.
            ("3 < 4 and x <- y", "3 < 4 and x <- y"),
            // A reference to NUL is dropped as broken, not decoded.
            ("a&#0;b", "a&#0;b"),
        ];
        for (input, expected) in cases {
            assert_eq!(decode(input), expected, "input: {input:?}");
        }
    }
}
