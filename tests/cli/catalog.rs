//! The robustness catalog of `docs`' reliability notes, one test per case
//! (named `cNN_` after the case number) for every case the tool as it stands
//! can meet. Each run goes through [`TestDir::run_checked`]: besides the
//! harness's no-panic and no-hang checks, the input folder must be exactly
//! as it was (nothing changed, nothing left behind).
//!
//! Cases already covered elsewhere are named in a comment where they would
//! be, so the catalog can be read in order here.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;

use crate::corpus::article;
use crate::harness::{is_root, same, wait_for, Output, Run, TestDir};

fn json(dir: &TestDir, args: &[&str]) -> Output {
    let args = [&["scan"][..], args, &["--format", "json"]].concat();
    dir.run_checked(&args)
}

fn skipped(out: &Output, reason: &str) -> u64 {
    out.json()["summary"]["skipped"][reason].as_u64().unwrap()
}

fn compared(out: &Output) -> u64 {
    out.json()["summary"]["articles_compared"].as_u64().unwrap()
}

/// A JSON report's groups as sorted member paths.
fn groups(out: &Output) -> Vec<Vec<String>> {
    out.groups()
}

fn one_group(paths: &[&str]) -> Vec<Vec<String>> {
    let mut group: Vec<String> = paths.iter().map(|p| (*p).to_string()).collect();
    group.sort();
    vec![group]
}

/// A member of the first group, by path.
fn member(out: &Output, path: &str) -> Value {
    out.json()["groups"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("{}", out.explain(&format!("{path} is in no group"))))
}

// --- A. Content and encoding ---------------------------------------------

#[test]
fn c01_c02_empty_files_are_skipped_and_never_grouped() {
    let dir = TestDir::new("c01");
    dir.create("d/one.txt", "");
    dir.create("d/two.txt", "");
    dir.create("d/a.txt", article(1, 3));
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same("empty skips", &2, &skipped(&out, "empty"));
    same("no groups", &0, &groups(&out).len());
}

#[test]
fn c03_whitespace_only_is_empty() {
    let dir = TestDir::new("c03");
    dir.create("d/a.txt", " \n\t\r\n");
    dir.create("d/b.txt", "\u{a0}\u{3000}\n\u{2028}  ");
    dir.create("d/c.txt", " \n\t\r\n");
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same("empty skips", &3, &skipped(&out, "empty"));
}

#[test]
fn c04_c05_short_and_symbol_only_texts_are_never_grouped() {
    let dir = TestDir::new("c04");
    dir.create("d/a.txt", "Breaking");
    dir.create("d/b.txt", "Breaking");
    dir.create("d/c.txt", "a b");
    dir.create("d/d.txt", "!!! \u{1f525}\u{1f525}");
    dir.create("d/e.txt", "??? \u{1f525}\u{1f525}\u{1f525}");
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same("groups", &0, &groups(&out).len());
    same(
        "skipped",
        &5,
        &(skipped(&out, "too_short") + skipped(&out, "empty")),
    );
}

#[test]
fn c06_invalid_utf8_is_decoded_lossily_and_counted() {
    let dir = TestDir::new("c06");
    let text = article(2, 4);
    let (head, tail) = text.split_at(text.len() / 2);
    let mut bad = head.as_bytes().to_vec();
    bad.extend_from_slice(b" \xff\xfe\xc3( ");
    bad.extend_from_slice(tail.as_bytes());
    dir.create("d/bad.txt", bad);
    dir.create("d/good.txt", &text);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "lossy",
        &Value::from(1),
        &out.json()["summary"]["lossy_decoded"],
    );
    same(
        "group",
        &one_group(&["d/bad.txt", "d/good.txt"]),
        &groups(&out),
    );
}

// c07 (UTF-8 byte order mark) and c08 (UTF-16 with a byte order mark):
// problems.rs, byte_order_marks_and_utf16_group_with_the_plain_copy.

#[test]
fn c09_c11_c12_nul_bytes_anywhere_mean_binary() {
    let dir = TestDir::new("c09");
    let text = article(3, 4);
    // UTF-16 without a byte order mark: every other byte is NUL.
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    dir.create("d/utf16-no-bom.txt", utf16);
    dir.create("d/nul-early.txt", format!("hello\0world {text}"));
    // A NUL only after 120 KB of text: the whole file is checked, so the
    // answer does not depend on how much is read at once.
    let mut late = text.repeat(120_000 / text.len() + 1).into_bytes();
    late.push(0);
    dir.create("d/nul-late.txt", late);
    dir.create("d/plain.txt", &text);
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same("binary", &3, &skipped(&out, "binary"));
    same("compared", &1, &compared(&out));
    // Not dropped silently: counted, and named with --verbose.
    let out = dir.run_checked(&["scan", "d", "--verbose"]);
    out.expect_code(0);
    for name in ["utf16-no-bom", "nul-early", "nul-late"] {
        out.expect_stderr(&format!("d/{name}.txt: skipped: binary"));
    }
}

