//! Properties: the reader never panics, on any bytes or any JSON, and the
//! way the input is cut into chunks does not change what it reads.

use gardener_log_model::{Error, Event, LogReader, ReadEntry, ReadEvent, StackTrace, TraceJoiner};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Everything read, as comparable text: events (as JSON) and error positions.
fn read_everything(chunks: &[&[u8]]) -> (Vec<String>, Vec<String>) {
    let mut reader = LogReader::new();
    let mut joiner = TraceJoiner::new();
    let mut events = Vec::new();
    let mut errors = Vec::new();
    let mut on_entry = |result: Result<ReadEntry<'_>, Error>| match result {
        Ok(read) => {
            let event = Event::from_entry(read.entry);
            let _ = event.summary();
            let _ = event.insert_ids().count();
            events.push(serde_json::to_string(&event).expect("events serialize"));
            let item = ReadEvent::new(event, read.raw, read.position);
            for ready in joiner.push(item) {
                let _ = ready.event.summary();
            }
        }
        // The excerpt depends on how much input was buffered; the position
        // and kind must not.
        Err(error) => errors.push(format!("{:?} at {}", error.kind(), error.position())),
    };
    for chunk in chunks {
        reader.feed(chunk, &mut on_entry);
    }
    reader.finish(&mut on_entry);
    for ready in joiner.finish() {
        let _ = ready.event.summary();
    }
    let stats = reader.stats();
    assert_eq!(stats.entries as usize, events.len());
    assert_eq!(stats.errors as usize, errors.len());
    (events, errors)
}

/// Keys a log entry may have, at any depth, so that generated objects reach
/// the interesting code rather than being ignored.
const KEYS: &[&str] = &[
    "insertId",
    "insert_id",
    "logName",
    "log_name",
    "textPayload",
    "text_payload",
    "jsonPayload",
    "json_payload",
    "protoPayload",
    "httpRequest",
    "severity",
    "timestamp",
    "receiveTimestamp",
    "labels",
    "resource",
    "type",
    "trace",
    "spanId",
    "traceSampled",
    "sourceLocation",
    "operation",
    "split",
    "errorGroups",
    "entries",
    "nextPageToken",
    "message",
    "msg",
    "Body",
    "event",
    "error",
    "err",
    "stack_trace",
    "exception",
    "errorEvent",
    "serviceContext",
    "context",
    "reportLocation",
    "line",
    "status",
    "latency",
    "requestUrl",
    "requestMethod",
    "requestSize",
    "@type",
    "logging.googleapis.com/labels",
    "logging.googleapis.com/trace",
    "logging.googleapis.com/sourceLocation",
    "logging.googleapis.com/operation",
    "timestampSeconds",
    "timestampNanos",
    "time",
    "eventTime",
    "level",
    "id",
    "seconds",
    "nanos",
    "file",
    "function",
    "lineNumber",
    "instanceId",
    "service_name",
    "module_id",
    "job_name",
    "logMessage",
    "methodName",
    "code",
    "uid",
    "index",
    "totalSplits",
    "first",
];

