//! Fuzz target: any bytes through decode -> normalize -> shingle, checked by
//! `newsdedup::invariants::check_text_path`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    newsdedup::invariants::check_text_path(data);
});
