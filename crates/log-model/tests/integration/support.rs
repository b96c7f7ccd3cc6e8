//! Helpers shared by the test modules.

use gardener_log_model::{Error, Event, LogEntry, LogReader, ReadEntry};
use serde_json::Value;

/// One entry as the tests look at it: where it was and what it became.
pub struct Read {
    pub position: String,
    pub event: Event<'static>,
}

/// Reads `input` in chunks of `chunk` bytes; returns the entries and errors.
pub fn read_chunked(input: &[u8], chunk: usize) -> (Vec<Read>, Vec<Error>) {
    let mut reader = LogReader::new();
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut on_entry = |result: Result<ReadEntry<'_>, Error>| match result {
        Ok(read) => entries.push(Read {
            position: read.position.to_string(),
            event: Event::from_entry(read.entry).into_owned(),
        }),
        Err(error) => errors.push(error),
    };
    for piece in input.chunks(chunk.max(1)) {
        reader.feed(piece, &mut on_entry);
    }
    reader.finish(&mut on_entry);
    (entries, errors)
}

/// Reads `input` whole.
pub fn read(input: &[u8]) -> (Vec<Read>, Vec<Error>) {
    read_chunked(input, input.len())
}

/// The event as JSON, with its summary, for snapshots.
pub fn event_json(event: &Event<'_>) -> Value {
    let mut value = serde_json::to_value(event).expect("events serialize");
    if let Value::Object(map) = &mut value {
        map.insert(
            "summary".to_owned(),
            Value::String(event.summary().into_owned()),
        );
    }
    value
}

/// Normalizes one entry given as JSON text.
pub fn event_of(json: &str) -> Event<'_> {
    Event::from_entry(LogEntry::from_json(json.as_bytes()).expect("valid entry"))
}

/// Splits a fixture into its `==== name` cases.
pub fn cases(text: &str) -> Vec<(&str, String)> {
    let mut cases: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("==== ") {
            cases.push((name.trim(), String::new()));
        } else if let Some((_, body)) = cases.last_mut() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(line);
        }
    }
    cases
}

/// The trace fixture of every language, one file each.
pub const TRACE_FIXTURES: [&str; 7] = [
    include_str!("../data/traces/python.txt"),
    include_str!("../data/traces/java.txt"),
    include_str!("../data/traces/javascript.txt"),
    include_str!("../data/traces/go.txt"),
    include_str!("../data/traces/ruby.txt"),
    include_str!("../data/traces/php.txt"),
    include_str!("../data/traces/dotnet.txt"),
];