/// Strings that look like what the fields hold: traces, times, durations, levels.
const STRINGS: &[&str] = &[
    "",
    "ERROR",
    "warn",
    "500",
    "2025-09-14T10:00:00.123456789Z",
    "2025-09-14T12:00:00+02:00",
    "0.783137066s",
    "projects/p/logs/run.googleapis.com%2Fstderr",
    "projects/p/traces/abc",
    "cloud_run_revision",
    "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent",
    "Traceback (most recent call last):\n  File \"/app/a.py\", line 1, in f\nKeyError: 'k'",
    "java.lang.X: y\n\tat a.B.c(B.java:1)\nCaused by: q.R: s\n\tat d.E.f(E.java:2)\n\t... 9 more",
    "TypeError: x\n    at f (/app/a.js:1:2)\n    at async g (index 0)",
    "panic: x [recovered]\n\tpanic: y\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/app/m.go:3 +0x1\npanic({0x1?})\n\t/usr/local/go/src/runtime/panic.go:1\ncreated by main.main in goroutine 1",
    "/app/a.rb:1:in 'f': m (E)\n\tfrom /app/b.rb:2:in 'g'",
    "PHP Fatal error:  Uncaught E: m in /a.php:1\nStack trace:\n#0 /b.php(2): f()\n#1 {main}\nPHP Stack trace:\nPHP   1. {main}() /a.php:0",
    "System.X: m\n ---> System.Y (0x1): n\n   at A.B.<C>d__1.MoveNext() in /s/a.cs:line 1\n   --- End of inner exception stack trace ---",
    "/x.py:3: UserWarning: w\n  warnings.warn(w)",
    "{\"seconds\": 1, \"nanos\": 2}",
    "é🔴\u{0}\\",
];

/// Every line of every trace fixture and of the strings above, with pieces
/// of them.
fn trace_lines() -> Vec<String> {
    let fixtures = crate::support::TRACE_FIXTURES;
    let mut lines: Vec<String> = fixtures
        .iter()
        .chain(STRINGS)
        .flat_map(|text| text.lines())
        .filter(|line| !line.starts_with("===="))
        .map(str::to_owned)
        .collect();
    let pieces: Vec<String> = lines
        .iter()
        .flat_map(|line| {
            let cuts: Vec<usize> = line
                .char_indices()
                .map(|(index, _)| index)
                .step_by(7)
                .collect();
            cuts.into_iter().map(move |cut| line[..cut].to_owned())
        })
        .collect();
    lines.extend(pieces);
    lines
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
        ".{0,20}".prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z_@./]{0,10}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..10)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Mostly objects: what a log file holds.
fn entry() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::collection::vec((key(), json()), 0..12)
            .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        1 => json(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any bytes, cut anywhere, give entries or errors, never a panic.
    #[test]
    fn reader_never_panics_on_bytes(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8)) {
        let chunks: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
        read_everything(&chunks);
    }

    /// Any JSON values, written as an array, as NDJSON or pretty and
    /// concatenated, read the same whole or cut at any byte.
    #[test]
    fn any_json_reads_the_same_however_cut(values in prop::collection::vec(entry(), 0..6), shape in 0u8..3, cut in any::<prop::sample::Index>()) {
        let text = match shape {
            0 => serde_json::to_string_pretty(&Value::Array(values)).expect("serializes"),
            1 => values.iter().map(|value| format!("{value}\n")).collect(),
            _ => values.iter().map(|value| serde_json::to_string_pretty(value).expect("serializes")).collect(),
        };
        let bytes = text.as_bytes();
        let cut = cut.index(bytes.len() + 1);
        let whole = read_everything(&[bytes]);
        let split = read_everything(&[&bytes[..cut], &bytes[cut..]]);
        prop_assert_eq!(whole, split);
    }

    /// Any mix of trace lines of every language, cut and shuffled, parses or
    /// not, never panics, and a parsed trace always has an exception.
    #[test]
    fn trace_parsers_never_panic(lines in prop::collection::vec(prop_oneof![
        4 => prop::sample::select(trace_lines()),
        1 => ".{0,30}",
    ], 0..30)) {
        let text = lines.join("\n");
        if let Some(trace) = StackTrace::parse(&text) {
            prop_assert!(!trace.exceptions.is_empty());
            let _ = (trace.root_cause(), trace.outermost());
        }
    }

    /// Entries split at any byte read the same as the whole input.
    #[test]
    fn chunking_does_not_change_the_result(cut in 0usize..3000) {
        let input = include_bytes!("../data/gcloud_array.json");
        let cut = cut.min(input.len());
        let whole = read_everything(&[input]);
        let split = read_everything(&[&input[..cut], &input[cut..]]);
        prop_assert_eq!(whole, split);
    }
}
