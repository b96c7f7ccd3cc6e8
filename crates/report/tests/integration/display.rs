//! Table tests of the display rules, on worklogs built from entries shaped
//! like real Cloud Run ones: titles, counts, rates, instances, order.

use gardener_prioritize::{Assessment, Category, Priority};
use gardener_report::{render_markdown, Status, WorklogCluster, MAX_TITLE_CHARS};
use serde_json::Value;

use crate::pipeline::{clusters_of, line, worklog_judged, worklog_of};

fn the_cluster(entries: &[Value]) -> WorklogCluster {
    let worklog = worklog_of(entries);
    assert_eq!(worklog.clusters.len(), 1, "{:#?}", worklog.clusters);
    worklog.clusters[0].clone()
}

/// Entries of one message: `(minute, instance, text)`.
fn entries(lines: &[(i64, &str, &str)]) -> Vec<Value> {
    lines
        .iter()
        .enumerate()
        .map(|(id, &(minute, instance, text))| line(id, minute, instance, "ERROR", text))
        .collect()
}

macro_rules! titles {
    ($($name:ident: [$($line:expr),* $(,)?] => $expected:expr,)*) => {$(
        #[test]
        fn $name() {
            let cluster = the_cluster(&entries(&[$($line),*]));
            assert_eq!(cluster.title, $expected, "template {:?}", cluster.template);
        }
    )*};
}

titles! {
    an_exit_code_that_never_varies_is_shown: [
        (0, "i1", "Container called exit(3)."),
        (5, "i2", "Container called exit(3)."),
        (9, "i1", "Container called exit(3)."),
    ] => "Container called exit(3).",
    an_exit_code_that_varies_keeps_its_placeholder: [
        (0, "i1", "Container called exit(3)."),
        (5, "i2", "Container called exit(1)."),
    ] => "Container called exit(<num>).",
    one_duration_always_the_same_is_shown: [
        (0, "i1", "Auth connectivity check timed out after 0.5s"),
        (1, "i2", "Auth connectivity check timed out after 0.5s"),
    ] => "Auth connectivity check timed out after 0.5s",
    two_kinds_one_fixed_one_varying: [
        (0, "i1", "Default STARTUP TCP probe failed 1 time consecutively for container on port 8080"),
        (3, "i2", "Default STARTUP TCP probe failed 1 time consecutively for container on port 8080"),
    ] => "Default STARTUP TCP probe failed <num> time consecutively for container on port <num>",
}

#[test]
fn a_long_title_is_cut_at_a_word_and_keeps_its_distinguishing_start() {
    let message = format!(
        "Golden path validation failed for the websocket bridge: {}",
        "the agent handler could not be created because ".repeat(8)
    );
    let cluster = the_cluster(&entries(&[(0, "i1", &message), (1, "i1", &message)]));
    let title = &cluster.title;
    assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
    let kept = title.strip_suffix('…').expect("cut with an ellipsis");
    assert!(message.starts_with(kept), "{title}");
    assert!(
        message[kept.len()..].starts_with(' '),
        "cut inside a word: {title}"
    );
    assert!(kept.starts_with("Golden path validation failed"), "{title}");
}

#[test]
fn a_single_entry_is_one_entry_at_a_time_never_a_rate() {
    let mut lines = entries(&[(0, "i1", "Container called exit(1).")]);
    // Another cluster spans the log, so that the run has hours.
    lines.extend((0..5).map(|i| line(100 + i, i as i64 * 40, "i2", "INFO", "GET /health 200")));
    let worklog = worklog_of(&lines);
    let markdown = render_markdown(&worklog);
    assert!(
        markdown.contains("- **Seen:** 1 entry at 22:00:00"),
        "{markdown}"
    );
    assert!(!markdown.contains("0/hour)"), "{markdown}");
    assert!(!markdown.contains("0.0/hour"), "{markdown}");
}

