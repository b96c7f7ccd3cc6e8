//! `ParallelGardener`: the same work as a `Gardener`, on several threads.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use gardener_log_model::{Batch, BatchCutter, EventReader, EventStats};

use crate::gardener::{on_event, Error, Options, Outcome};
use crate::shard::{ReadProblems, Shard};

/// Bytes handed to a worker at a time (at least; a batch ends at the first
/// place after this where it can be cut).
pub const BATCH_BYTES: usize = 1 << 20;

/// Pieces a worker feeds its reader: the reader then holds about one
/// record, not a copy of the batch.
const PIECE_BYTES: usize = 64 << 10;

/// A [`Gardener`](crate::Gardener) whose reading and clustering run on
/// worker threads: the worklog is the same, byte for byte, as one
/// gardener's on the same inputs.
///
/// The calling thread cuts each input into [`Batch`]es with a
/// [`BatchCutter`] (between records, and never inside a stack trace that
/// was logged one line per entry); each worker reads and clusters batches
/// into its own [`Shard`]; the shards merge at the end. Strict mode and
/// assignments need one reader that sees everything in order: use a
/// `Gardener` for them (both options are ignored here).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use log_gardener::{Gardener, Options, ParallelGardener};
///
/// let input: Vec<u8> = (0..5000)
///     .flat_map(|i| format!("{{\"insertId\": \"{i}\", \"severity\": \"ERROR\", \"textPayload\": \"disk {i} full\"}}\n").into_bytes())
///     .collect();
/// let now = Utc.with_ymd_and_hms(2025, 9, 14, 0, 0, 0).unwrap();
/// let mut parallel = ParallelGardener::new(Options::default(), 2);
/// parallel.feed(&input)?;
/// let mut sequential = Gardener::new();
/// sequential.feed(&input)?;
/// assert_eq!(parallel.finish(now, vec![])?.worklog, sequential.finish(now, vec![]).worklog);
/// # Ok::<(), log_gardener::Error>(())
/// ```
#[derive(Debug)]
pub struct ParallelGardener {
    options: Options,
    cutter: BatchCutter,
    batch_bytes: usize,
    input: u32,
    sender: SyncSender<(u32, Batch)>,
    workers: Vec<JoinHandle<Shard>>,
}

impl ParallelGardener {
    /// A gardener with `threads` workers (at least one) and batches of
    /// [`BATCH_BYTES`].
    pub fn new(options: Options, threads: usize) -> ParallelGardener {
        ParallelGardener::with_batch_bytes(options, threads, BATCH_BYTES)
    }

    /// A gardener whose batches are cut after `batch_bytes` (at least one
    /// record each). Small batches cost overhead per batch; the result is the
    /// same whatever the size.
    pub fn with_batch_bytes(
        options: Options,
        threads: usize,
        batch_bytes: usize,
    ) -> ParallelGardener {
        let threads = threads.max(1);
        let (sender, receiver) = mpsc::sync_channel::<(u32, Batch)>(threads);
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..threads)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                let options = options.clone();
                std::thread::spawn(move || work(&options, &receiver))
            })
            .collect();
        ParallelGardener {
            cutter: BatchCutter::new(options.read, batch_bytes),
            batch_bytes,
            options,
            input: 0,
            sender,
            workers,
        }
    }

    /// Feeds a chunk of input; waits while every worker is busy.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let ParallelGardener {
            cutter,
            input,
            sender,
            ..
        } = self;
        let mut sent = Ok(());
        cutter.push(chunk, &mut |batch| {
            if sent.is_ok() {
                sent = sender.send((*input, batch));
            }
        });
        sent.map_err(|_| workers_stopped())
    }

    /// Ends the current input; what is fed next is a new input, read from
    /// its start.
    pub fn end_input(&mut self) -> Result<(), Error> {
        let cutter = std::mem::replace(
            &mut self.cutter,
            BatchCutter::new(self.options.read, self.batch_bytes),
        );
        let sent = self.sender.send((self.input, cutter.finish()));
        self.input = self.input.saturating_add(1);
        sent.map_err(|_| workers_stopped())
    }

    /// Ends the input, waits for the workers and merges what they read.
    pub fn finish_shard(mut self) -> Result<Shard, Error> {
        self.end_input()?;
        let ParallelGardener {
            sender,
            workers,
            options,
            ..
        } = self;
        drop(sender);
        let mut total = Shard {
            groups: options.new_groups(),
            ..Shard::default()
        };
        for worker in workers {
            total.merge(worker.join().map_err(|_| workers_stopped())?);
        }
        Ok(total)
    }

    /// Ends the input and builds the worklog, stamped `generated_at`.
    pub fn finish(
        self,
        generated_at: DateTime<Utc>,
        sources: Vec<String>,
    ) -> Result<Outcome, Error> {
        let options = self.options.clone();
        Ok(self
            .finish_shard()?
            .into_outcome(&options, generated_at, sources))
    }
}

fn workers_stopped() -> Error {
    Error::Worker("a worker thread stopped".to_owned())
}

/// One worker: reads and clusters batches until the sender hangs up.
fn work(options: &Options, receiver: &Mutex<Receiver<(u32, Batch)>>) -> Shard {
    let mut clusterer = options.new_clusterer();
    let mut problems = ReadProblems::new(false);
    let mut stats = EventStats::default();
    loop {
        // The lock is held only while waiting for the next batch.
        let next = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => break,
        };
        let Ok((input, batch)) = next else { break };
        problems.set_input(input);
        let mut reader = EventReader::resume(options.read, batch.start);
        for piece in batch.bytes.chunks(PIECE_BYTES) {
            reader.feed(piece, &mut |read| {
                on_event(&mut clusterer, &mut problems, read);
            });
        }
        reader.finish(&mut |read| on_event(&mut clusterer, &mut problems, read));
        stats.merge(&reader.stats());
    }
    Shard::new(clusterer.into_groups(), stats, problems)
}
