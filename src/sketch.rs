//! Sketches: a shingle set in, a MinHash signature out.
//!
//! Each of the `permutations` hash functions maps a 64-bit shingle hash `x`
//! to the upper 32 bits of `a·x + b (mod 2^64)`, with odd `a` and any `b`
//! drawn from the seed by SplitMix64 (multiply-shift hashing). The signature
//! keeps each function's minimum; the share of equal positions in two
//! signatures estimates the sets' Jaccard similarity. The functions depend
//! only on the seed, so signatures are comparable across runs and machines.

use crate::config::SketchOptions;
use crate::shingle::{mix, ShingleSet};

/// A document's MinHash signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

impl Signature {
    /// The share of positions where two signatures agree: an estimate of the
    /// Jaccard similarity of the sets behind them.
    pub fn estimate(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / self.0.len().max(1) as f64
    }
}

/// The hash functions of one configuration, drawn once per run.
#[derive(Clone, Debug)]
pub struct Hashers {
    multipliers: Vec<u64>,
    offsets: Vec<u64>,
}

impl Hashers {
    /// Draws `options.permutations` functions from `options.seed`.
    pub fn new(options: &SketchOptions) -> Self {
        let mut state = options.seed;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix(state)
        };
        let (mut multipliers, mut offsets) = (Vec::new(), Vec::new());
        for _ in 0..options.permutations {
            multipliers.push(next() | 1);
            offsets.push(next());
        }
        Hashers {
            multipliers,
            offsets,
        }
    }

    /// Number of functions (the signature length).
    pub fn len(&self) -> usize {
        self.multipliers.len()
    }

    /// Whether there are no functions.
    pub fn is_empty(&self) -> bool {
        self.multipliers.is_empty()
    }

    /// The signature of a set. An empty set has the all-`u32::MAX`
    /// signature; the pipeline never compares such documents.
    pub fn signature(&self, set: &ShingleSet) -> Signature {
        let mut mins = vec![u32::MAX; self.len()];
        for &x in set.hashes() {
            // A tight loop over parallel arrays, so the compiler can keep it
            // in vector registers.
            for ((min, &a), &b) in mins.iter_mut().zip(&self.multipliers).zip(&self.offsets) {
                let value = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *min = (*min).min(value);
            }
        }
        Signature(mins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashers() -> Hashers {
        Hashers::new(&SketchOptions::default())
    }

    #[test]
    fn signature_depends_only_on_the_set() {
        let a = ShingleSet::from_hashes(vec![1, 2, 3, 4]);
        let b = ShingleSet::from_hashes(vec![4, 3, 2, 1, 1]);
        assert_eq!(hashers().signature(&a), hashers().signature(&b));
        assert_eq!(hashers().signature(&a).0.len(), 128);
    }

    #[test]
    fn estimate_tracks_jaccard() {
        // Two sets of 1,000 sharing 600: Jaccard 600 / 1,400 = 0.43.
        let shared: Vec<u64> = (0..600).map(mix).collect();
        let mut a = shared.clone();
        let mut b = shared;
        a.extend((1000..1400).map(mix));
        b.extend((2000..2400).map(mix));
        let h = hashers();
        let estimate = h
            .signature(&ShingleSet::from_hashes(a))
            .estimate(&h.signature(&ShingleSet::from_hashes(b)));
        // Standard error at 128 permutations is about 0.044: allow 3 of them.
        assert!((estimate - 0.4286).abs() < 0.13, "estimate {estimate}");
    }
}
