//! `throughput`: end-to-end speed of the pipeline against serde_json on the same bytes.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --bytes 200000000 > corpus.ndjson
//! cargo run --release --example throughput -- corpus.ndjson
//! ```
//!
//! The file is read into memory first, so neither figure includes disk I/O.
//! Both are measured in the same process, interleaved, best of `--runs`:
//! - baseline: split the NDJSON into lines and parse each with serde_json into
//!   a typed struct that borrows its strings (what any Rust tool pays to read
//!   these entries at all);
//! - end to end: `Gardener` from bytes to the rendered Markdown worklog (read,
//!   normalize, mask, cluster, mine, prioritize, render).
//!
//! The last line is `ratio end-to-end/baseline: R`: absolute figures on shared
//! machines drift, the ratio much less.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use log_gardener::{render_markdown, Gardener};
use serde::Deserialize;

/// Measure end-to-end throughput against a serde_json baseline.
#[derive(Debug, Parser)]
#[command(name = "throughput")]
struct Args {
    /// An NDJSON export (see gen_corpus).
    input: PathBuf,
    /// Runs of each measurement; the best is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// The baseline's typed, borrowing view of an entry: the fields a log tool reads.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BaselineEntry<'a> {
    #[serde(borrow)]
    insert_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    log_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    severity: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    receive_timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text_payload: Option<Cow<'a, str>>,
    #[serde(borrow)]
    json_payload: Option<BaselinePayload<'a>>,
    #[serde(borrow)]
    http_request: Option<BaselineRequest<'a>>,
    #[serde(borrow)]
    resource: Option<BaselineResource<'a>>,
    #[serde(borrow)]
    labels: Option<BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
    #[serde(borrow)]
    trace: Option<Cow<'a, str>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct BaselinePayload<'a> {
    #[serde(borrow)]
    message: Option<Cow<'a, str>>,
    #[serde(borrow)]
    labels: Option<BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BaselineRequest<'a> {
    #[serde(borrow)]
    request_method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    request_url: Option<Cow<'a, str>>,
    status: Option<u16>,
    #[serde(borrow)]
    latency: Option<Cow<'a, str>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct BaselineResource<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    labels: Option<BTreeMap<Cow<'a, str>, Cow<'a, str>>>,
}

fn baseline(bytes: &[u8]) -> (usize, usize) {
    let mut entries = 0;
    let mut failed = 0;
    for line in bytes.split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
        match serde_json::from_slice::<BaselineEntry<'_>>(line) {
            Ok(entry) => {
                entries += 1;
                std::hint::black_box(&entry);
            }
            Err(_) => failed += 1,
        }
    }
    (entries, failed)
}

fn end_to_end(bytes: &[u8], now: chrono::DateTime<chrono::Utc>) -> (u64, usize) {
    let mut gardener = Gardener::new();
    for chunk in bytes.chunks(1 << 20) {
        // Lenient mode: feeding never fails.
        let _ = gardener.feed(chunk);
    }
    let outcome = gardener.finish(now, Vec::new());
    let markdown = render_markdown(&outcome.worklog);
    (outcome.worklog.input.entries_read, markdown.len())
}

fn best<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = work();
        let elapsed = start.elapsed();
        if best.as_ref().is_none_or(|(time, _)| elapsed < *time) {
            best = Some((elapsed, result));
        }
    }
    best.expect("at least one run")
}

fn main() -> ExitCode {
    let args = Args::parse();
    let bytes = match std::fs::read(&args.input) {
        Ok(bytes) => bytes,
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "throughput: cannot read {}: {error}",
                args.input.display()
            );
            return ExitCode::from(2);
        }
    };
    let now = chrono::DateTime::from_timestamp(1_757_894_400, 0).unwrap_or_default();
    let megabytes = bytes.len() as f64 / 1e6;

    // Warm up caches and the allocator once, then interleave.
    baseline(&bytes);
    let mut baseline_best = Duration::MAX;
    let mut end_best = Duration::MAX;
    let mut counts = (0, 0);
    let mut read = 0;
    for _ in 0..args.runs.max(1) {
        let (time, result) = best(1, || baseline(&bytes));
        baseline_best = baseline_best.min(time);
        counts = result;
        let (time, (entries, _)) = best(1, || end_to_end(&bytes, now));
        end_best = end_best.min(time);
        read = entries;
    }
    let mut out = io::stdout().lock();
    let rate = |time: Duration, entries: f64| {
        format!(
            "{:.0} MB/s, {:.0} entries/s ({:.3} s)",
            megabytes / time.as_secs_f64(),
            entries / time.as_secs_f64(),
            time.as_secs_f64()
        )
    };
    let lines = [
        format!(
            "input: {} ({megabytes:.1} MB, {} entries, {} unparsable)",
            args.input.display(),
            counts.0,
            counts.1
        ),
        format!(
            "baseline (split lines + serde_json into a typed borrowing struct): {}",
            rate(baseline_best, counts.0 as f64)
        ),
        format!(
            "end-to-end (bytes to Markdown worklog, one thread): {}",
            rate(end_best, read as f64)
        ),
        format!(
            "ratio end-to-end/baseline: {:.2}",
            baseline_best.as_secs_f64() / end_best.as_secs_f64()
        ),
    ];
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
