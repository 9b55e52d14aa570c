//! `fixtures/`, end to end: the outcome `fixtures/README.md` promises.

use serde_json::Value;

use crate::harness::{fixtures, run_in, same, snapshot, unchanged};

/// The member of `report`'s groups at `path`, if it is in one.
fn member<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["members"].as_array().unwrap())
        .find(|m| m["path"] == path)
}

#[test]
fn whole_fixtures_folder_groups_as_documented() {
    let root = fixtures();
    let before = snapshot(&root);
    let out = run_in(
        root.parent().unwrap(),
        &["scan", "fixtures", "--format", "json"],
    );
    out.expect_code(1);
    let expected = [
        [
            "fixtures/000_4f22527343064fcb.txt",
            "fixtures/003_ddd462f4338f5b86.txt",
        ],
        [
            "fixtures/cases/byline-footer/trawling-ban-rescraped.txt",
            "fixtures/cases/byline-footer/trawling-ban.txt",
        ],
        [
            "fixtures/cases/exact/tram-extension-copy.txt",
            "fixtures/cases/exact/tram-extension.txt",
        ],
        [
            "fixtures/cases/hardwrap/skerrin-ferry-wrapped-crlf.txt",
            "fixtures/cases/hardwrap/skerrin-ferry.txt",
        ],
        [
            "fixtures/cases/teaser/alverton-water-teaser.txt",
            "fixtures/cases/teaser/alverton-water.txt",
        ],
    ];
    let expected: Vec<Vec<String>> = expected
        .iter()
        .map(|pair| pair.iter().map(|p| p.to_string()).collect())
        .collect();
    same("groups of fixtures/", &expected, &out.groups());

    // The other outlet and the two same-event stories are read and compared,
    // and belong to no group; so is fixtures/README.md, a text file like any.
    let report = out.json();
    for path in [
        "fixtures/004_dcf93b46243cb9cc.txt",
        "fixtures/cases/same-event/brannock-fire-outlet-a.txt",
        "fixtures/cases/same-event/brannock-fire-outlet-b.txt",
    ] {
        assert!(member(&report, path).is_none(), "{path} is in a group");
    }
    same(
        "articles compared",
        &Value::from(14),
        &report["summary"]["articles_compared"],
    );
    same("problems", &Value::Array(vec![]), &report["problems"]);
    unchanged(&before, &snapshot(&root));
}

#[test]
fn case_scores_match_the_readme() {
    let out = run_in(&fixtures(), &["scan", "cases", "--format", "json"]);
    out.expect_code(1);
    let report = out.json();
    let score = |path: &str, field: &str| {
        let found = member(&report, path).unwrap_or_else(|| panic!("{path} is in no group"));
        found[field].as_f64().unwrap()
    };
    // Copies that differ only in scraping artefacts have the same shingles.
    for path in [
        "cases/exact/tram-extension-copy.txt",
        "cases/exact/tram-extension.txt",
        "cases/hardwrap/skerrin-ferry-wrapped-crlf.txt",
        "cases/byline-footer/trawling-ban.txt",
    ] {
        same(path, &1.0, &score(path, "jaccard"));
    }
    // The teaser is caught by containment, not by Jaccard.
    let teaser = "cases/teaser/alverton-water-teaser.txt";
    same(teaser, &1.0, &score(teaser, "containment"));
    assert!(score(teaser, "jaccard") < 0.8, "{}", out.stdout);
}

#[test]
fn seed_pair_is_close_and_other_outlet_apart() {
    let root = fixtures();
    let pair = [
        "scan",
        "000_4f22527343064fcb.txt",
        "003_ddd462f4338f5b86.txt",
    ];
    let out = run_in(&root, &[&pair[..], &["--format", "json"]].concat());
    out.expect_code(1);
    let jaccard = out.json()["groups"][0]["members"][1]["jaccard"]
        .as_f64()
        .unwrap();
    assert!(
        jaccard > 0.9,
        "{}",
        out.explain("000 and 003 should be near copies")
    );
    for other in ["000_4f22527343064fcb.txt", "003_ddd462f4338f5b86.txt"] {
        let out = run_in(
            &root,
            &["scan", other, "004_dcf93b46243cb9cc.txt", "--quiet"],
        );
        out.expect_code(0);
    }
}

#[test]
fn each_case_folder_alone() {
    // (folder, exit code): a pair that groups exits 1, a pair that must not 0.
    let cases = [
        ("exact", 1),
        ("hardwrap", 1),
        ("byline-footer", 1),
        ("teaser", 1),
        ("same-event", 0),
    ];
    let root = fixtures().join("cases");
    for (folder, code) in cases {
        let out = run_in(&root, &["scan", folder, "--quiet"]);
        assert!(
            out.code == code,
            "{}",
            out.explain(&format!("cases/{folder}"))
        );
    }
}
