//! Made-up articles for test corpora: as many distinct texts as a test
//! needs, each the same on every run, none sharing a word window with another.

/// Vocabulary of generated articles: 128 words, so two articles with
/// different seeds share no five-word window except by a one-in-millions
/// chance, which a fixed seed either hits or misses the same way every run.
const WORDS: &str = "
    harbour council minister river budget station farmers police school market bridge union
    hospital court election storm festival factory museum airport village mayor teachers
    railway report tenants ferry library prices voters drivers lawyers officials said warned
    agreed rejected opened closed planned delayed approved blamed promised moved raised cut
    built on after before during despite across near under with without against for from
    into over the new old northern local rural coastal public private late early several
    hundred thousand million record final Tuesday Friday spring winter night morning week
    year plan vote strike fire flood deal fund review inquiry protest contract licence permit
    ban tax grant road port estate valley coast island district centre workers residents
    owners nurses pupils builders traders crews quickly quietly again finally already still
    also only";

/// A made-up article: a headline, then `paragraphs` paragraphs of three
/// sentences of 10 to 14 words, drawn from [`WORDS`] by a generator seeded
/// with `seed`. The same seed always gives the same text, and fewer
/// paragraphs give a prefix of the longer article (a teaser, a cut copy).
pub fn article(seed: u64, paragraphs: usize) -> String {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut state = seed;
    let mut pick = move || {
        // SplitMix64: tiny, well mixed, and fully determined by the seed.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        words[((z ^ (z >> 31)) % words.len() as u64) as usize]
    };
    let mut sentence = |length: usize| {
        let text = (0..length).map(|_| pick()).collect::<Vec<_>>().join(" ");
        text[..1].to_uppercase() + &text[1..]
    };
    let mut out = sentence(7) + "\n";
    for _ in 0..paragraphs {
        let body: Vec<String> = (0..3).map(|i| sentence(10 + i * 2) + ".").collect();
        out.push('\n');
        out.push_str(&body.join(" "));
        out.push('\n');
    }
    out
}

#[test]
fn articles_are_repeatable_and_distinct() {
    assert_eq!(article(3, 4), article(3, 4));
    assert!(article(3, 4).starts_with(&article(3, 2)));
    let windows = |text: &str| {
        // Punctuation dropped and sentence ends crossed: a superset of the
        // windows the real shingler would make.
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| w.trim_end_matches('.').to_lowercase())
            .collect();
        let set: std::collections::HashSet<Vec<String>> =
            words.windows(5).map(<[String]>::to_vec).collect();
        set
    };
    // Every seed the other modules use (all below 64) is distinct from the rest.
    let seeds: Vec<u64> = (0..64).collect();
    for a in &seeds {
        for b in seeds.iter().filter(|b| *b > a) {
            let shared = windows(&article(*a, 6))
                .intersection(&windows(&article(*b, 6)))
                .count();
            assert_eq!(shared, 0, "articles {a} and {b} share {shared} windows");
        }
    }
}
