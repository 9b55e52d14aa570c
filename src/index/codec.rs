//! How a document's data is laid out in the index's blobs: little-endian
//! integers, so an index file reads the same on every platform.
//!
//! A body holds the document's sentences and their shingles in text order
//! ([`Sentences`]): the sentence count as a varint, every sentence hash as
//! a `u64`, every sentence's shingle count as a varint, then every shingle
//! hash as a `u64`. Why raw `u64`s and not deltas: shingle hashes are
//! uniform over 64 bits, so the gaps between a few hundred sorted ones
//! still take 56 bits or more, and a varint of them is no shorter.
//!
//! A postings chunk describes a run of consecutive documents of one batch
//! for the candidate search: the document count as a varint, the ids as
//! varint gaps (the first from 0), then every document's `bands` band keys
//! of 40 bits: first the upper 32 bits of all of them as `u32`s, then
//! their low 8 bits as bytes; then every document's signature nibbles (the
//! low 4 bits of each value, see [`crate::candidates::nibbles`]) as `u64`s.
//! Its sentence counts are a separate blob: the count of
//! distinct sentences as a varint, the hashes (sorted) as `u64`s, then how
//! many of the chunk's documents hold each, as varints.

use anyhow::{bail, Result};

use crate::shingle::Sentences;

/// A document's sentences and shingles as one blob.
pub fn body(sentences: &Sentences) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(10 + 9 * sentences.hashes.len() + 8 * sentences.shingles.len());
    varint(&mut out, sentences.hashes.len() as u64);
    for &hash in &sentences.hashes {
        out.extend_from_slice(&hash.to_le_bytes());
    }
    let mut start = 0;
    for &end in &sentences.ends {
        varint(&mut out, (end - start) as u64);
        start = end;
    }
    for &shingle in &sentences.shingles {
        out.extend_from_slice(&shingle.to_le_bytes());
    }
    out
}

/// Reads a body back; `words` is stored beside it.
pub fn sentences(mut bytes: &[u8], words: usize) -> Result<Sentences> {
    let count = read_varint(&mut bytes)?;
    if count > bytes.len() as u64 / 8 {
        bail!("document body is truncated");
    }
    let hashes = read_u64s(&mut bytes, count as usize)?;
    let mut ends = Vec::with_capacity(hashes.len());
    let mut end = 0_usize;
    for _ in 0..count {
        let len = usize::try_from(read_varint(&mut bytes)?)?;
        end = end
            .checked_add(len)
            .ok_or_else(|| anyhow::anyhow!("bad body"))?;
        ends.push(end);
    }
    if bytes.len() != end.saturating_mul(8) {
        bail!("document body does not hold the shingles it announces");
    }
    let shingles = read_u64s(&mut bytes, end)?;
    Ok(Sentences {
        hashes,
        ends,
        shingles,
        words,
    })
}

/// The postings of a run of documents, as read from a postings chunk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Postings {
    /// The documents' ids, ascending.
    pub ids: Vec<i64>,
    /// `bands` keys of 40 bits per document, in the order of `ids`.
    pub keys: Vec<u64>,
    /// The signature nibbles of each document, in the order of `ids`.
    pub nibbles: Vec<u64>,
}

impl Postings {
    /// The band keys of the `i`th document.
    pub fn keys_of(&self, i: usize) -> &[u64] {
        let bands = self.keys.len() / self.ids.len().max(1);
        &self.keys[i * bands..(i + 1) * bands]
    }

    /// The signature nibbles of the `i`th document.
    pub fn nibbles_of(&self, i: usize) -> &[u64] {
        let row = self.nibbles.len() / self.ids.len().max(1);
        &self.nibbles[i * row..(i + 1) * row]
    }

    /// Keeps the documents whose id `keep` accepts, in one pass.
    pub fn retain(&mut self, keep: impl Fn(i64) -> bool) {
        let n = self.ids.len().max(1);
        let (bands, row) = (self.keys.len() / n, self.nibbles.len() / n);
        let mut kept = 0;
        for i in 0..self.ids.len() {
            if keep(self.ids[i]) {
                self.ids[kept] = self.ids[i];
                self.keys
                    .copy_within(i * bands..(i + 1) * bands, kept * bands);
                self.nibbles.copy_within(i * row..(i + 1) * row, kept * row);
                kept += 1;
            }
        }
        self.ids.truncate(kept);
        self.keys.truncate(kept * bands);
        self.nibbles.truncate(kept * row);
    }
}

