//! `EventReader`: the first stage's owning type, bytes in, events out.

use crate::error::Error;
use crate::join::{JoinLimits, JoinStats, ReadEvent, TraceJoiner};
use crate::reader::{LogReader, ReadEntry, ReadStats};
use crate::splitter::{Checkpoint, DEFAULT_MAX_RECORD_BYTES};

/// How an [`EventReader`] (and a [`BatchCutter`](crate::BatchCutter)) reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadConfig {
    /// Re-join stack traces logged one line per entry (default true).
    /// Joining needs a trace's lines to arrive together, oldest or newest
    /// first.
    pub join_traces: bool,
    /// The joiner's memory limits.
    pub join_limits: JoinLimits,
    /// Records larger than this are skipped as errors.
    pub max_record_bytes: usize,
}

impl Default for ReadConfig {
    fn default() -> ReadConfig {
        ReadConfig {
            join_traces: true,
            join_limits: JoinLimits::default(),
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

impl ReadConfig {
    /// The default configuration, with trace joining on or off.
    pub fn joining(join_traces: bool) -> ReadConfig {
        ReadConfig {
            join_traces,
            ..ReadConfig::default()
        }
    }
}

/// Counts kept by an [`EventReader`]: entries read, records skipped, lines
/// joined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EventStats {
    /// What the reader read and skipped.
    pub read: ReadStats,
    /// What the joiner joined.
    pub join: JoinStats,
}

impl EventStats {
    /// Adds the counts of another part of the same input.
    pub fn merge(&mut self, other: &EventStats) {
        self.read.entries = self.read.entries.saturating_add(other.read.entries);
        self.read.errors = self.read.errors.saturating_add(other.read.errors);
        self.join.merge(&other.join);
    }
}

/// Reads Cloud Logging exports into normalized [`Event`](crate::Event)s,
/// chunk by chunk, re-joining stack traces that were logged one line per
/// entry.
///
/// It owns the whole first stage: a [`LogReader`] finds and parses the
/// entries, each becomes an event, and unstructured text lines go through a
/// [`TraceJoiner`] (everything else passes straight on, still borrowing from
/// the input). A joined event's [`raw`](ReadEvent::raw) text is its first
/// line's entry with the whole trace as `textPayload` and the insertIds of
/// all its lines as `joinedInsertIds`.
///
/// Events and positioned errors are handed to a callback, because events
/// borrow from the reader's buffer. What to do with an error (skip and
/// count, or stop) is the caller's choice.
///
/// ```
/// use gardener_log_model::{EventReader, Severity};
///
/// let export = br#"[
///   {"insertId": "c", "severity": "ERROR", "textPayload": "ZeroDivisionError: division by zero", "timestamp": "2025-09-14T10:00:00.000030Z", "labels": {"instanceId": "i1"}},
///   {"insertId": "b", "severity": "ERROR", "textPayload": "  File \"/app/main.py\", line 3, in <module>", "timestamp": "2025-09-14T10:00:00.000020Z", "labels": {"instanceId": "i1"}},
///   {"insertId": "a", "severity": "ERROR", "textPayload": "Traceback (most recent call last):", "timestamp": "2025-09-14T10:00:00.000010Z", "labels": {"instanceId": "i1"}}
/// ]"#;
/// let mut reader = EventReader::new();
/// let mut summaries = Vec::new();
/// let mut on_event = |read: Result<gardener_log_model::ReadEvent<'_>, gardener_log_model::Error>| {
///     if let Ok(read) = read {
///         summaries.push((read.event.summary().into_owned(), read.event.insert_ids().count()));
///     }
/// };
/// reader.feed(export, &mut on_event);
/// reader.finish(&mut on_event);
/// assert_eq!(summaries, [("ZeroDivisionError: division by zero".to_owned(), 3)]);
/// assert_eq!(reader.stats().join.joined_lines, 3);
/// ```
#[derive(Debug)]
pub struct EventReader {
    reader: LogReader,
    gate: JoinGate,
}

impl Default for EventReader {
    fn default() -> EventReader {
        EventReader::new()
    }
}

impl EventReader {
    /// A reader with the default [`ReadConfig`].
    pub fn new() -> EventReader {
        EventReader::with_config(ReadConfig::default())
    }

    /// A reader with the given configuration.
    pub fn with_config(config: ReadConfig) -> EventReader {
        EventReader {
            reader: LogReader::with_max_record_bytes(config.max_record_bytes),
            gate: JoinGate::new(config),
        }
    }

    /// A reader for the part of an input that starts at `checkpoint`, taken
    /// by a [`BatchCutter`](crate::BatchCutter) (or a
    /// [`RecordSplitter`](crate::RecordSplitter)) over the whole input:
    /// positions are those of the whole input.
    pub fn resume(config: ReadConfig, checkpoint: Checkpoint) -> EventReader {
        EventReader {
            reader: LogReader::resume_with_max_record_bytes(checkpoint, config.max_record_bytes),
            gate: JoinGate::new(config),
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> EventStats {
        EventStats {
            read: self.reader.stats(),
            join: self.gate.joiner.stats(),
        }
    }

    /// Feeds a chunk of input; calls `on_event` for every event or error it
    /// completes.
    pub fn feed<F>(&mut self, chunk: &[u8], on_event: &mut F)
    where
        F: FnMut(Result<ReadEvent<'_>, Error>),
    {
        let EventReader { reader, gate } = self;
        reader.feed(chunk, &mut |read| gate.pass(read, on_event));
    }

    /// Ends the input: reports a record left unfinished and hands out every
    /// event still held by the joiner.
    pub fn finish<F>(&mut self, on_event: &mut F)
    where
        F: FnMut(Result<ReadEvent<'_>, Error>),
    {
        let EventReader { reader, gate } = self;
        reader.finish(&mut |read| gate.pass(read, on_event));
        for item in gate.joiner.finish() {
            on_event(Ok(item));
        }
    }
}

/// Decides which entries go through the trace joiner: only plain text lines
/// can be parts of a split trace; everything else skips it (clustering does
/// not depend on order, and the joiner's time bookkeeping sees only what it
/// can join).
#[derive(Debug)]
pub(crate) struct JoinGate {
    pub(crate) joiner: TraceJoiner,
    join_traces: bool,
}

impl JoinGate {
    pub(crate) fn new(config: ReadConfig) -> JoinGate {
        JoinGate {
            joiner: TraceJoiner::with_limits(config.join_limits),
            join_traces: config.join_traces,
        }
    }

    /// Whether an entry goes through the joiner.
    pub(crate) fn joins(&self, read: &ReadEntry<'_>) -> bool {
        self.join_traces && read.entry.text_payload.is_some()
    }

    pub(crate) fn pass<F>(&mut self, read: Result<ReadEntry<'_>, Error>, on_event: &mut F)
    where
        F: FnMut(Result<ReadEvent<'_>, Error>),
    {
        match read {
            Ok(read) if self.joins(&read) => {
                for item in self.joiner.push(ReadEvent::from(read)) {
                    on_event(Ok(item));
                }
            }
            Ok(read) => on_event(Ok(ReadEvent::from(read))),
            Err(error) => on_event(Err(error)),
        }
    }
}
