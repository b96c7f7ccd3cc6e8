//! Property: more volume, a higher severity or a wider spread never lowers a priority.

use gardener_fingerprint::{Clusterer, Masker, Miner};
use gardener_log_model::{Event, LogEntry};
use gardener_prioritize::{Prioritizer, Priority};
use proptest::prelude::*;

const SEVERITIES: [&str; 5] = ["INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"];
const MESSAGES: [&str; 6] = [
    "Session access failed: SessionMiddleware must be installed",
    "Auth connectivity check timed out after 0.5s",
    "Multiple manager instances for user demo-user-001 - potential duplication",
    "Message loop error: WebSocket is not connected",
    "Redis skipped in staging environment",
    "cache warmed in 12ms",
];

fn priority_of(message: &str, severity: &str, count: usize, instances: usize) -> Priority {
    let mut clusterer = Clusterer::new(Masker::new());
    for i in 0..count {
        let raw = format!(
            r#"{{"severity":"{severity}","textPayload":"{message}","labels":{{"instanceId":"i{}"}},"timestamp":"2025-09-14T00:{:02}:00Z"}}"#,
            i % instances,
            i % 60
        );
        let event = Event::from_entry(LogEntry::from_json(raw.as_bytes()).expect("valid JSON"));
        clusterer.push(&event, &raw);
    }
    let clusters = clusterer.finish(&Miner::default());
    Prioritizer::default()
        .assess_all(clusters.clusters(), None)
        .per_cluster[0]
        .priority
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn more_never_lowers(
        message in 0usize..MESSAGES.len(),
        severity in 0usize..SEVERITIES.len() - 1,
        count in 1usize..40,
        extra in 1usize..80,
        instances in 1usize..4,
    ) {
        let message = MESSAGES[message];
        let base = priority_of(message, SEVERITIES[severity], count, instances);
        let louder = priority_of(message, SEVERITIES[severity + 1], count, instances);
        let more = priority_of(message, SEVERITIES[severity], count + extra, instances);
        let wider = priority_of(message, SEVERITIES[severity], count, instances + 2);
        prop_assert!(louder <= base, "severity {} -> {}: {base} became {louder}", SEVERITIES[severity], SEVERITIES[severity + 1]);
        prop_assert!(more <= base, "count {count} -> {}: {base} became {more}", count + extra);
        prop_assert!(wider <= base, "instances {instances} -> {}: {base} became {wider}", instances + 2);
    }
}
