//! A set of 64-bit keys asked about many more times than it has keys: a
//! query's band keys or sentence hashes, probed with every key of the
//! index as the index is read through.
//!
//! Keys are hashes, uniform in their top bits, so those bits index both a
//! bitmap (16 bits per key: about one probe in sixteen of a key not in
//! the set gets past it, and it is small enough to stay in the cache) and
//! a directory into the keys sorted, where a probe that gets past the
//! bitmap finds its key's entries in a slot of one or two keys.

/// Keys with a value each (a key may have several entries).
#[derive(Clone, Debug)]
pub struct Probe<V> {
    bitmap: Vec<u64>,
    bitmap_shift: u32,
    directory: Vec<u32>,
    directory_shift: u32,
    entries: Vec<(u64, V)>,
}

impl<V: Copy + Ord> Probe<V> {
    /// A probe of these entries (any order; repeated entries are kept
    /// once).
    pub fn new(mut entries: Vec<(u64, V)>) -> Probe<V> {
        entries.sort_unstable();
        entries.dedup();
        let n = entries.len().max(1);
        let bitmap_bits = (n * 16).next_power_of_two().max(64);
        let directory_slots = n.next_power_of_two();
        let bitmap_shift = 64 - bitmap_bits.trailing_zeros();
        // `directory_slots` can be 1, and a shift by 64 overflows.
        let directory_shift = 64 - directory_slots.trailing_zeros().max(1);
        let mut bitmap = vec![0_u64; bitmap_bits / 64];
        for &(key, _) in &entries {
            let bit = shifted(key, bitmap_shift);
            bitmap[bit / 64] |= 1 << (bit % 64);
        }
        let slots = 1 << (64 - directory_shift);
        let mut directory = Vec::with_capacity(slots + 1);
        let mut at = 0;
        for slot in 0..slots {
            while at < entries.len() && shifted(entries[at].0, directory_shift) < slot {
                at += 1;
            }
            directory.push(at as u32);
        }
        directory.push(entries.len() as u32);
        Probe {
            bitmap,
            bitmap_shift,
            directory,
            directory_shift,
            entries,
        }
    }

    /// The values of `key` (none when it is not in the set).
    #[inline]
    pub fn get(&self, key: u64) -> impl Iterator<Item = V> + '_ {
        let bit = shifted(key, self.bitmap_shift);
        let slot = if self.bitmap[bit / 64] & (1 << (bit % 64)) == 0 {
            &[][..]
        } else {
            let at = shifted(key, self.directory_shift);
            &self.entries[self.directory[at] as usize..self.directory[at + 1] as usize]
        };
        slot.iter().filter(move |e| e.0 == key).map(|e| e.1)
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[inline]
fn shifted(key: u64, shift: u32) -> usize {
    (key >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(mut x: u64) -> u64 {
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    #[test]
    fn finds_exactly_the_keys_it_holds() {
        for n in [0_u64, 1, 2, 3, 100, 5_000] {
            // mix(0) is 0: keys start at 1, so 0 is not among them.
            let keys: Vec<u64> = (1..=n).map(mix).collect();
            let mut entries: Vec<(u64, u32)> = keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, i as u32))
                .collect();
            // A second value for some keys, and a repeated entry.
            entries.extend(keys.iter().step_by(7).map(|&k| (k, u32::MAX)));
            entries.extend(keys.first().map(|&k| (k, 0)));
            let probe = Probe::new(entries);
            assert_eq!(probe.is_empty(), n == 0);
            for (i, &key) in keys.iter().enumerate() {
                let mut got: Vec<u32> = probe.get(key).collect();
                got.sort_unstable();
                let mut want = vec![i as u32];
                if i % 7 == 0 {
                    want.push(u32::MAX);
                }
                assert_eq!(got, want, "key {i} of {n}");
            }
            for other in (n + 1..n + 2_000).map(mix) {
                assert_eq!(probe.get(other).count(), 0);
            }
            // Keys at the ends of the range.
            assert_eq!(probe.get(0).count(), 0);
            assert_eq!(probe.get(u64::MAX).count(), 0);
        }
        let edges = Probe::new(vec![(0, 1), (u64::MAX, 2)]);
        assert_eq!(edges.get(0).collect::<Vec<_>>(), [1]);
        assert_eq!(edges.get(u64::MAX).collect::<Vec<_>>(), [2]);
    }
}
