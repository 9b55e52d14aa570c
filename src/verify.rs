//! Verification: a candidate pair and its two documents' shingles in, exact
//! scores and a verdict out. The MinHash estimate only chose which pairs to
//! score.
//!
//! Template sentences (sentences found in many distinct documents, see
//! [`crate::template`]) weigh less than other text: the scores are weighted
//! Jaccard and weighted containment, where each shingle weighs what its
//! sentence weighs, and a shared shingle weighs the lesser of its two
//! weights. Two different articles inside one site's chrome then share
//! little weight, while copies of one article, chrome or not, still share
//! their article text (which outweighs the chrome).

use crate::config::VerifyOptions;
use crate::shingle::ShingleSet;

/// Exact similarity of two documents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// Shared shingles over all shingles of either.
    pub jaccard: f64,
    /// Shared shingles over the shingles of the smaller document.
    pub containment: f64,
    /// Size of the smaller document over size of the larger.
    pub size_ratio: f64,
}

/// The least share of the larger document the smaller one must hold for
/// containment alone to make them duplicates.
///
/// Why 0.4: a teaser holding the first 60% of an article is the same
/// article, but a two-sentence brief whose text was pasted into a story
/// five times its length is not; and without a floor, any short text quoted
/// in a long one would join its group.
pub const MIN_CONTAINED_SHARE: f64 = 0.4;

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
        size_ratio: share(a.len() as f64, b.len() as f64),
    }
}

/// A document as verification sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Compared {
    /// All shingles.
    pub set: ShingleSet,
    /// The weight of each shingle, in the order of `set`; empty when all
    /// weigh 1 (see [`crate::shingle::Shingled::weights`]).
    pub weights: Vec<f32>,
}

impl Compared {
    /// The weight of the `i`-th shingle.
    fn weight_at(&self, i: usize) -> f64 {
        self.weights.get(i).map_or(1.0, |&w| f64::from(w))
    }

    /// Total weight of the document.
    fn weight(&self) -> f64 {
        if self.weights.is_empty() {
            self.set.len() as f64
        } else {
            self.weights.iter().map(|&w| f64::from(w)).sum()
        }
    }

    /// Total weight of the shingles both documents hold, each at the lesser
    /// of its two weights (a linear merge of the sorted sets).
    fn shared_weight(&self, other: &Compared) -> f64 {
        if self.weights.is_empty() && other.weights.is_empty() {
            return self.set.intersection_len(&other.set) as f64;
        }
        let (a, b) = (self.set.hashes(), other.set.hashes());
        let (mut i, mut j, mut shared) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weight_at(i).min(other.weight_at(j));
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }
}

/// Weighted scores of two documents (see the module doc). Without template
/// sentences they equal [`scores`] on the full sets.
pub fn compare(a: &Compared, b: &Compared) -> Scores {
    let shared = a.shared_weight(b);
    let (wa, wb) = (a.weight(), b.weight());
    let ratio = |den: f64| {
        if den > 0.0 {
            (shared / den).min(1.0)
        } else {
            0.0
        }
    };
    Scores {
        jaccard: ratio(wa + wb - shared),
        containment: ratio(wa.min(wb)),
        size_ratio: share(wa, wb),
    }
}

/// The smaller of two sizes over the larger (0 when both are 0).
fn share(a: f64, b: f64) -> f64 {
    if a.max(b) > 0.0 {
        a.min(b) / a.max(b)
    } else {
        0.0
    }
}

/// Whether scores make a pair duplicates under the options.
pub fn is_duplicate(scores: Scores, options: &VerifyOptions) -> bool {
    scores.jaccard >= options.threshold
        || (scores.containment >= options.containment && scores.size_ratio >= MIN_CONTAINED_SHARE)
}

/// The lowest Jaccard similarity a duplicate pair can have under the
/// options: the threshold itself, or a pair whose smaller document holds
/// [`MIN_CONTAINED_SHARE`] of the larger with containment at the
/// containment threshold. Candidate search must reach down to it.
pub fn jaccard_floor(options: &VerifyOptions) -> f64 {
    let (c, r) = (options.containment, MIN_CONTAINED_SHARE);
    options.threshold.min(c * r / (1.0 + r - c * r))
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
        assert_eq!(scores(&set(&[1, 2]), &set(&[1, 2, 3, 4])).size_ratio, 0.5);
    }

    #[test]
    fn containment_needs_a_large_enough_share() {
        let long: Vec<u64> = (0..100).collect();
        // A brief whose 20 shingles were pasted into a 100-shingle story.
        let brief = scores(&set(&long[40..60]), &set(&long));
        assert_eq!(brief.containment, 1.0);
        assert!(!is_duplicate(brief, &VerifyOptions::default()));
        // The floor candidate search must reach: 0.8 · 0.4 / (1.4 - 0.32).
        assert!((jaccard_floor(&VerifyOptions::default()) - 0.32 / 1.08).abs() < 1e-9);
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

    /// A document of its own shingles plus `template` shingles of weight `w`.
    fn doc(own: std::ops::Range<u64>, template: std::ops::Range<u64>, w: f32) -> Compared {
        let mut pairs: Vec<(u64, f32)> = own.map(|h| (h, 1.0)).collect();
        pairs.extend(template.map(|h| (h, w)));
        pairs.sort_by_key(|p| p.0);
        Compared {
            set: set(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
            weights: pairs.iter().map(|p| p.1).collect(),
        }
    }

    fn plain(own: std::ops::Range<u64>) -> Compared {
        Compared {
            set: set(&own.collect::<Vec<_>>()),
            weights: Vec::new(),
        }
    }

    #[test]
    fn shared_chrome_weighs_less() {
        // Without templates, the weighted scores are the plain ones.
        assert_eq!(
            compare(&plain(0..40), &plain(20..60)),
            scores(
                &set(&(0..40).collect::<Vec<_>>()),
                &set(&(20..60).collect::<Vec<_>>())
            )
        );
        // Two different short items in one template: the chrome's 30
        // shingles weigh 7.5 against 10 + 10 of their own.
        let s = compare(&doc(0..10, 100..130, 0.25), &doc(10..20, 100..130, 0.25));
        assert!((s.jaccard - 7.5 / 27.5).abs() < 1e-9);
        assert!(!is_duplicate(s, &VerifyOptions::default()));
        // The same item with and without the template: contained.
        let s = compare(&doc(0..10, 100..130, 0.25), &plain(0..10));
        assert_eq!(s.containment, 1.0);
        assert!(is_duplicate(s, &VerifyOptions::default()));
        // A 300-shingle header that thousands of pages share, around
        // different 30-shingle bodies: the header counts for next to nothing.
        let s = compare(&doc(0..30, 100..400, 0.001), &doc(30..60, 100..400, 0.001));
        assert!(s.jaccard < 0.01, "{s:?}");
        // A shingle weighs the lesser of its two weights.
        let s = compare(&doc(0..10, 10..20, 0.5), &plain(0..20));
        assert!((s.jaccard - 15.0 / 20.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn scores_are_symmetric_and_containment_bounds_jaccard() {
        let docs = [
            doc(0..40, 100..130, 0.25),
            doc(10..60, 100..120, 0.1),
            plain(0..40),
            plain(35..50),
            doc(0..0, 100..130, 0.25),
            plain(0..0),
        ];
        for a in &docs {
            for b in &docs {
                let (ab, ba) = (compare(a, b), compare(b, a));
                assert_eq!(ab, ba);
                assert!(ab.containment >= ab.jaccard);
                assert!((0.0..=1.0).contains(&ab.jaccard));
            }
        }
    }
}