#[test]
fn c10_latin1_copy_groups_with_its_utf8_original() {
    let dir = TestDir::new("c10");
    let text = format!(
        "{}\nThe café in Zürich reopened after the façade was repaired.\n",
        article(4, 4)
    );
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    dir.create("d/latin1.txt", latin1);
    dir.create("d/utf8.txt", &text);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "group",
        &one_group(&["d/latin1.txt", "d/utf8.txt"]),
        &groups(&out),
    );
    same(
        "lossy",
        &Value::from(1),
        &out.json()["summary"]["lossy_decoded"],
    );
}

#[test]
fn c13_c14_line_endings_and_trailing_space_give_identical_sets() {
    let dir = TestDir::new("c13");
    let text = article(5, 5);
    dir.create("d/lf.txt", &text);
    dir.create("d/crlf.txt", text.replace('\n', "\r\n"));
    dir.create("d/cr.txt", text.replace('\n', "\r"));
    dir.create("d/spaces.txt", text.replace('\n', "  \t\n\n\n") + "\n\n  ");
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    let all = ["d/cr.txt", "d/crlf.txt", "d/lf.txt", "d/spaces.txt"];
    same("group", &one_group(&all), &groups(&out));
    for path in all {
        same(path, &Value::from(true), &member(&out, path)["exact"]);
    }
}

#[test]
fn c15_c16_c17_c21_unicode_forms_invisible_characters_and_entities() {
    let dir = TestDir::new("c15");
    let base = format!(
        "{}\nThe café's efficient ABC123 office opened at the harbour today.\n",
        article(6, 4)
    );
    dir.create("d/nfc.txt", &base);
    dir.create("d/nfd.txt", base.replace('é', "e\u{301}"));
    dir.create(
        "d/compat.txt",
        base.replace("efficient", "e\u{fb03}cient")
            .replace("ABC123", "ＡＢＣ１２３"),
    );
    // Zero-width characters and soft hyphens inside words, a BOM mid-text.
    let invisible: String = base
        .split(' ')
        .enumerate()
        .map(|(i, w)| match i % 5 {
            0 if w.len() > 2 => format!("{}\u{200b}{}", &w[..1], &w[1..]),
            1 if w.len() > 2 => format!("{}\u{ad}{}", &w[..1], &w[1..]),
            2 if w.len() > 2 => format!("{}\u{2060}{}\u{200d}", &w[..1], &w[1..]),
            3 => format!("\u{feff}{w}"),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    dir.create("d/invisible.txt", invisible);
    dir.create(
        "d/entities.txt",
        base.replace(' ', "&nbsp;")
            .replace("café's", "caf&eacute;&#39;s")
            .replacen('\n', "<p>\n", 2),
    );
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    let all = [
        "d/compat.txt",
        "d/entities.txt",
        "d/invisible.txt",
        "d/nfc.txt",
        "d/nfd.txt",
    ];
    same("group", &one_group(&all), &groups(&out));
    for path in all {
        same(path, &Value::from(true), &member(&out, path)["exact"]);
    }
}

#[test]
fn c18_combining_mark_soup_ends_and_is_bounded() {
    let dir = TestDir::new("c18");
    let zalgo: String = article(7, 30)
        .chars()
        .flat_map(|c| {
            std::iter::once(c).chain((0..50).map(|i| char::from_u32(0x300 + i % 0x6f).unwrap()))
        })
        .collect();
    dir.create("d/zalgo.txt", &zalgo);
    dir.create("d/zalgo-copy.txt", &zalgo);
    dir.create("d/plain.txt", article(7, 30));
    // The harness's time limit is the bound: no quadratic blow-up.
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "copies group",
        &vec!["d/zalgo-copy.txt".to_string(), "d/zalgo.txt".to_string()],
        &groups(&out)[0],
    );
}

#[test]
fn c19_c20_control_and_bidi_characters_in_names_are_escaped() {
    let dir = TestDir::new("c19");
    let text = article(8, 4);
    dir.create("d/a\u{202e}txt.exe", &text);
    dir.create("d/b\u{1b}[2J.txt", &text);
    // Bidi controls inside the text are ignored for similarity.
    dir.create("d/c.txt", text.replace(". ", ".\u{200f} \u{202a}"));
    // The table is for terminals; CSV and JSON are data, quoted or escaped
    // by their own rules.
    let out = dir.run_checked(&["scan", "d"]);
    out.expect_code(1);
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202e}'),
        "{}",
        out.explain("raw control characters reached the terminal")
    );
    assert!(
        out.stdout.contains("\\u{202e}"),
        "{}",
        out.explain("escaped")
    );
    let out = json(&dir, &["d"]);
    // JSON carries the exact names (escaped by JSON itself).
    assert!(out.stdout.contains("\\u001b"), "{}", out.stdout);
    same("one group of 3", &3, &groups(&out)[0].len());
}

// --- B. Scripts and tokenization ------------------------------------------

/// Writes `original` and `copy` (and `other`, a different article) and
/// expects exactly original+copy grouped.
fn pair_groups_other_apart(case: &str, original: &str, copy: &str, other: &str) {
    let dir = TestDir::new(case);
    dir.create("d/original.txt", original);
    dir.create("d/copy.txt", copy);
    dir.create("d/other.txt", other);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        case,
        &one_group(&["d/copy.txt", "d/original.txt"]),
        &groups(&out),
    );
}

