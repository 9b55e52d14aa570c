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
use crate::sketch::Signatures;

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
    /// With 128 permutations and a floor of 0.5 that is 42 bands of 3 rows
    /// (0.996 at Jaccard 0.5, 0.04 at 0.1); at the default floor of 0.30 it
    /// is 64 bands of 2 rows (0.998 at 0.3, 0.47 at 0.1, which is why
    /// candidates are also filtered by their estimate, see [`min_estimate`]).
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

    /// The key of one band: a hash of the band's values and its index, so
    /// equal values in different bands never collide.
    pub fn key(self, signature: &[u32], band: usize) -> u64 {
        let values = &signature[band * self.rows..(band + 1) * self.rows];
        values.iter().fold(mix(band as u64 + 1), |hash, &value| {
            mix(hash ^ u64::from(value))
        })
    }
}

/// The lowest signature estimate a candidate pair may have and still be
/// scored exactly: three standard errors below the floor similarity.
///
/// Why: banding with few rows makes many chance candidates just above
/// where the S-curve starts (pairs at Jaccard 0.1 to 0.2 when the floor is
/// 0.3); comparing their full signatures first is cheap, while scoring them
/// exactly means reading both files again. Three standard errors lose a pair
/// at the floor about once in a thousand.
pub fn min_estimate(floor: f64, permutations: usize) -> f64 {
    let error = (floor * (1.0 - floor) / permutations.max(1) as f64).sqrt();
    (floor - 3.0 * error).max(0.0)
}

