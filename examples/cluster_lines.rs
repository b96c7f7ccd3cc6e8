//! Cluster plain log lines: one message per input line in, one cluster id per
//! line out, in input order.
//!
//! ```text
//! cargo run --release --example cluster_lines < lines.txt            # cluster ids
//! cargo run --release --example cluster_lines -- --templates < lines.txt
//! cargo run --release --example cluster_lines -- --masked < lines.txt
//! cargo run --release --example cluster_lines -- --bench < lines.txt
//! cargo run --release --example cluster_lines -- --bench --threads 1 < lines.txt
//! ```
//!
//! Lines are clustered on `--threads` worker threads (default: the available
//! cores) while one more thread reads stdin: each worker clusters whole
//! blocks of lines, and the blocks are appended in input order
//! ([`LineClusterer::append`]), so the output is the same whatever the number
//! of threads.
//!
//! Cluster ids are small integers (the index of the cluster's template in
//! sorted order), so the output can be scored directly against labelled data
//! such as Loghub (`python3 ga.py FILE.csv predicted.txt`). Invalid UTF-8 is
//! replaced (U+FFFD) before masking. Exit status: 0 done, 1 I/O error,
//! 2 usage error.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Instant;

use clap::Parser;
use gardener_fingerprint::{LineClusterer, Masker, Miner};

/// Cluster plain log lines (one message per line, read from stdin) and print
/// one cluster id per line, in input order.
///
/// Cluster ids are the indices of the clusters' templates in sorted order, so
/// the same input always gives the same ids. Exit status: 0 done, 1 I/O
/// error, 2 usage error.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  cluster_lines < app.log > clusters.txt\n  cluster_lines --templates < app.log | sort | uniq -c | sort -rn\n  gen_lines | cluster_lines --bench"
)]
struct Args {
    /// Print each line's final (mined) template instead of its cluster id.
    #[arg(long, conflicts_with_all = ["masked", "bench"])]
    templates: bool,
    /// Print each line as the masker alone leaves it (no template mining).
    #[arg(long, conflicts_with = "bench")]
    masked: bool,
    /// Time reading and splitting the input, then clustering it; print lines/s
    /// of both and their ratio to stderr instead of the cluster ids.
    #[arg(long)]
    bench: bool,
    /// Threads that mask and intern lines (default: the available cores).
    /// The output does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Bytes of input clustered at a time (whole lines); for tests of the
    /// block boundaries. The output does not depend on it.
    #[arg(long, hide = true, value_parser = clap::value_parser!(u32).range(1..))]
    block_bytes: Option<u32>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let result = if args.bench {
        bench(threads)
    } else if args.masked {
        masked()
    } else {
        cluster(
            args.templates,
            threads,
            args.block_bytes.map_or_else(
                || default_block_bytes(threads),
                |bytes| usize::try_from(bytes).unwrap_or(usize::MAX),
            ),
        )
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "cluster_lines: {error}");
            ExitCode::from(1)
        }
    }
}

/// Calls `each` with every line of stdin, without its line terminator.
fn for_each_line(mut each: impl FnMut(&str) -> io::Result<()>) -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        if input
            .read_until(b'\n', &mut buffer)
            .map_err(reading_stdin)?
            == 0
        {
            return Ok(());
        }
        let line = trim_line_end(&buffer);
        each(&utf8(line))?;
    }
}

/// `line` as text: borrowed when it is valid UTF-8 (the fast, common case),
/// else with invalid bytes replaced by U+FFFD.
fn utf8(line: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(line) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(line),
    }
}

