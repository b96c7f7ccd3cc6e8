//! Trends: resolved across revisions, and new / ongoing / escalated /
//! regressed against a previous run.

use gardener_prioritize::{History, PreviousCluster, Prioritizer, Priority, RunContext, Trend};

use crate::support::{assess, entries, Entries};

fn warning(message: &'static str) -> Entries<'static> {
    Entries::text("WARNING", message, 3, 2, 60)
}

fn in_revision(raw: Vec<String>, revision: &str) -> Vec<String> {
    raw.into_iter()
        .map(|entry| entry.replace("svc-00001-abc", revision))
        .collect()
}

fn ok_requests() -> Entries<'static> {
    Entries {
        request: Some(("GET", "/api/orders", 200)),
        ..warning("")
    }
}

fn trend_of(raw: &[String], title_start: &str, history: Option<History>) -> Option<Trend> {
    let (clusters, _) = assess(raw);
    let mut context = RunContext::from_clusters(&clusters);
    if let Some(history) = history {
        context = context.with_history(history);
    }
    let cluster = clusters
        .iter()
        .find(|c| c.key.title().starts_with(title_start))
        .expect("the cluster");
    Prioritizer::default().assess(cluster, &context).trend
}

#[test]
fn absent_from_a_serving_latest_revision_is_resolved() {
    let mut raw = in_revision(
        entries(&warning("Cache warmup slow: 1200ms")),
        "svc-00001-abc",
    );
    raw.extend(in_revision(entries(&ok_requests()), "svc-00002-def"));
    raw.extend(in_revision(
        entries(&warning("Pool size 10 of 10 in use")),
        "svc-00002-def",
    ));
    assert_eq!(
        trend_of(&raw, "Cache warmup slow", None),
        Some(Trend::Resolved)
    );
    assert_eq!(trend_of(&raw, "Pool size", None), None);
}

#[test]
fn a_latest_revision_that_never_served_resolves_nothing() {
    let mut raw = in_revision(
        entries(&warning("Cache warmup slow: 1200ms")),
        "svc-00001-abc",
    );
    raw.extend(in_revision(
        entries(&Entries {
            request: Some(("GET", "/api/orders", 503)),
            ..warning("")
        }),
        "svc-00002-def",
    ));
    assert_eq!(trend_of(&raw, "Cache warmup slow", None), None);
}

#[test]
fn against_a_previous_run() {
    let raw = entries(&warning("Pool size 10 of 10 in use"));
    let (clusters, assessments) = assess(&raw);
    let fingerprint = clusters[0].fingerprint.to_string();
    let now = assessments[0].priority;
    let previous = |priority: Priority, resolved: bool| {
        History::new([PreviousCluster {
            fingerprint: fingerprint.clone(),
            title: "pool".into(),
            priority,
            resolved,
        }])
    };
    assert_eq!(
        trend_of(&raw, "Pool size", Some(History::new([]))),
        Some(Trend::New)
    );
    assert_eq!(
        trend_of(&raw, "Pool size", Some(previous(now, false))),
        Some(Trend::Ongoing)
    );
    assert_eq!(
        trend_of(&raw, "Pool size", Some(previous(Priority::P4, false))),
        Some(Trend::Escalated)
    );
    assert_eq!(
        trend_of(&raw, "Pool size", Some(previous(now, true))),
        Some(Trend::Regressed)
    );
}

#[test]
fn new_in_the_latest_revision_is_said_and_scored() {
    let mut raw = in_revision(
        entries(&warning("Cache warmup slow: 1200ms")),
        "svc-00001-abc",
    );
    raw.extend(in_revision(
        entries(&warning("Pool size 10 of 10 in use")),
        "svc-00002-def",
    ));
    let (clusters, assessments) = assess(&raw);
    let of = |title: &str| {
        let index = clusters
            .iter()
            .position(|c| c.key.title().starts_with(title))
            .expect("cluster");
        &assessments[index]
    };
    let fresh = of("Pool size");
    let old = of("Cache warmup");
    assert!(
        fresh
            .reasons
            .iter()
            .any(|r| r.starts_with("new in the latest revision svc-00002-def")),
        "{:?}",
        fresh.reasons
    );
    assert!(!old
        .reasons
        .iter()
        .any(|r| r.starts_with("new in the latest revision")));
    assert_eq!(fresh.priority, old.priority);
    assert!(fresh.score > old.score);
}

/// The previous run's record of `raw`'s "Pool size" cluster, ending at `end`.
fn reason_against(raw: &[String], end_seconds: i64) -> (Option<Trend>, Vec<String>) {
    let (clusters, assessments) = assess(raw);
    let index = clusters
        .iter()
        .position(|c| c.key.title().starts_with("Pool size"))
        .expect("the cluster");
    let history = History::new([PreviousCluster {
        fingerprint: clusters[index].fingerprint.to_string(),
        title: "pool".into(),
        priority: assessments[index].priority,
        resolved: false,
    }])
    .ending_at(chrono::DateTime::from_timestamp(
        1_757_800_000 + end_seconds,
        0,
    ));
    let context = RunContext::from_clusters(&clusters).with_history(history);
    let assessment = Prioritizer::default().assess(&clusters[index], &context);
    (assessment.trend, assessment.reasons)
}

#[test]
fn overlapping_windows_count_only_occurrences_after_the_previous_end() {
    // 3 entries over 60 s: at +0 s, +30 s and +60 s.
    let raw = entries(&warning("Pool size 10 of 10 in use"));

    // The previous run ended after the last one: this run saw nothing new.
    let (trend, reasons) = reason_against(&raw, 60);
    assert_eq!(trend, Some(Trend::Quiet));
    assert!(
        reasons.iter().any(|r| r.starts_with(
            "quiet: in the previous run (then P3), no occurrence since the previous run ended at 2025-09-13 21:47:40 UTC"
        )),
        "{reasons:?}"
    );

    // It ended before the first: all three are new, first and last known.
    let (trend, reasons) = reason_against(&raw, -1);
    assert_eq!(trend, Some(Trend::Ongoing));
    assert!(
        reasons.iter().any(|r| r.ends_with(
            "3 occurrences since the previous run ended at 2025-09-13 21:46:39 UTC, from 2025-09-13 21:46:40 UTC to 2025-09-13 21:47:40 UTC"
        )),
        "{reasons:?}"
    );

    // It ended between the first and the last: 1 or 2 are new, and the
    // reason says the exact number is not known.
    let (trend, reasons) = reason_against(&raw, 10);
    assert_eq!(trend, Some(Trend::Ongoing));
    assert!(
        reasons.iter().any(
            |r| r.contains("1 to 2 occurrences since the previous run ended")
                && r.contains("the exact number and the first are not known")
        ),
        "{reasons:?}"
    );
}
