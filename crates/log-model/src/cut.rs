//! `BatchCutter`: cutting one input into batches that read independently.

use crate::events::{JoinGate, ReadConfig};
use crate::join::ReadEvent;
use crate::reader::{decode_record, ReadStats};
use crate::splitter::{Checkpoint, RecordSplitter};

/// A piece of an input, from a checkpoint on: what one worker reads with an
/// [`EventReader::resume`](crate::EventReader::resume).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Where the batch starts in the whole input.
    pub start: Checkpoint,
    /// The batch's bytes.
    pub bytes: Vec<u8>,
}

/// Cuts an input into batches of about a target size that can be read
/// separately, in any order, with exactly the events that reading the whole
/// input gives.
///
/// A cut falls only between two records, and never inside a run of text
/// lines that the trace joiner could join: a stack trace logged one line per
/// entry never straddles two batches. A place is a cut once every run of
/// lines held there is over, which the cutter learns from the following
/// records: the run's source logs a line more than
/// [`JoinLimits::max_gap`](crate::JoinLimits::max_gap) later, or the joiner
/// releases it. To know that, the cutter runs the same reader and joiner an
/// [`EventReader`](crate::EventReader) does (parsing text lines only, and
/// dropping the events); that costs a fraction of the later stages, which
/// run in parallel on the batches.
///
/// The result equals a whole read's as long as fewer than
/// [`JoinLimits::max_sources`](crate::JoinLimits::max_sources) sources hold
/// lines at once (past it, which source the joiner releases early depends on
/// what it holds).
///
/// ```
/// use gardener_log_model::{BatchCutter, EventReader, ReadConfig};
///
/// let input = b"{\"insertId\": \"1\", \"textPayload\": \"one\"}\n{\"insertId\": \"2\", \"textPayload\": \"two\"}\n";
/// let mut cutter = BatchCutter::new(ReadConfig::default(), 1);
/// let mut batches = Vec::new();
/// cutter.push(input, &mut |batch| batches.push(batch));
/// batches.push(cutter.finish());
/// assert_eq!(batches.len(), 2);
/// let mut ids = Vec::new();
/// for batch in batches {
///     let mut reader = EventReader::resume(ReadConfig::default(), batch.start);
///     let mut on_event = |read: Result<gardener_log_model::ReadEvent<'_>, gardener_log_model::Error>| {
///         ids.extend(read.ok().and_then(|read| read.event.insert_id.map(|id| id.into_owned())));
///     };
///     reader.feed(&batch.bytes, &mut on_event);
///     reader.finish(&mut on_event);
/// }
/// assert_eq!(ids, ["1", "2"]);
/// ```
#[derive(Debug)]
pub struct BatchCutter {
    splitter: RecordSplitter,
    gate: JoinGate,
    target_bytes: usize,
    start: Checkpoint,
    pending: Vec<u8>,
    candidate: Option<Candidate>,
}

/// A place to cut, once the runs of lines held there are over.
#[derive(Debug)]
struct Candidate {
    at: Checkpoint,
    open_runs: Vec<u64>,
}

impl BatchCutter {
    /// A cutter for input read with `config`, making batches of at least
    /// `target_bytes` (except the last), cut at the first safe place after.
    pub fn new(config: ReadConfig, target_bytes: usize) -> BatchCutter {
        BatchCutter {
            splitter: RecordSplitter::with_max_record_bytes(config.max_record_bytes),
            gate: JoinGate::new(config),
            target_bytes: target_bytes.max(1),
            start: Checkpoint::default(),
            pending: Vec::new(),
            candidate: None,
        }
    }

    /// Takes the next chunk of input; calls `on_batch` with every batch it
    /// completes.
    pub fn push(&mut self, chunk: &[u8], on_batch: &mut impl FnMut(Batch)) {
        self.splitter.push(chunk);
        self.pending.extend_from_slice(chunk);
        let mut stats = ReadStats::default();
        while let Some(record) = self.splitter.next_record() {
            let mut continues_open_run = false;
            if let Ok(record) = record {
                if holds_text(record.bytes) {
                    let gate = &mut self.gate;
                    let open_runs = self.candidate.as_ref().map(|c| c.open_runs.as_slice());
                    decode_record(record, &mut stats, &mut |read| {
                        let Ok(read) = read else { return };
                        if !gate.joins(&read) {
                            return;
                        }
                        let item = ReadEvent::from(read);
                        if let (Some(open), Some(run)) =
                            (open_runs, gate.joiner.run_continued_by(&item.event))
                        {
                            continues_open_run |= open.contains(&run);
                        }
                        gate.joiner.push(item).for_each(drop);
                    });
                }
            }
            if continues_open_run {
                // A run held at the candidate goes on past it: no cut there.
                self.candidate = None;
            }
            if let Some(candidate) = &mut self.candidate {
                let held: Vec<u64> = self.gate.joiner.held_runs().collect();
                candidate.open_runs.retain(|run| held.contains(run));
                if candidate.open_runs.is_empty() {
                    let at = candidate.at;
                    self.candidate = None;
                    self.cut(at, on_batch);
                }
            }
            if self.candidate.is_none() {
                self.propose();
            }
        }
    }

    /// Takes the place after the last record as the candidate cut, once the
    /// batch is long enough.
    fn propose(&mut self) {
        let Some(at) = self.splitter.checkpoint() else {
            return;
        };
        if at
            .position
            .offset
            .saturating_sub(self.start.position.offset)
            < self.target_bytes as u64
        {
            return;
        }
        self.candidate = Some(Candidate {
            at,
            open_runs: self.gate.joiner.held_runs().collect(),
        });
    }

    fn cut(&mut self, at: Checkpoint, on_batch: &mut impl FnMut(Batch)) {
        // `pending` starts at `start` and holds everything pushed since.
        let length = at
            .position
            .offset
            .saturating_sub(self.start.position.offset);
        let length = usize::try_from(length)
            .map_or(self.pending.len(), |length| length.min(self.pending.len()));
        let rest = self.pending.split_off(length);
        let bytes = std::mem::replace(&mut self.pending, rest);
        on_batch(Batch {
            start: self.start,
            bytes,
        });
        self.start = at;
    }

    /// Ends the input: the last batch (possibly empty). A candidate cut
    /// still open is not taken: its runs may go on to the end.
    pub fn finish(self) -> Batch {
        Batch {
            start: self.start,
            bytes: self.pending,
        }
    }
}

/// Whether a record can hold a `textPayload` (or an API page of entries
/// that do): only those can reach the joiner. A cheap byte test; records
/// that fail it are never parsed here.
fn holds_text(record: &[u8]) -> bool {
    memchr::memmem::find(record, b"text_payload").is_some()
        || memchr::memmem::find(record, b"textPayload").is_some()
}
