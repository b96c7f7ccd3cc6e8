//! Re-joining stack traces that were logged one line per entry.
//!
//! Cloud Run (and other agents) record a container's unstructured stderr one
//! line per entry, so a traceback of 40 lines becomes 40 entries, a few
//! microseconds apart, and `gcloud logging read` prints them newest first.
//! [`TraceJoiner`] puts such lines back together, streaming and with bounded
//! memory, without doing any I/O.

use std::borrow::Cow;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::Position;
use crate::event::{Event, PayloadKind};
use crate::reader::ReadEntry;
use crate::StackTrace;

mod lines;

/// An event with the entry it came from: what a [`TraceJoiner`] takes and
/// gives back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReadEvent<'a> {
    /// The normalized event. A joined event has the lines of all its entries
    /// in its message and their insertIds in
    /// [`joined_insert_ids`](Event::joined_insert_ids).
    pub event: Event<'a>,
    /// The entry's JSON text as read (for a joined event: its first line's).
    pub raw: Cow<'a, str>,
    /// Where the entry starts in the input (for a joined event: its first
    /// line's).
    pub position: Position,
}

impl<'a> ReadEvent<'a> {
    /// An item of an event, its entry's JSON text and position.
    pub fn new(
        event: Event<'a>,
        raw: impl Into<Cow<'a, str>>,
        position: Position,
    ) -> ReadEvent<'a> {
        ReadEvent {
            event,
            raw: raw.into(),
            position,
        }
    }

    /// Detaches the item from the input it borrows.
    pub fn into_owned(self) -> ReadEvent<'static> {
        ReadEvent {
            event: self.event.into_owned(),
            raw: Cow::Owned(self.raw.into_owned()),
            position: self.position,
        }
    }
}

impl<'a> From<ReadEntry<'a>> for ReadEvent<'a> {
    /// Normalizes the entry into its [`Event`].
    fn from(read: ReadEntry<'a>) -> ReadEvent<'a> {
        ReadEvent {
            event: Event::from_entry(read.entry),
            raw: Cow::Borrowed(read.raw),
            position: read.position,
        }
    }
}

/// The limits of a [`TraceJoiner`]. Every limit bounds memory; hitting one
/// is counted in [`JoinStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct JoinLimits {
    /// Lines further apart than this are never joined. Default 50 ms: the
    /// lines of one trace are written microseconds apart.
    pub max_gap: Duration,
    /// How far out of time order the input may be: lines are held until the
    /// input has moved this far past them. Default 1 s (`gcloud logging
    /// tail` buffers 2 s, but orders within the buffer).
    pub max_disorder: Duration,
    /// The most lines held for one instance and log. Default 1000.
    pub max_lines_per_source: usize,
    /// The most bytes (message and raw JSON) held for one instance and log.
    /// Default 4 MiB.
    pub max_bytes_per_source: usize,
    /// The most instances and logs with lines held at once; past it, the one
    /// that waited longest is released. Default 256.
    pub max_sources: usize,
    /// Lines are released at the latest after this many further items were
    /// pushed, for input whose time does not move. Default 100 000.
    pub max_pushes_held: u64,
}

impl Default for JoinLimits {
    fn default() -> JoinLimits {
        JoinLimits {
            max_gap: Duration::from_millis(50),
            max_disorder: Duration::from_secs(1),
            max_lines_per_source: 1000,
            max_bytes_per_source: 4 << 20,
            max_sources: 256,
            max_pushes_held: 100_000,
        }
    }
}

/// Counts kept by a [`TraceJoiner`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct JoinStats {
    /// Joined events made.
    pub joined_events: u64,
    /// Entries that went into joined events.
    pub joined_lines: u64,
    /// Times held lines were released early because a [`JoinLimits`] limit
    /// was reached (a trace then may come out in pieces).
    pub limit_releases: u64,
}

impl JoinStats {
    /// Adds the counts of another part of the same input.
    pub fn merge(&mut self, other: &JoinStats) {
        self.joined_events = self.joined_events.saturating_add(other.joined_events);
        self.joined_lines = self.joined_lines.saturating_add(other.joined_lines);
        self.limit_releases = self.limit_releases.saturating_add(other.limit_releases);
    }
}

