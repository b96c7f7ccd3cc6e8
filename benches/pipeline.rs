//! criterion benchmarks of each pipeline stage and of the whole, on the
//! embedded sample export (449 entries, 477 KB of gcloud's pretty JSON).
//!
//! `cargo bench --bench pipeline`; throughput is reported in input bytes.

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gardener_fingerprint::{ClusterSet, Clusterer, Masker, Miner};
use gardener_log_model::{Event, EventReader, LogReader, ReadEntry, ReadEvent};
use gardener_prioritize::Prioritizer;
use gardener_report::{render_markdown, RunInfo, Worklog};
use log_gardener::Gardener;
use std::hint::black_box;

const SAMPLE: &[u8] = include_bytes!("../examples/data/sample-export.json");

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_757_896_200, 0).unwrap_or_default()
}

/// Calls `each` with every event of the sample.
fn for_each_event(mut each: impl FnMut(&Event<'_>, &str)) {
    let mut reader = EventReader::new();
    let mut on_event = |result: Result<ReadEvent<'_>, gardener_log_model::Error>| {
        if let Ok(read) = result {
            each(&read.event, &read.raw);
        }
    };
    reader.feed(SAMPLE, &mut on_event);
    reader.finish(&mut on_event);
}

fn cluster_set() -> ClusterSet {
    let mut clusterer = Clusterer::new(Masker::new());
    for_each_event(|event, raw| clusterer.push(event, raw));
    clusterer.into_groups()
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(SAMPLE.len() as u64));

    group.bench_function("read", |b| {
        b.iter(|| {
            let mut reader = LogReader::new();
            let mut entries = 0u64;
            let mut on_entry = |result: Result<ReadEntry<'_>, gardener_log_model::Error>| {
                entries += u64::from(result.is_ok());
            };
            reader.feed(black_box(SAMPLE), &mut on_entry);
            reader.finish(&mut on_entry);
            entries
        })
    });

    group.bench_function("read+normalize", |b| {
        b.iter(|| {
            let mut messages = 0usize;
            for_each_event(|event, _| messages += event.message.len());
            messages
        })
    });

    let mut messages = Vec::new();
    for_each_event(|event, _| messages.push(event.message.to_string()));
    let masker = Masker::new();
    group.bench_function("mask", |b| {
        let mut out = String::new();
        let mut replacements = Vec::new();
        b.iter(|| {
            for message in &messages {
                masker.mask_into(black_box(message), &mut out, &mut replacements);
            }
            out.len()
        })
    });

    group.bench_function("read+normalize+cluster", |b| b.iter(|| cluster_set().len()));

    let set = cluster_set();
    let miner = Miner::default();
    group.bench_function("mine", |b| {
        b.iter(|| set.cluster(black_box(&miner)).clusters().len())
    });

    let clusters = set.cluster(&miner).into_clusters();
    let prioritizer = Prioritizer::default();
    group.bench_function("prioritize", |b| {
        b.iter(|| {
            prioritizer
                .assess_all(black_box(&clusters), None)
                .order
                .len()
        })
    });

    let assessments = prioritizer.assess_all(&clusters, None);
    let run = RunInfo {
        generated_at: now(),
        entries_read: 449,
        entries_skipped: 0,
        errors: Vec::new(),
        sources: Vec::new(),
        entries_joined: 0,
        folded: Default::default(),
    };
    group.bench_function("render", |b| {
        b.iter(|| render_markdown(&Worklog::build(&clusters, &assessments, &run)).len())
    });
    group.finish();
}

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Bytes(SAMPLE.len() as u64));
    group.bench_function("bytes_to_markdown", |b| {
        b.iter(|| {
            let mut gardener = Gardener::new();
            let _ = gardener.feed(black_box(SAMPLE));
            render_markdown(&gardener.finish(now(), Vec::new()).worklog).len()
        })
    });
    group.finish();
}

criterion_group!(benches, stages, end_to_end);
criterion_main!(benches);
