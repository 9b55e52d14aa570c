//! Sketches: a shingle set in, a MinHash signature out.
//!
//! The signature is one-permutation MinHash with optimal densification
//! (Shrivastava, ICML 2017): each shingle hash is re-mixed with the seed,
//! its upper bits choose one of `permutations` bins and its lower 32 bits
//! are the value; each bin keeps its minimum. A bin no shingle fell into
//! borrows the value of the first filled bin along a probe sequence that
//! depends only on the bin and the seed, so two documents borrow alike. Two
//! signatures agree in each position with probability equal to the Jaccard
//! similarity of their sets, as with classic MinHash, but a document costs
//! one hash per shingle instead of one per shingle and permutation.

use crate::config::SketchOptions;
use crate::shingle::{mix, ShingleSet};
use rayon::prelude::*;

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

/// Many signatures of one width in one contiguous table, so that candidate
/// search walks memory in order instead of chasing a pointer per document.
#[derive(Clone, Debug, Default)]
pub struct Signatures {
    values: Vec<u32>,
    width: usize,
}

impl Signatures {
    /// An empty table for signatures of `width` values.
    pub fn new(width: usize) -> Self {
        Signatures {
            values: Vec::new(),
            width,
        }
    }

    /// The table of `rows` signatures, the `i`th being `row(i)`, copied in
    /// on every worker thread (at a million documents, half a gigabyte).
    pub fn gather<'a>(
        width: usize,
        rows: usize,
        row: impl Fn(usize) -> &'a Signature + Sync,
    ) -> Self {
        let mut values = vec![0_u32; width * rows];
        values
            .par_chunks_mut(width.max(1))
            .enumerate()
            .for_each(|(i, out)| {
                let signature = row(i);
                assert_eq!(
                    signature.0.len(),
                    width,
                    "signatures in one table share a width"
                );
                out.copy_from_slice(&signature.0);
            });
        Signatures { values, width }
    }

    /// Appends a signature; it must have the table's width.
    pub fn push(&mut self, signature: &Signature) {
        assert_eq!(
            signature.0.len(),
            self.width,
            "signatures in one table share a width"
        );
        self.values.extend_from_slice(&signature.0);
    }

    /// The values of signature `i`.
    pub fn get(&self, i: usize) -> &[u32] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// Values per signature.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of signatures.
    pub fn len(&self) -> usize {
        self.values.len() / self.width.max(1)
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The share of positions where signatures `i` and `j` agree.
    pub fn estimate(&self, i: usize, j: usize) -> f64 {
        let same = self
            .get(i)
            .iter()
            .zip(self.get(j))
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / self.width.max(1) as f64
    }
}

/// The hashing of one configuration: bin count and seeds.
#[derive(Clone, Debug)]
pub struct Hashers {
    bins: usize,
    seed: u64,
    probe_seed: u64,
    /// The first [`KNOWN_PROBES`] bins of every bin's probe sequence, bin
    /// after bin: the sequence depends only on the bin and the seed, so it
    /// is computed once here rather than for every document (where a hash
    /// per probe, each waiting on the last, was most of a short
    /// document's signature).
    probes: Vec<u32>,
}

/// Probes per bin kept in [`Hashers::probes`]; a sequence longer than that
/// (a document with few shingles) goes on being computed.
const KNOWN_PROBES: usize = 32;

impl Hashers {
    /// The hashing for `options.permutations` bins and `options.seed`.
    pub fn new(options: &SketchOptions) -> Self {
        let mut hashers = Hashers {
            bins: options.permutations.max(1),
            seed: mix(options.seed),
            probe_seed: mix(options.seed ^ 0x7072_6f62_6573_6565),
            probes: Vec::new(),
        };
        hashers.probes = (0..hashers.bins)
            .flat_map(|bin| (1..=KNOWN_PROBES as u64).map(move |attempt| (bin, attempt)))
            .map(|(bin, attempt)| hashers.probe(bin, attempt) as u32)
            .collect();
        hashers
    }

    /// The bin that attempt `attempt` (from 1) of empty bin `bin` borrows
    /// from.
    fn probe(&self, bin: usize, attempt: u64) -> usize {
        let probe = mix(self.probe_seed ^ ((bin as u64) << 32) ^ attempt);
        bucket(probe >> 32, self.bins)
    }

    /// Signature length.
    pub fn len(&self) -> usize {
        self.bins
    }

    /// Whether signatures are empty (never: there is at least one bin).
    pub fn is_empty(&self) -> bool {
        self.bins == 0
    }

