//! Evidence: why two documents match, told sentence by sentence.
//!
//! Takes the canonical sentences of two documents (with the hashes
//! [`crate::shingle::sentence_hash`] gives them) and returns either counts
//! ([`counts`], from the sorted sentence hashes a scan already keeps, so a
//! report can carry them for free) or an alignment in reading order
//! ([`align`]): sentences both hold, sentences only one holds, and near
//! matches, an unmatched sentence of each side that differ in a few words
//! (a changed figure or name), with a word diff ([`word_diff`]).
//!
//! It scores nothing: the figures come from [`crate::verify`].

use std::collections::{HashMap, VecDeque};

/// Distinct sentences two documents share and hold alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Distinct sentences found in both.
    pub shared: usize,
    /// Distinct sentences only the first holds.
    pub only_a: usize,
    /// Distinct sentences only the second holds.
    pub only_b: usize,
}

/// Counts shared and unshared sentences of two sorted, de-duplicated lists
/// of sentence hashes ([`crate::shingle::Shingled::sentences`]).
pub fn counts(a: &[u64], b: &[u64]) -> Counts {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Counts {
        shared,
        only_a: a.len() - shared,
        only_b: b.len() - shared,
    }
}

/// One row of an alignment: indices into the two documents' sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The same sentence (same words) in both.
    Shared(usize, usize),
    /// Two sentences that differ in a few words.
    Near(usize, usize),
    /// A sentence only the first document holds.
    OnlyA(usize),
    /// A sentence only the second document holds.
    OnlyB(usize),
}

/// How many word-level comparisons one alignment may spend looking for near
/// matches. Why a budget: two long documents sharing nothing would otherwise
/// compare every sentence with every other; 20,000 covers any article.
const NEAR_BUDGET: usize = 20_000;

/// Candidates on the other side tried for each unmatched sentence.
const NEAR_CANDIDATES: usize = 32;

/// Aligns two documents' sentences (text and hash; a `None` hash never
/// matches) in the first document's reading order.
///
/// A sentence of the first document is shared when the second holds one
/// with the same hash (repeats pair up in order). A sentence only the second
/// holds is placed after the shared sentence that precedes it in the second
/// document. Unmatched sentences between the same two shared sentences are
/// then paired as near matches when [`is_near`] says so.
pub fn align(a: &[(&str, Option<u64>)], b: &[(&str, Option<u64>)]) -> Vec<Row> {
    let mut positions: HashMap<u64, VecDeque<usize>> = HashMap::new();
    for (j, (_, hash)) in b.iter().enumerate() {
        if let Some(hash) = hash {
            positions.entry(*hash).or_default().push_back(j);
        }
    }
    let partner: Vec<Option<usize>> = a
        .iter()
        .map(|(_, hash)| hash.and_then(|h| positions.get_mut(&h)?.pop_front()))
        .collect();
    let mut matched_b = vec![None; b.len()];
    for (i, j) in partner.iter().enumerate() {
        if let Some(j) = j {
            matched_b[*j] = Some(i);
        }
    }
    // The gap a sentence falls in: 0 before the first shared sentence, else
    // one more than the first document's index of the shared sentence before it.
    let mut b_gaps: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut gap = 0;
    for (j, matched) in matched_b.iter().enumerate() {
        match matched {
            Some(i) => gap = i + 1,
            None => b_gaps.entry(gap).or_default().push(j),
        }
    }
    let (near, near_b) = near_pairs(a, b, &partner, &b_gaps);
    let mut rows = Vec::with_capacity(a.len() + b.len());
    let mut gap = 0;
    let flush = |rows: &mut Vec<Row>, gap: usize| {
        for &j in b_gaps.get(&gap).into_iter().flatten() {
            if !near_b[j] {
                rows.push(Row::OnlyB(j));
            }
        }
    };
    for (i, j) in partner.iter().enumerate() {
        match (j, near.get(&i)) {
            (Some(j), _) => {
                flush(&mut rows, gap);
                rows.push(Row::Shared(i, *j));
                gap = i + 1;
            }
            (None, Some(&j)) => rows.push(Row::Near(i, j)),
            (None, None) => rows.push(Row::OnlyA(i)),
        }
    }
    flush(&mut rows, gap);
    rows
}

/// Pairs unmatched sentences of the first document with unmatched ones of
/// the second in the same gap: first document's index to second's, and
/// which sentences of the second were paired.
fn near_pairs(
    a: &[(&str, Option<u64>)],
    b: &[(&str, Option<u64>)],
    partner: &[Option<usize>],
    b_gaps: &HashMap<usize, Vec<usize>>,
) -> (HashMap<usize, usize>, Vec<bool>) {
    let mut pairs = HashMap::new();
    let mut taken = vec![false; b.len()];
    let mut budget = NEAR_BUDGET;
    let mut gap = 0;
    for (i, j) in partner.iter().enumerate() {
        if j.is_some() {
            gap = i + 1;
            continue;
        }
        let candidates = b_gaps.get(&gap).into_iter().flatten();
        for &j in candidates.filter(|&&j| !taken[j]).take(NEAR_CANDIDATES) {
            if budget == 0 {
                return (pairs, taken);
            }
            budget -= 1;
            if is_near(a[i].0, b[j].0) {
                taken[j] = true;
                pairs.insert(i, j);
                break;
            }
        }
    }
    (pairs, taken)
}

/// Longest sentence, in words, that near matching looks at.
const NEAR_MAX_WORDS: usize = 200;

