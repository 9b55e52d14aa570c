//! Candidate search: signatures in, candidate pairs out, without comparing
//! every pair (locality-sensitive hashing by banding).
//!
//! A signature of `bands × rows` values is cut into `bands` bands of `rows`
//! values; two documents are candidates when any band is equal in both. For
//! a pair with Jaccard `j` that happens with probability
//! `1 - (1 - j^rows)^bands`: an S-curve whose steep part sits near
//! `(1/bands)^(1/rows)`. [`Banding::for_floor`] picks the layout from the
//! lowest Jaccard the search must find.

use rayon::prelude::*;

use crate::shingle::mix;
use crate::sketch::Signature;

/// Recall the banding must reach at the floor similarity.
const FLOOR_RECALL: f64 = 0.99;

/// How signatures are cut into bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
}

impl Banding {
    /// The probability that a pair with Jaccard `jaccard` becomes a candidate.
    pub fn probability(self, jaccard: f64) -> f64 {
        1.0 - (1.0 - jaccard.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The layout for `permutations` values that finds pairs at Jaccard
    /// `floor` with probability at least 0.99 while keeping the most rows
    /// per band (more rows, fewer chance candidates).
    ///
    /// With 128 permutations and a floor of 0.5 that is 42 bands of 3 rows:
    /// 0.996 at Jaccard 0.5, 0.68 at 0.3, 0.04 at 0.1.
    pub fn for_floor(permutations: usize, floor: f64) -> Self {
        let permutations = permutations.max(1);
        (1..=permutations)
            .rev()
            .map(|rows| Banding {
                bands: permutations / rows,
                rows,
            })
            .find(|banding| banding.probability(floor) >= FLOOR_RECALL)
            .unwrap_or(Banding {
                bands: permutations,
                rows: 1,
            })
    }

    /// The layout with a given number of bands (`--bands`).
    pub fn with_bands(permutations: usize, bands: usize) -> Self {
        let bands = bands.clamp(1, permutations.max(1));
        Banding {
            bands,
            rows: permutations / bands,
        }
    }

    /// One key per band: a hash of the band's values and its index, so equal
    /// values in different bands never collide.
    pub fn keys(self, signature: &Signature) -> Vec<u64> {
        signature
            .0
            .chunks_exact(self.rows)
            .take(self.bands)
            .enumerate()
            .map(|(band, values)| {
                values.iter().fold(mix(band as u64 + 1), |hash, &value| {
                    mix(hash ^ u64::from(value))
                })
            })
            .collect()
    }
}

/// All pairs `(a, b)`, `a < b`, of items that share a band key; `keys[i]`
/// holds item `i`'s keys. Sorted and without repeats.
pub fn pairs(keys: &[Vec<u64>], banding: Banding) -> Vec<(u32, u32)> {
    let mut all: Vec<(u32, u32)> = (0..banding.bands)
        .into_par_iter()
        .flat_map_iter(|band| band_pairs(keys, band))
        .collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

fn band_pairs(keys: &[Vec<u64>], band: usize) -> Vec<(u32, u32)> {
    let mut entries: Vec<(u64, u32)> = keys
        .iter()
        .enumerate()
        .filter_map(|(item, item_keys)| Some((*item_keys.get(band)?, item as u32)))
        .collect();
    entries.sort_unstable();
    let mut out = Vec::new();
    for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
        for (i, &(_, a)) in bucket.iter().enumerate() {
            out.extend(bucket[i + 1..].iter().map(|&(_, b)| (a, b)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_derived_from_the_floor() {
        assert_eq!(Banding::for_floor(128, 0.5), Banding { bands: 42, rows: 3 });
        assert!(Banding::for_floor(128, 0.5).probability(0.5) >= 0.99);
        // A higher floor allows more rows per band.
        let high = Banding::for_floor(128, 0.8);
        assert!(high.rows > 3 && high.probability(0.8) >= 0.99);
        assert_eq!(Banding::with_bands(128, 16), Banding { bands: 16, rows: 8 });
    }

    #[test]
    fn items_sharing_a_band_are_paired() {
        let keys = vec![vec![1, 2], vec![3, 2], vec![5, 6], vec![1, 9]];
        let banding = Banding { bands: 2, rows: 1 };
        assert_eq!(pairs(&keys, banding), vec![(0, 1), (0, 3)]);
    }
}