const CYRILLIC: &str =
    "Городской совет утвердил новый бюджет на следующий год после долгих споров. \
    Депутаты согласились увеличить расходы на школы и больницы в северных районах. \
    Мэр заявил, что ремонт моста начнётся весной и закончится до конца осени. \
    Жители прибрежных посёлков потребовали новый паром и более частые рейсы. \
    Профсоюз водителей пообещал не объявлять забастовку до окончания переговоров.";

const CYRILLIC_OTHER: &str = "На фестивале в старом порту выступили музыканты из соседних стран. \
    Организаторы сообщили о рекордном числе посетителей за последние десять лет. \
    Вечером над заливом прошёл праздничный салют, который собрал тысячи зрителей. \
    Полиция отметила, что праздник прошёл спокойно и без серьёзных происшествий.";

#[test]
fn c22_cyrillic_copy_with_a_changed_word_and_in_utf16() {
    let copy = CYRILLIC.replace("весной", "летом");
    pair_groups_other_apart("c22", CYRILLIC, &copy, CYRILLIC_OTHER);
    let dir = TestDir::new("c22b");
    dir.create("d/utf8.txt", CYRILLIC);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(CYRILLIC.encode_utf16().flat_map(u16::to_le_bytes));
    dir.create("d/utf16.txt", utf16);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "exact",
        &Value::from(true),
        &member(&out, "d/utf16.txt")["exact"],
    );
}

#[test]
fn c23_homoglyphs_are_not_folded() {
    // Latin "paypal" and the same letters with Cyrillic р and а: kept
    // apart (no confusables folding), and nothing breaks.
    let latin = format!("{}\npaypal account notice\n", article(9, 3));
    let mixed = latin.replace("paypal", "\u{440}\u{430}y\u{440}\u{430}l");
    let dir = TestDir::new("c23");
    dir.create("d/latin.txt", &latin);
    dir.create("d/mixed.txt", &mixed);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "near, not exact",
        &Value::from(false),
        &member(&out, "d/mixed.txt")["exact"],
    );
}

#[test]
fn c24_unspaced_scripts_use_character_windows() {
    let chinese = "市议会周二批准了新的城市预算，用于修建学校和医院。\
        市长表示，新桥将于明年春天开工，预计秋天完工。\
        沿海村庄的居民要求增加渡轮班次，并改善码头设施。\
        工会表示，在谈判结束之前不会举行罢工。";
    let chinese_edit = chinese.replace("明年春天", "今年夏天");
    let japanese = "東京都の天気は晴れです。明日は各地で雨が降る見込みで、\
        気象庁は強風にも注意するよう呼びかけています。\
        週末には気温が下がり、北部では雪になる可能性があります。";
    pair_groups_other_apart("c24", chinese, &chinese_edit, japanese);
    // Two unrelated texts that share one punctuation-delimited run.
    let dir = TestDir::new("c24b");
    dir.create("d/a.txt", format!("{japanese}東京都の天気は晴れです。"));
    dir.create("d/b.txt", format!("{chinese}東京都の天気は晴れです。"));
    let out = json(&dir, &["d"]);
    out.expect_code(0);
}

#[test]
fn c25_arabic_and_devanagari_are_not_shattered() {
    let arabic = "وافق مجلس المدينة يوم الثلاثاء على ميزانية جديدة لبناء المدارس والمستشفيات. \
        وقال رئيس البلدية إن العمل في الجسر الجديد سيبدأ في الربيع وينتهي قبل الخريف. \
        وطالب سكان القرى الساحلية بزيادة رحلات العبارات وتحسين الموانئ الصغيرة.";
    let arabic_other = "افتتح المتحف الوطني معرضا جديدا للفن الحديث بحضور عدد كبير من الزوار. \
        وقالت مديرة المتحف إن المعرض سيستمر ثلاثة أشهر ويضم أعمالا من عشرين بلدا. \
        وأضافت أن الدخول سيكون مجانيا للطلاب والمعلمين طوال فترة المعرض.";
    let edit = arabic.replace("الربيع", "الصيف");
    pair_groups_other_apart("c25", arabic, &edit, arabic_other);
    let hindi = "नगर परिषद ने मंगलवार को स्कूलों और अस्पतालों के लिए नया बजट मंज़ूर किया। \
        महापौर ने कहा कि नए पुल का काम वसंत में शुरू होगा और शरद से पहले पूरा होगा। \
        तटीय गाँवों के निवासियों ने नौका सेवाएँ बढ़ाने की माँग की।";
    let hindi_other = "राष्ट्रीय संग्रहालय ने आधुनिक कला की एक नई प्रदर्शनी शुरू की। \
        निदेशक ने बताया कि प्रदर्शनी तीन महीने चलेगी और इसमें बीस देशों की कृतियाँ हैं। \
        छात्रों और शिक्षकों के लिए प्रवेश पूरी अवधि में निःशुल्क रहेगा।";
    pair_groups_other_apart("c25b", hindi, &hindi.replace("वसंत", "गर्मी"), hindi_other);
}

