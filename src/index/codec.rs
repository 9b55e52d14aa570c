//! How a document's data is laid out in the index's blobs: little-endian
//! integers, so an index file reads the same on every platform.
//!
//! A body holds the document's sentences and their shingles in text order
//! ([`Sentences`]): the sentence count as a varint, every sentence hash as
//! a `u64`, every sentence's shingle count as a varint, then every shingle
//! hash as a `u64`. Why raw `u64`s and not deltas: shingle hashes are
//! uniform over 64 bits, so the gaps between a few hundred sorted ones
//! still take 56 bits or more, and a varint of them is no shorter.

use anyhow::{bail, Result};

use crate::shingle::Sentences;
use crate::sketch::Signature;

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

/// A signature as a blob of `u32`s.
pub fn signature(signature: &Signature) -> Vec<u8> {
    signature.0.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Reads a signature of `width` values back.
pub fn read_signature(bytes: &[u8], width: usize) -> Result<Signature> {
    if bytes.len() != width * 4 {
        bail!("signature of {} bytes, expected {}", bytes.len(), width * 4);
    }
    Ok(Signature(
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    ))
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
            bail!("document body is truncated");
        };
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    bail!("document body holds a bad varint")
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
        let sig = Signature(vec![1, u32::MAX, 7]);
        assert_eq!(read_signature(&signature(&sig), 3).unwrap(), sig);
        assert!(read_signature(&signature(&sig), 4).is_err());
    }
}
