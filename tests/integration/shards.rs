//! Reading in pieces gives what reading whole gives: `ParallelGardener` at
//! any thread count and batch size, `Gardener::resume` + `finish_shard` at
//! any cut, `Shard::merge` in any order, and `Shard::encode`/`decode`.

use log_gardener::{
    BatchCutter, Gardener, Options, ParallelGardener, ReadConfig, Shard, SHARD_FORMAT_VERSION,
};
use proptest::prelude::*;

use crate::{fixed_now, run, SAMPLE_EXPORT};

/// One thing a service logged.
#[derive(Debug, Clone)]
enum Block {
    /// A plain line.
    Line { instance: u8, word: u8 },
    /// A Python traceback logged one line per entry, as Cloud Run records
    /// unstructured stderr.
    SplitTrace { instance: u8, frames: u8, kind: u8 },
    /// A record that is not JSON.
    Garbage,
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => (0u8..3, 0u8..6).prop_map(|(instance, word)| Block::Line { instance, word }),
        3 => (0u8..3, 1u8..6, 0u8..3).prop_map(|(instance, frames, kind)| Block::SplitTrace { instance, frames, kind }),
        1 => Just(Block::Garbage),
    ]
}

fn entry(insert_id: usize, second: usize, micros: usize, instance: u8, text: &str) -> String {
    let entry = serde_json::json!({
        "insertId": format!("e{insert_id}"),
        "severity": "ERROR",
        "textPayload": text,
        "timestamp": format!("2025-09-14T10:{:02}:{:02}.{micros:06}Z", second / 60 % 60, second % 60),
        "logName": "projects/p/logs/run.googleapis.com%2Fstderr",
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api", "revision_name": "api-00002-abc"}},
        "labels": {"instanceId": format!("instance-{instance}")},
    });
    format!("{entry}\n")
}

/// The blocks as NDJSON, oldest first.
fn ndjson(blocks: &[Block]) -> Vec<u8> {
    let mut out = String::new();
    let mut id = 0;
    for (second, block) in blocks.iter().enumerate() {
        match block {
            Block::Line { instance, word } => {
                id += 1;
                let text = format!("cache {word} refreshed after {second} ms");
                out.push_str(&entry(id, second, 0, *instance, &text));
            }
            Block::SplitTrace {
                instance,
                frames,
                kind,
            } => {
                let mut lines = vec!["Traceback (most recent call last):".to_owned()];
                for frame in 0..*frames {
                    lines.push(format!(
                        "  File \"/app/module{frame}.py\", line {}, in handler{frame}",
                        10 + frame
                    ));
                    lines.push(format!("    call_{frame}()"));
                }
                let kinds = ["KeyError: 'user'", "ValueError: bad input", "TimeoutError"];
                lines.push(kinds[usize::from(*kind)].to_owned());
                for (line, text) in lines.iter().enumerate() {
                    id += 1;
                    out.push_str(&entry(id, second, 10 + line * 10, *instance, text));
                }
            }
            Block::Garbage => out.push_str("this is { not json\n"),
        }
    }
    out.into_bytes()
}

fn markdown(outcome: &log_gardener::Outcome) -> String {
    log_gardener::render_markdown(&outcome.worklog)
}

fn parallel(input: &[u8], threads: usize, batch_bytes: usize, chunk: usize) -> String {
    let mut gardener = ParallelGardener::with_batch_bytes(Options::default(), threads, batch_bytes);
    for piece in input.chunks(chunk.max(1)) {
        gardener.feed(piece).expect("workers run");
    }
    let outcome = gardener
        .finish(fixed_now(), vec!["sample".to_owned()])
        .expect("workers run");
    markdown(&outcome)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Batches as small as one record put a possible cut between every two
    /// records; the cutter must never split a trace, and the merged shards
    /// must give the sequential worklog byte for byte.
    #[test]
    fn threads_do_not_change_the_worklog(
        blocks in proptest::collection::vec(block(), 1..40),
        threads in 2usize..5,
        batch_bytes in 1usize..3000,
        chunk in 1usize..5000,
    ) {
        let input = ndjson(&blocks);
        let sequential = markdown(&run(&input, chunk, Options::default()));
        prop_assert_eq!(parallel(&input, threads, batch_bytes, chunk), sequential);
    }
}

#[test]
fn threads_do_not_change_the_sample_worklog() {
    let sequential = markdown(&run(SAMPLE_EXPORT, 1 << 16, Options::default()));
    for batch_bytes in [1, 4096, 1 << 20] {
        assert_eq!(parallel(SAMPLE_EXPORT, 3, batch_bytes, 8192), sequential);
    }
}

