//! The whole pipeline behind one type.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{ClusterSet, GroupKey, KeyScratch, Kind, Masker, Miner, MinerConfig};
use gardener_log_model::{Checkpoint, Event, ReadEvent, LogReader, ReadEntry, TraceJoiner};
use gardener_prioritize::{link_incidents, Assessment, Prioritizer, Priority, Rules, RunContext};
use gardener_report::{RunInfo, Worklog};
use serde::Serialize;

/// How many read errors are kept for the worklog (all are counted).
pub const MAX_ERRORS_KEPT: usize = 20;

/// What can stop a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad input in strict mode.
    #[error(transparent)]
    Read(#[from] gardener_log_model::Error),
}

/// Settings of a [`Gardener`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Stop at the first unreadable record instead of skipping and counting it.
    pub strict: bool,
    /// Keep, for every entry, which cluster it went to (costs memory per entry).
    pub record_assignments: bool,
    /// Priority rules.
    pub rules: Rules,
    /// Masking settings.
    pub masker: Masker,
    /// Template mining settings.
    pub miner: MinerConfig,
    /// The worklog of an earlier run, to mark trends and list what was resolved.
    pub previous: Option<Worklog>,
    /// Re-join stack traces logged one line per entry (default true). Joining
    /// needs a trace's lines to arrive together, oldest or newest first; the
    /// clustering itself does not depend on input order.
    pub join_traces: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            record_assignments: false,
            rules: Rules::default(),
            masker: Masker::default(),
            miner: MinerConfig::default(),
            previous: None,
            join_traces: true,
        }
    }
}

/// Which cluster one input entry went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// The entry's insertId (empty if it had none).
    #[serde(rename = "insertId")]
    pub insert_id: String,
    /// The cluster's fingerprint.
    pub cluster: String,
    /// The cluster's priority.
    pub priority: Priority,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The worklog.
    pub worklog: Worklog,
    /// Per input entry, in input order (empty unless
    /// [`Options::record_assignments`]); every line of a re-joined stack
    /// trace is listed.
    pub assignments: Vec<Assignment>,
    /// The clustering state, mergeable with other runs'.
    pub state: ClusterSet,
}

/// What one [`Gardener`] read: its mergeable clustering state and counts.
///
/// Shards of one input, read by separate gardeners (on separate threads or
/// machines), [`merge`](Shard::merge) into the shard of the whole, which
/// [`into_outcome`](Shard::into_outcome) turns into the worklog.
#[derive(Debug, Clone, Default)]
pub struct Shard {
    /// Clustering state.
    pub state: ClusterSet,
    /// Entries read.
    pub entries_read: u64,
    /// Records skipped as unreadable.
    pub entries_skipped: u64,
    /// The first [`MAX_ERRORS_KEPT`] read errors, by byte offset.
    pub errors: Vec<(u64, String)>,
}

impl Shard {
    /// Adds another shard's state, counts and errors.
    pub fn merge(&mut self, other: Shard) {
        self.state.merge(&other.state);
        self.entries_read += other.entries_read;
        self.entries_skipped += other.entries_skipped;
        self.errors.extend(other.errors);
        self.errors.sort();
        self.errors.truncate(MAX_ERRORS_KEPT);
    }

    /// Clusters, assesses and reports: the worklog of everything read.
    pub fn into_outcome(
        self,
        options: &Options,
        generated_at: DateTime<Utc>,
        sources: Vec<String>,
    ) -> Outcome {
        build_outcome(self, options, generated_at, sources, &[], &[])
    }
}

/// Runs the whole pipeline: bytes in, [`Worklog`] out.
///
/// Stack traces that Cloud Run logged one line per entry are re-joined
/// first. Memory grows with the number of distinct clusters, not with the
/// input (unless assignments are recorded).
#[derive(Debug)]
pub struct Gardener {
    options: Options,
    reader: LogReader,
    engine: Engine,
}

/// Everything that handles one event; split from the reader so both can be
/// borrowed at once.
#[derive(Debug, Default)]
struct Engine {
    joiner: TraceJoiner,
    sink: Sink,
}

