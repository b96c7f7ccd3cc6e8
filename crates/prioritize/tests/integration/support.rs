//! Building clusters from synthetic entries, the way the pipeline does.

use gardener_fingerprint::{Cluster, Clusterer, Masker, Miner};
use gardener_log_model::{Event, LogEntry, LogReader};
use gardener_prioritize::{Assessment, Prioritizer};

/// One kind of entry of a test cluster.
pub struct Entries<'a> {
    pub severity: &'a str,
    /// textPayload, or jsonPayload.message when `module` is set.
    pub message: &'a str,
    /// `(module, function)` of jsonPayload.labels.
    pub site: Option<(&'a str, &'a str)>,
    /// `(method, path, status)` for request logs (then `message` is ignored).
    pub request: Option<(&'a str, &'a str, u16)>,
    pub count: usize,
    pub instances: usize,
    /// Spread of the entries' timestamps, in seconds.
    pub over_seconds: u64,
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

impl<'a> Entries<'a> {
    /// `count` plain-text entries on `instances` instances over `over_seconds`.
    pub fn text(
        severity: &'a str,
        message: &'a str,
        count: usize,
        instances: usize,
        over_seconds: u64,
    ) -> Entries<'a> {
        Entries {
            severity,
            message,
            site: None,
            request: None,
            count,
            instances,
            over_seconds,
        }
    }
}

/// The JSON entries of a test cluster.
pub fn entries(spec: &Entries<'_>) -> Vec<String> {
    (0..spec.count)
        .map(|i| {
            let seconds = if spec.count > 1 { spec.over_seconds * i as u64 / (spec.count as u64 - 1) } else { 0 };
            let time = chrono::DateTime::from_timestamp(1_757_800_000 + seconds as i64, 0)
                .expect("valid time")
                .to_rfc3339();
            let payload = match (spec.request, spec.site) {
                (Some((method, path, status)), _) => format!(
                    r#""httpRequest":{{"requestMethod":"{method}","requestUrl":"https://svc.example.com{path}","status":{status},"latency":"0.5s"}}"#
                ),
                (None, Some((module, function))) => format!(
                    r#""jsonPayload":{{"message":{},"labels":{{"module":"{module}","function":"{function}","line":"1"}}}}"#,
                    json_string(spec.message)
                ),
                (None, None) => format!(r#""textPayload":{}"#, json_string(spec.message)),
            };
            format!(
                r#"{{"insertId":"e{i}","severity":"{}","timestamp":"{time}",{payload},"labels":{{"instanceId":"instance-{}"}},"resource":{{"type":"cloud_run_revision","labels":{{"service_name":"svc","revision_name":"svc-00001-abc"}}}}}}"#,
                spec.severity,
                i % spec.instances.max(1)
            )
        })
        .collect()
}

/// The entries of an export as gcloud prints it (a JSON array), each as its JSON text.
pub fn export_entries(export: &str) -> Vec<String> {
    let mut reader = LogReader::new();
    let mut raw = Vec::new();
    let mut on_entry =
        |read: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
            raw.push(read.expect("fixtures are valid").raw.to_owned());
        };
    reader.feed(export.as_bytes(), &mut on_entry);
    reader.finish(&mut on_entry);
    raw
}

/// Clusters and assesses an export (a fixture of `tests/data`) with default rules.
pub fn assess_export(export: &str) -> (Vec<Cluster>, Vec<Assessment>) {
    assess(&export_entries(export))
}

/// The index of the one cluster whose title contains `title`.
pub fn cluster_titled(clusters: &[Cluster], title: &str) -> usize {
    let found: Vec<usize> = (0..clusters.len())
        .filter(|&i| clusters[i].key.title().contains(title))
        .collect();
    let titles: Vec<String> = clusters.iter().map(|c| c.key.title()).collect();
    assert_eq!(
        found.len(),
        1,
        "clusters titled {title:?} among {titles:#?}"
    );
    found[0]
}

/// Clusters and assesses entries with default rules, clusters largest first.
pub fn assess(raw_entries: &[String]) -> (Vec<Cluster>, Vec<Assessment>) {
    let mut clusterer = Clusterer::new(Masker::new());
    for raw in raw_entries {
        let event = Event::from_entry(
            LogEntry::from_json(raw.as_bytes()).expect("test entries are valid JSON"),
        );
        clusterer.push(&event, raw);
    }
    let clusters = clusterer.finish(&Miner::default()).clusters().to_vec();
    let assessments = Prioritizer::default()
        .assess_all(&clusters, None)
        .per_cluster;
    (clusters, assessments)
}