/// Whether two different sentences are near matches: more than half of the
/// longer one's words are shared in order, and at most a quarter of them
/// (or two, in a short sentence) differ: a changed number, name or word, a
/// short clause added.
pub fn is_near(a: &str, b: &str) -> bool {
    let (la, lb) = (a.split(' ').count(), b.split(' ').count());
    let longest = la.max(lb);
    if longest > NEAR_MAX_WORDS || la.min(lb) * 2 <= longest {
        return false;
    }
    let common = word_diff(a, b).0.iter().filter(|w| !w.1).count();
    common * 2 > longest && longest - common <= (longest / 4).max(2)
}

/// A word and whether it differs from the other sentence.
pub type Word<'a> = (&'a str, bool);

/// The words of two sentences (split at spaces, as canonical text is), each
/// marked `true` when it is not part of their longest common subsequence of
/// words. Meant for sentences: the cost is the product of their lengths.
pub fn word_diff<'a>(a: &'a str, b: &'a str) -> (Vec<Word<'a>>, Vec<Word<'a>>) {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    // Longest common subsequence, table of suffixes.
    let mut table = vec![vec![0u32; wb.len() + 1]; wa.len() + 1];
    for i in (0..wa.len()).rev() {
        for j in (0..wb.len()).rev() {
            table[i][j] = if wa[i] == wb[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < wa.len() && j < wb.len() {
        if wa[i] == wb[j] {
            out_a.push((wa[i], false));
            out_b.push((wb[j], false));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            out_a.push((wa[i], true));
            i += 1;
        } else {
            out_b.push((wb[j], true));
            j += 1;
        }
    }
    out_a.extend(wa[i..].iter().map(|w| (*w, true)));
    out_b.extend(wb[j..].iter().map(|w| (*w, true)));
    (out_a, out_b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ShingleOptions;
    use crate::shingle::sentence_hash;

    fn sentences(text: &str) -> Vec<(&str, Option<u64>)> {
        let options = ShingleOptions::default();
        text.lines()
            .map(|s| (s, sentence_hash(s, &options)))
            .collect()
    }

    #[test]
    fn counts_are_distinct_sentences() {
        assert_eq!(
            counts(&[1, 2, 3, 5], &[2, 3, 4]),
            Counts {
                shared: 2,
                only_a: 2,
                only_b: 1
            }
        );
        assert_eq!(counts(&[], &[7]).only_b, 1);
    }

    #[test]
    fn rows_follow_reading_order() {
        let a = "one two three four.\nseventy seven people died in the city.\nthe end of it all.\n";
        let b = "intro line here now.\none two three four.\nseventy eight people died in the city.\nan added sentence here.\nthe end of it all.\n";
        let rows = align(&sentences(a), &sentences(b));
        assert_eq!(
            rows,
            [
                Row::OnlyB(0),
                Row::Shared(0, 1),
                Row::Near(1, 2),
                Row::OnlyB(3),
                Row::Shared(2, 4),
            ]
        );
    }

    #[test]
    fn punctuation_alone_does_not_unshare() {
        let rows = align(
            &sentences("well, it rained.\n"),
            &sentences("well it rained!\n"),
        );
        assert_eq!(rows, [Row::Shared(0, 0)]);
    }

    /// Every sentence of either document is in exactly one row, and the
    /// first document's sentences come in reading order, whatever the two
    /// documents share, repeat or reorder.
    #[test]
    fn rows_cover_both_documents_once() {
        let pool = [
            "the council met on tuesday.",
            "the council met on friday.",
            "prices rose again.",
            "a new bridge opened near the port.",
            "the mayor said nothing.",
            "the mayor said nothing at all.",
            "floods closed the coast road overnight.",
        ];
        let mut state = 7_u64;
        let mut next = |bound: usize| {
            state = crate::shingle::mix(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
            (state % bound as u64) as usize
        };
        for _ in 0..500 {
            let (len_a, len_b) = (next(9), next(9));
            let mut doc = |len: usize| -> String {
                let picked: Vec<&str> = (0..len).map(|_| pool[next(pool.len())]).collect();
                picked.join("\n")
            };
            let (a, b) = (doc(len_a), doc(len_b));
            let (sa, sb) = (sentences(&a), sentences(&b));
            let rows = align(&sa, &sb);
            let (mut seen_a, mut seen_b) = (Vec::new(), Vec::new());
            for row in &rows {
                match *row {
                    Row::Shared(i, j) | Row::Near(i, j) => {
                        seen_a.push(i);
                        seen_b.push(j);
                    }
                    Row::OnlyA(i) => seen_a.push(i),
                    Row::OnlyB(j) => seen_b.push(j),
                }
            }
            assert_eq!(seen_a, (0..sa.len()).collect::<Vec<_>>(), "{a:?} / {b:?}");
            seen_b.sort_unstable();
            assert_eq!(seen_b, (0..sb.len()).collect::<Vec<_>>(), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn near_means_a_few_words_changed() {
        assert!(is_near(
            "77 people have been killed in osh.",
            "78 people have been killed in osh."
        ));
        assert!(!is_near("the cat sat.", "a dog ran."));
        assert!(!is_near(
            "the minister resigned on tuesday after the vote.",
            "the minister said."
        ));
    }

    #[test]
    fn word_diff_marks_changes() {
        let (a, b) = word_diff("a 77 b", "a 78 b c");
        assert_eq!(a, [("a", false), ("77", true), ("b", false)]);
        assert_eq!(b, [("a", false), ("78", true), ("b", false), ("c", true)]);
    }
}