#[test]
fn c26_c27_bidi_marks_and_case_folding() {
    let greek = "ΤΟ ΔΗΜΟΤΙΚΟ ΣΥΜΒΟΥΛΙΟ ΕΓΚΡΙΝΕ ΤΟΝ ΝΕΟ ΠΡΟΫΠΟΛΟΓΙΣΜΟ ΓΙΑ ΤΑ ΣΧΟΛΕΙΑ ΚΑΙ ΤΑ ΝΟΣΟΚΟΜΕΙΑ ΤΗΣ ΠΟΛΗΣ. \
        Ο ΔΗΜΑΡΧΟΣ ΔΗΛΩΣΕ ΟΤΙ Η ΓΕΦΥΡΑ ΘΑ ΞΕΚΙΝΗΣΕΙ ΤΗΝ ΑΝΟΙΞΗ ΚΑΙ ΘΑ ΤΕΛΕΙΩΣΕΙ ΠΡΙΝ ΑΠΟ ΤΟ ΦΘΙΝΟΠΩΡΟ.";
    let dir = TestDir::new("c27");
    dir.create("d/upper.txt", greek);
    dir.create("d/lower.txt", greek.to_lowercase());
    // Right-to-left marks around numbers change nothing.
    dir.create("d/marks.txt", greek.replace("ΤΟ ", "\u{200f}ΤΟ\u{200e} "));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "group",
        &one_group(&["d/lower.txt", "d/marks.txt", "d/upper.txt"]),
        &groups(&out),
    );
    // The marks change nothing: both score alike against the
    // representative. (The lowercased copy differs a little: a sentence
    // followed by a lowercase word is not ended there, by the Unicode
    // sentence rules, so a few windows span the old boundary.)
    let score = |path| member(&out, path)["jaccard"].clone();
    same("marks", &score("d/upper.txt"), &score("d/marks.txt"));
}

// c28 (normalizer output bounded, terminates on any input): the property
// tests in tests/properties.rs.

// --- C. Size and shape ----------------------------------------------------

#[test]
fn c29_c32_large_files_are_skipped_before_they_are_read() {
    let dir = TestDir::new("c29");
    dir.create("d/a.txt", article(10, 4));
    // A sparse 5 GiB file: no disk used, and it must not be read.
    let sparse = fs::File::create(dir.root.join("d/sparse.txt")).unwrap();
    sparse.set_len(5 << 30).unwrap();
    drop(sparse);
    // One line just over a lowered limit.
    dir.create("d/line.txt", "word ".repeat(3000));
    // (Not `run_checked`: its snapshot would read the 5 GiB.)
    let out = dir.run(&["scan", "d", "--max-bytes", "10000", "--format", "json"]);
    out.expect_code(0);
    same("too large", &2, &skipped(&out, "too_large"));
}

// c30/c31 (a file growing or shrinking while read): reads are bounded by
// --max-bytes + 1 whatever the file does, and no file is memory-mapped, so
// a truncation is a short read (see src/input.rs); not reproducible here
// without racing the reader.

#[test]
fn c33_c58_devices_sockets_and_proc_files() {
    let dir = TestDir::new("c33");
    dir.create("d/a.txt", article(11, 4));
    let _socket = std::os::unix::net::UnixListener::bind(dir.root.join("d/sock")).unwrap();
    // A socket inside a folder is skipped while walking.
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    same("not regular", &1, &skipped(&out, "not_regular"));
    // A device named on the command line is refused, never read forever.
    let out = json(&dir, &["d", "/dev/zero"]);
    out.expect_code(2).expect_stderr("/dev/zero");
    same(
        "kind",
        &Value::from("not_regular"),
        &out.json()["problems"][0]["kind"],
    );
    // A procfs file reports size 0 but has content: it is read to its end.
    let out = json(&dir, &["/proc/self/status", "--min-words", "1"]);
    out.expect_code(0);
    same("read", &1, &compared(&out));
}

// c34 (FIFO): problems.rs, fifo_in_a_folder_is_skipped_without_waiting.
// c35, c36, c37 (100,000 tiny files, 50,000 copies, a bucket storm): the
// load tests (load.rs, ignored; .ci/run runs them in release).

#[test]
fn c38_deep_nesting_and_paths_longer_than_path_max() {
    let dir = TestDir::new("c38");
    dir.create("d/a.txt", article(12, 4));
    // 400 levels, about 8,000 bytes of path: past PATH_MAX (4,096), so made
    // one level at a time from inside the previous one.
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            "cd d && for i in $(seq 400); do \
             mkdir nested-folder-level && cd nested-folder-level || exit 1; \
             done && cp \"$0\" deep.txt",
        )
        .arg(dir.root.join("d/a.txt"))
        .current_dir(&dir.root)
        .status()
        .unwrap();
    assert!(made.success());
    let out = dir.run(&["scan", "d", "--format", "json"]);
    // The walk does not overflow its stack; the part past PATH_MAX is a
    // problem naming the path.
    out.expect_code(2).expect_stderr("nested-folder-level");
    same("read", &1, &compared(&out));
    // `remove_dir_all` cannot go past PATH_MAX either; `rm` can.
    let removed = std::process::Command::new("rm")
        .arg("-rf")
        .arg(dir.root.join("d"))
        .status()
        .unwrap();
    assert!(removed.success());
}

