//! JSON Lines: one object per line, each with a `type`: every `group`
//! first, then every `problem`, then one `summary` line that also carries
//! the schema version, tool and parameters. Objects have the same fields as
//! in the JSON report (see [`super::json`]), so a consumer can stream groups
//! as they come and read the verdict from the last line.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{
    problems, WireGroup, WireParameters, WireProblem, WireSummary, SCHEMA_VERSION, TOOL,
};
use super::Report;

// Why the size difference is fine: lines are built one at a time and
// written at once, never stored together.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Group(WireGroup<'a>),
    Problem(WireProblem<'a>),
    Summary {
        schema_version: u32,
        tool: super::json::Tool,
        parameters: WireParameters<'a>,
        #[serde(flatten)]
        summary: WireSummary,
    },
}

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut emit = |line: &Line<'_>| -> io::Result<()> {
        serde_json::to_writer(&mut *out, line)?;
        writeln!(out)
    };
    for group in &report.groups {
        emit(&Line::Group(group.into()))?;
    }
    for problem in problems(report) {
        emit(&Line::Problem(problem))?;
    }
    emit(&Line::Summary {
        schema_version: SCHEMA_VERSION,
        tool: TOOL,
        parameters: (&report.parameters).into(),
        summary: WireSummary::new(&report.summary, report.problems.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::super::Format;

    #[test]
    fn groups_then_problems_then_summary() {
        let text = render(Format::Jsonl);
        let types: Vec<String> = text
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                value["type"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(types, ["group", "problem", "summary"]);
        let summary: serde_json::Value =
            serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(summary["schema_version"], 2);
        assert_eq!(summary["groups"], 1);
    }
}