#[test]
fn rates_are_over_the_clusters_own_span() {
    // Ten entries within nine minutes of a three-hour log: ten in an hour,
    // not 3.3 an hour over the log.
    let mut lines: Vec<Value> = (0..10)
        .map(|i| line(i, i as i64, "i1", "ERROR", "Redis readiness degraded"))
        .collect();
    lines.push(line(99, 180, "i1", "INFO", "GET /health 200"));
    let worklog = worklog_of(&lines);
    let redis = worklog
        .clusters
        .iter()
        .find(|c| c.title.starts_with("Redis"))
        .expect("the Redis cluster");
    assert_eq!(redis.rate_per_hour, 10.0);
    let markdown = render_markdown(&worklog);
    assert!(
        markdown.contains("10 entries in 9 min, 22:00:00 to 22:09:00"),
        "{markdown}"
    );
}

#[test]
fn instances_are_counted_only_where_the_entries_name_them() {
    let without = the_cluster(&entries(&[
        (0, "", "Container called exit(3)."),
        (1, "", "Container called exit(3)."),
    ]));
    assert_eq!(without.instance_count, 0);
    let markdown = render_markdown(&worklog_of(&entries(&[
        (0, "", "Container called exit(3)."),
        (1, "", "Container called exit(3)."),
    ])));
    // The rendering's own lines; the reasons are the prioritizer's words.
    let where_line = markdown
        .lines()
        .find(|l| l.starts_with("- **Where:**"))
        .expect("a Where line");
    assert_eq!(where_line, "- **Where:** `00002-abc` (2)");
    let first_screen: String = markdown.lines().take(20).collect::<Vec<_>>().join("\n");
    // Nothing counts instances the entries did not name (the next step may
    // still speak of instances).
    assert!(!first_screen.contains("0 instances"), "{first_screen}");
    assert!(!first_screen.contains("on 1 instance"), "{first_screen}");
}

#[test]
fn more_instances_than_listed_say_how_many_are_shown() {
    let lines: Vec<(i64, String)> = (0..7).map(|i| (i, format!("instance-{i}"))).collect();
    let lines: Vec<(i64, &str, &str)> = lines
        .iter()
        .map(|(minute, instance)| (*minute, instance.as_str(), "Container called exit(3)."))
        .collect();
    let markdown = render_markdown(&worklog_of(&entries(&lines)));
    assert!(markdown.contains("7 instances (5 shown): "), "{markdown}");
}

fn judged(priority: Priority, score: u32) -> Assessment {
    Assessment {
        priority,
        category: Category::DependencyFailure,
        score,
        reasons: vec!["judged by the test".to_owned()],
        trend: None,
        status: Status::Live,
    }
}

/// A three-hour log: five Redis errors in its first minutes (quiet at the
/// end), three auth errors in its last ten (live), judged as `judge` says
/// (`redis` tells which cluster).
fn redis_then_auth(judge: impl Fn(bool) -> Assessment) -> gardener_report::Worklog {
    let mut lines: Vec<Value> = (0..5)
        .map(|i| line(i, i as i64, "i1", "ERROR", "Redis readiness degraded"))
        .collect();
    lines.extend((0..3).map(|i| {
        line(
            10 + i,
            170 + i as i64 * 5,
            "i1",
            "ERROR",
            "Auth unreachable",
        )
    }));
    let clusters = clusters_of(&lines);
    let assessments: Vec<Assessment> = clusters
        .iter()
        .map(|c| judge(c.key.title().starts_with("Redis")))
        .collect();
    worklog_judged(&clusters, &assessments)
}