/// Calls `each` with every line of `input` as text, without its line
/// terminator (`\n` or `\r\n`); a final terminator does not start another
/// line. The block is checked as UTF-8 once, which is much cheaper than line
/// by line; a block that is not valid UTF-8 is checked again line by line,
/// and only its invalid lines are copied (invalid bytes become U+FFFD).
fn for_each_line_of(input: &[u8], mut each: impl FnMut(&str)) {
    if input.is_empty() {
        return;
    }
    let body = input.strip_suffix(b"\n").unwrap_or(input);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    match std::str::from_utf8(body) {
        // Line ends are character boundaries, so slicing the checked text
        // at them cannot fail.
        Ok(text) => {
            for end in ends {
                each(trim_carriage_return(&text[start..end]));
                start = end + 1;
            }
        }
        Err(_) => {
            for end in ends {
                each(trim_carriage_return(&utf8(&body[start..end])));
                start = end + 1;
            }
        }
    }
}

fn trim_carriage_return(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

/// Clusters the lines of `input` on this thread.
fn cluster_lines_of(masker: &Masker, input: &[u8]) -> LineClusterer {
    let mut clusterer = LineClusterer::new(masker.clone());
    for_each_line_of(input, |line| {
        clusterer.push(line);
    });
    clusterer
}

/// Clusters the whole lines in `block` on `threads` threads: each takes a
/// contiguous share (cut after a line terminator) and clusters it with a
/// clusterer of its own; the shares are appended in order, which gives what
/// one clusterer pushing every line gives.
fn cluster_block(masker: &Masker, block: &[u8], threads: usize) -> LineClusterer {
    let cluster_share = |share: &[u8]| cluster_lines_of(masker, share);
    if threads <= 1 {
        return cluster_share(block);
    }
    let mut shares = Vec::with_capacity(threads);
    let mut rest = block;
    for remaining in (1..=threads).rev() {
        let cut = if remaining == 1 {
            rest.len()
        } else {
            let target = rest.len() / remaining;
            memchr::memchr(b'\n', &rest[target..])
                .map_or(rest.len(), |newline| target + newline + 1)
        };
        let (share, tail) = rest.split_at(cut);
        shares.push(share);
        rest = tail;
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || cluster_share(share)))
            .collect();
        let mut all: Option<LineClusterer> = None;
        for worker in workers {
            let share = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match &mut all {
                Some(all) => all.append(share),
                None => all = Some(share),
            }
        }
        all.unwrap_or_else(|| LineClusterer::new(masker.clone()))
    })
}

/// Input is clustered in blocks of about this many bytes (whole lines), so
/// that memory holds a few blocks, not the input.
const BLOCK_BYTES: usize = 4 << 20;

/// The first block's size: later blocks double up to the block size.
const FIRST_BLOCK_BYTES: usize = 256 << 10;

/// What the `threads + 2` blocks in memory may take together.
const MEMORY_FOR_BLOCKS: usize = 64 << 20;

/// Blocks of [`BLOCK_BYTES`], smaller with many threads so that the blocks
/// in memory stay within [`MEMORY_FOR_BLOCKS`].
fn default_block_bytes(threads: usize) -> usize {
    (MEMORY_FOR_BLOCKS / (threads + 2)).clamp(64 << 10, BLOCK_BYTES)
}