/// A postings chunk as one blob.
pub fn postings(chunk: &Postings) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        10 + 3 * chunk.ids.len() + 5 * chunk.keys.len() + 8 * chunk.nibbles.len(),
    );
    varint(&mut out, chunk.ids.len() as u64);
    let mut previous = 0;
    for &id in &chunk.ids {
        varint(&mut out, (id - previous) as u64);
        previous = id;
    }
    for &key in &chunk.keys {
        out.extend_from_slice(&((key >> 8) as u32).to_le_bytes());
    }
    out.extend(chunk.keys.iter().map(|&key| key as u8));
    for &word in &chunk.nibbles {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out
}

/// Reads a postings chunk back, `bands` keys and `row` words of nibbles per
/// document, into `out` (its buffers are reused).
pub fn read_postings(mut bytes: &[u8], bands: usize, row: usize, out: &mut Postings) -> Result<()> {
    out.ids.clear();
    out.keys.clear();
    out.nibbles.clear();
    let count = read_varint(&mut bytes)?;
    if count > bytes.len() as u64 {
        bail!("postings chunk is truncated");
    }
    let mut id = 0_i64;
    for _ in 0..count {
        id = id
            .checked_add(i64::try_from(read_varint(&mut bytes)?)?)
            .ok_or_else(|| anyhow::anyhow!("postings chunk holds a bad id"))?;
        out.ids.push(id);
    }
    let keys = out.ids.len() * bands;
    let words = out.ids.len() * row;
    if bytes.len() != keys * 5 + words * 8 {
        bail!("postings chunk does not hold the band keys it announces");
    }
    let (high, rest) = bytes.split_at(keys * 4);
    let (low, nibbles) = rest.split_at(keys);
    out.keys
        .extend(high.chunks_exact(4).zip(low).map(|(c, &l)| {
            (u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])) << 8) | u64::from(l)
        }));
    out.nibbles.extend(
        nibbles
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
    );
    Ok(())
}

/// A chunk's fingerprints as one blob: the count as a varint, then per
/// document its id as a varint gap (the first from 0) and its 128-bit
/// shingle-set fingerprint, little-endian.
pub fn fingerprints(rows: &[(i64, u128)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(10 + 19 * rows.len());
    varint(&mut out, rows.len() as u64);
    let mut previous = 0;
    for &(id, fingerprint) in rows {
        varint(&mut out, (id - previous) as u64);
        out.extend_from_slice(&fingerprint.to_le_bytes());
        previous = id;
    }
    out
}

/// Reads a chunk's fingerprints back into `out` (cleared first).
pub fn read_fingerprints(mut bytes: &[u8], out: &mut Vec<(i64, u128)>) -> Result<()> {
    out.clear();
    let count = read_varint(&mut bytes)?;
    if count > bytes.len() as u64 / 17 {
        bail!("fingerprints are truncated");
    }
    let mut id = 0_i64;
    for _ in 0..count {
        id = id
            .checked_add(i64::try_from(read_varint(&mut bytes)?)?)
            .ok_or_else(|| anyhow::anyhow!("fingerprints hold a bad id"))?;
        let Some((head, rest)) = bytes.split_first_chunk::<16>() else {
            bail!("fingerprints are truncated");
        };
        out.push((id, u128::from_le_bytes(*head)));
        bytes = rest;
    }
    if !bytes.is_empty() {
        bail!("fingerprints hold more than they announce");
    }
    Ok(())
}

/// How many times each hash occurs in `sorted`, as `(hash, count)`.
pub fn counted(sorted: &[u64]) -> Vec<(u64, u32)> {
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as u32))
        .collect()
}

