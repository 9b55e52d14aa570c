//! Template sentences: the site chrome a scraper keeps around every article
//! (navigation, newsletter pitches, "most read" lists, disclaimers, paywall
//! notices), learned from the corpus rather than listed in advance.
//!
//! A sentence found in at least `min_docs` distinct documents is a template
//! sentence, and it weighs less in verification (see [`crate::verify`]):
//! [`TEMPLATE_WEIGHT`] when it is in `min_docs` documents, and less again
//! the more documents hold it, in inverse proportion. Two different articles
//! inside one site template then differ, and a header that thousands of
//! pages share counts for next to nothing; while copies of a syndicated
//! article, every sentence of which is somewhat frequent, still share their
//! whole text. Documents with identical text count once, so a thousand
//! copies of one article do not turn it into a template.

use rayon::slice::ParallelSliceMut;

/// How much a sentence found in exactly `min_docs` documents weighs next to
/// an ordinary one.
///
/// Why a quarter and not zero: a syndicated article's sentences are
/// frequent too, and its copies must still match on them (copies on two
/// sites share their article text at a quarter weight, which still
/// outweighs two small different site templates); while a short item
/// inside heavy site chrome no longer matches every other page of the site.
pub const TEMPLATE_WEIGHT: f32 = 0.25;

/// The template sentences of a corpus: sorted sentence hashes, each with
/// the number of distinct documents it is found in.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    hashes: Vec<u64>,
    documents: Vec<u32>,
    min_docs: usize,
}

impl Templates {
    /// Learns the sentences that occur in at least `min_docs` of the given
    /// documents (each given as its sorted, unique sentence hashes). With
    /// `min_docs` 0 nothing is a template.
    pub fn learn<'a>(documents: impl Iterator<Item = &'a [u64]>, min_docs: usize) -> Self {
        if min_docs == 0 {
            return Templates::default();
        }
        let mut all: Vec<u64> = documents.flatten().copied().collect();
        // On every worker: a scan waits for this count before pairing.
        all.par_sort_unstable();
        let (hashes, documents) = all
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() >= min_docs)
            .map(|run| (run[0], u32::try_from(run.len()).unwrap_or(u32::MAX)))
            .unzip();
        Templates {
            hashes,
            documents,
            min_docs,
        }
    }

    /// The templates given each sentence's count of distinct documents
    /// (any order, each sentence once), as a scan against an index adds
    /// the index's counts to the batch's.
    pub fn from_counts(counts: impl Iterator<Item = (u64, u32)>, min_docs: usize) -> Self {
        if min_docs == 0 {
            return Templates::default();
        }
        let mut kept: Vec<(u64, u32)> = counts.filter(|&(_, n)| n as usize >= min_docs).collect();
        kept.sort_unstable();
        let (hashes, documents) = kept.into_iter().unzip();
        Templates {
            hashes,
            documents,
            min_docs,
        }
    }

    /// Whether a sentence is a template sentence.
    pub fn contains(&self, sentence: u64) -> bool {
        self.hashes.binary_search(&sentence).is_ok()
    }

    /// The weight of a sentence in verification: 1 for ordinary text;
    /// [`TEMPLATE_WEIGHT`] `× min_docs / n` for a template sentence found in
    /// `n` documents.
    pub fn weight(&self, sentence: u64) -> f32 {
        match self.hashes.binary_search(&sentence) {
            Ok(i) => TEMPLATE_WEIGHT * self.min_docs as f32 / self.documents[i] as f32,
            Err(_) => 1.0,
        }
    }

    /// Number of template sentences.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether no sentence is a template sentence.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_sentences_become_templates() {
        let docs: Vec<Vec<u64>> = vec![vec![1, 2, 9], vec![1, 3], vec![1, 4, 9], vec![5]];
        let templates = Templates::learn(docs.iter().map(Vec::as_slice), 3);
        assert!(templates.contains(1));
        assert!(!templates.contains(9));
        assert_eq!(templates.len(), 1);
        assert!(Templates::learn(docs.iter().map(Vec::as_slice), 0).is_empty());
    }

    #[test]
    fn weight_falls_with_the_number_of_documents() {
        // Sentence 1 in all 40 documents, sentence 2 in 10, sentence 3 in 1.
        let docs: Vec<Vec<u64>> = (0..40)
            .map(|d| match d {
                0 => vec![1, 2, 3],
                1..10 => vec![1, 2],
                _ => vec![1],
            })
            .collect();
        let templates = Templates::learn(docs.iter().map(Vec::as_slice), 10);
        assert_eq!(templates.weight(3), 1.0);
        assert_eq!(templates.weight(2), TEMPLATE_WEIGHT);
        assert_eq!(templates.weight(1), TEMPLATE_WEIGHT / 4.0);
        let counted = Templates::from_counts([(3, 1), (2, 10), (1, 40)].into_iter(), 10);
        for sentence in [1, 2, 3] {
            assert_eq!(counted.weight(sentence), templates.weight(sentence));
        }
        assert_eq!(counted.len(), 2);
    }
}