/// Reads stdin block by block (about `block_bytes`, whole lines each) and
/// clusters the blocks on `threads` threads. A thread of its own reads the
/// next block while the workers cluster the last ones, each a whole block
/// with a clusterer of its own (no thread waits for another between
/// blocks); the blocks' clusterers are appended in input order, so the
/// output is the same for any number of threads. At most `threads + 2`
/// blocks are in memory: the reader waits for one to come back when all are
/// out.
///
/// The threads are not scoped: when a worker panics, its panic is raised
/// here and the process ends, whatever the reader is waiting for.
fn cluster_stdin(masker: &Masker, threads: usize, block_bytes: usize) -> io::Result<LineClusterer> {
    // The reader hands each block to the first free worker (none waits in
    // between); appended blocks go back to the reader to be filled again.
    let (block_sender, blocks) = mpsc::sync_channel::<(usize, Vec<u8>)>(0);
    let (result_sender, results) = mpsc::channel();
    let (empty_sender, empty_blocks) = mpsc::channel::<Vec<u8>>();
    let pool = threads + 2;
    let reader =
        std::thread::spawn(move || read_blocks(block_bytes, pool, &block_sender, &empty_blocks));
    // The workers own the receiving end: once they are all gone, the
    // reader's next send fails.
    let blocks = Arc::new(Mutex::new(blocks));
    for _ in 0..threads {
        let (blocks, result_sender, masker) =
            (Arc::clone(&blocks), result_sender.clone(), masker.clone());
        std::thread::spawn(move || {
            // The lock is held only to take the next block; nothing panics
            // while holding it.
            let next = || blocks.lock().unwrap_or_else(PoisonError::into_inner).recv();
            while let Ok((index, block)) = next() {
                let clustered =
                    panic::catch_unwind(AssertUnwindSafe(|| cluster_lines_of(&masker, &block)));
                if result_sender.send((index, clustered, block)).is_err() {
                    return;
                }
            }
        });
    }
    drop((blocks, result_sender));
    let mut all = LineClusterer::new(masker.clone());
    // Blocks finished before an earlier one wait here for their turn.
    let mut finished = BTreeMap::new();
    let mut next_index = 0;
    for (index, clustered, block) in results {
        let clusterer = clustered.unwrap_or_else(|payload| panic::resume_unwind(payload));
        finished.insert(index, (clusterer, block));
        while let Some((clusterer, block)) = finished.remove(&next_index) {
            all.append(clusterer);
            // The reader is gone once the input ended: nothing to refill.
            let _ = empty_sender.send(block);
            next_index += 1;
        }
    }
    // Every worker is gone, so the reader sent its last block or failed.
    reader
        .join()
        .unwrap_or_else(|payload| panic::resume_unwind(payload))?;
    Ok(all)
}

/// Reads stdin into blocks of whole lines and sends them in order; the last
/// holds what follows the last line terminator. Blocks start small (so that
/// a small input is shared among the workers too) and double up to about
/// `block_bytes`; a line longer than that is one block. At most `pool`
/// buffers are made; then the next one is waited for on `empty`. The oldest
/// block out is always with a worker, never waiting on this thread, so one
/// comes back.
fn read_blocks(
    block_bytes: usize,
    pool: usize,
    full: &mpsc::SyncSender<(usize, Vec<u8>)>,
    empty: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let stopped = || io::Error::other("the clustering threads stopped");
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut chunk = vec![0u8; 1 << 16];
    let new_block = || Vec::with_capacity(block_bytes.min(1 << 24) + (1 << 16));
    let mut block = new_block();
    let mut made = 1;
    let mut target = block_bytes.min(FIRST_BLOCK_BYTES);
    // The block's last line terminator: each chunk is searched once, so a
    // line longer than a block costs no rescans.
    let mut last_newline = None;
    let mut index = 0;
    loop {
        let read = match input.read(&mut chunk) {
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(reading_stdin(error)),
        };
        if read == 0 {
            return full.send((index, block)).map_err(|_| stopped());
        }
        if let Some(newline) = memchr::memrchr(b'\n', &chunk[..read]) {
            last_newline = Some(block.len() + newline);
        }
        block.extend_from_slice(&chunk[..read]);
        if let Some(newline) = last_newline.filter(|_| block.len() >= target) {
            let mut next = match empty.try_recv() {
                Ok(buffer) => buffer,
                Err(_) if made < pool => {
                    made += 1;
                    new_block()
                }
                Err(_) => empty.recv().map_err(|_| stopped())?,
            };
            next.clear();
            next.extend_from_slice(&block[newline + 1..]);
            block.truncate(newline + 1);
            full.send((index, std::mem::replace(&mut block, next)))
                .map_err(|_| stopped())?;
            index += 1;
            target = target.saturating_mul(2).min(block_bytes);
            last_newline = None;
        }
    }
}

