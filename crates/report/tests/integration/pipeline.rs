//! Worklogs built the way the facade builds them, from Cloud Logging entries:
//! read, keyed, clustered, prioritized, assembled (without re-joining traces).

use chrono::{DateTime, TimeZone, Utc};
use gardener_fingerprint::{Cluster, Clusterer, Masker, Miner};
use gardener_log_model::{EventReader, ReadConfig, ReadEvent};
use gardener_prioritize::{Assessment, Assessments, Prioritizer, RunContext, Status};
use gardener_report::{RunInfo, Worklog};
use serde_json::{json, Value};

/// The fixed "generated at" time.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 15, 1, 0, 0).unwrap()
}

/// A Cloud Run stderr entry of `api`'s revision `api-00002-abc`, logged
/// `minute` minutes after 22:00, on `instance` (none when empty).
pub fn line(id: usize, minute: i64, instance: &str, severity: &str, text: &str) -> Value {
    let at =
        Utc.with_ymd_and_hms(2025, 9, 14, 22, 0, 0).unwrap() + chrono::Duration::minutes(minute);
    let mut entry = json!({
        "insertId": format!("e{id:04}"),
        "severity": severity,
        "timestamp": at.to_rfc3339(),
        "logName": "projects/p/logs/run.googleapis.com%2Fstderr",
        "textPayload": text,
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api", "revision_name": "api-00002-abc"}},
    });
    if !instance.is_empty() {
        entry["labels"] = json!({ "instanceId": instance });
    }
    entry
}

/// The clusters of `entries`.
pub fn clusters_of(entries: &[Value]) -> Vec<Cluster> {
    let mut bytes = Vec::new();
    for entry in entries {
        bytes.extend(serde_json::to_vec(entry).expect("serializable"));
        bytes.push(b'\n');
    }
    let mut clusterer = Clusterer::new(Masker::new());
    let mut on_event = |read: Result<ReadEvent<'_>, gardener_log_model::Error>| {
        let read = read.expect("the test entries are valid");
        clusterer.push(&read.event, &read.raw);
    };
    let mut reader = EventReader::with_config(ReadConfig::joining(false));
    reader.feed(&bytes, &mut on_event);
    reader.finish(&mut on_event);
    clusterer.finish(&Miner::default()).clusters().to_vec()
}

fn run_info(entries: usize) -> RunInfo {
    RunInfo {
        generated_at: now(),
        entries_read: entries as u64,
        entries_skipped: 0,
        errors: Vec::new(),
        sources: vec!["test".to_owned()],
        entries_joined: 0,
        folded: Default::default(),
    }
}

/// The worklog of `entries`, judged by the default rules.
pub fn worklog_of(entries: &[Value]) -> Worklog {
    let clusters = clusters_of(entries);
    let assessments = Prioritizer::default().assess_all(&clusters, None);
    Worklog::build(&clusters, &assessments, &run_info(entries.len()))
}

/// The worklog of `clusters` with the given assessments (their status set
/// from the clusters' last entries) and no incidents.
pub fn worklog_judged(clusters: &[Cluster], assessments: &[Assessment]) -> Worklog {
    let entries = clusters.iter().map(|c| c.stats.count as usize).sum();
    let run = RunContext::from_clusters(clusters);
    let per_cluster = clusters
        .iter()
        .zip(assessments)
        .map(|(cluster, assessment)| Assessment {
            status: Status::of(
                cluster.stats.last_seen,
                false,
                run.first_seen,
                run.last_seen,
            ),
            ..assessment.clone()
        })
        .collect();
    let assessments = Assessments::new(clusters, per_cluster, Vec::new());
    Worklog::build(clusters, &assessments, &run_info(entries))
}