/// All pairs `(a, b)`, `a < b`, of items (rows of the table) whose
/// signatures share a band and agree in at least `min_estimate` of their
/// positions. Sorted, no repeats.
pub fn pairs(signatures: &Signatures, banding: Banding, min_estimate: f64) -> Vec<(u32, u32)> {
    let low = LowBits::of(signatures);
    let plausible = |a: u32, b: u32| {
        let (a, b) = (a as usize, b as usize);
        low.agree(a, b) >= min_agree(min_estimate, signatures.width())
            && signatures.estimate(a, b) >= min_estimate
    };
    let mut all: Vec<(u32, u32)> = (0..banding.bands)
        .into_par_iter()
        .flat_map_iter(|band| band_pairs(signatures, banding, band, &plausible))
        .collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

/// Buckets larger than this are not paired all against all, but by sorted
/// neighbours (see [`NEIGHBOURS`]).
///
/// Why 100: a bucket of 100 makes at most 4,950 pairs, which real near-copy
/// families stay far below; buckets of thousands come from text that
/// thousands of documents share (a paywall notice, a site header) and would
/// make millions of pairs, quadratic in the corpus.
pub const MAX_BUCKET: usize = 100;

/// In a bucket larger than [`MAX_BUCKET`], each member is paired with this
/// many neighbours in the bucket's sorted order.
pub const NEIGHBOURS: usize = 8;

/// The plausible pairs sharing one band. The estimate is checked here,
/// before pairs from all bands are gathered: chance collisions far
/// outnumber real candidates, and sorting them all costs more than
/// comparing their signatures.
///
/// A bucket of at most [`MAX_BUCKET`] members is paired all against all. A
/// larger one is sorted by the members' other signature values, starting
/// after this band, and each member is paired with its next [`NEIGHBOURS`]:
/// members that agree on more values sort next to each other, so copies of
/// one article inside a shared boilerplate still meet (each band sorts by
/// different values), and the work stays linear in the bucket's size.
fn band_pairs(
    signatures: &Signatures,
    banding: Banding,
    band: usize,
    plausible: &(impl Fn(u32, u32) -> bool + Sync),
) -> Vec<(u32, u32)> {
    let keys = sorted_keys(signatures, banding, band);
    let mut out = Vec::new();
    // Buffers for every bucket: most buckets hold one item, and an
    // allocation each cost more than pairing them.
    let (mut run, mut members): (Vec<(u64, u32)>, Vec<u32>) = (Vec::new(), Vec::new());
    for shared in keys.entries.chunk_by(|&x, &y| keys.key(x) == keys.key(y)) {
        if shared.len() == 1 {
            continue;
        }
        // Items whose kept key bits agree, split again by their whole keys
        // (see [`BandKeys`]): buckets are exactly the items of equal keys.
        run.clear();
        run.extend(shared.iter().map(|&entry| {
            let item = keys.item(entry);
            (scan_key(banding, signatures.get(item as usize), band), item)
        }));
        run.sort_unstable();
        for bucket in run.chunk_by(|x, y| x.0 == y.0) {
            if bucket.len() > 1 {
                members.clear();
                members.extend(bucket.iter().map(|&(_, item)| item));
                pair_bucket(signatures, banding, band, &mut members, plausible, &mut out);
            }
        }
    }
    out
}

/// Pairs the members of one bucket (ascending) into `out`, all against all
/// or, in a bucket larger than [`MAX_BUCKET`], by sorted neighbours.
fn pair_bucket(
    signatures: &Signatures,
    banding: Banding,
    band: usize,
    members: &mut [u32],
    plausible: &(impl Fn(u32, u32) -> bool + Sync),
    out: &mut Vec<(u32, u32)>,
) {
    let reach = if members.len() <= MAX_BUCKET {
        members.len()
    } else {
        let from = ((band + 1) * banding.rows) % signatures.width().max(1);
        let order = |item: u32| {
            let values = signatures.get(item as usize);
            values[from..].iter().chain(&values[..from]).copied()
        };
        members.sort_by(|&a, &b| order(a).cmp(order(b)).then(a.cmp(&b)));
        NEIGHBOURS
    };
    for (i, &a) in members.iter().enumerate() {
        let near = &members[i + 1..(i + 1 + reach).min(members.len())];
        out.extend(
            near.iter()
                .map(|&b| (a.min(b), a.max(b)))
                .filter(|&(a, b)| plausible(a, b)),
        );
    }
}

/// The lowest four bits of every signature value, sixteen to a word: one
/// cache line per signature of 128 values, an eighth of the signatures'
/// size.
///
/// Why: in a large corpus most band collisions are chance ones between
/// documents that share a few sentences, and their number grows faster than
/// the corpus (17 million at a million generated documents against 340
/// thousand at 100,000). Checking each reads two signatures from random
/// places in memory, so the check costs what its memory traffic costs.
/// Values that are equal have equal low bits, so the nibbles agree at least
/// as often as the values: a pair that fails this check would fail the full
/// one, and the full estimate is still checked on the few that pass (a
/// chance pair's nibbles agree one time in sixteen, well under the
/// threshold).
struct LowBits {
    words: Vec<u64>,
    /// Words per signature; padding nibbles are zero in every row, so they
    /// agree, which only loosens the check.
    row: usize,
}

impl LowBits {
    fn of(signatures: &Signatures) -> Self {
        let row = nibble_words(signatures.width());
        let words = (0..signatures.len())
            .into_par_iter()
            .flat_map_iter(|i| nibbles(signatures.get(i)))
            .collect();
        LowBits { words, row }
    }

    /// Positions whose nibbles agree (padding included).
    fn agree(&self, a: usize, b: usize) -> usize {
        let row = |i: usize| &self.words[i * self.row..(i + 1) * self.row];
        nibbles_agree(row(a), row(b))
    }
}

/// Words of [`nibbles`] for a signature of `width` values.
pub fn nibble_words(width: usize) -> usize {
    width.div_ceil(16).max(1)
}

/// The lowest four bits of each of a signature's values, sixteen to a
/// word (why: see the scan's prefilter, `LowBits`); the index keeps them
/// beside its band keys.
pub fn nibbles(values: &[u32]) -> impl Iterator<Item = u64> + '_ {
    (0..nibble_words(values.len())).map(move |w| {
        values
            .iter()
            .skip(w * 16)
            .take(16)
            .enumerate()
            .fold(0u64, |word, (k, &v)| word | (u64::from(v) & 0xf) << (4 * k))
    })
}

/// Positions where two signatures' [`nibbles`] agree (padding included):
/// never fewer than where their values agree.
pub fn nibbles_agree(a: &[u64], b: &[u64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            // A nibble of x ^ y is zero where the two agree: fold each
            // nibble's bits into its lowest and count the nibbles that
            // are left with a one.
            let mut d = x ^ y;
            d |= d >> 1;
            d |= d >> 2;
            16 - (d & 0x1111_1111_1111_1111).count_ones() as usize
        })
        .sum()
}

/// The fewest agreeing positions an estimate of at least `min_estimate`
/// implies, for signatures of `width` values.
pub fn min_agree(min_estimate: f64, width: usize) -> usize {
    (min_estimate * width.max(1) as f64 - 1e-9).ceil().max(0.0) as usize
}

/// Members per partition that [`sorted_keys`] aims at: small enough that a
/// partition sorts inside the processor cache.
const PARTITION: usize = 256;

