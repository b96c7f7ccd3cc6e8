//! The fixture worklog rendered: Markdown (default and complete) and JSON
//! snapshots, the JSON round trip, and the shape of the first screen.

use gardener_report::{
    render_markdown, render_markdown_with, RenderOptions, Status, Worklog, SCHEMA_VERSION,
};

use crate::fixtures;

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(
        "fixture_worklog_markdown",
        render_markdown(&fixtures::worklog())
    );
}

#[test]
fn complete_markdown_snapshot() {
    insta::assert_snapshot!(
        "fixture_worklog_complete_markdown",
        render_markdown_with(
            &fixtures::worklog(),
            &RenderOptions::default().complete(true)
        )
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
        cluster.status = None;
    }
    let json = worklog.to_json();
    for field in ["\"resolved\"", "\"trend\"", "\"incident\"", "\"status\""] {
        assert!(!json.contains(field), "{field} in {json}");
    }
    assert_eq!(Worklog::from_json(&json).expect("reads back"), worklog);
    let markdown = render_markdown(&worklog);
    assert!(!markdown.contains("Recovered"), "{markdown}");
    assert!(!markdown.contains("incident of"), "{markdown}");
}

#[test]
fn a_version_1_document_still_reads() {
    let mut json: serde_json::Value =
        serde_json::from_str(fixtures::WORKLOG_JSON).expect("the fixture is JSON");
    json["schema_version"] = 1.into();
    if let Some(input) = json["input"].as_object_mut() {
        input.remove("entries_joined");
    }
    for cluster in json["clusters"].as_array_mut().expect("clusters") {
        cluster.as_object_mut().expect("a cluster").remove("status");
    }
    let worklog = Worklog::from_json(&json.to_string()).expect("a version 1 worklog reads");
    assert_eq!(worklog.input.entries_joined, 0);
    assert!(worklog.clusters.iter().all(|c| c.status.is_none()));
}

#[test]
fn a_worklog_without_statuses_gets_them_from_its_times() {
    let mut worklog = fixtures::worklog();
    let stored: Vec<Option<Status>> = worklog.clusters.iter().map(|c| c.status).collect();
    for cluster in &mut worklog.clusters {
        cluster.status = None;
    }
    let derived: Vec<Option<Status>> = worklog
        .clusters
        .iter()
        .map(|c| Some(worklog.status(c)))
        .collect();
    assert_eq!(derived, stored);
    assert_eq!(
        render_markdown(&worklog),
        render_markdown(&fixtures::worklog())
    );
}

#[test]
fn the_first_screen_says_what_is_live_and_what_to_do() {
    let markdown = render_markdown(&fixtures::worklog());
    let first_screen: Vec<&str> = markdown.lines().take(40).collect();
    for start in [
        "# Log Gardener Worklog: api",
        "- **Input:** 55 entries from `fixture`; 1 was a line of a stack trace logged one line per entry, re-joined into its traceback; 1 record skipped as unreadable (listed under Input at the end); 54 events in 4 clusters.",
        "**Now:** 1 problem live (🔴 1 P0), 1 quiet; 1 cluster of the previous run recovered; routine lines (P4) in 1 cluster need nothing.",
        "## What to do, most urgent first",
        "| # | Priority | Problem | Status | Where | Entries | Next step |",
        "| 1 | 🔴 P0 Boot failure | `SyntaxError: f-string: unmatched '(' (in app.routes.ws)` +1 linked | **live**, last 00:28:25, new | `00589-g9x` | 12 | Fix the startup error",
        "| 2 | 🟡 P2 Dependency unreachable | `Auth unreachable after <duration> - preventing WebSocket timeout` | quiet since 23:38:08 | `00588-k2d` | 2 | Check the dependency",
    ] {
        assert!(
            first_screen.iter().any(|line| line.starts_with(start)),
            "the first 40 lines lack {start:?}:\n{}",
            first_screen.join("\n")
        );
    }
}

#[test]
fn each_problem_title_is_said_twice_in_the_table_and_its_summary() {
    let markdown = render_markdown(&fixtures::worklog());
    for title in [
        "SyntaxError: f-string: unmatched '(' (in app.routes.ws)",
        "Auth unreachable after <duration> - preventing WebSocket timeout",
    ] {
        let in_table = markdown.matches(&format!("`{title}`")).count();
        let escaped = title.replace('<', "&lt;").replace('>', "&gt;");
        let in_summary = markdown.matches(&format!("<code>{escaped}</code>")).count();
        assert_eq!((in_table, in_summary), (1, 1), "{title} in\n{markdown}");
    }
    // A linked cluster's title appears once, as its heading in the incident.
    assert_eq!(markdown.matches("GET /ws 503").count(), 1, "{markdown}");
}

#[test]
fn evidence_is_folded_per_problem() {
    let markdown = render_markdown(&fixtures::worklog());
    let opened = markdown.lines().filter(|l| *l == "<details>").count();
    let closed = markdown.lines().filter(|l| *l == "</details>").count();
    // Two problems and the routine clusters.
    assert_eq!((opened, closed), (3, 3), "{markdown}");
    let first_details = markdown.find("<details>").expect("details");
    let table = markdown.find("## What to do").expect("table");
    assert!(table < first_details);
}

#[test]
fn trend_incidents_and_resolved_are_rendered() {
    let markdown = render_markdown(&fixtures::worklog());
    assert!(markdown.contains("- **Trend:** new"), "{markdown}");
    assert!(
        markdown.contains("· incident of 2 clusters</summary>"),
        "{markdown}"
    );
    assert!(
        markdown.contains("#### 🟠 P1 Server error (5xx), live: `GET /ws 503`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("## Recovered since the previous run"),
        "{markdown}"
    );
}

#[test]
fn the_complete_worklog_has_every_entry_whole() {
    let worklog = fixtures::worklog();
    let complete = render_markdown_with(&worklog, &RenderOptions::default().complete(true));
    let default = render_markdown(&worklog);
    // The routine cluster's details and every entry as JSON.
    assert!(
        complete.contains("\"insertId\": \"health-0001\""),
        "{complete}"
    );
    assert!(!default.contains("\"insertId\""), "{default}");
    // The traceback the stack shows is never repeated as an escaped string.
    assert!(
        !complete.contains("Traceback (most recent call last):\\n"),
        "{complete}"
    );
}
