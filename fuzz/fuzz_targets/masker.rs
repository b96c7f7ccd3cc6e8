//! The masker over arbitrary text: it never panics, every replacement is a
//! range of the input on character boundaries, and keys and fingerprints
//! follow. With `--features masker-idempotence`, also that masking a masked
//! text changes nothing (a property the masker's proptests state; see the
//! README's fuzzing section for the counterexample this target found).
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
    if cfg!(feature = "masker-idempotence") {
        let twice = masker.mask(&once.text);
        assert_eq!(
            twice.text, once.text,
            "masking is not idempotent on {text:?}"
        );
    }
    let _ = GroupKey::for_line(&masker, text).fingerprint();
});