/// A chunk's sentence counts (sorted by hash) as one blob.
pub fn sentence_counts(counts: &[(u64, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(10 + 10 * counts.len());
    varint(&mut out, counts.len() as u64);
    for &(hash, _) in counts {
        out.extend_from_slice(&hash.to_le_bytes());
    }
    for &(_, count) in counts {
        varint(&mut out, u64::from(count));
    }
    out
}

/// Reads a chunk's sentence counts back into `out` (cleared first).
pub fn read_sentence_counts(mut bytes: &[u8], out: &mut Vec<(u64, u32)>) -> Result<()> {
    out.clear();
    let count = read_varint(&mut bytes)?;
    if count > bytes.len() as u64 / 8 {
        bail!("sentence counts are truncated");
    }
    let hashes = read_u64s(&mut bytes, count as usize)?;
    for hash in hashes {
        let n = u32::try_from(read_varint(&mut bytes)?)?;
        out.push((hash, n));
    }
    if !bytes.is_empty() {
        bail!("sentence counts hold more than they announce");
    }
    Ok(())
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Result<u64> {
    let mut value = 0_u64;
    for shift in (0..64).step_by(7) {
        let Some((&byte, rest)) = bytes.split_first() else {
            bail!("truncated data");
        };
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    bail!("bad varint")
}

fn read_u64s(bytes: &mut &[u8], count: usize) -> Result<Vec<u64>> {
    if bytes.len() < count * 8 {
        bail!("document body is truncated");
    }
    let (head, rest) = bytes.split_at(count * 8);
    *bytes = rest;
    Ok(head
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ShingleOptions;

    #[test]
    fn body_round_trips() {
        let text = "one two three four five six\nseven\n\neight nine ten eleven\n";
        let original = crate::shingle::sentences(text, &ShingleOptions::default());
        let back = sentences(&body(&original), original.words).unwrap();
        assert_eq!(back, original);
        let empty = Sentences::default();
        assert_eq!(sentences(&body(&empty), 0).unwrap(), empty);
        assert!(sentences(&body(&original)[..20], 3).is_err());
    }

    #[test]
    fn postings_round_trip() {
        let chunk = Postings {
            ids: vec![3, 4, 900, 1 << 40],
            keys: (0..12).map(|k| k * 0x12_3456_7789 % (1 << 40)).collect(),
            nibbles: (0..8).map(|k| k * 0x0123_4567_89ab_cdef).collect(),
        };
        let bytes = postings(&chunk);
        let mut back = Postings::default();
        read_postings(&bytes, 3, 2, &mut back).unwrap();
        assert_eq!(back, chunk);
        assert_eq!(back.keys_of(2), &chunk.keys[6..9]);
        assert_eq!(back.nibbles_of(3), &chunk.nibbles[6..8]);
        assert!(read_postings(&bytes, 4, 2, &mut back).is_err());
        assert!(read_postings(&bytes, 3, 1, &mut back).is_err());
        assert!(read_postings(&bytes[..bytes.len() - 1], 3, 2, &mut back).is_err());
        read_postings(&postings(&Postings::default()), 3, 2, &mut back).unwrap();
        assert_eq!(back, Postings::default());
        let mut fewer = chunk.clone();
        fewer.retain(|id| id != 4 && id != 3);
        assert_eq!(fewer.ids, [900, 1 << 40]);
        assert_eq!(fewer.keys_of(0), &chunk.keys[6..9]);
        assert_eq!(fewer.nibbles_of(1), &chunk.nibbles[6..8]);
        fewer.retain(|_| false);
        assert_eq!(fewer, Postings::default());

        let rows = vec![(1, 0), (2, u128::MAX), (1 << 40, 12_345)];
        let mut back = Vec::new();
        read_fingerprints(&fingerprints(&rows), &mut back).unwrap();
        assert_eq!(back, rows);
        let bytes = fingerprints(&rows);
        assert!(read_fingerprints(&bytes[..bytes.len() - 1], &mut back).is_err());
        read_fingerprints(&fingerprints(&[]), &mut back).unwrap();
        assert!(back.is_empty());

        let counts = vec![(1, 1), (u64::MAX - 3, 70_000), (u64::MAX, 2)];
        let bytes = sentence_counts(&counts);
        let mut back = Vec::new();
        read_sentence_counts(&bytes, &mut back).unwrap();
        assert_eq!(back, counts);
        assert!(read_sentence_counts(&bytes[..bytes.len() - 1], &mut back).is_err());
        assert!(read_sentence_counts(&[bytes.clone(), vec![1]].concat(), &mut back).is_err());
    }
}
