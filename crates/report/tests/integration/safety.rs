//! Properties: log text cannot change a document's structure, and secrets do
//! not survive into any output.

use gardener_report::{
    code_block, escape_markdown, inline_code, issue_drafts, plan_issues, render_markdown,
    scrub_secrets, ExistingIssue, IssueState,
};
use proptest::prelude::*;

use crate::fixtures;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Escaped text is one inline run: no line breaks, no raw HTML, no pipes that split a cell.
    #[test]
    fn escaped_text_stays_inline(text in ".{0,200}") {
        let escaped = escape_markdown(&text);
        prop_assert!(!escaped.contains('\n'));
        prop_assert!(!escaped.contains('\r'));
        prop_assert!(!escaped.contains('<'));
        let bare_pipes = escaped.match_indices('|').filter(|(i, _)| !escaped[..*i].ends_with('\\')).count();
        prop_assert_eq!(bare_pipes, 0);
    }

    /// A fenced block ends where it should, whatever backticks the text holds.
    #[test]
    fn code_blocks_cannot_be_closed_early(text in "[a-z`\n\r]{0,80}") {
        let block = code_block("text", &text);
        let fence: String = block.chars().take_while(|&c| c == '`').collect();
        let closing_lines = block.lines().skip(1).filter(|line| line.trim_start().starts_with(fence.as_str())).count();
        prop_assert_eq!(closing_lines, 1, "{}", block);
        let span = inline_code(&text);
        prop_assert!(!span.contains('\n') && !span.contains('\r'));
    }

    /// Scrubbing twice changes nothing, so renderers may scrub again.
    #[test]
    fn scrubbing_is_idempotent(text in "(.|Bearer |password=|eyJhbGciOi|://u:p@|-----BEGIN PRIVATE KEY-----){0,20}") {
        let once = scrub_secrets(&text).into_owned();
        prop_assert_eq!(scrub_secrets(&once), once.as_str());
    }

    /// A JWT, bearer token or URL password planted anywhere is gone after scrubbing.
    #[test]
    fn planted_secrets_are_removed(
        prefix in "[a-z ]{0,20}",
        suffix in "[a-z ]{0,20}",
        // Credentials after `Bearer`, `Basic` and `token` are told from prose
        // words by having a digit, a symbol or inner capitals; a real one does.
        secret in "[A-Za-z0-9]{11,29}[0-9]",
    ) {
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

/// A secret as it appears in a log line, and the parts of it that must not
/// appear in any output.
fn secret() -> impl Strategy<Value = (String, Vec<String>)> {
    let core = || "[A-Za-z0-9]{15,24}[0-9]";
    prop_oneof![
        (core(), core(), core())
            .prop_map(|(a, b, c)| (format!("eyJhbGciOi{a}.eyJzdWIi{b}.{c}"), vec![a, b, c])),
        core().prop_map(|t| (format!("Authorization: Bearer {t}"), vec![t])),
        core().prop_map(|t| (format!("authorization: basic {t}=="), vec![t])),
        core().prop_map(|p| (format!("postgres://app:{p}@10.0.0.5:5432/db"), vec![p])),
        core().prop_map(|p| (format!("login failed password={p} for bob"), vec![p])),
        core().prop_map(|p| (format!(r#"{{"client_secret": "{p}"}}"#), vec![p])),
        "[A-Z0-9]{16}".prop_map(|k| (format!("AKIA{k}"), vec![format!("AKIA{k}")])),
        "[A-Za-z0-9_-]{35}".prop_map(|k| (format!("AIza{k}"), vec![format!("AIza{k}")])),
        "[A-Za-z0-9]{36}".prop_map(|k| (format!("ghp_{k}"), vec![k])),
        "[A-Za-z0-9]{24}".prop_map(|k| (format!("sk_live_{k}"), vec![k])),
        (core(), core()).prop_map(|(a, b)| (
            format!("-----BEGIN RSA PRIVATE KEY-----\n{a}\n{b}\n-----END RSA PRIVATE KEY-----"),
            vec![a, b],
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A secret planted in any text of a worklog appears in no output: the
    /// Markdown worklog, its JSON, the issue drafts (titles, bodies, labels)
    /// or the issue plan.
    #[test]
    fn planted_secrets_appear_in_no_output(
        secrets in prop::collection::vec(secret(), 1..6),
        prefix in "[ -~]{0,12}",
        suffix in "[ -~]{0,12}",
    ) {
        let mut worklog = fixtures::worklog();
        let mut i = 0;
        worklog.for_each_text_mut(|text| {
            let (planted, _) = &secrets[i % secrets.len()];
            *text = format!("{i} {prefix} {planted} {suffix}");
            i += 1;
        });
        let existing: Vec<ExistingIssue> = Vec::from([ExistingIssue {
            number: 1,
            title: String::new(),
            body: String::new(),
            state: IssueState::Closed,
            labels: Vec::new(),
            closed_at: None,
            comments: Vec::new(),
        }]);
        let mut outputs = vec![render_markdown(&worklog), worklog.to_json()];
        for draft in issue_drafts(&worklog) {
            outputs.push(draft.title);
            outputs.push(draft.body);
            outputs.push(draft.labels.join(","));
        }
        let plan = plan_issues(&worklog, &existing);
        outputs.push(serde_json::to_string(&plan).expect("serializable"));
        for output in &outputs {
            for (planted, cores) in &secrets {
                for core in cores {
                    prop_assert!(!output.contains(core.as_str()), "{:?} survived in\n{}", planted, output);
                }
            }
        }
    }
}