/// One band's keys, sorted, each packed with its item into one word: the
/// key's top bits above, the item below, in as many bits as the largest
/// item needs.
///
/// Why packed: sorting words is about twice as fast as sorting `(key,
/// item)` pairs, and sorting was most of the candidate search. The key
/// keeps at least 32 bits (items are `u32`; 44 at a million documents), so
/// two different keys rarely share their kept bits; when items do,
/// [`band_pairs`] splits them again by their whole keys, so the buckets are
/// exactly those of the whole keys.
struct BandKeys {
    /// Packed entries, ascending: by kept key bits, then by item.
    entries: Vec<u64>,
    /// Bits of the item at the bottom of each entry.
    item_bits: u32,
}

impl BandKeys {
    fn key(&self, entry: u64) -> u64 {
        entry >> self.item_bits
    }

    fn item(&self, entry: u64) -> u32 {
        (entry & ((1 << self.item_bits) - 1)) as u32
    }
}

/// A band's key for the scan's own sorting: uniform in its top bits, which
/// is all the sorting needs. Bands of one or two values are packed into one
/// word and mixed once, a mix being a bijection, so their keys are equal
/// exactly when the values are, for a third of the hashing
/// [`Banding::key`] does (which the index stores, and which must stay as it
/// is); wider bands use [`Banding::key`], a 64-bit hash as before.
fn scan_key(banding: Banding, signature: &[u32], band: usize) -> u64 {
    match banding.rows {
        1 => mix(u64::from(signature[band])),
        2 => mix(u64::from(signature[2 * band]) << 32 | u64::from(signature[2 * band + 1])),
        _ => banding.key(signature, band),
    }
}