// --- Matching ----------------------------------------------------------------

#[test]
fn c39_identical_files_are_an_exact_group() {
    let dir = TestDir::new("c39");
    dir.create("d/a.txt", article(13, 4));
    dir.create("d/b.txt", article(13, 4));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    let b = member(&out, "d/b.txt");
    same("exact", &Value::from(true), &b["exact"]);
    same("jaccard", &Value::from(1.0), &b["jaccard"]);
}

#[test]
fn c40_half_prefix_is_a_teaser_by_containment_only() {
    let dir = TestDir::new("c40");
    dir.create("d/full.txt", article(14, 8));
    dir.create("d/half.txt", article(14, 4));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    let half = member(&out, "d/half.txt");
    assert!(half["jaccard"].as_f64().unwrap() < 0.6, "{half}");
    same("containment", &Value::from(1.0), &half["containment"]);
    // A resemblance-only run (containment out of reach) keeps them apart.
    let out = json(&dir, &["d", "--containment", "1", "--threshold", "0.8"]);
    assert!(out.code <= 1, "{}", out.explain("unexpected error"));
}

#[test]
fn c42_chained_group_shows_each_score_against_the_representative() {
    // A ≈ B and B ≈ C, but A and C share too little: one group, and C's
    // score against the representative shows the chain.
    let sentences: Vec<String> = (0..14)
        .map(|i| article(100 + i, 1).lines().nth(2).unwrap().to_string())
        .collect();
    let text = |range: std::ops::Range<usize>| sentences[range].join("\n") + "\n";
    let dir = TestDir::new("c42");
    dir.create("d/a.txt", text(0..10));
    dir.create("d/b.txt", text(2..12));
    dir.create("d/c.txt", text(4..14));
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    same(
        "one chained group",
        &one_group(&["d/a.txt", "d/b.txt", "d/c.txt"]),
        &groups(&out),
    );
    let rep = out.json()["groups"][0]["representative"].clone();
    let scores: Vec<f64> = ["d/a.txt", "d/b.txt", "d/c.txt"]
        .iter()
        .filter(|p| rep != **p)
        .map(|p| member(&out, p)["jaccard"].as_f64().unwrap())
        .collect();
    assert!(
        scores.iter().any(|&j| j < 0.5) || rep == "d/b.txt",
        "the chain is not visible in {scores:?} (representative {rep})"
    );
}

// --- D. Filesystem and traversal -------------------------------------------

#[test]
fn c43_unreadable_file_as_an_unprivileged_user() {
    let dir = TestDir::new("c43");
    dir.create("d/a.txt", article(15, 4));
    dir.create("d/b.txt", article(15, 4));
    let locked = dir.create("d/locked.txt", article(16, 4));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(run) = Run::new(&dir.root, &["scan", "d", "--format", "json"]).by_nobody() else {
        eprintln!("c43: skipped, cannot run as an unprivileged user here");
        return;
    };
    let out = run.output();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    out.expect_code(2).expect_stderr("d/locked.txt");
    same(
        "kind",
        &Value::from("permission_denied"),
        &out.json()["problems"][0]["kind"],
    );
    same("group", &one_group(&["d/a.txt", "d/b.txt"]), &groups(&out));
}

#[test]
fn c44_unreadable_folder_as_an_unprivileged_user() {
    let dir = TestDir::new("c44");
    dir.create("d/a.txt", article(17, 4));
    dir.create("d/b.txt", article(17, 4));
    let locked = dir.mkdir("d/locked");
    dir.create("d/locked/c.txt", article(18, 4));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let Some(run) = Run::new(&dir.root, &["scan", "d", "--format", "json"]).by_nobody() else {
        eprintln!("c44: skipped, cannot run as an unprivileged user here");
        return;
    };
    let out = run.output();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    out.expect_code(2).expect_stderr("d/locked");
    same("group", &one_group(&["d/a.txt", "d/b.txt"]), &groups(&out));
}

// c45 (missing path), c46 (no documents): exit.rs. c47 (link loop), c50
// (link to a file), c51 (path doubles), c52 (hard links): determinism.rs.

#[test]
fn c48_symlink_maze_ends_with_each_file_read_once() {
    let dir = TestDir::new("c48");
    dir.create("d/x/a.txt", article(19, 4));
    dir.create("d/y/b.txt", article(20, 4));
    // Each folder links to the other's parent and to the root.
    dir.symlink("../y", "d/x/to-y");
    dir.symlink("../x", "d/y/to-x");
    dir.symlink("..", "d/x/up");
    dir.symlink("../..", "d/y/root");
    let out = json(&dir, &["d", "--follow"]);
    assert!(out.code == 0 || out.code == 2, "{}", out.explain("code"));
    same("each file once", &2, &compared(&out));
}