    /// The signature of a set. An empty set has the all-`u32::MAX`
    /// signature; the pipeline never compares such documents.
    pub fn signature(&self, set: &ShingleSet) -> Signature {
        // u64 slots so that "empty" cannot collide with a real 32-bit value.
        const EMPTY: u64 = u64::MAX;
        let mut slots = vec![EMPTY; self.bins];
        for &shingle in set.hashes() {
            let hash = mix(shingle ^ self.seed);
            let bin = bucket(hash >> 32, self.bins);
            slots[bin] = slots[bin].min(hash & 0xffff_ffff);
        }
        if set.is_empty() {
            return Signature(vec![u32::MAX; self.bins]);
        }
        let filled = slots.clone();
        for (bin, slot) in slots.iter_mut().enumerate() {
            if *slot != EMPTY {
                continue;
            }
            let known = &self.probes[bin * KNOWN_PROBES..(bin + 1) * KNOWN_PROBES];
            let borrowed = known
                .iter()
                .map(|&probe| filled[probe as usize])
                .find(|&value| value != EMPTY);
            *slot = borrowed.unwrap_or_else(|| {
                (KNOWN_PROBES as u64 + 1..)
                    .map(|attempt| filled[self.probe(bin, attempt)])
                    .find(|&value| value != EMPTY)
                    .unwrap_or(EMPTY)
            });
        }
        Signature(slots.into_iter().map(|slot| slot as u32).collect())
    }
}

/// Maps 32 random bits onto `0..bins` without a division.
fn bucket(bits: u64, bins: usize) -> usize {
    ((bits * bins as u64) >> 32) as usize
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
    fn known_probes_change_no_signature() {
        // The densification as first written, a hash per probe: the table
        // of known probes must give the same signatures.
        fn reference(h: &Hashers, set: &ShingleSet) -> Vec<u32> {
            let mut slots = vec![u64::MAX; h.bins];
            for &shingle in set.hashes() {
                let hash = mix(shingle ^ h.seed);
                let bin = bucket(hash >> 32, h.bins);
                slots[bin] = slots[bin].min(hash & 0xffff_ffff);
            }
            let filled = slots.clone();
            for (bin, slot) in slots.iter_mut().enumerate() {
                let mut attempt = 0_u64;
                while *slot == u64::MAX {
                    attempt += 1;
                    let probe = mix(h.probe_seed ^ ((bin as u64) << 32) ^ attempt);
                    *slot = filled[bucket(probe >> 32, h.bins)];
                }
            }
            slots.into_iter().map(|slot| slot as u32).collect()
        }
        for seed in 0..20_u64 {
            for permutations in [1, 7, 64, 128, 256] {
                let h = Hashers::new(&SketchOptions {
                    seed,
                    permutations,
                    ..SketchOptions::default()
                });
                // From one shingle (long probe sequences) to many.
                for size in [1_u64, 2, 3, 10, 40, 100, 1_000] {
                    let set = ShingleSet::from_hashes(
                        (0..size)
                            .map(|i| mix(i ^ (seed << 40) ^ (size << 20)))
                            .collect(),
                    );
                    assert_eq!(h.signature(&set).0, reference(&h, &set), "seed {seed}");
                }
            }
        }
    }

    #[test]
    fn small_sets_are_densified() {
        let h = hashers();
        let sig = h.signature(&ShingleSet::from_hashes(vec![7, 8, 9]));
        assert!(sig.0.iter().all(|&v| v != u32::MAX));
        // Three shingles: at most three distinct values, borrowed into all bins.
        let mut distinct = sig.0.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() <= 3);
    }

    #[test]
    fn estimate_tracks_jaccard_for_small_sets() {
        // 40 shingles each, 30 shared: Jaccard 30 / 50 = 0.6. Averaged over
        // seeds the estimate must be unbiased.
        let a: Vec<u64> = (0..40).map(mix).collect();
        let b: Vec<u64> = (10..50).map(mix).collect();
        let mut total = 0.0;
        for seed in 0..200 {
            let h = Hashers::new(&SketchOptions {
                seed,
                ..SketchOptions::default()
            });
            total += h
                .signature(&ShingleSet::from_hashes(a.clone()))
                .estimate(&h.signature(&ShingleSet::from_hashes(b.clone())));
        }
        let mean = total / 200.0;
        assert!((mean - 0.6).abs() < 0.03, "mean estimate {mean}");
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
