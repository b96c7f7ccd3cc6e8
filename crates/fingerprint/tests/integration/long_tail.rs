//! The cap on distinct keys: what merging keeps exact once keys are folded
//! into the long tail, and counts that cannot overflow.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{ClusterSet, Clusterer, Masker, Miner, DEFAULT_MAX_GROUPS};
use gardener_log_model::{Event, LogEntry, Severity};
use proptest::prelude::*;

/// An entry under one of 18 keys, at a random severity and second.
fn entry_json() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]),
        prop::sample::select(vec!["one", "two", "three"]),
        prop::sample::select(vec!["INFO", "INFO", "WARNING", "ERROR"]),
        0u32..60,
    )
        .prop_map(|(job, step, severity, second)| {
            format!(
                r#"{{"textPayload":"job {job} step {step} done","severity":"{severity}","timestamp":"2025-09-14T00:27:{second:02}Z"}}"#
            )
        })
}

fn build(lines: &[String], max_groups: usize) -> ClusterSet {
    let mut clusterer =
        Clusterer::with_groups(Masker::new(), ClusterSet::with_max_groups(max_groups));
    for raw in lines {
        let event = Event::from_entry(LogEntry::from_json(raw.as_bytes()).expect("valid JSON"));
        clusterer.push(&event, raw);
    }
    clusterer.into_groups()
}

fn merged(a: &ClusterSet, b: &ClusterSet) -> ClusterSet {
    let mut result = a.clone();
    result.merge(b);
    result
}

/// Entries per severity, kept groups and long tail together.
fn severity_totals(set: &ClusterSet) -> BTreeMap<Severity, u64> {
    let mut totals = set.long_tail().stats.severities.clone();
    for (_, stats) in set.groups() {
        for (&severity, &n) in &stats.severities {
            *totals.entry(severity).or_default() += n;
        }
    }
    totals
}

type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn time_span(set: &ClusterSet) -> Span {
    let tail = &set.long_tail().stats;
    set.groups().fold(
        (tail.first_seen, tail.last_seen),
        |(first, last), (_, stats)| {
            let first = match (first, stats.first_seen) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            (first, last.max(stats.last_seen))
        },
    )
}

/// Keys with an entry at ERROR or above.
fn error_keys(set: &ClusterSet) -> usize {
    set.groups()
        .filter(|(_, stats)| stats.count_at_least(Severity::Error) > 0)
        .count()
}

/// What holds for any capped state built from `reference`'s entries.
fn check_capped(set: &ClusterSet, reference: &ClusterSet, cap: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        set.len() <= cap,
        "{} groups above a cap of {cap}",
        set.len()
    );
    prop_assert_eq!(set.entries(), reference.entries());
    prop_assert_eq!(severity_totals(set), severity_totals(reference));
    prop_assert_eq!(time_span(set), time_span(reference));
    let true_counts: BTreeMap<_, _> = reference.groups().collect();
    for (key, stats) in set.groups() {
        let truth = true_counts[key];
        prop_assert!(
            stats.count <= truth.count,
            "{key:?}: {} > {}",
            stats.count,
            truth.count
        );
        for (severity, &n) in &stats.severities {
            prop_assert!(n <= truth.severities[severity]);
        }
    }
    if error_keys(reference) <= cap - cap / 4 {
        prop_assert_eq!(set.long_tail().stats.count_at_least(Severity::Error), 0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Under a cap that folds keys, however the input is sharded and the
    /// merges grouped: totals stay exact, kept counts are lower bounds,
    /// errors are kept first; merge stays commutative; the state survives
    /// JSON.
    #[test]
    fn capped_merges_keep_totals_exact(
        cap in 1usize..8,
        a in prop::collection::vec(entry_json(), 0..24),
        b in prop::collection::vec(entry_json(), 0..24),
        c in prop::collection::vec(entry_json(), 0..24),
    ) {
        let all: Vec<String> = a.iter().chain(&b).chain(&c).cloned().collect();
        let reference = build(&all, DEFAULT_MAX_GROUPS);
        prop_assert!(reference.long_tail().is_empty());
        let (a, b, c) = (build(&a, cap), build(&b, cap), build(&c, cap));
        let left = merged(&a, &merged(&b, &c));
        let right = merged(&merged(&a, &b), &c);
        for set in [&build(&all, cap), &left, &right] {
            check_capped(set, &reference, cap)?;
        }
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        let json = serde_json::to_string(&left).expect("serializes");
        let back: ClusterSet = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(back, left);
    }

    /// With no more distinct keys than the cap, nothing is folded and the
    /// state is the uncapped one: `build(x ++ y) == merge(build(x), build(y))`.
    #[test]
    fn below_the_cap_nothing_is_folded(
        x in prop::collection::vec(entry_json(), 0..24),
        y in prop::collection::vec(entry_json(), 0..24),
    ) {
        let all: Vec<String> = x.iter().chain(&y).cloned().collect();
        let reference = build(&all, DEFAULT_MAX_GROUPS);
        let cap = reference.len().max(1);
        let whole = build(&all, cap);
        prop_assert!(whole.long_tail().is_empty());
        prop_assert!(whole.groups().eq(reference.groups()));
        prop_assert_eq!(merged(&build(&x, cap), &build(&y, cap)), whole);
    }
}

#[test]
fn saturated_counts_merge_without_overflow() {
    let state: ClusterSet =
        serde_json::from_str(include_str!("../data/state/saturated_counts.json"))
            .expect("the crafted state is valid");
    let mut merged = state.clone();
    merged.merge(&state);
    merged.merge(&merged.clone());
    assert_eq!(merged.entries(), u64::MAX);
    assert_eq!(merged.long_tail().folded_groups, u64::MAX);
    let (key, stats) = merged.groups().next().expect("one group");
    assert_eq!(stats.count, u64::MAX);
    assert_eq!(stats.severities[&Severity::Error], u64::MAX);
    assert_eq!(stats.count_at_least(Severity::Default), u64::MAX);
    assert_eq!(stats.latency.count, u64::MAX);
    assert_eq!(stats.latency.total_micros, u64::MAX);
    assert_eq!(stats.services.total(), u64::MAX);
    assert_eq!(stats.services.top()[0].1, u64::MAX);
    let mut inserted = merged.clone();
    inserted.insert(key.clone(), stats);
    assert_eq!(inserted.entries(), u64::MAX);
    let clustering = inserted.cluster(&Miner::default());
    assert_eq!(clustering.clusters()[0].stats.count, u64::MAX);
}

#[test]
fn a_written_state_reads_back_and_writes_the_same_bytes() {
    let written = include_str!("../data/state/capped_state.json");
    let state: ClusterSet = serde_json::from_str(written).expect("the state fixture is valid");
    assert_eq!(state.max_groups(), 4);
    // Nine entries under six keys, two of them folded when a fifth key came.
    assert_eq!(state.len(), 4);
    assert_eq!(state.long_tail().folded_groups, 2);
    assert_eq!(state.long_tail().stats.count, 2);
    assert_eq!(state.entries(), 9);
    let again = serde_json::to_string_pretty(&state).expect("serializes");
    assert_eq!(again.trim_end(), written.trim_end());
}