/// Re-joins stack traces that were logged one line per entry into one event.
///
/// Feed every event, in input order, to [`push`](TraceJoiner::push); it
/// returns the items that are ready, and [`finish`](TraceJoiner::finish)
/// returns the rest. Every pushed item comes out exactly once, either as it
/// went in or inside a joined event that lists the insertIds of all its
/// lines.
///
/// Only single-line `textPayload` entries with a timestamp are candidates
/// (unstructured output); everything else passes straight through, still
/// borrowing from the input. Candidates are held (as owned copies) per
/// instance and log, until the input has moved past them, and then cut into
/// traces by a per-language line grammar (Python, Java, JavaScript, Go,
/// Ruby, PHP, .NET): a trace's lines must be consecutive, of the same
/// instance and log, and at most [`JoinLimits::max_gap`] apart. The input may
/// come oldest first or newest first (`gcloud logging read`'s order): held
/// lines are ordered by timestamp, then insertId.
///
/// Items come out in input order, except that held lines come out when they
/// are released, after items that passed through meanwhile.
///
/// ```
/// use gardener_log_model::{ReadEvent, LogReader, TraceJoiner};
///
/// // A traceback logged one line per entry, newest first.
/// let export = br#"[
///   {"insertId": "c", "textPayload": "ZeroDivisionError: division by zero", "timestamp": "2025-09-14T10:00:00.000030Z", "labels": {"instanceId": "i1"}},
///   {"insertId": "b", "textPayload": "  File \"/app/main.py\", line 3, in <module>", "timestamp": "2025-09-14T10:00:00.000020Z", "labels": {"instanceId": "i1"}},
///   {"insertId": "a", "textPayload": "Traceback (most recent call last):", "timestamp": "2025-09-14T10:00:00.000010Z", "labels": {"instanceId": "i1"}}
/// ]"#;
/// let mut reader = LogReader::new();
/// let mut joiner = TraceJoiner::new();
/// let mut summaries = Vec::new();
/// let mut on_entry = |read: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
///     for item in joiner.push(ReadEvent::from(read.expect("valid"))) {
///         summaries.push((item.event.summary().into_owned(), item.event.insert_ids().map(str::to_owned).collect::<Vec<_>>()));
///     }
/// };
/// reader.feed(export, &mut on_entry);
/// reader.finish(&mut on_entry);
/// for item in joiner.finish() {
///     summaries.push((item.event.summary().into_owned(), item.event.insert_ids().map(str::to_owned).collect()));
/// }
/// assert_eq!(summaries, [("ZeroDivisionError: division by zero".to_owned(), vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])]);
/// ```
#[derive(Debug, Default)]
pub struct TraceJoiner {
    limits: JoinLimits,
    sources: Vec<Source>,
    pushes: u64,
    groups_started: u64,
    stats: JoinStats,
}

/// The held lines of one instance and log.
#[derive(Debug)]
struct Source {
    /// Which run of held lines this is: a new number for every run.
    group: u64,
    service: Option<String>,
    instance: Option<String>,
    log_name: Option<String>,
    lines: Vec<Held>,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
    bytes: usize,
    last_push: u64,
}

#[derive(Debug)]
struct Held {
    item: ReadEvent<'static>,
    time: DateTime<Utc>,
    push: u64,
}

/// The items a [`TraceJoiner::push`] made ready, in order.
#[derive(Debug)]
pub struct Ready<'a> {
    released: std::vec::IntoIter<ReadEvent<'static>>,
    current: Option<ReadEvent<'a>>,
}

impl<'a> Iterator for Ready<'a> {
    type Item = ReadEvent<'a>;

    fn next(&mut self) -> Option<ReadEvent<'a>> {
        self.released.next().or_else(|| self.current.take())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let count = self.released.len() + usize::from(self.current.is_some());
        (count, Some(count))
    }
}

impl ExactSizeIterator for Ready<'_> {}

impl TraceJoiner {
    /// A joiner with the default [`JoinLimits`].
    pub fn new() -> TraceJoiner {
        TraceJoiner::default()
    }

    /// A joiner with the given limits.
    pub fn with_limits(limits: JoinLimits) -> TraceJoiner {
        TraceJoiner {
            limits,
            ..TraceJoiner::default()
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> JoinStats {
        self.stats
    }

    /// Lines held right now.
    pub fn held_lines(&self) -> usize {
        self.sources.iter().map(|source| source.lines.len()).sum()
    }

    /// Takes the next item of the input; returns the items now ready.
    pub fn push<'a>(&mut self, item: ReadEvent<'a>) -> Ready<'a> {
        self.pushes += 1;
        let mut released = Vec::new();
        let time = item.event.timestamp;
        if let Some(time) = time {
            self.release_passed(time, &mut released);
        }
        self.release_idle(&mut released);
        let current = match time {
            Some(time) if is_candidate(&item.event) => {
                self.hold(item, time, &mut released);
                None
            }
            _ => Some(item),
        };
        Ready {
            released: released.into_iter(),
            current,
        }
    }

