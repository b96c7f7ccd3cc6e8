//! A scheduler and an executor on loopback, in this process: the worklog of
//! the distributed query is the sequential run's.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use ballista::prelude::SessionContextExt;
use chrono::{DateTime, Utc};
use datafusion::arrow::array::AsArray;
use datafusion::prelude::SessionContext;
use gardener_ballista::session_state;
use gardener_datafusion::{register_functions, session_config, LogClusters, NdjsonEntries};
use log_gardener::{Gardener, Options, Worklog};

/// gardener-datafusion's test export (a Cloud Storage sink's layout).
fn sink_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../datafusion/tests/data/sink")
}

fn sink_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable test data") {
        let path = entry.expect("readable test data").path();
        if path.is_dir() {
            sink_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-09-15T01:00:00Z")
        .expect("valid time")
        .with_timezone(&Utc)
}

/// What `gardener` prints for the export: one gardener over every file, in
/// path order.
fn sequential() -> Worklog {
    let mut files = Vec::new();
    sink_files(&sink_dir(), &mut files);
    files.sort();
    // Ballista's executors cannot read compressed files (see `with_gzip`).
    files.retain(|file| file.extension().is_none_or(|e| e != "gz"));
    let mut gardener = Gardener::new();
    for file in &files {
        let mut bytes = Vec::new();
        File::open(file)
            .and_then(|mut opened| opened.read_to_end(&mut bytes))
            .expect("readable test data");
        gardener.feed(&bytes).expect("lenient");
    }
    gardener.finish(now(), vec![]).worklog
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standalone_cluster_gives_the_sequential_worklog() {
    // The standalone executor's function registry is this state's; the
    // aggregate there has no fixed time, so the query passes `now`.
    let state = session_state(session_config(3), LogClusters::new(Options::default()))
        .expect("a session state");
    let ctx = SessionContext::standalone_with_state(state)
        .await
        .expect("a standalone cluster starts");
    register_functions(&ctx, LogClusters::new(Options::default()));
    NdjsonEntries::new([sink_dir().display().to_string() + "/"])
        .with_gzip(false)
        .register(&ctx, "entries")
        .expect("the test export registers");

    let batches = ctx
        .sql("SELECT log_clusters(entry, '2025-09-15T01:00:00Z') AS worklog FROM entries")
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs on the cluster");
    let worklogs: Vec<&str> = batches
        .iter()
        .flat_map(|batch| batch.column(0).as_string::<i32>().iter().flatten())
        .collect();
    let [worklog] = worklogs[..] else {
        panic!("one worklog, not {}", worklogs.len());
    };
    let mut actual = Worklog::from_json(worklog).expect("valid worklog JSON");
    let mut expected = sequential();
    assert!(expected.input.entries_skipped > 0);
    // Read errors name positions in the stream each partition read.
    actual.input.errors.clear();
    expected.input.errors.clear();
    assert_eq!(actual.input.entries_read, expected.input.entries_read);
    assert_eq!(actual.clusters.len(), expected.clusters.len());
    // The whole worklog, as JSON, so that a failure shows where it differs.
    assert_eq!(actual.to_json(), expected.to_json());
}