#[test]
fn c49_broken_symlinks() {
    let dir = TestDir::new("c49");
    dir.create("d/a.txt", article(21, 4));
    dir.symlink("nowhere.txt", "d/broken.txt");
    // Inside a folder, not followed: not an error.
    let out = json(&dir, &["d"]);
    out.expect_code(0);
    // Followed: reported.
    let out = json(&dir, &["d", "--follow"]);
    out.expect_code(2).expect_stderr("d/broken.txt");
    // Named as an argument: reported.
    let out = json(&dir, &["d/broken.txt", "d/a.txt"]);
    out.expect_code(2).expect_stderr("d/broken.txt");
}

#[test]
fn c56_c57_unusual_file_names_are_read_and_escaped() {
    let dir = TestDir::new("c56");
    let text = article(22, 4);
    let latin1_name = std::ffi::OsStr::from_bytes(b"d/caf\xe9.txt");
    fs::create_dir_all(dir.root.join("d")).unwrap();
    fs::write(dir.root.join(latin1_name), &text).unwrap();
    dir.create("d/new\nline.txt", &text);
    dir.create("d/-dash.txt", &text);
    let out = json(&dir, &["d"]);
    out.expect_code(1);
    let group = &groups(&out)[0];
    same("all three read", &3, &group.len());
    assert!(group.contains(&"d/new\nline.txt".to_string()), "{group:?}");
    assert!(group.iter().any(|p| p.contains('\u{fffd}')), "{group:?}");
    let table = dir.run_checked(&["scan", "d"]);
    assert!(
        table.stdout.contains("new\\u{a}line.txt"),
        "{}",
        table.explain("the newline in a name must be escaped in the table")
    );
    // A name starting with a dash, after `--`.
    let out = dir.run_checked(&["scan", "--format", "json", "--", "d/-dash.txt", "d/caf"]);
    out.expect_code(2).expect_stderr("d/caf");
}

/// Runs a scan that pauses between its two reads (a debug-build hook), lets
/// `change` act on the folder, then lets it finish.
fn scan_with_change_between_reads(dir: &TestDir, change: impl FnOnce(&Path)) -> Output {
    let go = dir.root.join("go");
    let run = Run::new(&dir.root, &["scan", "d", "--format", "json"])
        .env("NEWSDEDUP_TEST_PAUSE", &go)
        .spawn();
    wait_for(&dir.root.join("go.paused"));
    change(&dir.root.join("d"));
    fs::write(&go, b"").unwrap();
    let (_, out) = run.finish();
    assert!(!out.stderr.contains("panicked at"), "{}", out.stderr);
    out
}

#[test]
fn c54_c55_files_that_vanish_or_change_kind_mid_run() {
    let dir = TestDir::new("c54");
    // Near copies (one paragraph more), so both are read again to be
    // scored; identical copies would be grouped by their first read alone.
    for (name, seed) in [("a", 23), ("b", 24), ("c", 25), ("e", 26)] {
        dir.create(&format!("d/{name}1.txt"), article(seed, 5));
        dir.create(&format!("d/{name}2.txt"), article(seed, 6));
    }
    let out = scan_with_change_between_reads(&dir, |d| {
        fs::remove_file(d.join("a1.txt")).unwrap();
        fs::remove_file(d.join("b1.txt")).unwrap();
        fs::create_dir(d.join("b1.txt")).unwrap();
        fs::write(d.join("c1.txt"), article(99, 5)).unwrap();
    });
    same("exit", &2, &out.code);
    let report = out.json();
    let kinds: Vec<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let paths: Vec<&str> = kinds.iter().map(|(p, _)| p.as_str()).collect();
    same(
        "problems",
        &vec!["d/a1.txt", "d/b1.txt", "d/c1.txt"],
        &paths,
    );
    same("vanished", &"not_found".to_string(), &kinds[0].1);
    for path in ["d/a1.txt", "d/b1.txt", "d/c1.txt"] {
        out.expect_stderr(path);
    }
    // The untouched pair still groups.
    same(
        "group",
        &one_group(&["d/e1.txt", "d/e2.txt"]),
        &out.groups(),
    );
}

#[test]
fn c54_file_made_unreadable_mid_run() {
    let dir = TestDir::new("c54b");
    dir.create("d/a1.txt", article(40, 5));
    dir.create("d/a2.txt", article(40, 6));
    dir.create("d/b1.txt", article(41, 5));
    dir.create("d/b2.txt", article(41, 6));
    let go = dir.root.join("go");
    let Some(run) = Run::new(&dir.root, &["scan", "d", "--format", "json"])
        .env("NEWSDEDUP_TEST_PAUSE", &go)
        .by_nobody()
    else {
        eprintln!("c54b: skipped, cannot run as an unprivileged user here");
        return;
    };
    // The unprivileged run must be able to create its marker.
    fs::set_permissions(&dir.root, fs::Permissions::from_mode(0o777)).unwrap();
    let running = run.spawn();
    wait_for(&dir.root.join("go.paused"));
    let locked = dir.root.join("d/a1.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::write(&go, b"").unwrap();
    let (_, out) = running.finish();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&dir.root, fs::Permissions::from_mode(0o755)).unwrap();
    out.expect_code(2).expect_stderr("d/a1.txt");
    same(
        "group",
        &one_group(&["d/b1.txt", "d/b2.txt"]),
        &out.groups(),
    );
}

