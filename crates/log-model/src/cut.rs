//! `BatchCutter`: cutting one input into batches that read independently.

use crate::events::{JoinGate, ReadConfig};
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
/// A cut falls only between two records, and only where the trace joiner
/// holds no line: a stack trace logged one line per entry never straddles
/// two batches. To know that, the cutter runs the same reader and joiner
/// gate an [`EventReader`](crate::EventReader) does (parsing text lines
/// only, and dropping the events); that costs a fraction of the later
/// stages, which run in parallel on the batches.
///
/// ```
/// use gardener_log_model::{BatchCutter, EventReader, ReadConfig};
///
/// let input = b"{\"insertId\": \"1\", \"textPayload\": \"one\"}\n{\"insertId\": \"2\", \"textPayload\": \"two\"}\n";
/// let mut cutter = BatchCutter::new(ReadConfig::default(), 1);
/// let mut batches = Vec::new();
/// cutter.push(input, &mut |batch| batches.push(batch));
/// batches.push(cutter.finish());
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
        }
    }

    /// Takes the next chunk of input; calls `on_batch` with every batch it
    /// completes.
    pub fn push(&mut self, chunk: &[u8], on_batch: &mut impl FnMut(Batch)) {
        self.splitter.push(chunk);
        self.pending.extend_from_slice(chunk);
        let mut stats = ReadStats::default();
        while let Some(record) = self.splitter.next_record() {
            if let Ok(record) = record {
                let gate = &mut self.gate;
                if holds_text(record.bytes) {
                    decode_record(record, &mut stats, &mut |read| {
                        gate.pass(read, &mut |_| {});
                    });
                }
            }
            if !self.gate.is_empty() {
                continue;
            }
            let Some(cut) = self.splitter.checkpoint() else {
                continue;
            };
            let length = cut.position.offset - self.start.position.offset;
            if length < self.target_bytes as u64 {
                continue;
            }
            // `pending` starts at `start` and holds everything pushed since.
            let length = usize::try_from(length)
                .map_or(self.pending.len(), |length| length.min(self.pending.len()));
            let rest = self.pending.split_off(length);
            let bytes = std::mem::replace(&mut self.pending, rest);
            on_batch(Batch {
                start: self.start,
                bytes,
            });
            self.start = cut;
        }
    }

    /// Ends the input: the last batch (possibly empty).
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