    /// Ends the input: returns every item still held.
    pub fn finish(&mut self) -> std::vec::IntoIter<ReadEvent<'static>> {
        let mut released = Vec::new();
        for source in std::mem::take(&mut self.sources) {
            self.release(source, &mut released);
        }
        released.into_iter()
    }

    fn hold(
        &mut self,
        item: ReadEvent<'_>,
        time: DateTime<Utc>,
        released: &mut Vec<ReadEvent<'static>>,
    ) {
        let event = &item.event;
        let found = self.source_of(event);
        let index = match found {
            Some(index) if distance(time, &self.sources[index]) <= self.limits.max_gap => index,
            other => {
                // Too far from what is held: that burst is over.
                if let Some(index) = other {
                    let source = self.sources.swap_remove(index);
                    self.release(source, released);
                }
                if self.sources.len() >= self.limits.max_sources.max(1) {
                    self.stats.limit_releases += 1;
                    let oldest =
                        (0..self.sources.len()).min_by_key(|&index| self.sources[index].last_push);
                    if let Some(oldest) = oldest {
                        let source = self.sources.swap_remove(oldest);
                        self.release(source, released);
                    }
                }
                self.groups_started += 1;
                self.sources.push(Source {
                    group: self.groups_started,
                    service: event.service.as_deref().map(str::to_owned),
                    instance: event.instance.as_deref().map(str::to_owned),
                    log_name: event.log_name.as_deref().map(str::to_owned),
                    lines: Vec::new(),
                    earliest: time,
                    latest: time,
                    bytes: 0,
                    last_push: self.pushes,
                });
                self.sources.len() - 1
            }
        };
        let source = &mut self.sources[index];
        source.earliest = source.earliest.min(time);
        source.latest = source.latest.max(time);
        source.bytes += item.event.message.len() + item.raw.len();
        source.last_push = self.pushes;
        source.lines.push(Held {
            item: item.into_owned(),
            time,
            push: self.pushes,
        });
        if source.lines.len() >= self.limits.max_lines_per_source
            || source.bytes >= self.limits.max_bytes_per_source
        {
            self.stats.limit_releases += 1;
            let source = self.sources.swap_remove(index);
            self.release(source, released);
        }
    }

    /// The index of the held source `event` belongs to.
    fn source_of(&self, event: &Event<'_>) -> Option<usize> {
        self.sources.iter().position(|source| {
            source.instance.as_deref() == event.instance.as_deref()
                && source.log_name.as_deref() == event.log_name.as_deref()
                && source.service.as_deref() == event.service.as_deref()
        })
    }

    /// The held run of lines that pushing `event` would add it to, if any:
    /// lines of one source at most [`JoinLimits::max_gap`] apart.
    pub(crate) fn run_continued_by(&self, event: &Event<'_>) -> Option<u64> {
        let time = event.timestamp?;
        if !is_candidate(event) {
            return None;
        }
        let source = &self.sources[self.source_of(event)?];
        (distance(time, source) <= self.limits.max_gap).then_some(source.group)
    }

    /// The runs of lines held now.
    pub(crate) fn held_runs(&self) -> impl Iterator<Item = u64> + '_ {
        self.sources.iter().map(|source| source.group)
    }

    /// Releases what the input has moved past: no later line can be within
    /// `max_gap` of it, given the input's `max_disorder`.
    fn release_passed(&mut self, time: DateTime<Utc>, released: &mut Vec<ReadEvent<'static>>) {
        let horizon = self.limits.max_gap + self.limits.max_disorder;
        let mut index = 0;
        while index < self.sources.len() {
            if distance(time, &self.sources[index]) > horizon {
                let source = self.sources.swap_remove(index);
                self.release(source, released);
            } else {
                index += 1;
            }
        }
    }

    fn release_idle(&mut self, released: &mut Vec<ReadEvent<'static>>) {
        let mut index = 0;
        while index < self.sources.len() {
            if self.pushes - self.sources[index].last_push > self.limits.max_pushes_held {
                self.stats.limit_releases += 1;
                let source = self.sources.swap_remove(index);
                self.release(source, released);
            } else {
                index += 1;
            }
        }
    }

    /// Cuts a source's lines into traces and lone lines, in input order.
    fn release(&mut self, source: Source, released: &mut Vec<ReadEvent<'static>>) {
        let mut held = source.lines;
        if held.len() == 1 {
            released.extend(held.pop().map(|line| line.item));
            return;
        }
        // Oldest first; lines of the same time in the order they were
        // written: insertId, then the input's order, which is reversed when
        // the input is newest first.
        let newest_first = input_is_newest_first(&held);
        held.sort_by(|a, b| {
            let by_push = if newest_first {
                b.push.cmp(&a.push)
            } else {
                a.push.cmp(&b.push)
            };
            a.time
                .cmp(&b.time)
                .then_with(|| a.item.event.insert_id.cmp(&b.item.event.insert_id))
                .then(by_push)
        });
        let mut previous: Option<DateTime<Utc>> = None;
        let lines: Vec<lines::Line<'_>> = held
            .iter()
            .map(|line| {
                let gap = previous
                    .and_then(|previous| (line.time - previous).to_std().ok())
                    .unwrap_or_default();
                previous = Some(line.time);
                lines::Line {
                    text: &line.item.event.message,
                    gap,
                }
            })
            .collect();
        let traces = lines::traces(&lines, self.limits.max_gap);
        drop(lines);

        // (first push, item) for each output, then in push order.
        let mut outputs: Vec<(u64, ReadEvent<'static>)> = Vec::with_capacity(held.len());
        let mut lines = held.into_iter().enumerate().peekable();
        let mut traces = traces.into_iter().peekable();
        while let Some((index, line)) = lines.next() {
            match traces.peek().copied() {
                Some((start, end)) if start == index => {
                    traces.next();
                    let mut rest = Vec::new();
                    while lines.peek().is_some_and(|(next, _)| *next < end) {
                        if let Some((_, line)) = lines.next() {
                            rest.push(line);
                        }
                    }
                    let first_push = rest.iter().map(|line| line.push).fold(line.push, u64::min);
                    self.stats.joined_events += 1;
                    self.stats.joined_lines += 1 + rest.len() as u64;
                    outputs.push((first_push, join(line, rest)));
                }
                _ => outputs.push((line.push, line.item)),
            }
        }
        outputs.sort_by_key(|(push, _)| *push);
        released.extend(outputs.into_iter().map(|(_, item)| item));
    }
}

