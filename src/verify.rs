//! Verification: a candidate pair and its two shingle sets in, a scored
//! match (or nothing) out. Scores are exact, computed on the full sets; the
//! MinHash estimate only chose which pairs to score.

use crate::config::VerifyOptions;
use crate::shingle::ShingleSet;

/// Exact similarity of two documents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// Shared shingles over all shingles of either.
    pub jaccard: f64,
    /// Shared shingles over the shingles of the smaller document.
    pub containment: f64,
}

/// Scores two sets. Two empty sets score 0, never 1: having no text in
/// common is not being the same article.
pub fn scores(a: &ShingleSet, b: &ShingleSet) -> Scores {
    let shared = a.intersection_len(b) as f64;
    let union = (a.len() + b.len()) as f64 - shared;
    let smaller = a.len().min(b.len()) as f64;
    let ratio = |den: f64| if den > 0.0 { shared / den } else { 0.0 };
    Scores {
        jaccard: ratio(union),
        containment: ratio(smaller),
    }
}

/// Whether scores make a pair duplicates under the options.
pub fn is_duplicate(scores: Scores, options: &VerifyOptions) -> bool {
    scores.jaccard >= options.threshold || scores.containment >= options.containment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(hashes: &[u64]) -> ShingleSet {
        ShingleSet::from_hashes(hashes.to_vec())
    }

    #[test]
    fn exact_scores() {
        let s = scores(&set(&[1, 2, 3, 4]), &set(&[3, 4, 5]));
        assert_eq!(s.jaccard, 2.0 / 5.0);
        assert_eq!(s.containment, 2.0 / 3.0);
        assert_eq!(scores(&set(&[1, 2]), &set(&[1, 2])).jaccard, 1.0);
        assert_eq!(scores(&set(&[]), &set(&[])).jaccard, 0.0);
    }

    #[test]
    fn symmetric_and_containment_at_least_jaccard() {
        let (a, b) = (set(&[1, 5, 7, 9, 11]), set(&[5, 9, 12]));
        assert_eq!(scores(&a, &b), scores(&b, &a));
        assert!(scores(&a, &b).containment >= scores(&a, &b).jaccard);
    }

    #[test]
    fn teaser_is_caught_by_containment() {
        let full: Vec<u64> = (0..100).collect();
        let teaser = set(&full[..60]);
        let s = scores(&teaser, &set(&full));
        assert!((s.jaccard - 0.6).abs() < 1e-9);
        assert!(is_duplicate(s, &VerifyOptions::default()));
    }
}
