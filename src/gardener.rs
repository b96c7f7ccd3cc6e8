//! The whole pipeline behind one type: wiring of the four stages.

use chrono::{DateTime, Utc};
use gardener_fingerprint::{ClusterSet, Clusterer, Clusters, LongTail, Masker, Miner, MinerConfig};
use gardener_log_model::{Checkpoint, EventReader, ReadConfig, ReadEvent};
use gardener_prioritize::{Prioritizer, Priority, Rules};
use gardener_report::{Folded, RunInfo, Worklog};
use serde::Serialize;

use crate::shard::{ReadProblems, Shard};

/// What can stop a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad input in strict mode.
    #[error(transparent)]
    Read(#[from] gardener_log_model::Error),
    /// A worker thread of a [`ParallelGardener`](crate::ParallelGardener)
    /// stopped.
    #[error("{0}")]
    Worker(String),
    /// A shard could not be encoded or decoded.
    #[error("shard state: {0}")]
    Shard(String),
}

/// Settings of a [`Gardener`].
#[derive(Debug, Clone, Default)]
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
    /// Reading settings; by default stack traces logged one line per entry
    /// are re-joined (their lines must arrive together, oldest or newest
    /// first; the clustering itself does not depend on input order).
    pub read: ReadConfig,
    /// The most distinct groups the clustering state keeps (0: the default,
    /// [`DEFAULT_MAX_GROUPS`](gardener_fingerprint::DEFAULT_MAX_GROUPS)).
    /// Past it the rarer groups, errors kept first, are folded into one long
    /// tail whose count and severities stay exact: memory stays bounded
    /// whatever the input.
    pub max_groups: usize,
}

impl Options {
    /// An empty clustering state with this run's cap.
    pub(crate) fn new_groups(&self) -> ClusterSet {
        match self.max_groups {
            0 => ClusterSet::new(),
            cap => ClusterSet::with_max_groups(cap),
        }
    }

    /// A clusterer with this run's masker and cap.
    pub(crate) fn new_clusterer(&self) -> Clusterer {
        Clusterer::with_groups(self.masker.clone(), self.new_groups())
    }
}

/// Which cluster one input entry went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// The entry's insertId (empty if it had none).
    #[serde(rename = "insertId")]
    pub insert_id: String,
    /// The fingerprint of the entry's cluster.
    #[serde(rename = "cluster")]
    pub fingerprint: gardener_fingerprint::Fingerprint,
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
}

