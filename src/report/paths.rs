//! Paths: the duplicates a keep-the-representative policy would drop (every
//! member but each group's representative), one per line or each followed
//! by a NUL byte, for `xargs`. A record of a JSON Lines file is written as
//! `path:line`. Names are written as they are, unescaped: with `-0` any
//! name survives the trip.

use std::io::{self, Write};

use super::Report;

pub(super) fn write(report: &Report, nul: bool, out: &mut dyn Write) -> io::Result<()> {
    let end: &[u8] = if nul { b"\0" } else { b"\n" };
    for group in &report.groups {
        for member in &group.members[1..] {
            out.write_all(member.label().as_bytes())?;
            out.write_all(end)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn only_the_duplicates() {
        assert_eq!(render(Format::Paths { nul: false }), "a/copy, \"2\".txt\n");
        assert_eq!(render(Format::Paths { nul: true }), "a/copy, \"2\".txt\0");
    }
}
