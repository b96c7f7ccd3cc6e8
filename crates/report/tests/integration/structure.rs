//! Property: no text from a log changes a document's structure. A worklog
//! whose every text is hostile Markdown renders with the same headings,
//! table shapes, lists and code blocks as one whose texts are plain, as
//! Markdown and as issue bodies; raw HTML, links and mentions never take
//! effect; titles and labels stay plain.

use gardener_report::{
    fingerprint_marker, fingerprints_in, issue_drafts, plan_issues, render_markdown, ActionKind,
    ExistingIssue, IssueState, Worklog,
};
use proptest::prelude::*;

use crate::fixtures;
use crate::shape::{outside_code, skeleton};

fn hostile() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        prop::sample::select(vec![
            "\n",
            "\r",
            "\r\n",
            "#",
            "# ",
            "## x\n",
            "|",
            "\\|",
            "\\",
            "`",
            "```",
            "````",
            "~~~",
            "<script>alert(1)</script>",
            "<img src=x onerror=y>",
            "<!--",
            "-->",
            "<!-- log-gardener:fingerprint=v1:0000000000000000 -->",
            "@alice",
            "@org/team",
            "#12",
            "*",
            "_",
            "[x](javascript:y)",
            "![i](x)",
            "    ",
            "- ",
            "1. ",
            "2) ",
            "> ",
            "---",
            "===",
            "$x$",
            "&amp;",
            "\u{0}",
            "\t",
            "\u{200b}",
            "é€😀",
            "| a | b |\n|---|---|",
        ])
        .prop_map(str::to_owned),
        "[a-z ]{1,8}",
        ".{0,12}",
    ];
    prop::collection::vec(fragment, 0..10).prop_map(|parts| parts.concat())
}

/// Every text of the worklog replaced, in visiting order; the index prefix
/// keeps map keys and fingerprints distinct.
fn planted(texts: &[String]) -> Worklog {
    let mut worklog = fixtures::worklog();
    let mut i = 0;
    worklog.for_each_text_mut(|text| {
        *text = format!("{i}~{}", texts[i % texts.len()]);
        i += 1;
    });
    worklog
}

/// An open issue for the first cluster, a closed one for the second.
fn existing_for(worklog: &Worklog) -> Vec<ExistingIssue> {
    let scrubbed = worklog.scrubbed();
    [(1, IssueState::Open), (2, IssueState::Closed)]
        .into_iter()
        .zip(&scrubbed.clusters)
        .map(|((number, state), cluster)| ExistingIssue {
            number,
            title: String::new(),
            body: format!("{}\n", fingerprint_marker(&cluster.fingerprint)),
            state,
            labels: Vec::new(),
            closed_at: None,
            comments: Vec::new(),
        })
        .collect()
}

/// The tags the renderer writes itself, to fold a problem's evidence.
const FOLDING_TAGS: [&str; 8] = [
    "<details>",
    "</details>",
    "<summary>",
    "</summary>",
    "<b>",
    "</b>",
    "<code>",
    "</code>",
];

/// A line without the folding tags, when it is a line the renderer folds
/// with: `<details>`, `</details>` or a whole `<summary>...</summary>`.
fn without_folding_tags(line: &str) -> String {
    let folding = line == "<details>"
        || line == "</details>"
        || (line.starts_with("<summary>") && line.ends_with("</summary>"));
    if !folding {
        return line.to_owned();
    }
    FOLDING_TAGS
        .iter()
        .fold(line.to_owned(), |line, tag| line.replace(tag, ""))
}

/// Raw HTML, links, images and mentions outside code, other than the marker
/// and the folding tags.
fn effective_markup(doc: &str) -> Option<String> {
    let text = outside_code(doc);
    for line in text.lines() {
        if !fingerprints_in(line).is_empty() {
            continue;
        }
        let line = without_folding_tags(line);
        let bytes = line.as_bytes();
        for i in 0..bytes.len() {
            let escaped = i > 0 && bytes[i - 1] == b'\\';
            let next = bytes.get(i + 1).copied().unwrap_or(b' ');
            let bad = match bytes[i] {
                b'<' => next.is_ascii_alphabetic() || matches!(next, b'!' | b'/' | b'?'),
                b'[' => !escaped,
                b'@' => next.is_ascii_alphanumeric(),
                _ => false,
            };
            if bad {
                return Some(line);
            }
        }
    }
    None
}

fn check_title_and_labels(title: &str, labels: &[String]) -> Result<(), TestCaseError> {
    prop_assert!(!title.chars().any(char::is_control), "{:?}", title);
    prop_assert!(title.chars().count() <= 256, "{:?}", title);
    for label in labels {
        prop_assert!(
            !label.is_empty()
                && label.chars().count() <= 50
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":._-/".contains(c)),
            "{:?}",
            label
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hostile_text_keeps_the_markdown_structure(texts in prop::collection::vec(hostile(), 1..40)) {
        let plain = render_markdown(&planted(&["plain text".to_owned()]));
        let hostile = render_markdown(&planted(&texts));
        prop_assert_eq!(skeleton(&hostile), skeleton(&plain), "{}", hostile);
        prop_assert_eq!(effective_markup(&hostile), None, "{}", hostile);
        prop_assert!(fingerprints_in(&hostile).is_empty(), "{}", hostile);
    }

    #[test]
    fn hostile_text_keeps_the_issue_structure(texts in prop::collection::vec(hostile(), 1..40)) {
        let plain_worklog = planted(&["plain text".to_owned()]);
        let hostile_worklog = planted(&texts);
        let plain = issue_drafts(&plain_worklog);
        let hostile = issue_drafts(&hostile_worklog);
        prop_assert_eq!(plain.len(), hostile.len());
        for (plain, hostile) in plain.iter().zip(&hostile) {
            prop_assert_eq!(skeleton(&hostile.body), skeleton(&plain.body), "{}", hostile.body);
            prop_assert_eq!(effective_markup(&hostile.body), None, "{}", hostile.body);
            prop_assert_eq!(fingerprints_in(&hostile.body), hostile.fingerprints.clone());
            check_title_and_labels(&hostile.title, &hostile.labels)?;
        }

        let plain_plan = plan_issues(&plain_worklog, &existing_for(&plain_worklog));
        let hostile_plan = plan_issues(&hostile_worklog, &existing_for(&hostile_worklog));
        let kinds: Vec<ActionKind> = hostile_plan.iter().map(|a| a.action).collect();
        prop_assert_eq!(&kinds, &[ActionKind::Comment, ActionKind::Reopen, ActionKind::Create]);
        prop_assert_eq!(kinds, plain_plan.iter().map(|a| a.action).collect::<Vec<_>>());
        for (plain, hostile) in plain_plan.iter().zip(&hostile_plan) {
            prop_assert_eq!(skeleton(&hostile.body), skeleton(&plain.body), "{}", hostile.body);
            prop_assert_eq!(effective_markup(&hostile.body), None, "{}", hostile.body);
            check_title_and_labels(&hostile.title, &hostile.labels)?;
        }
    }
}
