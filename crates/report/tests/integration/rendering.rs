//! The fixture worklog rendered: Markdown and JSON snapshots, JSON round trip.

use gardener_report::{render_markdown, Worklog, SCHEMA_VERSION};

use crate::fixtures;

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(
        "fixture_worklog_markdown",
        render_markdown(&fixtures::worklog())
    );
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("fixture_worklog_json", fixtures::worklog().to_json());
}

#[test]
fn json_round_trips() {
    let worklog = fixtures::worklog();
    let json = worklog.to_json();
    assert_eq!(Worklog::from_json(&json).expect("reads back"), worklog);
    assert_eq!(worklog.schema_version, SCHEMA_VERSION);
}

#[test]
fn optional_fields_are_omitted_when_empty() {
    let mut worklog = fixtures::worklog();
    worklog.resolved.clear();
    for cluster in &mut worklog.clusters {
        cluster.trend = None;
        cluster.incident = None;
    }
    let json = worklog.to_json();
    assert!(!json.contains("\"resolved\""), "{json}");
    assert!(!json.contains("\"trend\""), "{json}");
    assert!(!json.contains("\"incident\""), "{json}");
    assert_eq!(Worklog::from_json(&json).expect("reads back"), worklog);
    let markdown = render_markdown(&worklog);
    assert!(!markdown.contains("Resolved"), "{markdown}");
    assert!(!markdown.contains("Incident"), "{markdown}");
}

#[test]
fn trend_incidents_and_resolved_are_rendered() {
    let markdown = render_markdown(&fixtures::worklog());
    assert!(markdown.contains("- **Trend:** new"), "{markdown}");
    assert!(
        markdown.contains("**Incident 1** (P0 Boot failure): clusters 1, 2"),
        "{markdown}"
    );
    assert!(
        markdown.contains("## ✅ Resolved since the previous run"),
        "{markdown}"
    );
}

#[test]
fn the_markdown_keeps_the_seeds_sections() {
    let markdown = render_markdown(&fixtures::worklog());
    for heading in [
        "# Log Gardener Worklog: api",
        "## Executive Summary",
        "## Clusters",
        "### 🔴 Cluster 1: ",
        "### 🟠 Cluster 2: ",
        "### 🟡 Cluster 3: ",
        "## ⚪ Informational (P4)",
        "## Frequency",
        "## Severity Distribution",
        "## Priority Matrix",
        "## Next Steps",
    ] {
        assert!(
            markdown.lines().any(|line| line.starts_with(heading)),
            "missing {heading:?} in\n{markdown}"
        );
    }
    for fact in [
        "**Call site:** `app.auth:authenticate:438` (2)",
        "**Error groups:** `CJKUqdjnnpWwTQ` (3)",
        "`<duration>`: `0.51s` (1), `0.52s` (1)",
        "**Entries analyzed:** 55 read, 1 skipped as unreadable, 54 clustered into 4 clusters",
    ] {
        assert!(markdown.contains(fact), "missing {fact:?} in\n{markdown}");
    }
}
