//! Property: the default Markdown fits a GitHub comment (65,536 characters)
//! whatever the worklog, keeps its first screen, and says what it left out;
//! the complete version leaves nothing out.

use std::collections::BTreeMap;

use gardener_prioritize::Priority;
use gardener_report::{
    render_markdown, render_markdown_with, ExceptionSummary, RenderOptions, RepresentativeEntry,
    ResolvedCluster, ValueCount, Worklog, GITHUB_BODY_LIMIT,
};
use proptest::prelude::*;

use crate::fixtures;
use crate::shape::skeleton;

/// How a worklog is made large: how many of what, how long.
#[derive(Debug, Clone)]
struct Shape {
    clusters: usize,
    text_len: usize,
    word: &'static str,
    reasons: usize,
    kinds: usize,
    values: usize,
    frames: usize,
    entry_len: usize,
    instances: usize,
    incident_every: usize,
    resolved: usize,
    errors: usize,
}

fn shape() -> impl Strategy<Value = Shape> {
    let word = prop::sample::select(vec![
        "word ",
        "a&b ",
        "@x ",
        "|",
        "`",
        "é€😀 ",
        "<b>",
        "x",
        "\n",
        "[x](y) ",
    ]);
    (
        (
            1usize..150,
            0usize..1500,
            word,
            0usize..12,
            0usize..6,
            0usize..8,
        ),
        (
            0usize..40,
            0usize..17_000,
            0usize..40,
            0usize..6,
            0usize..120,
            0usize..30,
        ),
    )
        .prop_map(
            |(
                (clusters, text_len, word, reasons, kinds, values),
                (frames, entry_len, instances, incident_every, resolved, errors),
            )| Shape {
                clusters,
                text_len,
                word,
                reasons,
                kinds,
                values,
                frames,
                entry_len,
                instances,
                incident_every,
                resolved,
                errors,
            },
        )
}

fn long(shape: &Shape, i: usize) -> String {
    let repeat = shape.text_len / shape.word.len().max(1) + 1;
    format!("{i} {}", shape.word.repeat(repeat))
        .chars()
        .take(shape.text_len.max(2))
        .collect()
}

fn values(n: usize, text: &str) -> Vec<ValueCount> {
    (0..n)
        .map(|i| ValueCount {
            value: format!("{i}{text}"),
            count: i as u64 + 1,
        })
        .collect()
}

/// The fixture's clusters copied `shape.clusters` times, every text and list
/// made as long as the shape says.
fn large(shape: &Shape) -> Worklog {
    let mut worklog = fixtures::worklog();
    let base = worklog.clusters.clone();
    worklog.clusters = (0..shape.clusters)
        .map(|i| {
            let mut cluster = base[i % base.len()].clone();
            let text = long(shape, i);
            let short: String = text.chars().take(200).collect();
            cluster.rank = i + 1;
            cluster.fingerprint = format!("v1:{i:016x}");
            cluster.priority = Priority::ALL[i % Priority::ALL.len()];
            cluster.title = text.clone();
            cluster.template = format!("{text} <num> <id>");
            cluster.reasons = (0..shape.reasons).map(|r| format!("{r} {text}")).collect();
            cluster.next_step = text.clone();
            cluster.variables = (0..shape.kinds)
                .map(|k| (format!("kind{k}{}", shape.word), values(shape.values, &short)))
                .collect::<BTreeMap<_, _>>();
            cluster.instances = values(shape.instances.min(10), &short);
            cluster.instance_count = shape.instances;
            cluster.instances_truncated = shape.instances > 32;
            cluster.services = values(3, &text);
            cluster.revisions = values(4, &text);
            cluster.call_sites = values(5, &text);
            cluster.exception = (shape.frames > 0).then(|| ExceptionSummary {
                kind: text.clone(),
                message: text.clone(),
                frames: (0..shape.frames).map(|f| format!("{f} {short}")).collect(),
            });
            cluster.representative = Some(RepresentativeEntry {
                insert_id: text.clone(),
                timestamp: cluster.last_seen,
                json: serde_json::json!({ "textPayload": "x".repeat(shape.entry_len), "labels": { "k": text } })
                    .to_string(),
            });
            cluster.incident = (shape.incident_every > 0).then_some(i / shape.incident_every.max(1) + 1);
            cluster
        })
        .collect();
    worklog.resolved = (0..shape.resolved)
        .map(|i| ResolvedCluster {
            fingerprint: format!("v1:{i:016x}"),
            priority: Priority::P1,
            category: base[0].category,
            title: long(shape, i),
            count: 3,
            last_seen: None,
        })
        .collect();
    worklog.input.errors = (0..shape.errors).map(|i| long(shape, i)).collect();
    worklog.input.entries_skipped = shape.errors as u64 * 3;
    worklog.sources = (0..shape.errors).map(|i| long(shape, i)).collect();
    worklog.services = values(shape.errors, &long(shape, 0));
    worklog
}

