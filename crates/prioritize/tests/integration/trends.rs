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