/// Every item's key in one band, packed and sorted (see [`BandKeys`]).
///
/// Why partition first: sorting a million entries in one piece costs more
/// per entry than sorting ten thousand (more comparisons, and the array
/// spills out of the cache), which made a 10x larger corpus cost 12x the
/// time. Keys are uniform hashes, so scattering them by their top bits
/// into about `n / 256` partitions (one counting pass, one copy) leaves
/// partitions of about 256 entries whatever `n` is; sorting each is then a
/// constant cost per entry. The result is the same order a full sort gives.
fn sorted_keys(signatures: &Signatures, banding: Banding, band: usize) -> BandKeys {
    let n = signatures.len();
    let item_bits = (u64::BITS - (n.max(2) as u64 - 1).leading_zeros()).max(1);
    let packed = (0..n).map(|item| {
        let key = scan_key(banding, signatures.get(item), band);
        (key >> item_bits << item_bits) | item as u64
    });
    let bits = (n / PARTITION).max(1).ilog2();
    if bits == 0 {
        let mut entries: Vec<u64> = packed.collect();
        entries.sort_unstable();
        return BandKeys { entries, item_bits };
    }
    let part = |entry: u64| (entry >> (64 - bits)) as usize;
    let packed: Vec<u64> = packed.collect();
    // Start of each partition: counts, then running sums.
    let mut starts = vec![0usize; (1 << bits) + 1];
    for &entry in &packed {
        starts[part(entry) + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut next = starts.clone();
    let mut entries = vec![0u64; n];
    for entry in packed {
        let slot = &mut next[part(entry)];
        entries[*slot] = entry;
        *slot += 1;
    }
    for range in starts.windows(2) {
        entries[range[0]..range[1]].sort_unstable();
    }
    BandKeys { entries, item_bits }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_bits_never_agree_less_than_the_values() {
        let mut state = 3_u64;
        let mut next = || {
            state = mix(state.wrapping_add(1));
            state as u32
        };
        for width in [1, 16, 20, 128] {
            let mut table = Signatures::new(width);
            let first: Vec<u32> = (0..width).map(|_| next()).collect();
            table.push(&crate::sketch::Signature(first.clone()));
            for _ in 0..50 {
                // Some values copied from the first row, the rest fresh.
                let row = first
                    .iter()
                    .map(|&v| if next() % 3 == 0 { v } else { next() })
                    .collect();
                table.push(&crate::sketch::Signature(row));
            }
            let low = LowBits::of(&table);
            let padding = low.row * 16 - width;
            for b in 1..table.len() {
                let same = table
                    .get(0)
                    .iter()
                    .zip(table.get(b))
                    .filter(|(x, y)| x == y);
                let nibbles = table.get(0).iter().zip(table.get(b));
                let nibbles = nibbles.filter(|(x, y)| *x & 0xf == *y & 0xf).count();
                assert_eq!(low.agree(0, b), nibbles + padding, "width {width}");
                assert!(low.agree(0, b) >= same.count());
            }
        }
    }

    #[test]
    fn partitioned_sort_equals_a_full_sort() {
        for n in [0, 1, 300, 600, 5_000, 70_000] {
            let mut table = Signatures::new(4);
            for item in 0..n as u64 {
                // Some repeated values, so equal keys occur.
                let v = (mix(item % 997) & 0xffff_ffff) as u32;
                table.push(&crate::sketch::Signature(vec![v, 1, v ^ 3, 2]));
            }
            let layouts = [
                Banding { bands: 4, rows: 1 },
                Banding { bands: 2, rows: 2 },
                Banding { bands: 1, rows: 3 },
            ];
            for (banding, band) in layouts
                .into_iter()
                .flat_map(|banding| (0..banding.bands).map(move |band| (banding, band)))
            {
                let keys = sorted_keys(&table, banding, band);
                // Unpacked, the entries are the keys' kept bits and the
                // items, in the order a full sort of the pairs gives.
                let mut full: Vec<(u64, u32)> = (0..n)
                    .map(|item| {
                        let key = scan_key(banding, table.get(item), band);
                        (key >> keys.item_bits, item as u32)
                    })
                    .collect();
                full.sort_unstable();
                let unpacked: Vec<(u64, u32)> = keys
                    .entries
                    .iter()
                    .map(|&entry| (keys.key(entry), keys.item(entry)))
                    .collect();
                assert_eq!(unpacked, full, "n {n}");
                assert!(keys.item_bits >= 1 && (n < 2 || 1 << keys.item_bits >= n));
            }
        }
    }

    #[test]
    fn buckets_are_the_items_of_equal_band_values() {
        // Values from small ranges: buckets of every size, some far above
        // MAX_BUCKET, so the pairing by neighbours is exercised too.
        let mut table = Signatures::new(8);
        let mut state = 23_u64;
        for _ in 0..3_000 {
            let values: Vec<u32> = (0..8)
                .map(|i| {
                    state = mix(state.wrapping_add(1));
                    (state % if i < 4 { 3 } else { 40 }) as u32
                })
                .collect();
            table.push(&crate::sketch::Signature(values));
        }
        for banding in [Banding { bands: 4, rows: 2 }, Banding { bands: 2, rows: 4 }] {
            let mut expected = Vec::new();
            for band in 0..banding.bands {
                let mut buckets: std::collections::BTreeMap<&[u32], Vec<u32>> =
                    std::collections::BTreeMap::new();
                for item in 0..table.len() {
                    let values = &table.get(item)[band * banding.rows..(band + 1) * banding.rows];
                    buckets.entry(values).or_default().push(item as u32);
                }
                for mut members in buckets.into_values().filter(|m| m.len() > 1) {
                    pair_bucket(
                        &table,
                        banding,
                        band,
                        &mut members,
                        &|_, _| true,
                        &mut expected,
                    );
                }
            }
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(pairs(&table, banding, 0.0), expected, "{banding:?}");
        }
    }

    #[test]
    fn scan_keys_are_equal_exactly_when_the_values_are() {
        let mut state = 11_u64;
        for _ in 0..20_000 {
            state = mix(state.wrapping_add(1));
            // Values drawn from a small range, so equal bands occur often.
            let a: Vec<u32> = (0..4).map(|i| ((state >> (8 * i)) & 3) as u32).collect();
            let b: Vec<u32> = (0..4)
                .map(|i| ((state >> (8 * i + 32)) & 3) as u32)
                .collect();
            for rows in 1..=4 {
                let banding = Banding {
                    bands: 4 / rows,
                    rows,
                };
                for band in 0..banding.bands {
                    let range = band * rows..(band + 1) * rows;
                    let same = a[range.clone()] == b[range];
                    let keys_same = scan_key(banding, &a, band) == scan_key(banding, &b, band);
                    assert_eq!(keys_same, same, "rows {rows} band {band}: {a:?} {b:?}");
                }
            }
        }
    }

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
    fn items_sharing_a_band_are_paired_if_plausible() {
        let mut refs = Signatures::new(4);
        for values in [[1, 2, 7, 7], [3, 2, 8, 8], [5, 6, 7, 8], [1, 9, 7, 7]] {
            refs.push(&crate::sketch::Signature(values.to_vec()));
        }
        let banding = Banding { bands: 2, rows: 1 };
        // 0 and 1 share band 1 but agree in 1 of 4 positions; 0 and 3 in 3.
        assert_eq!(pairs(&refs, banding, 0.0), vec![(0, 1), (0, 3)]);
        assert_eq!(pairs(&refs, banding, 0.5), vec![(0, 3)]);
        assert!((min_estimate(0.3, 128) - (0.3 - 3.0 * (0.21_f64 / 128.0).sqrt())).abs() < 1e-12);
    }

    #[test]
    fn giant_buckets_pair_neighbours_not_everyone() {
        // 1,000 items that agree on the first two values (one giant bucket
        // in band 0) and are otherwise distinct, plus 20 pairs of copies.
        let width = 16;
        let mut refs = Signatures::new(width);
        let mut state = 5_u64;
        let mut next = || {
            state = mix(state.wrapping_add(1));
            state as u32
        };
        for item in 0..1000 {
            let mut values = vec![7, 7];
            if item % 50 == 1 {
                // A copy of the item before it.
                values = refs.get(item - 1).to_vec();
            } else {
                values.extend((2..width).map(|_| next()));
            }
            refs.push(&crate::sketch::Signature(values));
        }
        let banding = Banding { bands: 8, rows: 2 };
        let found = pairs(&refs, banding, 0.0);
        // Linear, not 499,500 pairs.
        assert!(found.len() <= 1000 * NEIGHBOURS, "{} pairs", found.len());
        for copy in (1..1000).step_by(50) {
            let pair = (copy as u32 - 1, copy as u32);
            assert!(found.contains(&pair), "copies {pair:?} were not paired");
        }
    }

    /// A seeded corpus: distinct base texts plus edited copies (sentences
    /// dropped, added, words changed, truncated), one sentence per line.
    fn planted_corpus(seed: u64, bases: usize) -> Vec<String> {
        let mut state = seed;
        let mut next = |bound: usize| {
            state = mix(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
            (state % bound as u64) as usize
        };
        let word = |n: usize| format!("w{n}");
        let mut docs = Vec::new();
        for _ in 0..bases {
            let sentences: Vec<Vec<String>> = (0..4 + next(10))
                .map(|_| (0..5 + next(12)).map(|_| word(next(5000))).collect())
                .collect();
            let text = |s: &[Vec<String>]| s.iter().map(|w| w.join(" ") + "\n").collect::<String>();
            docs.push(text(&sentences));
            for _ in 0..next(3) {
                let mut copy = sentences.clone();
                match next(4) {
                    0 if copy.len() > 2 => {
                        let at = next(copy.len());
                        copy.remove(at);
                    }
                    1 => copy.push((0..8).map(|_| word(next(5000))).collect()),
                    2 => {
                        let at = next(copy.len());
                        let len = copy[at].len();
                        copy[at][next(len)] = word(next(5000));
                    }
                    _ => copy.truncate(copy.len() * 2 / 3 + 1),
                }
                docs.push(text(&copy));
            }
        }
        docs
    }

    /// The oracle: LSH candidates plus exact verification find the same
    /// duplicate pairs as scoring every pair exactly.
    #[test]
    fn lsh_and_verification_equal_brute_force() {
        use crate::config::{ShingleOptions, SketchOptions, VerifyOptions};
        use crate::sketch::Hashers;
        use crate::verify;
        let verify_options = VerifyOptions::default();
        let hashers = Hashers::new(&SketchOptions::default());
        let banding = Banding::for_floor(128, verify::jaccard_floor(&verify_options));
        let mut total = 0;
        for seed in 0..8 {
            let docs = planted_corpus(seed, 40);
            let sets: Vec<_> = docs
                .iter()
                .map(|text| crate::shingle::set(text, &ShingleOptions::default(), |_| 1.0).set)
                .collect();
            let duplicate = |a: usize, b: usize| {
                verify::is_duplicate(verify::scores(&sets[a], &sets[b]), &verify_options)
            };
            let mut brute = Vec::new();
            for a in 0..sets.len() {
                for b in a + 1..sets.len() {
                    if duplicate(a, b) {
                        brute.push((a as u32, b as u32));
                    }
                }
            }
            let mut refs = Signatures::new(128);
            for set in &sets {
                refs.push(&hashers.signature(set));
            }
            let floor = verify::jaccard_floor(&verify_options);
            let found: Vec<(u32, u32)> = pairs(&refs, banding, min_estimate(floor, 128))
                .into_iter()
                .filter(|&(a, b)| duplicate(a as usize, b as usize))
                .collect();
            assert_eq!(found, brute, "seed {seed}");
            total += brute.len();
        }
        // The corpora must actually contain duplicates for this to mean anything.
        assert!(total > 100, "only {total} planted duplicate pairs");
    }
}
