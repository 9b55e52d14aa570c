//! `newsdedup index create|add|stats|remove`: a persistent index of
//! articles, so each new batch is checked against everything collected.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::{messages, start_threads};
use crate::cli::{threads, IndexArgs, IndexCommand, InputArgs, RunArgs};
use crate::config::InputOptions;
use crate::exit::ExitStatus;
use crate::index::{Access, Index, IndexParameters};
use crate::pipeline;
use crate::progress::Progress;

/// Runs one index subcommand.
pub fn run(args: &IndexArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    let status = command(args, out, err)?;
    // `out` is buffered by main: a full disk or a closed pipe shows here.
    out.flush().context("cannot write the output")?;
    Ok(status)
}

fn command(args: &IndexArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    match &args.command {
        IndexCommand::Create { index, matching } => {
            let config = matching.config(InputOptions::default(), 1)?;
            let parameters = IndexParameters::of(&config, pipeline::banding(&config));
            Index::create(index, &parameters)?;
            writeln!(
                out,
                "created {}: {} bands of {} rows, threshold {}, containment {}",
                index.display(),
                parameters.bands,
                parameters.rows,
                parameters.threshold,
                parameters.containment
            )?;
            Ok(ExitStatus::Clean)
        }
        IndexCommand::Add {
            index,
            paths,
            input,
            run,
        } => add(index, paths, input, run, out, err),
        IndexCommand::Stats { index, check } => stats(index, *check, out, err),
        IndexCommand::Remove {
            index,
            paths,
            batch,
        } => {
            let mut index = Index::open(index, Access::Write)?;
            let mut writer = index.writer()?;
            let removed = writer.remove(paths, *batch)?;
            writer.commit(0)?;
            if removed == 0 {
                bail!("nothing in the index matches (paths are matched exactly as they were given to `index add`)");
            }
            writeln!(out, "removed {removed} article{}", plural(removed))?;
            Ok(ExitStatus::Clean)
        }
    }
}

fn add(
    path: &Path,
    paths: &[std::path::PathBuf],
    input: &InputArgs,
    run: &RunArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    let mut index = Index::open(path, Access::Write)?;
    let threads = threads(run.threads);
    start_threads(threads)?;
    let progress = Progress::new(!run.quiet && io::stderr().is_terminal());
    let added = pipeline::add(&mut index, input.options(paths)?, threads, &progress)?;
    messages(&added.problems, &added.skipped_files, run.verbose, err)?;
    let skipped: usize = added.skipped.iter().map(|(_, n)| n).sum();
    writeln!(
        out,
        "batch {}: added {} article{}, {} already indexed, {} skipped{}",
        added.batch,
        added.added,
        plural(added.added),
        added.known,
        skipped,
        if added.problems.is_empty() {
            String::new()
        } else {
            let n = added.problems.len() as u64;
            format!(", {n} problem{} (see messages above)", plural(n))
        }
    )?;
    if !run.quiet {
        let _ = writeln!(err, "newsdedup: added in {:.2} s", added.elapsed_seconds);
    }
    Ok(if added.problems.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Error
    })
}

fn stats(path: &Path, check: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus> {
    let index = Index::open(path, Access::Read)?;
    let stats = index.stats()?;
    writeln!(out, "index: {}", path.display())?;
    writeln!(out, "documents: {}", stats.documents)?;
    writeln!(out, "batches: {}", stats.batches.len())?;
    for (id, added_at, documents) in &stats.batches {
        writeln!(
            out,
            "  batch {id}: {documents} document{}, added {}",
            plural(*documents),
            utc(*added_at)
        )?;
    }
    let per_doc = stats
        .bytes
        .checked_div(stats.documents)
        .map(|b| format!(" ({b} bytes per document)"))
        .unwrap_or_default();
    writeln!(out, "size: {} bytes{per_doc}", stats.bytes)?;
    writeln!(
        out,
        "parameters: {}",
        serde_json::to_string(index.parameters())?
    )?;
    if check {
        let wrong = index.check()?;
        for problem in &wrong {
            writeln!(err, "newsdedup: {}: {problem}", path.display())?;
        }
        if !wrong.is_empty() {
            return Ok(ExitStatus::Error);
        }
        writeln!(out, "check: ok")?;
    }
    Ok(ExitStatus::Clean)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Unix seconds as an ISO 8601 UTC time (the civil-from-days algorithm of
/// Howard Hinnant's date library), to avoid a date crate for one line.
fn utc(seconds: i64) -> String {
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_796_000_000), "2026-11-30T00:53:20Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
