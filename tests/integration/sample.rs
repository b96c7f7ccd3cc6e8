//! The worklog of the embedded sample: what the README's main command prints.

use log_gardener::{render_markdown, Category, Options, Priority};

use crate::{run, SAMPLE_EXPORT};

#[test]
fn markdown_snapshot() {
    let outcome = run(SAMPLE_EXPORT, 64 * 1024, Options::default());
    insta::assert_snapshot!("sample_worklog_markdown", render_markdown(&outcome.worklog));
}

#[test]
fn json_snapshot() {
    let outcome = run(SAMPLE_EXPORT, 64 * 1024, Options::default());
    insta::assert_snapshot!("sample_worklog_json", outcome.worklog.to_json());
}

#[test]
fn boot_failures_lead_and_noise_trails() {
    let worklog = run(SAMPLE_EXPORT, 4096, Options::default()).worklog;
    let first = &worklog.clusters[0];
    assert_eq!(first.priority, Priority::P0, "{first:#?}");
    assert!(
        matches!(first.category, Category::BootFailure | Category::CrashLoop),
        "{:?}",
        first.category
    );
    for cluster in worklog.clusters.iter().filter(|c| c.title.contains(" 503")) {
        assert!(
            cluster.priority <= Priority::P1,
            "{} is {}",
            cluster.title,
            cluster.priority
        );
    }
    let import_error = worklog
        .clusters
        .iter()
        .find(|c| c.kind == "exception" && c.title.starts_with("ImportError: cannot import name"))
        .expect("the ImportError traceback cluster");
    assert_eq!(import_error.priority, Priority::P0);
    // Five tracebacks in one entry each, and one logged a line per entry, re-joined.
    assert_eq!(import_error.count, 6);
    let last = worklog.clusters.last().expect("clusters");
    assert_eq!(last.priority, Priority::P4);
    let health = worklog
        .clusters
        .iter()
        .find(|c| c.title == "GET /health/ready 200")
        .expect("health checks");
    assert_eq!(health.priority, Priority::P4);
    assert!(
        worklog.input.entries_clustered < worklog.input.entries_read,
        "joined lines count once"
    );
    assert_eq!(worklog.input.entries_skipped, 0);
}

#[test]
fn chunk_size_does_not_matter() {
    let whole = run(SAMPLE_EXPORT, SAMPLE_EXPORT.len(), Options::default()).worklog;
    let small = run(SAMPLE_EXPORT, 7, Options::default()).worklog;
    assert_eq!(whole, small);
}

#[test]
fn every_entry_gets_an_assignment() {
    let options = Options {
        record_assignments: true,
        ..Options::default()
    };
    let outcome = run(SAMPLE_EXPORT, 65536, options);
    assert_eq!(
        outcome.assignments.len() as u64,
        outcome.worklog.input.entries_read
    );
    let fingerprints: std::collections::BTreeSet<&str> = outcome
        .worklog
        .clusters
        .iter()
        .map(|c| c.fingerprint.as_str())
        .collect();
    assert!(outcome
        .assignments
        .iter()
        .all(|a| fingerprints.contains(a.fingerprint.to_string().as_str())));
}