#[test]
fn live_problems_rank_before_quiet_ones_of_the_same_priority_whatever_the_score() {
    // The quiet cluster scores higher: the status must still win.
    let worklog = redis_then_auth(|redis| judged(Priority::P2, if redis { 900 } else { 100 }));
    let order: Vec<(usize, &str, Option<Status>)> = worklog
        .clusters
        .iter()
        .map(|c| (c.rank, c.title.as_str(), c.status))
        .collect();
    assert_eq!(
        order,
        [
            (1, "Auth unreachable", Some(Status::Live)),
            (2, "Redis readiness degraded", Some(Status::Quiet)),
        ]
    );
    let markdown = render_markdown(&worklog);
    let auth = markdown.find("| 1 | 🟡 P2").expect("row 1");
    assert!(
        markdown[auth..].starts_with("| 1 | 🟡 P2 Dependency unreachable | `Auth unreachable`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| **live**, last 01:00:00 |"),
        "{markdown}"
    );
    assert!(markdown.contains("| quiet since 22:04:00 |"), "{markdown}");
}

#[test]
fn priority_comes_before_liveness() {
    let worklog = redis_then_auth(|redis| {
        if redis {
            judged(Priority::P1, 100)
        } else {
            judged(Priority::P2, 900)
        }
    });
    assert_eq!(worklog.clusters[0].title, "Redis readiness degraded");
    assert_eq!(worklog.clusters[0].status, Some(Status::Quiet));
    assert_eq!(worklog.clusters[0].rank, 1);
}

#[test]
fn joined_trace_lines_and_skipped_records_are_stated() {
    let mut worklog = worklog_of(&entries(&[(0, "i1", "Container called exit(3).")]));
    worklog.input.entries_read = 48;
    worklog.input.entries_joined = 47;
    worklog.input.entries_skipped = 2;
    worklog.input.errors = vec![
        "record 7, line 7, column 1, byte 912: expected value".to_owned(),
        "record 9, line 9, column 1, byte 1012: expected value".to_owned(),
    ];
    let markdown = render_markdown(&worklog);
    assert!(
        markdown.contains("- **Input:** 48 entries from `test`; 47 were lines of a stack trace logged one line per entry, re-joined into its traceback; 2 records skipped as unreadable (listed under Input at the end); 1 event in 1 cluster."),
        "{markdown}"
    );
    assert!(
        markdown.contains("- **Skipped:** record 9, line 9, column 1, byte 1012: expected value"),
        "{markdown}"
    );
}

#[test]
fn the_run_s_joined_and_folded_entries_are_reported() {
    let lines = entries(&[(0, "i1", "Container called exit(3).")]);
    let worklog = worklog_of(&lines);
    assert_eq!(worklog.input.entries_joined, 0);
    let clusters = clusters_of(&lines);
    let run = gardener_report::RunInfo {
        generated_at: crate::pipeline::now(),
        entries_read: 5,
        entries_skipped: 1,
        errors: Vec::new(),
        sources: Vec::new(),
        entries_joined: 4,
        folded: gardener_report::Folded {
            groups: 3,
            entries: 7,
            severities: [(gardener_log_model::Severity::Info, 7)]
                .into_iter()
                .collect(),
        },
    };
    let assessments =
        gardener_prioritize::Assessments::new(&clusters, vec![judged(Priority::P2, 0)], Vec::new());
    let worklog = gardener_report::Worklog::build(&clusters, &assessments, &run);
    assert_eq!(worklog.input.entries_joined, 4);
    assert_eq!(worklog.input.folded.entries, 7);
    let markdown = render_markdown(&worklog);
    assert!(
        markdown.contains("7 entries of 3 rarer groups folded into one long tail to bound memory (INFO ×7), not clustered"),
        "{markdown}"
    );
}

#[test]
fn no_title_is_blank() {
    let mut lines = entries(&[(0, "i1", ""), (1, "i1", "   ")]);
    lines.push(serde_json::json!({
        "insertId": "dns", "severity": "INFO", "timestamp": "2025-09-14T22:00:00Z",
        "logName": "projects/p/logs/dns.googleapis.com%2Fdns_queries",
        "jsonPayload": {"queryName": "example.com.", "queryType": "A"},
        "resource": {"type": "dns_query", "labels": {"project_id": "p"}},
    }));
    let worklog = worklog_of(&lines);
    for cluster in &worklog.clusters {
        assert!(!cluster.title.trim().is_empty(), "{cluster:#?}");
    }
}