// --- E. JSON Lines and standard input ----------------------------------------

/// A JSON Lines record holding `text`.
fn record(text: &str) -> String {
    format!("{}\n", serde_json::json!({ "text": text }))
}

/// The problems of a JSON report as (path, line, kind, detail).
fn problems(out: &Output) -> Vec<(String, Option<u64>, String, String)> {
    out.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["line"].as_u64(),
                p["kind"].as_str().unwrap().to_string(),
                p["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn c59_malformed_jsonl_line_is_named_and_the_rest_read() {
    let dir = TestDir::new("c59");
    let text = article(40, 4);
    let input = format!("{}{{oops\n{}", record(&text), record(&text));
    dir.create("in.jsonl", input);
    let out = json(&dir, &["in.jsonl"]);
    out.expect_code(2).expect_stderr("in.jsonl:2: invalid JSON");
    same("lines 1 and 3 grouped", &2, &compared(&out));
    same("one group", &1, &groups(&out).len());
    let found = problems(&out);
    same(
        "problem",
        &("in.jsonl", Some(2), "invalid_record"),
        &(found[0].0.as_str(), found[0].1, found[0].2.as_str()),
    );
}

#[test]
fn c60_missing_or_mistyped_text_field_names_field_and_type() {
    let dir = TestDir::new("c60");
    let input = [
        r#"{"id": 1}"#,
        r#"{"text": null}"#,
        r#"{"text": 123}"#,
        r#"{"text": ["a list"]}"#,
    ]
    .join("\n");
    dir.create("in.jsonl", input + "\n" + &record(&article(41, 4)));
    let out = json(&dir, &["in.jsonl"]);
    out.expect_code(2);
    let details: Vec<(Option<u64>, String)> =
        problems(&out).into_iter().map(|p| (p.1, p.3)).collect();
    same(
        "one problem per line",
        &vec![
            (Some(1), "no field `text`".to_string()),
            (Some(2), "field `text` is null, not a string".to_string()),
            (
                Some(3),
                "field `text` is a number, not a string".to_string(),
            ),
            (
                Some(4),
                "field `text` is an array, not a string".to_string(),
            ),
        ],
        &details,
    );
    same("the good line read", &1, &compared(&out));
}

#[test]
fn c61_escapes_control_bytes_and_invalid_utf8() {
    let dir = TestDir::new("c61");
    let text = article(42, 4);
    let mut input = Vec::new();
    // A \u0000 escape is valid text, not a binary file.
    input.extend(record(&format!("{text}\0")).into_bytes());
    input.extend(record(&text).into_bytes());
    input.extend(br#"{"text": "lone \ud800 surrogate"}"#);
    input.extend(b"\n{\"text\": \"raw \x01 control\"}\n");
    input.extend(b"{\"text\": \"bad \xff byte\"}\n");
    dir.create("in.jsonl", input);
    let out = json(&dir, &["in.jsonl"]);
    out.expect_code(2);
    same("escaped NUL grouped", &1, &groups(&out).len());
    let found = problems(&out);
    let lines: Vec<Option<u64>> = found.iter().map(|p| p.1).collect();
    same("failed lines", &vec![Some(3), Some(4), Some(5)], &lines);
    assert!(
        found[0].3.contains("not a valid character"),
        "{}",
        out.explain("a lone surrogate gets a clear message")
    );
}

#[test]
fn c62_bom_crlf_blank_lines_and_no_final_newline() {
    let dir = TestDir::new("c62");
    let text = article(43, 4);
    let one = record(&text);
    let input = format!("\u{feff}{}\r\n\r\n   \n{}", one.trim_end(), one.trim_end());
    dir.create("in.jsonl", input);
    let out = json(&dir, &["in.jsonl"]);
    out.expect_code(1);
    same(
        "both records",
        &one_group(&["in.jsonl", "in.jsonl"]),
        &groups(&out),
    );
    same("lines", &Value::from(4), &member_line(&out, 1));
}

/// The line of the `n`th member of the first group.
fn member_line(out: &Output, n: usize) -> Value {
    out.json()["groups"][0]["members"][n]["line"].clone()
}

#[test]
fn c63_truncated_last_line_fails_alone() {
    let dir = TestDir::new("c63");
    let text = article(44, 4);
    let whole = record(&text).repeat(3);
    dir.create("in.jsonl", &whole[..whole.len() - 20]);
    let out = json(&dir, &["in.jsonl"]);
    out.expect_code(2)
        .expect_stderr("in.jsonl:3: invalid JSON: EOF");
    same("earlier records kept", &2, &compared(&out));
}

#[test]
fn c64_arrays_and_two_objects_on_a_line_are_explained() {
    let dir = TestDir::new("c64");
    let text = article(45, 4);
    let array = format!("[{}]\n", record(&text).trim_end());
    dir.create("array.jsonl", array);
    let two = format!("{} {}", record(&text).trim_end(), record(&text));
    dir.create("two.jsonl", two);
    let out = json(&dir, &["array.jsonl", "two.jsonl"]);
    out.expect_code(2)
        .expect_stderr("array.jsonl:1: expected one JSON object per line, got an array")
        .expect_stderr("two.jsonl:1: invalid JSON: trailing characters");
    // `.jsonl.gz`: decompressed on the fly, see inputs.rs.
}

#[test]
fn c65_duplicate_ids_and_a_line_over_the_limit() {
    let dir = TestDir::new("c65");
    let text = article(46, 4);
    let same_id = |text: &str| format!("{}\n", serde_json::json!({"id": "x", "text": text}));
    let long = "word ".repeat(2_000);
    let input = same_id(&text) + &same_id(&long) + &same_id(&text);
    dir.create("in.jsonl", input);
    let out = dir.run_checked(&["scan", "in.jsonl", "--max-bytes", "5000", "--verbose"]);
    out.expect_code(1)
        .expect_stderr("in.jsonl:2: skipped: larger than --max-bytes");
    let out = json(&dir, &["in.jsonl", "--max-bytes", "5000"]);
    // Records are told apart by line, whatever their ids.
    same("both x read", &2, &compared(&out));
    same("skipped", &1, &skipped(&out, "too_large"));
}

#[test]
fn c66_standard_input_only_when_asked() {
    let dir = TestDir::new("c66");
    dir.create("d/a.txt", article(47, 4));
    // `-` with an empty standard input: one empty article, skipped.
    let out = json(&dir, &["-", "d"]);
    out.expect_code(0);
    same("empty stdin skipped", &1, &skipped(&out, "empty"));
    // No path at all: a usage error, never a read of standard input.
    let out = dir.run(&["scan"]);
    out.expect_code(2).expect_stderr("Usage");
    // A standard input that never closes is not read unless asked: the
    // run ends (the harness fails a run that hangs).
    let out = Run::new(&dir.root, &["scan", "d", "--format", "json"])
        .stdin_open()
        .output();
    out.expect_code(0);
}

#[test]
fn c54_listed_path_that_does_not_exist() {
    let dir = TestDir::new("c54-list");
    dir.create("d/a.txt", article(48, 4));
    dir.create("d/-dash.txt", article(48, 4));
    dir.create("list", "d/a.txt\0d/gone.txt\0d/-dash.txt\0");
    let out = json(&dir, &["--files-from", "list", "-0"]);
    out.expect_code(2).expect_stderr("d/gone.txt");
    same(
        "the rest grouped (a name starting with a dash too)",
        &one_group(&["d/-dash.txt", "d/a.txt"]),
        &groups(&out),
    );
}

// --- F. Output and process faults ---------------------------------------------

// c67 (closed pipe) and c68 (/dev/full): output.rs.

#[test]
fn c72_closed_stdout_keeps_the_verdict() {
    let dir = TestDir::new("c72");
    dir.create("d/a.txt", article(50, 4));
    dir.create("d/b.txt", article(50, 4));
    let bin = env!("CARGO_BIN_EXE_newsdedup");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{bin}' scan d >&-"))
        .current_dir(&dir.root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    same("verdict", &Some(1), &out.status.code());
}

#[test]
fn c73_c74_interrupt_and_terminate_stop_with_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    for (signal, number) in [("INT", 2), ("TERM", 15)] {
        let dir = TestDir::new("c73");
        dir.create("d/a.txt", article(51, 4));
        dir.create("d/b.txt", article(51, 4));
        let before = dir.snapshot();
        let go = dir.root.join("go");
        let running = Run::new(&dir.root, &["scan", "d"])
            .env("NEWSDEDUP_TEST_PAUSE", &go)
            .spawn();
        wait_for(&dir.root.join("go.paused"));
        running.signal(signal);
        let (status, out) = running.finish();
        // Death by the signal: a shell reports 128 + its number (130, 143).
        same(signal, &Some(number), &status.signal());
        assert!(out.stdout.is_empty(), "{}", out.explain("printed a report"));
        fs::remove_file(dir.root.join("go.paused")).unwrap();
        crate::harness::unchanged(&before, &dir.snapshot());
    }
}

#[test]
fn c75_no_progress_or_colour_when_stderr_is_not_a_terminal() {
    let dir = TestDir::new("c75");
    for i in 0..30 {
        dir.create(&format!("d/{i}.txt"), article(60 + i % 20, 4));
    }
    let out = dir.run_checked(&["scan", "d"]);
    out.expect_code(1);
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\r'),
        "{}",
        out.explain("escape codes or progress on a non-terminal stderr")
    );
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

// c76 (determinism across runs, threads, orders): determinism.rs.

#[test]
fn a_bug_is_an_internal_error_with_status_2() {
    let dir = TestDir::new("panic");
    dir.create("d/a.txt", article(70, 4));
    let out = Run::new(&dir.root, &["scan", "d"])
        .env("NEWSDEDUP_TEST_PANIC", "1")
        .output();
    out.expect_code(2).expect_stderr("internal error");
}

#[test]
fn tests_run_as_root_still_check_permissions() {
    // Documents how the permission cases above run: as `nobody` under root.
    if is_root() {
        assert!(
            Path::new("/usr/sbin/runuser").exists(),
            "runuser is needed to run permission cases as an unprivileged user"
        );
    }
}