/// Keys, counts and clusters events.
#[derive(Debug, Default)]
struct Sink {
    scratch: KeyScratch,
    values: Vec<(Kind, String)>,
    set: ClusterSet,
    errors: Vec<(u64, String)>,
    first_error: Option<gardener_log_model::Error>,
    key_ids: HashMap<GroupKey, u32>,
    keys: Vec<GroupKey>,
    entry_keys: Vec<(String, u32)>,
}

impl Engine {
    fn on_read(
        &mut self,
        options: &Options,
        result: Result<ReadEntry<'_>, gardener_log_model::Error>,
    ) {
        match result {
            // Only plain-text lines can be parts of a split trace; everything
            // else skips the joiner (clustering does not depend on order).
            Ok(read) if options.join_traces && read.entry.text_payload.is_some() => {
                for item in self.joiner.push(ReadEvent::from(read)) {
                    self.sink.observe(options, item);
                }
            }
            Ok(read) => self.sink.observe(options, ReadEvent::from(read)),
            Err(error) => self.sink.on_error(options, error),
        }
    }

    fn drain_joiner(&mut self, options: &Options) {
        for item in self.joiner.finish() {
            self.sink.observe(options, item);
        }
    }
}

impl Sink {
    fn on_error(&mut self, options: &Options, error: gardener_log_model::Error) {
        if self.errors.len() < MAX_ERRORS_KEPT {
            self.errors
                .push((error.position().offset, error.to_string()));
        }
        if options.strict && self.first_error.is_none() {
            self.first_error = Some(error);
        }
    }

    fn observe(&mut self, options: &Options, item: ReadEvent<'_>) {
        let event = &item.event;
        let key = self
            .scratch
            .key_for_event(&options.masker, event, &mut self.values);
        if options.record_assignments {
            let next = self.keys.len() as u32;
            let id = *self.key_ids.entry(key.clone()).or_insert_with(|| {
                self.keys.push(key.clone());
                next
            });
            let ids: Vec<&str> = event.insert_ids().collect();
            if ids.is_empty() {
                self.entry_keys.push((String::new(), id));
            }
            self.entry_keys
                .extend(ids.into_iter().map(|insert_id| (insert_id.to_owned(), id)));
        }
        let raw = representative_json(event, &item.raw);
        self.set.observe(key, event, &raw, &self.values);
    }
}

/// The JSON shown for an event: the entry as read, except that a re-joined
/// trace shows its whole text and the insertIds of all its lines.
fn representative_json<'r>(event: &Event<'_>, raw: &'r str) -> Cow<'r, str> {
    if event.joined_insert_ids.is_empty() {
        return Cow::Borrowed(raw);
    }
    let Ok(serde_json::Value::Object(mut entry)) = serde_json::from_str::<serde_json::Value>(raw)
    else {
        return Cow::Borrowed(raw);
    };
    entry.insert(
        "textPayload".to_owned(),
        serde_json::Value::String(event.message.to_string()),
    );
    entry.insert(
        "joinedInsertIds".to_owned(),
        event
            .insert_ids()
            .map(|id| serde_json::Value::String(id.to_owned()))
            .collect(),
    );
    Cow::Owned(serde_json::Value::Object(entry).to_string())
}

impl Default for Gardener {
    fn default() -> Self {
        Gardener::new()
    }
}

impl Gardener {
    /// A gardener with default options (lenient, default rules).
    pub fn new() -> Gardener {
        Gardener::with_options(Options::default())
    }

    /// A gardener with the given options.
    pub fn with_options(options: Options) -> Gardener {
        Gardener {
            options,
            reader: LogReader::new(),
            engine: Engine::default(),
        }
    }

    /// A gardener for the part of an input that starts at `checkpoint` (taken
    /// by a `RecordSplitter` over the whole input): positions in its errors
    /// are those of the whole input. Finish it with
    /// [`finish_shard`](Gardener::finish_shard).
    pub fn resume(options: Options, checkpoint: Checkpoint) -> Gardener {
        Gardener {
            options,
            reader: LogReader::resume(checkpoint),
            engine: Engine::default(),
        }
    }