fn check(worklog: &Worklog) -> Result<(), TestCaseError> {
    let markdown = render_markdown(worklog);
    prop_assert!(
        markdown.len() <= GITHUB_BODY_LIMIT,
        "{} bytes",
        markdown.len()
    );
    let first_screen: Vec<&str> = markdown.lines().take(40).collect();
    prop_assert!(first_screen
        .iter()
        .any(|l| l.starts_with("# Log Gardener Worklog")));
    prop_assert!(first_screen.contains(&"## What to do, most urgent first"));
    let problems = worklog.clusters.iter().any(|c| c.priority < Priority::P4);
    if problems {
        prop_assert!(
            first_screen.iter().any(|l| l.starts_with("| 1 | ")),
            "{}",
            first_screen.join("\n")
        );
    }
    let tokens = skeleton(&markdown);
    prop_assert!(!tokens.contains(&"unclosed-fence".to_owned()));
    let opened = markdown.lines().filter(|l| *l == "<details>").count();
    let closed = markdown.lines().filter(|l| *l == "</details>").count();
    prop_assert_eq!(opened, closed);

    let complete = render_markdown_with(worklog, &RenderOptions::default().complete(true));
    // Problems' summaries are numbered; routine clusters' (complete only) are not.
    let summaries = |doc: &str| {
        doc.lines()
            .filter(|l| {
                l.strip_prefix("<summary><b>")
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            })
            .count()
    };
    let left_out = summaries(&markdown) < summaries(&complete);
    let noted = markdown.contains("**Left out to stay within 65,536 characters**");
    prop_assert_eq!(
        left_out,
        markdown.contains("the details of problem"),
        "{}",
        markdown
    );
    if left_out || markdown.contains("*Shortened to fit") {
        prop_assert!(noted, "{}", markdown);
    }
    if !noted {
        prop_assert!(!complete.contains("**Left out"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn the_default_markdown_fits_a_github_comment(shape in shape()) {
        check(&large(&shape))?;
    }
}

#[test]
fn two_thousand_problems_fit_and_the_rest_is_named() {
    let shape = Shape {
        clusters: 2000,
        text_len: 300,
        word: "word ",
        reasons: 3,
        kinds: 2,
        values: 3,
        frames: 5,
        entry_len: 2000,
        instances: 7,
        incident_every: 0,
        resolved: 50,
        errors: 3,
    };
    let worklog = large(&shape);
    let markdown = render_markdown(&worklog);
    assert!(markdown.len() <= GITHUB_BODY_LIMIT, "{}", markdown.len());
    assert!(
        markdown.contains("**Left out to stay within 65,536 characters** (a GitHub comment): the details of problems "),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("Not in this table: 1575 more problems (375 P0, 400 P1, 400 P2, 400 P3)."),
        "{markdown}"
    );
    check(&worklog).expect("the properties hold");
}

#[test]
fn a_small_worklog_leaves_nothing_out() {
    let markdown = render_markdown(&fixtures::worklog());
    assert!(!markdown.contains("Left out"), "{markdown}");
    assert!(!markdown.contains("Shortened"), "{markdown}");
}