#[test]
fn the_cutter_never_cuts_inside_a_split_trace() {
    let blocks: Vec<Block> = (0..30)
        .map(|i| Block::SplitTrace {
            instance: (i % 2) as u8,
            frames: 3,
            kind: (i % 3) as u8,
        })
        .collect();
    let input = ndjson(&blocks);
    let mut cutter = BatchCutter::new(ReadConfig::default(), 1);
    let mut starts = Vec::new();
    cutter.push(&input, &mut |batch| {
        starts.push(batch.start.position.offset)
    });
    starts.push(cutter.finish().start.position.offset);
    // Every cut falls just before a traceback's first line.
    let end = input.len() as u64;
    for start in starts.into_iter().filter(|&start| start > 0 && start < end) {
        let rest = &input[usize::try_from(start).expect("small")..];
        let first_line = rest
            .split(|&b| b == b'\n')
            .find(|line| !line.is_empty())
            .expect("a record");
        let text = String::from_utf8_lossy(first_line);
        assert!(
            text.contains("Traceback (most recent call last):"),
            "cut before {text}"
        );
    }
}

/// Cuts `input` at every record boundary the cutter allows, reads each piece
/// with `Gardener::resume`, and returns the shards.
fn shards_of(input: &[u8], batch_bytes: usize) -> Vec<Shard> {
    let mut cutter = BatchCutter::new(ReadConfig::default(), batch_bytes);
    let mut batches = Vec::new();
    cutter.push(input, &mut |batch| batches.push(batch));
    batches.push(cutter.finish());
    batches
        .into_iter()
        .map(|batch| {
            let mut gardener = Gardener::resume(Options::default(), batch.start);
            gardener.feed(&batch.bytes).expect("lenient");
            gardener.finish_shard()
        })
        .collect()
}

fn whole_shard(input: &[u8]) -> Shard {
    let mut gardener = Gardener::new();
    gardener.feed(input).expect("lenient");
    gardener.finish_shard()
}

#[test]
fn resumed_shards_merge_into_the_whole() {
    let blocks: Vec<Block> = (0..60u8)
        .map(|i| match i % 4 {
            0 => Block::SplitTrace {
                instance: i % 3,
                frames: 2,
                kind: i % 3,
            },
            1 => Block::Garbage,
            _ => Block::Line {
                instance: i % 3,
                word: i % 5,
            },
        })
        .collect();
    let input = ndjson(&blocks);
    let whole = whole_shard(&input);
    assert!(whole.stats.read.errors > 0, "the input has bad records");
    assert!(
        whole.stats.join.joined_events > 0,
        "the input has split traces"
    );
    let shards = shards_of(&input, 500);
    assert!(shards.len() > 3, "cut into {} shards", shards.len());

    let mut forward = Shard::default();
    for shard in shards.iter().cloned() {
        forward.merge(shard);
    }
    assert_eq!(forward, whole);

    let mut backward = Shard::default();
    for shard in shards.iter().rev().cloned() {
        backward.merge(shard);
    }
    assert_eq!(backward, whole);

    // Errors keep the positions of the whole input.
    let offsets: Vec<u64> = whole.errors.iter().map(|error| error.offset).collect();
    assert!(offsets.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(whole.errors[0].message.contains("record"));
}

#[test]
fn merge_is_associative() {
    let input = ndjson(
        &(0..40u8)
            .map(|i| Block::Line {
                instance: i % 3,
                word: i % 6,
            })
            .collect::<Vec<_>>(),
    );
    let shards = shards_of(&input, 700);
    assert!(shards.len() >= 3);
    let (a, b, c) = (shards[0].clone(), shards[1].clone(), shards[2].clone());
    let mut left = a.clone();
    left.merge(b.clone());
    left.merge(c.clone());
    let mut bc = b;
    bc.merge(c);
    let mut right = a;
    right.merge(bc);
    assert_eq!(left, right);
}

#[test]
fn shards_encode_and_decode() {
    let shard = whole_shard(SAMPLE_EXPORT);
    let bytes = shard.encode().expect("encodes");
    assert_eq!(Shard::decode(&bytes).expect("decodes"), shard);
    let text = String::from_utf8(bytes).expect("JSON");
    assert!(text.contains(&format!("\"shard_format_version\":{SHARD_FORMAT_VERSION}")));

    let future = text.replacen(
        &format!("\"shard_format_version\":{SHARD_FORMAT_VERSION}"),
        "\"shard_format_version\":999",
        1,
    );
    let error = Shard::decode(future.as_bytes()).expect_err("a newer format is refused");
    assert!(error.to_string().contains("999"), "{error}");
    assert!(Shard::decode(b"{\"groups\": 1}").is_err());
}

#[test]
fn a_shard_gives_the_worklog_of_its_input() {
    let outcome = whole_shard(SAMPLE_EXPORT).into_outcome(
        &Options::default(),
        fixed_now(),
        vec!["sample".to_owned()],
    );
    let sequential = run(SAMPLE_EXPORT, 1 << 16, Options::default());
    assert_eq!(outcome.worklog, sequential.worklog);
}
