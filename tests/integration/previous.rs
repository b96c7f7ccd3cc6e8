//! `--previous`: trends against an earlier worklog, judged by occurrences
//! after the earlier run's last entry (runs overlap), and the clusters it
//! had that this run no longer sees.

use chrono::{DateTime, Utc};
use gardener_report::{ResolvedCluster, WorklogCluster};
use log_gardener::{render_markdown, Options, Priority, Worklog};

use crate::{run, SAMPLE_EXPORT};

/// The worklog of the sample's entries before `to`.
fn until(to: &str) -> Worklog {
    let to: DateTime<Utc> = DateTime::parse_from_rfc3339(to)
        .expect("an RFC 3339 time")
        .to_utc();
    let entries: Vec<serde_json::Value> =
        serde_json::from_slice(SAMPLE_EXPORT).expect("the sample is a JSON array");
    let kept: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|entry| {
            let at = entry["timestamp"].as_str().expect("a timestamp");
            DateTime::parse_from_rfc3339(at).expect("an RFC 3339 timestamp") < to
        })
        .collect();
    run(
        &serde_json::to_vec(&kept).expect("serializable"),
        65536,
        Options::default(),
    )
    .worklog
}

fn against(previous: Worklog) -> Worklog {
    let options = Options {
        previous: Some(previous),
        ..Options::default()
    };
    run(SAMPLE_EXPORT, 65536, options).worklog
}

fn find<'a>(worklog: &'a Worklog, title: &str) -> &'a WorklogCluster {
    worklog
        .clusters
        .iter()
        .find(|c| c.title.starts_with(title))
        .unwrap_or_else(|| panic!("{title}"))
}

#[test]
fn trends_against_an_earlier_overlapping_run() {
    // The earlier run saw the entries until 00:00; this one sees them all.
    let mut earlier = until("2025-09-15T00:00:00Z");
    // In it, the ImportError cluster was P3, the 503 cluster was resolved,
    // and a cluster existed that is gone now.
    let position = |earlier: &Worklog, title: &str| {
        earlier
            .clusters
            .iter()
            .position(|c| c.title.starts_with(title))
            .unwrap_or_else(|| panic!("{title}"))
    };
    let import_error = position(&earlier, "ImportError: cannot import name");
    earlier.clusters[import_error].priority = Priority::P3;
    let ws_503 = position(&earlier, "GET /ws 503");
    earlier.clusters[ws_503].trend = Some(gardener_prioritize::Trend::Resolved);
    let mut gone = earlier.clusters[0].clone();
    gone.fingerprint = "v1:00000000000000aa".to_owned();
    gone.title = "Disk quota exceeded on /tmp".to_owned();
    earlier.clusters.push(gone);
    let ended = earlier.period.end.expect("the earlier run has entries");

    let now = against(earlier);
    let trend = |title: &str| find(&now, title).trend.map_or("", |trend| trend.name());
    // Occurred after the earlier run's end (its last at 00:06:45), more urgent now.
    assert_eq!(trend("ImportError: cannot import name"), "escalated");
    assert_eq!(trend("GET /ws 503"), "regressed");
    // Only after 00:00.
    assert_eq!(trend("SyntaxError"), "new");
    assert_eq!(trend("Container called exit"), "ongoing");
    // In both windows, nothing since 23:22: not ongoing.
    let database = find(
        &now,
        "DeterministicStartupError: CRITICAL STARTUP FAILURE: Database",
    );
    assert_eq!(database.trend.map(|trend| trend.name()), Some("quiet"));
    let said = format!(
        "no occurrence since the previous run ended at {}",
        ended.format("%Y-%m-%d %H:%M:%S UTC")
    );
    assert!(
        database.reasons.iter().any(|r| r.contains(&said)),
        "{:?}",
        database.reasons
    );
    // What changed is said: how many since the earlier run's end, and what is not known.
    let exit = find(&now, "Container called exit");
    assert!(
        exit.reasons
            .iter()
            .any(|r| r.starts_with("ongoing: also in the previous run")
                && r.contains("occurrences since the previous run ended at")
                && r.contains("the newest at 2025-09-15 00:27:07 UTC")),
        "{:?}",
        exit.reasons
    );
    assert_eq!(now.resolved.len(), 1);
    assert_eq!(now.resolved[0].title, "Disk quota exceeded on /tmp");
    let markdown = render_markdown(&now);
    assert!(
        markdown.contains("Disk quota exceeded on /tmp"),
        "resolved clusters are listed"
    );
    assert!(markdown.contains("escalated"));
}

#[test]
fn the_same_export_twice_is_quiet() {
    let first = run(SAMPLE_EXPORT, 65536, Options::default()).worklog;
    let earlier = Worklog::from_json(&first.to_json()).expect("round trip");
    let now = against(earlier);
    for cluster in &now.clusters {
        assert_eq!(
            cluster.trend.map(|trend| trend.name()),
            Some("quiet"),
            "{}: {:?}",
            cluster.title,
            cluster.reasons
        );
    }
    assert!(now.resolved.is_empty());
}

#[test]
fn a_cluster_gone_then_back_is_regressed() {
    // The earlier run listed the SyntaxError as gone (resolved) and ended at 00:00.
    let mut earlier = until("2025-09-15T00:00:00Z");
    let full = run(SAMPLE_EXPORT, 65536, Options::default()).worklog;
    let syntax = find(&full, "SyntaxError");
    earlier.resolved.push(ResolvedCluster {
        fingerprint: syntax.fingerprint.clone(),
        priority: syntax.priority,
        category: syntax.category,
        title: syntax.title.clone(),
        count: 1,
        last_seen: None,
    });
    let now = against(earlier);
    assert_eq!(
        find(&now, "SyntaxError").trend.map(|trend| trend.name()),
        Some("regressed")
    );
}
