//! `Shard`: what one gardener read, as a mergeable, serializable value.

use chrono::{DateTime, Utc};
use gardener_fingerprint::{ClusterSet, Clusters, Miner};
use gardener_log_model::EventStats;
use serde::{Deserialize, Serialize};

use crate::gardener::{report, run_info, Error, Options, Outcome};

/// How many read errors are kept for the worklog (all are counted).
pub const MAX_ERRORS_KEPT: usize = 20;

/// The version of [`Shard::encode`]'s format; [`Shard::decode`] refuses
/// others. The clustering state inside carries its own fingerprint version.
pub const SHARD_FORMAT_VERSION: u32 = 1;

/// What one [`Gardener`](crate::Gardener) read: its mergeable clustering
/// state, its counts and the first read errors.
///
/// Shards of one input, read by separate gardeners (on separate threads,
/// processes or machines), [`merge`](Shard::merge) into the shard of the
/// whole, which [`into_outcome`](Shard::into_outcome) turns into the
/// worklog. Merging is associative and commutative, so the order in which
/// shards arrive does not matter. [`encode`](Shard::encode) and
/// [`decode`](Shard::decode) move a shard between processes.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use log_gardener::{Gardener, Options, Shard};
///
/// let mut left = Gardener::new();
/// left.feed(br#"{"insertId": "1", "severity": "ERROR", "textPayload": "disk 1 full"}"#)?;
/// let mut right = Gardener::new();
/// right.feed(br#"{"insertId": "2", "severity": "ERROR", "textPayload": "disk 2 full"}"#)?;
/// let mut shard = left.finish_shard();
/// shard.merge(Shard::decode(&right.finish_shard().encode()?)?);
/// let outcome = shard.into_outcome(&Options::default(), Utc.with_ymd_and_hms(2025, 9, 14, 0, 0, 0).unwrap(), vec![]);
/// assert_eq!(outcome.worklog.clusters.len(), 1);
/// assert_eq!(outcome.worklog.clusters[0].count, 2);
/// # Ok::<(), log_gardener::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// Clustering state.
    pub groups: ClusterSet,
    /// Entries read, records skipped, trace lines joined.
    pub stats: EventStats,
    /// The first [`MAX_ERRORS_KEPT`] read errors, by input and byte offset.
    pub errors: Vec<ReadError>,
}

/// A read error kept for the worklog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReadError {
    /// Which input (0 for the first).
    pub input: u32,
    /// Byte offset in that input.
    pub offset: u64,
    /// What and where, as the error says it.
    pub message: String,
}

#[derive(Serialize, Deserialize)]
struct Encoded {
    shard_format_version: u32,
    #[serde(flatten)]
    shard: Shard,
}

impl Shard {
    pub(crate) fn new(groups: ClusterSet, stats: EventStats, problems: ReadProblems) -> Shard {
        Shard {
            groups,
            stats,
            errors: problems.kept,
        }
    }

    /// Adds another shard's state, counts and errors.
    pub fn merge(&mut self, other: Shard) {
        self.groups.merge(&other.groups);
        self.stats.merge(&other.stats);
        self.errors.extend(other.errors);
        self.errors.sort();
        self.errors.dedup();
        self.errors.truncate(MAX_ERRORS_KEPT);
    }

    /// The shard as bytes (versioned JSON), to send to another process.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        #[derive(Serialize)]
        struct EncodedRef<'a> {
            shard_format_version: u32,
            #[serde(flatten)]
            shard: &'a Shard,
        }
        serde_json::to_vec(&EncodedRef {
            shard_format_version: SHARD_FORMAT_VERSION,
            shard: self,
        })
        .map_err(|error| Error::Shard(error.to_string()))
    }

    /// A shard from [`encode`](Shard::encode)'s bytes.
    pub fn decode(bytes: &[u8]) -> Result<Shard, Error> {
        let encoded: Encoded =
            serde_json::from_slice(bytes).map_err(|error| Error::Shard(error.to_string()))?;
        if encoded.shard_format_version != SHARD_FORMAT_VERSION {
            return Err(Error::Shard(format!(
                "format version {} cannot be read by version {SHARD_FORMAT_VERSION}",
                encoded.shard_format_version
            )));
        }
        Ok(encoded.shard)
    }

    /// Clusters, assesses and reports: the worklog of everything read.
    pub fn into_outcome(
        self,
        options: &Options,
        generated_at: DateTime<Utc>,
        sources: Vec<String>,
    ) -> Outcome {
        let clusters = Clusters::of_groups(&self.groups, &Miner::new(options.miner.clone()));
        let problems = ReadProblems {
            kept: self.errors,
            ..ReadProblems::new(false)
        };
        let run = run_info(generated_at, sources, self.stats, problems, &clusters);
        report(&clusters, options, run)
    }
}

/// The read errors of a run: the first few kept, the first one held for a
/// strict caller.
#[derive(Debug, Default)]
pub(crate) struct ReadProblems {
    kept: Vec<ReadError>,
    input: u32,
    strict: bool,
    first: Option<gardener_log_model::Error>,
}

impl ReadProblems {
    pub(crate) fn new(strict: bool) -> ReadProblems {
        ReadProblems {
            strict,
            ..ReadProblems::default()
        }
    }

    pub(crate) fn note(&mut self, error: gardener_log_model::Error) {
        if self.kept.len() < MAX_ERRORS_KEPT {
            self.kept.push(ReadError {
                input: self.input,
                offset: error.position().offset,
                message: error.to_string(),
            });
        }
        if self.strict && self.first.is_none() {
            self.first = Some(error);
        }
    }

    /// Errors from now on are of input number `input`.
    pub(crate) fn set_input(&mut self, input: u32) {
        self.input = input;
    }

    /// Errors from now on are of the next input.
    pub(crate) fn next_input(&mut self) {
        self.input = self.input.saturating_add(1);
    }

    pub(crate) fn take_first(&mut self) -> Option<Error> {
        self.first.take().map(Error::Read)
    }

    /// The kept errors, each prefixed with the name of its input when there
    /// are several (positions count from the start of each input).
    pub(crate) fn into_messages(self, sources: &[String]) -> Vec<String> {
        self.kept
            .into_iter()
            .map(|error| match sources.get(error.input as usize) {
                Some(source) if sources.len() > 1 => format!("{source}: {}", error.message),
                _ => error.message,
            })
            .collect()
    }
}
