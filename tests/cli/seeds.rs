use crate::harness::{fixtures, run_in, snapshot};

#[test]
fn seeds_and_cases_group_as_documented() {
    let root = fixtures();
    let before = snapshot(&root);
    let out = run_in(
        root.parent().unwrap(),
        &["scan", "fixtures", "--format", "json"],
    );
    out.code(1);
    let groups = out.groups();
    let expected: Vec<Vec<&str>> = vec![
        vec![
            "fixtures/000_4f22527343064fcb.txt",
            "fixtures/003_ddd462f4338f5b86.txt",
        ],
        vec![
            "fixtures/cases/byline-footer/rail-fares-rescraped.txt",
            "fixtures/cases/byline-footer/rail-fares.txt",
        ],
        vec![
            "fixtures/cases/exact/harbour-strike-copy.txt",
            "fixtures/cases/exact/harbour-strike.txt",
        ],
        vec![
            "fixtures/cases/hardwrap/library-fire-wrapped-crlf.txt",
            "fixtures/cases/hardwrap/library-fire.txt",
        ],
        vec![
            "fixtures/cases/teaser/vaccine-trial-teaser.txt",
            "fixtures/cases/teaser/vaccine-trial.txt",
        ],
    ];
    assert_eq!(groups, expected);
    // 004 (another outlet) and the same-event pair are in no group.
    assert!(!out.stdout.contains("004_dcf93b46243cb9cc") && !out.stdout.contains("same-event"));
    assert_eq!(snapshot(&root), before, "the fixtures were modified");
}

#[test]
fn seed_pair_scores_are_high_and_the_other_outlet_low() {
    let root = fixtures();
    let out = run_in(
        &root,
        &[
            "scan",
            "000_4f22527343064fcb.txt",
            "003_ddd462f4338f5b86.txt",
            "--format",
            "json",
        ],
    );
    let member = &out.code(1).json()["groups"][0]["members"][1];
    assert!(member["jaccard"].as_f64().unwrap() > 0.9, "{member}");
    let out = run_in(
        &root,
        &[
            "scan",
            "000_4f22527343064fcb.txt",
            "004_dcf93b46243cb9cc.txt",
        ],
    );
    out.code(0);
}

#[test]
fn teaser_is_caught_by_containment() {
    let out = run_in(
        &fixtures().join("cases/teaser"),
        &["scan", ".", "--format", "json"],
    );
    let teaser = &out.code(1).json()["groups"][0]["members"][1];
    assert!(teaser["jaccard"].as_f64().unwrap() < 0.8, "{teaser}");
    assert_eq!(teaser["containment"].as_f64().unwrap(), 1.0);
}
