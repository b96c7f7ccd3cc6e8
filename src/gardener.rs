//! The whole pipeline behind one type.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{ClusterSet, GroupKey, KeyScratch, Kind, Masker, Miner, MinerConfig};
use gardener_log_model::{Event, LogReader, ReadEntry};
use gardener_prioritize::{Assessment, Prioritizer, Priority, Rules, RunContext};
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
    /// [`Options::record_assignments`]).
    pub assignments: Vec<Assignment>,
    /// The clustering state, mergeable with other runs'.
    pub state: ClusterSet,
}

/// Runs the whole pipeline: bytes in, [`Worklog`] out.
///
/// Memory grows with the number of distinct clusters, not with the input
/// (unless assignments are recorded).
#[derive(Debug)]
pub struct Gardener {
    options: Options,
    reader: LogReader,
    scratch: KeyScratch,
    values: Vec<(Kind, String)>,
    set: ClusterSet,
    errors: Vec<String>,
    key_ids: HashMap<GroupKey, u32>,
    keys: Vec<GroupKey>,
    entry_keys: Vec<(String, u32)>,
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
            scratch: KeyScratch::default(),
            values: Vec::new(),
            set: ClusterSet::new(),
            errors: Vec::new(),
            key_ids: HashMap::new(),
            keys: Vec::new(),
            entry_keys: Vec::new(),
        }
    }

    /// Feeds a chunk of input. In strict mode, returns the first read error.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let mut first_error = None;
        let Gardener {
            options,
            reader,
            scratch,
            values,
            set,
            errors,
            key_ids,
            keys,
            entry_keys,
        } = self;
        let mut on_entry = |result: Result<ReadEntry<'_>, gardener_log_model::Error>| match result {
            Ok(read) => {
                let event = Event::from_entry(read.entry);
                let key = scratch.key_for_event(&options.masker, &event, values);
                if options.record_assignments {
                    let next = keys.len() as u32;
                    let id = *key_ids.entry(key.clone()).or_insert_with(|| {
                        keys.push(key.clone());
                        next
                    });
                    entry_keys.push((
                        event.insert_id.as_deref().unwrap_or_default().to_owned(),
                        id,
                    ));
                }
                set.observe(key, &event, read.raw, values);
            }
            Err(error) => {
                if errors.len() < MAX_ERRORS_KEPT {
                    errors.push(error.to_string());
                }
                if options.strict && first_error.is_none() {
                    first_error = Some(error);
                }
            }
        };
        reader.feed(chunk, &mut on_entry);
        match first_error {
            Some(error) => Err(Error::Read(error)),
            None => Ok(()),
        }
    }

    /// Ends the input without building a worklog: returns the clustering
    /// state, to merge with other shards.
    pub fn finish_state(mut self) -> Result<ClusterSet, Error> {
        self.end_input()?;
        Ok(self.set)
    }

    fn end_input(&mut self) -> Result<(), Error> {
        let mut truncated = None;
        self.reader.finish(&mut |result| {
            if let Err(error) = result {
                truncated = Some(error);
            }
        });
        if let Some(error) = truncated {
            if self.errors.len() < MAX_ERRORS_KEPT {
                self.errors.push(error.to_string());
            }
            if self.options.strict {
                return Err(Error::Read(error));
            }
        }
        Ok(())
    }

    /// Ends the input and builds the worklog, stamped `generated_at`.
    ///
    /// In strict mode a record left unfinished at the end is reported by
    /// [`finish_strict`](Gardener::finish_strict); here it is counted as skipped.
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

    fn build(self, generated_at: DateTime<Utc>, sources: Vec<String>) -> Outcome {
        let stats = self.reader.stats();
        let clustering = self.set.cluster(&Miner::new(self.options.miner.clone()));
        let clusters = clustering.clusters();
        let context = RunContext::from_clusters(clusters);
        let prioritizer = Prioritizer::new(self.options.rules.clone());
        let assessments: Vec<Assessment> = clusters
            .iter()
            .map(|c| prioritizer.assess(c, &context))
            .collect();
        let run = RunInfo {
            generated_at,
            entries_read: stats.entries,
            entries_skipped: stats.errors,
            errors: self.errors,
            sources,
        };
        let worklog = Worklog::build(clusters, &assessments, &run);
        let assignments = self
            .entry_keys
            .into_iter()
            .filter_map(|(insert_id, id)| {
                let index = clustering.cluster_of(&self.keys[id as usize])?;
                Some(Assignment {
                    insert_id,
                    cluster: clusters[index].fingerprint.to_string(),
                    priority: assessments[index].priority,
                })
            })
            .collect();
        Outcome {
            worklog,
            assignments,
            state: self.set,
        }
    }
}
