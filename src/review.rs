//! Review text: after grouping, for the HTML review page only, re-reads the
//! members of each group and sets each against its representative sentence
//! by sentence ([`crate::evidence::align`]), within the caps of
//! [`ReviewOptions`] so the page stays usable for thousands of groups.
//!
//! Takes the finished groups and fills their members' `review`; scores and
//! grouping are never changed here. Only group members are read, each
//! once per group, in the page's order (largest groups first).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::{Config, ReviewOptions};
use crate::corpus::Source;
use crate::evidence::{self, Row};
use crate::input::{self, Loaded};
use crate::normalize;
use crate::progress::Progress;
use crate::report::{Group, Review, ReviewRow};
use crate::shingle;

/// Groups in page order: largest first, then by id. The HTML page lists
/// them in this order, and the page budget is spent in it.
pub fn page_order(groups: &[Group]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (std::cmp::Reverse(groups[g].members.len()), groups[g].id));
    order
}

/// Groups read at once: enough to keep every thread busy, few enough that
/// the texts in memory stay small and reading stops soon after the page
/// budget is spent.
const CHUNK: usize = 64;

/// Fills `review` for the members of every group (the representative's
/// stays `None`).
pub fn attach(
    groups: &mut [Group],
    sources: &[Source],
    config: &Config,
    options: &ReviewOptions,
    progress: &Progress,
) {
    let by_path: HashMap<&str, &Source> = sources.iter().map(|s| (s.display.as_str(), s)).collect();
    let mut budget = options.rows_per_page;
    for chunk in page_order(groups).chunks(CHUNK) {
        let reviews: Vec<Vec<Review>> = chunk
            .par_iter()
            .map(|&g| {
                let reviews = group_reviews(&groups[g], &by_path, config, options, budget > 0);
                progress.step();
                reviews
            })
            .collect();
        for (&g, reviews) in chunk.iter().zip(reviews) {
            for (member, review) in groups[g].members.iter_mut().skip(1).zip(reviews) {
                member.review = Some(spend(review, &mut budget));
            }
        }
    }
}

/// Charges a review's rows to the page budget, or omits it once the budget
/// is spent.
fn spend(review: Review, budget: &mut usize) -> Review {
    match review {
        Review::Shown { rows, .. } if *budget == 0 => {
            drop(rows);
            Review::Omitted("text left out: the page holds at most its sentence budget".into())
        }
        Review::Shown { mut rows, hidden } => {
            let kept = rows.len().min(*budget);
            let hidden = hidden + rows.len() - kept;
            rows.truncate(kept);
            *budget -= kept;
            Review::Shown { rows, hidden }
        }
        omitted => omitted,
    }
}

/// A document's sentences and their hashes.
type Sentences = Vec<(String, Option<u64>)>;

fn group_reviews(
    group: &Group,
    by_path: &HashMap<&str, &Source>,
    config: &Config,
    options: &ReviewOptions,
    within_budget: bool,
) -> Vec<Review> {
    let others = group.members.len() - 1;
    let omitted = |why: String| vec![Review::Omitted(why); others];
    if !within_budget {
        return omitted("text left out: the page holds at most its sentence budget".into());
    }
    let first = &group.members[0];
    // An indexed article's file may be gone or hold other text by now, and
    // the index keeps its shingles, not its sentences' text.
    const INDEXED: &str = "an indexed article: the index keeps no text to show";
    if first.indexed {
        return omitted(format!("representative is {INDEXED}"));
    }
    let rep = match sentences(&first.path, first.line, by_path, config) {
        Ok(rep) => rep,
        Err(why) => return omitted(format!("representative {why}")),
    };
    group.members[1..]
        .iter()
        .enumerate()
        .map(|(k, member)| {
            if k >= options.members_per_group {
                return Review::Omitted(format!(
                    "text left out: the page shows {} members of a group against the representative",
                    options.members_per_group
                ));
            }
            if member.indexed {
                return Review::Omitted(format!("text left out: {INDEXED}"));
            }
            match sentences(&member.path, member.line, by_path, config) {
                Ok(text) => rows(&rep, &text, options),
                Err(why) => Review::Omitted(why),
            }
        })
        .collect()
}

/// Reads, normalizes and splits one article again, or says why it could
/// not.
fn sentences(
    path: &str,
    line: Option<u64>,
    by_path: &HashMap<&str, &Source>,
    config: &Config,
) -> Result<Sentences, String> {
    let source = by_path
        .get(path)
        .ok_or_else(|| "could not be found again".to_string())?;
    match input::read_one(source, &config.input, line) {
        Loaded::Text { text, .. } => {
            let canonical = normalize::article(&text, &config.normalize);
            Ok(canonical
                .sentences()
                .map(|s| (s.to_string(), shingle::sentence_hash(s, &config.shingle)))
                .collect())
        }
        Loaded::Skip(reason) => Err(format!("could not be read again: {}", reason.describe())),
        Loaded::Failed(problem) => Err(format!("could not be read again: {}", problem.detail)),
    }
}

/// The representative's sentences against a member's, capped.
fn rows(rep: &Sentences, member: &Sentences, options: &ReviewOptions) -> Review {
    fn view(s: &Sentences) -> Vec<(&str, Option<u64>)> {
        s.iter()
            .map(|(text, hash)| (text.as_str(), *hash))
            .collect()
    }
    let aligned = evidence::align(&view(rep), &view(member));
    let hidden = aligned.len().saturating_sub(options.rows_per_member);
    let cut = |text: &str| cap(text, options.chars_per_sentence);
    let rows = aligned
        .into_iter()
        .take(options.rows_per_member)
        .map(|row| match row {
            Row::Shared(i, _) => ReviewRow::Shared(cut(&rep[i].0)),
            Row::OnlyA(i) => ReviewRow::OnlyRepresentative(cut(&rep[i].0)),
            Row::OnlyB(j) => ReviewRow::OnlyMember(cut(&member[j].0)),
            Row::Near(i, j) => {
                let (a, b) = evidence::word_diff(&rep[i].0, &member[j].0);
                let own = |words: Vec<evidence::Word<'_>>| {
                    words.into_iter().map(|(w, c)| (w.to_string(), c)).collect()
                };
                ReviewRow::Near(own(a), own(b))
            }
        })
        .collect();
    Review::Shown { rows, hidden }
}

/// At most `limit` characters of a sentence, with an ellipsis when cut.
fn cap(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_truncates_then_omits() {
        let shown = |n: usize| Review::Shown {
            rows: vec![ReviewRow::Shared("x".into()); n],
            hidden: 1,
        };
        let mut budget = 5;
        assert_eq!(
            spend(shown(3), &mut budget),
            Review::Shown {
                rows: vec![ReviewRow::Shared("x".into()); 3],
                hidden: 1
            }
        );
        assert_eq!(
            spend(shown(3), &mut budget),
            Review::Shown {
                rows: vec![ReviewRow::Shared("x".into()); 2],
                hidden: 2
            }
        );
        assert!(matches!(spend(shown(1), &mut budget), Review::Omitted(_)));
    }

    #[test]
    fn long_sentences_are_capped() {
        assert_eq!(cap("abcdef", 3), "abc...");
        assert_eq!(cap("abc", 3), "abc");
        assert_eq!(cap("\u{e9}\u{e9}\u{e9}\u{e9}", 2), "\u{e9}\u{e9}...");
    }
}