    /// Feeds a chunk of input. In strict mode, returns the first read error.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let Gardener {
            options,
            reader,
            engine,
        } = self;
        reader.feed(chunk, &mut |result| engine.on_read(options, result));
        match engine.sink.first_error.take() {
            Some(error) => Err(Error::Read(error)),
            None => Ok(()),
        }
    }

    fn end_input(&mut self) -> Result<(), Error> {
        let Gardener {
            options,
            reader,
            engine,
        } = self;
        reader.finish(&mut |result| engine.on_read(options, result));
        engine.drain_joiner(options);
        match engine.sink.first_error.take() {
            Some(error) => Err(Error::Read(error)),
            None => Ok(()),
        }
    }

    /// Ends the input and returns what was read, to merge with other shards.
    pub fn finish_shard(mut self) -> Shard {
        let strict = std::mem::take(&mut self.options.strict);
        let _ = self.end_input();
        self.options.strict = strict;
        self.into_shard()
    }

    fn into_shard(self) -> Shard {
        let stats = self.reader.stats();
        Shard {
            state: self.engine.sink.set,
            entries_read: stats.entries,
            entries_skipped: stats.errors,
            errors: self.engine.sink.errors,
        }
    }

    /// Ends the input and builds the worklog, stamped `generated_at`.
    ///
    /// A record left unfinished at the end is counted as skipped; use
    /// [`finish_strict`](Gardener::finish_strict) to make it an error.
    pub fn finish(mut self, generated_at: DateTime<Utc>, sources: Vec<String>) -> Outcome {
        let strict = std::mem::take(&mut self.options.strict);
        let _ = self.end_input();
        self.options.strict = strict;
        self.build(generated_at, sources)
    }

    /// Like [`finish`](Gardener::finish), but in strict mode a record left
    /// unfinished at the end of input is an error.
    pub fn finish_strict(
        mut self,
        generated_at: DateTime<Utc>,
        sources: Vec<String>,
    ) -> Result<Outcome, Error> {
        self.end_input()?;
        Ok(self.build(generated_at, sources))
    }

    fn build(mut self, generated_at: DateTime<Utc>, sources: Vec<String>) -> Outcome {
        let entry_keys = std::mem::take(&mut self.engine.sink.entry_keys);
        let keys = std::mem::take(&mut self.engine.sink.keys);
        let options = self.options.clone();
        build_outcome(
            self.into_shard(),
            &options,
            generated_at,
            sources,
            &entry_keys,
            &keys,
        )
    }
}

fn build_outcome(
    shard: Shard,
    options: &Options,
    generated_at: DateTime<Utc>,
    sources: Vec<String>,
    entry_keys: &[(String, u32)],
    keys: &[GroupKey],
) -> Outcome {
    let clustering = shard.state.cluster(&Miner::new(options.miner.clone()));
    let clusters = clustering.clusters();
    let mut context = RunContext::from_clusters(clusters);
    if let Some(previous) = &options.previous {
        context = context.with_history(previous.history());
    }
    let prioritizer = Prioritizer::new(options.rules.clone());
    let assessments: Vec<Assessment> = clusters
        .iter()
        .map(|c| prioritizer.assess(c, &context))
        .collect();
    let incidents = link_incidents(clusters, &assessments, &options.rules);
    let run = RunInfo {
        generated_at,
        entries_read: shard.entries_read,
        entries_skipped: shard.entries_skipped,
        errors: shard.errors.into_iter().map(|(_, error)| error).collect(),
        sources,
    };
    let worklog = Worklog::build_with(
        clusters,
        &assessments,
        &incidents,
        options.previous.as_ref(),
        &run,
    );
    let assignments = entry_keys
        .iter()
        .filter_map(|(insert_id, id)| {
            let index = clustering.cluster_of(keys.get(*id as usize)?)?;
            Some(Assignment {
                insert_id: insert_id.clone(),
                cluster: clusters[index].fingerprint.to_string(),
                priority: assessments[index].priority,
            })
        })
        .collect();
    Outcome {
        worklog,
        assignments,
        state: shard.state,
    }
}