/// Runs the whole pipeline: bytes in, [`Worklog`] out.
///
/// An [`EventReader`] turns the bytes into events (re-joining split stack
/// traces), a [`Clusterer`] groups them, a [`Prioritizer`] judges the
/// clusters and [`Worklog::build`] reports. Memory grows with the number of
/// distinct clusters, not with the input (unless assignments are recorded).
/// Several inputs are read one after the other, each from its start
/// ([`end_input`](Gardener::end_input) between them).
#[derive(Debug)]
pub struct Gardener {
    options: Options,
    reader: EventReader,
    clusterer: Clusterer,
    problems: ReadProblems,
    /// Counts of the inputs already ended.
    ended: gardener_log_model::EventStats,
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
        let reader = EventReader::with_config(options.read);
        Gardener::with_reader(options, reader)
    }

    /// A gardener for the part of an input that starts at `checkpoint` (a
    /// [`Batch`](gardener_log_model::Batch) cut by a
    /// [`BatchCutter`](gardener_log_model::BatchCutter) over the whole
    /// input): positions in its errors are those of the whole input. Finish
    /// it with [`finish_shard`](Gardener::finish_shard).
    pub fn resume(options: Options, checkpoint: Checkpoint) -> Gardener {
        let reader = EventReader::resume(options.read, checkpoint);
        Gardener::with_reader(options, reader)
    }

    fn with_reader(options: Options, reader: EventReader) -> Gardener {
        let mut clusterer = options.new_clusterer();
        if options.record_assignments {
            clusterer = clusterer.recording_assignments();
        }
        Gardener {
            problems: ReadProblems::new(options.strict),
            options,
            reader,
            clusterer,
            ended: Default::default(),
        }
    }

    /// Feeds a chunk of input. In strict mode, returns the first read error.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let Gardener {
            reader,
            clusterer,
            problems,
            ..
        } = self;
        reader.feed(chunk, &mut |read| on_event(clusterer, problems, read));
        problems.take_first().map_or(Ok(()), Err)
    }

    /// Ends the current input: a record left unfinished is an error, held
    /// trace lines are clustered. What is fed next is read as a new input,
    /// from its start.
    pub fn end_input(&mut self) -> Result<(), Error> {
        let Gardener {
            options,
            reader,
            clusterer,
            problems,
            ended,
        } = self;
        reader.finish(&mut |read| on_event(clusterer, problems, read));
        ended.merge(&reader.stats());
        *reader = EventReader::with_config(options.read);
        problems.next_input();
        problems.take_first().map_or(Ok(()), Err)
    }

    /// Ends the input and returns what was read, to merge with other shards.
    /// A record left unfinished at the end is counted as skipped.
    pub fn finish_shard(mut self) -> Shard {
        let _ = self.end_input();
        Shard::new(self.clusterer.into_groups(), self.ended, self.problems)
    }

    /// Ends the input and builds the worklog, stamped `generated_at`.
    ///
    /// A record left unfinished at the end is counted as skipped; use
    /// [`finish_strict`](Gardener::finish_strict) to make it an error.
    pub fn finish(mut self, generated_at: DateTime<Utc>, sources: Vec<String>) -> Outcome {
        let _ = self.end_input();
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

    fn build(self, generated_at: DateTime<Utc>, sources: Vec<String>) -> Outcome {
        let clusters = self
            .clusterer
            .finish(&Miner::new(self.options.miner.clone()));
        let problems = self.problems;
        report(
            &clusters,
            &self.options,
            run_info(generated_at, sources, self.ended, problems, &clusters),
        )
    }
}

pub(crate) fn on_event(
    clusterer: &mut Clusterer,
    problems: &mut ReadProblems,
    read: Result<ReadEvent<'_>, gardener_log_model::Error>,
) {
    match read {
        Ok(read) => clusterer.push(&read.event, &read.raw),
        Err(error) => problems.note(error),
    }
}

/// What the run read, for the worklog's input section.
pub(crate) fn run_info(
    generated_at: DateTime<Utc>,
    sources: Vec<String>,
    stats: gardener_log_model::EventStats,
    problems: ReadProblems,
    clusters: &Clusters,
) -> RunInfo {
    let folded = clusters
        .long_tail()
        .map_or_else(Folded::default, |tail| Folded {
            groups: tail.folded_groups,
            entries: tail.stats.count,
            severities: tail.stats.severities.clone(),
        });
    RunInfo {
        generated_at,
        entries_read: stats.read.entries,
        entries_skipped: stats.read.errors,
        errors: problems.into_messages(&sources),
        sources,
        entries_joined: stats
            .join
            .joined_lines
            .saturating_sub(stats.join.joined_events),
        folded,
    }
}

/// Stages three and four: judge the clusters, build the worklog, and say
/// which cluster each entry went to.
pub(crate) fn report(clusters: &Clusters, options: &Options, run: RunInfo) -> Outcome {
    let history = options.previous.as_ref().map(Worklog::history);
    let assessments =
        Prioritizer::new(options.rules.clone()).assess_all(clusters.clusters(), history);
    let mut worklog = Worklog::build(clusters.clusters(), &assessments, &run);
    if let Some(previous) = &options.previous {
        worklog = worklog.with_resolved_since(previous);
    }
    // An entry of a group folded into the long tail gets the long tail's
    // fingerprint; the long tail is not judged, so it gets the lowest priority.
    let assignments = clusters
        .assignments()
        .map(|(insert_id, index)| {
            let judged = index.and_then(|index| {
                Some((
                    clusters.clusters().get(index)?.fingerprint,
                    assessments.get(index)?.priority,
                ))
            });
            let (fingerprint, priority) = judged.unwrap_or((LongTail::fingerprint(), Priority::P4));
            Assignment {
                insert_id: insert_id.to_owned(),
                fingerprint,
                priority,
            }
        })
        .collect();
    Outcome {
        worklog,
        assignments,
    }
}
