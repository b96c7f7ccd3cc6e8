//! The test export, the sequential reference run, and queries over it.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::config::SessionConfig;
use datafusion::prelude::SessionContext;
use flate2::read::MultiGzDecoder;
use gardener_datafusion::{register_functions, LogClusters, NdjsonEntries};
use log_gardener::{Gardener, Options, Worklog};

/// The time every worklog of the tests is stamped with.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-09-15T01:00:00Z")
        .expect("valid time")
        .with_timezone(&Utc)
}

/// The test export: the layout of a Cloud Storage sink (see
/// `tests/data/make_sink.py`).
pub fn sink_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sink")
}

/// Every file of the export, in path order.
pub fn sink_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable test data") {
            let path = entry.expect("readable test data").path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&sink_dir(), &mut files);
    files.sort();
    files
}

/// The bytes of a file, decompressed if it ends in `.gz`.
pub fn contents(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    let file = File::open(path).expect("readable test data");
    if path.extension().is_some_and(|e| e == "gz") {
        MultiGzDecoder::new(file).read_to_end(&mut bytes)
    } else {
        (&file).read_to_end(&mut bytes)
    }
    .expect("readable test data");
    bytes
}

/// What `gardener` prints for these files: one gardener over all of them,
/// in order.
pub fn sequential(options: &Options, files: &[PathBuf], sources: Vec<String>) -> Worklog {
    let mut gardener = Gardener::with_options(options.clone());
    for file in files {
        gardener.feed(&contents(file)).expect("lenient");
    }
    gardener.finish(now(), sources).worklog
}

/// A context with the functions registered, stamping worklogs with [`now`].
pub fn context(config: SessionConfig, options: Options, sources: Vec<String>) -> SessionContext {
    let ctx = SessionContext::new_with_config(config);
    register_functions(
        &ctx,
        LogClusters::new(options)
            .generated_at(now())
            .sources(sources),
    );
    ctx
}

/// Registers the export as table `entries`.
pub fn register_sink(ctx: &SessionContext) {
    NdjsonEntries::new([sink_dir().display().to_string() + "/"])
        .register(ctx, "entries")
        .expect("the test export registers");
}

/// Runs `sql` and returns its rows, all columns as text (NULL as `None`).
pub async fn rows(ctx: &SessionContext, sql: &str) -> Vec<Vec<Option<String>>> {
    let batches: Vec<RecordBatch> = ctx
        .sql(sql)
        .await
        .expect("plans")
        .collect()
        .await
        .expect("runs");
    let mut rows = Vec::new();
    for batch in &batches {
        for row in 0..batch.num_rows() {
            rows.push(
                batch
                    .columns()
                    .iter()
                    .map(|column| {
                        let column = cast(column, &DataType::Utf8).expect("columns cast to text");
                        let column = column.as_string::<i32>();
                        (!column.is_null(row)).then(|| column.value(row).to_owned())
                    })
                    .collect(),
            );
        }
    }
    rows
}

/// The worklog of the one row of `SELECT log_clusters(entry) FROM entries`.
pub async fn worklog(ctx: &SessionContext) -> Worklog {
    let rows = rows(ctx, "SELECT log_clusters(entry) FROM entries").await;
    let [row] = &rows[..] else {
        panic!("one row, not {}", rows.len());
    };
    Worklog::from_json(row[0].as_deref().expect("a worklog")).expect("valid worklog JSON")
}

/// A worklog without what depends on where partitions start: the read
/// errors name positions in the stream each partition read (their number
/// is kept, in `entries_skipped`).
pub fn without_error_positions(mut worklog: Worklog) -> Worklog {
    worklog.input.errors.clear();
    worklog
}

/// Asserts two worklogs are equal, showing the first lines of their JSON
/// that differ (a whole worklog is too long to read in a failure).
#[track_caller]
pub fn assert_same(actual: &Worklog, expected: &Worklog, context: &str) {
    if actual == expected {
        return;
    }
    let (actual, expected) = (actual.to_json(), expected.to_json());
    let differences: Vec<String> = actual
        .lines()
        .zip(expected.lines())
        .enumerate()
        .filter(|(_, (a, e))| a != e)
        .take(12)
        .map(|(line, (a, e))| format!("line {}:\n  actual:   {a}\n  expected: {e}", line + 1))
        .collect();
    panic!(
        "{context}: worklogs differ ({} and {} lines of JSON)\n{}",
        actual.lines().count(),
        expected.lines().count(),
        differences.join("\n")
    );
}
