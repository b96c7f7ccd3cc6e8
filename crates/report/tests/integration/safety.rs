//! Properties: log text cannot change a document's structure, and secrets do not survive.

use gardener_report::{code_block, escape_markdown, inline_code, scrub_secrets};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Escaped text is one inline run: no line breaks, no raw HTML, no pipes that split a cell.
    #[test]
    fn escaped_text_stays_inline(text in ".{0,200}") {
        let escaped = escape_markdown(&text);
        prop_assert!(!escaped.contains('\n'));
        prop_assert!(!escaped.contains('<'));
        let bare_pipes = escaped.match_indices('|').filter(|(i, _)| !escaped[..*i].ends_with('\\')).count();
        prop_assert_eq!(bare_pipes, 0);
    }

    /// A fenced block ends where it should, whatever backticks the text holds.
    #[test]
    fn code_blocks_cannot_be_closed_early(text in "[a-z`\n]{0,80}") {
        let block = code_block("text", &text);
        let fence: String = block.chars().take_while(|&c| c == '`').collect();
        let closing_lines = block.lines().skip(1).filter(|line| line.trim_start().starts_with(fence.as_str())).count();
        prop_assert_eq!(closing_lines, 1, "{}", block);
        let span = inline_code(&text);
        prop_assert!(!span.contains('\n'));
    }

    /// A JWT, bearer token or URL password planted anywhere is gone after scrubbing.
    #[test]
    fn planted_secrets_are_removed(prefix in "[a-z ]{0,20}", suffix in "[a-z ]{0,20}", secret in "[A-Za-z0-9]{12,30}") {
        let jwt = format!("eyJhbGciOi{secret}.eyJzdWIi{secret}.{secret}");
        for planted in [
            format!("{prefix} {jwt} {suffix}"),
            format!("{prefix} Authorization: Bearer {secret} {suffix}"),
            format!("{prefix} https://user:{secret}@host/x {suffix}"),
            format!("{prefix} password={secret} {suffix}"),
        ] {
            let scrubbed = scrub_secrets(&planted);
            prop_assert!(!scrubbed.contains(&secret), "{} -> {}", planted, scrubbed);
        }
    }
}
