//! Template sentences: the site chrome a scraper keeps around every article
//! (navigation, newsletter pitches, "most read" lists, disclaimers), learned
//! from the corpus rather than listed in advance.
//!
//! A sentence found in at least `min_docs` distinct documents is a template
//! sentence. Verification sets such sentences aside when both documents of
//! a pair have enough text of their own (see [`crate::verify`]): two
//! different articles inside one site template then differ, while a widely
//! syndicated article, every sentence of which is frequent, is still
//! compared whole. Documents with identical text count once, so a thousand
//! copies of one article do not turn it into a template.

/// The template sentences of a corpus, as sorted sentence hashes.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    hashes: Vec<u64>,
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
        all.sort_unstable();
        let hashes = all
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() >= min_docs)
            .map(|run| run[0])
            .collect();
        Templates { hashes }
    }

    /// Whether a sentence hash is a template sentence.
    pub fn contains(&self, sentence: u64) -> bool {
        self.hashes.binary_search(&sentence).is_ok()
    }

    /// Number of template sentences.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether no sentence is a template.
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
}
