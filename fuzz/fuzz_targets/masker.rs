//! The masker over arbitrary text: every replacement is a range of the input
//! on character boundaries, and masking a masked text changes nothing.
#![no_main]

use gardener_fingerprint::{GroupKey, Masker};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let masker = Masker::new();
    let once = masker.mask(text);
    for replacement in &once.replacements {
        assert!(replacement.start < replacement.end && replacement.end <= text.len());
        assert!(text.is_char_boundary(replacement.start) && text.is_char_boundary(replacement.end));
    }
    let twice = masker.mask(&once.text);
    assert_eq!(twice.text, once.text, "masking is not idempotent on {text:?}");
    let _ = GroupKey::for_line(&masker, text).fingerprint();
});