/// An error reading stdin, saying so.
fn reading_stdin(error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("reading stdin: {error}"))
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn cluster(templates: bool, threads: usize, block_bytes: usize) -> io::Result<()> {
    let clusterer = cluster_stdin(&Masker::new(), threads, block_bytes)?;
    let clusters = clusterer.finish(&Miner::default());
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    // Each cluster's output line is formatted once, not once per input line.
    let output_lines: Vec<String> = if templates {
        clusters
            .templates
            .iter()
            .map(|template| format!("{template}\n"))
            .collect()
    } else {
        (0..clusters.templates.len())
            .map(|cluster| format!("{cluster}\n"))
            .collect()
    };
    for &cluster in &clusters.cluster_of_line {
        out.write_all(output_lines[cluster].as_bytes())?;
    }
    out.flush()
}

fn masked() -> io::Result<()> {
    let masker = Masker::new();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut text = String::new();
    let mut replacements = Vec::new();
    for_each_line(|line| {
        masker.mask_into(line, &mut text, &mut replacements);
        writeln!(out, "{text}")
    })?;
    out.flush()
}

/// Times, in one process: (1) reading stdin and splitting it into UTF-8
/// lines on one thread, the least any line tool does; (2) clustering those
/// same lines (mask and intern on `threads` threads, then mine and assign).
/// Reports lines/s of both, and their ratio, on stderr. Reading is timed
/// once and counted in both. Also reports clustering alone, the lines
/// already in memory: where `scripts/drain3_lines.py` starts Drain3's clock.
fn bench(threads: usize) -> io::Result<()> {
    let started = Instant::now();
    let mut input = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut input)
        .map_err(reading_stdin)?;
    let read_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut lines = 0u64;
    let mut bytes = 0usize;
    for_each_line_of(&input, |line| {
        bytes += std::hint::black_box(line.len());
        lines += 1;
    });
    let split_seconds = read_seconds + started.elapsed().as_secs_f64();

    let started = Instant::now();
    let clusterer = cluster_block(&Masker::new(), &input, threads);
    let distinct = clusterer.distinct_templates();
    let mask_seconds = read_seconds + started.elapsed().as_secs_f64();
    let clusters = clusterer.finish(&Miner::default());
    let cluster_seconds = read_seconds + started.elapsed().as_secs_f64();
    std::hint::black_box(&clusters);

    let per_second = |seconds: f64| lines as f64 / seconds.max(1e-9);
    let megabytes = |seconds: f64| bytes as f64 / seconds.max(1e-9) / 1e6;
    let mut err = io::stderr().lock();
    writeln!(
        err,
        "input: {lines} lines, {bytes} bytes; reading stdin took {read_seconds:.3} s; clustering on {threads} thread(s)"
    )?;
    writeln!(
        err,
        "read + split lines:      {split_seconds:>7.3} s {:>12.0} lines/s {:>8.1} MB/s",
        per_second(split_seconds),
        megabytes(split_seconds)
    )?;
    writeln!(
        err,
        "read + mask + intern:    {mask_seconds:>7.3} s {:>12.0} lines/s {:>8.1} MB/s  ({distinct} distinct masked templates)",
        per_second(mask_seconds),
        megabytes(mask_seconds)
    )?;
    writeln!(
        err,
        "read + cluster (total):  {cluster_seconds:>7.3} s {:>12.0} lines/s {:>8.1} MB/s  ({} clusters)",
        per_second(cluster_seconds),
        megabytes(cluster_seconds),
        clusters.templates.len()
    )?;
    let in_memory = cluster_seconds - read_seconds;
    writeln!(
        err,
        "cluster, input in memory:{in_memory:>7.3} s {:>12.0} lines/s {:>8.1} MB/s  (split, UTF-8, mask, intern, mine)",
        per_second(in_memory),
        megabytes(in_memory)
    )?;
    writeln!(
        err,
        "ratio: clustering runs at {:.3} of read + split speed ({:.1}x its time)",
        split_seconds / cluster_seconds.max(1e-9),
        cluster_seconds / split_seconds.max(1e-9)
    )
}