/// Unstructured single lines with a time, from an identifiable source.
fn is_candidate(event: &Event<'_>) -> bool {
    event.payload == PayloadKind::Text
        && event.http.is_none()
        && event.joined_insert_ids.is_empty()
        && (event.instance.is_some() || event.log_name.is_some())
        && !event.message.trim_end().contains('\n')
}

/// How far `time` is from the span of held lines.
fn distance(time: DateTime<Utc>, source: &Source) -> Duration {
    let outside = if time < source.earliest {
        source.earliest - time
    } else if time > source.latest {
        time - source.latest
    } else {
        return Duration::ZERO;
    };
    outside.to_std().unwrap_or(Duration::MAX)
}

/// Whether time mostly went down as the lines were pushed.
fn input_is_newest_first(held: &[Held]) -> bool {
    let (mut up, mut down) = (0usize, 0usize);
    for pair in held.windows(2) {
        match pair[1].time.cmp(&pair[0].time) {
            std::cmp::Ordering::Greater => up += 1,
            std::cmp::Ordering::Less => down += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    down > up
}

/// One event of a trace's lines, oldest first: the first line's event with
/// the message of all of them, their highest severity and all their insertIds.
fn join(first: Held, rest: Vec<Held>) -> ReadEvent<'static> {
    let length = rest
        .iter()
        .map(|line| line.item.event.message.len() + 1)
        .sum::<usize>();
    let mut message = String::with_capacity(first.item.event.message.len() + length);
    let mut severity = first.item.event.severity;
    let mut insert_ids = Vec::with_capacity(1 + rest.len());
    let mut item = first.item;
    message.push_str(&item.event.message);
    insert_ids.extend(item.event.insert_id.clone());
    for line in rest {
        message.push('\n');
        message.push_str(&line.item.event.message);
        severity = severity.max(line.item.event.severity);
        insert_ids.extend(line.item.event.insert_id);
    }
    item.event.stack_trace = StackTrace::parse(&message);
    item.raw = Cow::Owned(joined_raw(&item.raw, &message, &insert_ids));
    item.event.message = Cow::Owned(message);
    item.event.severity = severity;
    item.event.joined_insert_ids = insert_ids;
    item
}

/// The entry JSON of a joined event: its first line's entry, with the whole
/// trace as `textPayload` and the insertIds of all its lines as
/// `joinedInsertIds`, so that what is shown of the event is what it is.
fn joined_raw(first_raw: &str, message: &str, insert_ids: &[Cow<'_, str>]) -> String {
    let Ok(serde_json::Value::Object(mut entry)) = serde_json::from_str(first_raw) else {
        return first_raw.to_owned();
    };
    entry.remove("text_payload");
    entry.insert(
        "textPayload".to_owned(),
        serde_json::Value::String(message.to_owned()),
    );
    entry.insert(
        "joinedInsertIds".to_owned(),
        insert_ids
            .iter()
            .map(|id| serde_json::Value::String(id.to_string()))
            .collect(),
    );
    serde_json::Value::Object(entry).to_string()
}
