//! `gardener`: a Cloud Logging export in, a prioritized worklog out.
//!
//! ```text
//! cargo run --release --example gardener                      # the embedded sample export
//! gcloud logging read 'resource.type="cloud_run_revision"' --format=json > export.json
//! cargo run --release --example gardener -- export.json       # a file (`.gz` is decompressed)
//! cargo run --release --example gardener -- - < export.ndjson # stdin
//! ```
//!
//! Exit status: 0 done, 1 bad input in `--strict` mode, 2 usage error.
//! Errors go to stderr, one line each, with their position.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use flate2::read::MultiGzDecoder;
use log_gardener::{
    parse_existing_issues, plan_issues, render_markdown, Checkpoint, ExistingIssue, Gardener,
    Options, Outcome, RecordSplitter, Rules, Shard, Worklog,
};

/// The sample export used when no input is given: a synthetic `gcloud logging
/// read --format=json` export of a Cloud Run service (see examples/data/README.md).
const SAMPLE_EXPORT: &[u8] = include_bytes!("data/sample-export.json");

const CHUNK_BYTES: usize = 1 << 20;

/// Turn a Google Cloud Logging export into a prioritized worklog.
///
/// Reads gcloud's `--format=json` array (also unterminated, from `gcloud logging
/// tail`), NDJSON sink exports, concatenated objects and API pages, from files,
/// `.gz` files or stdin (`-`). With no input, runs on an embedded sample export.
#[derive(Debug, Parser)]
#[command(name = "gardener", version)]
struct Args {
    /// Input files; `-` reads stdin. Files ending in `.gz` are decompressed.
    inputs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,

    /// The "generated at" time (RFC 3339), for reproducible output. Default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<DateTime<Utc>>,

    /// Priority rules as JSON (fields not given keep their defaults; see README).
    #[arg(long, value_name = "RULES.json")]
    config: Option<PathBuf>,

    /// Stop at the first unreadable record (exit 1) instead of skipping and counting it.
    #[arg(long)]
    strict: bool,

    /// The JSON worklog of an earlier run (`--format json`): mark each cluster
    /// new, ongoing, escalated or regressed, and list what was resolved.
    #[arg(long, value_name = "WORKLOG.json")]
    previous: Option<PathBuf>,

    /// Worker threads that parse and cluster (default: all cores). Input is
    /// cut between records, so results do not depend on it; `--strict` and
    /// `--format assignments` always use one.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,

    /// Print the priority rules in effect (defaults, or `--config` applied) as JSON and exit.
    #[arg(long)]
    print_config: bool,

    /// The repository's issues, for `--format issues`: the output of
    /// `gh issue list --state all --limit 1000 --json number,title,body,state,labels`.
    #[arg(long, value_name = "ISSUES.json")]
    existing_issues: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The worklog as Markdown.
    Markdown,
    /// The worklog as JSON (schema in README).
    Json,
    /// One JSON object per input entry: {"insertId","cluster","priority"}.
    Assignments,
    /// The GitHub issue plan for P0-P2 clusters, a JSON array of
    /// {"action","fingerprint","issue","title","body","labels"}: create,
    /// comment or reopen against `--existing-issues` (create only without it).
    Issues,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| format!("`{text}` is not an RFC 3339 time ({error})"))
}

/// How a run failed, and with which exit status.
enum Failure {
    BadInput(String),
    Usage(String),
    Output(io::Error),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let (code, message) = match failure {
                Failure::BadInput(message) => (1, message),
                Failure::Usage(message) => (2, message),
                Failure::Output(error) => (1, format!("cannot write output: {error}")),
            };
            let _ = writeln!(io::stderr().lock(), "gardener: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(args: &Args) -> Result<(), Failure> {
    let rules = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::Usage(format!("cannot read {}: {error}", path.display()))
            })?;
            Rules::from_json(&text)
                .map_err(|error| Failure::Usage(format!("{}: {error}", path.display())))?
        }
        None => Rules::default(),
    };
    let existing_issues = match &args.existing_issues {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::Usage(format!("cannot read {}: {error}", path.display()))
            })?;
            parse_existing_issues(&text)
                .map_err(|error| Failure::Usage(format!("{}: {error}", path.display())))?
        }
        None => Vec::new(),
    };
    if args.print_config {
        let json = serde_json::to_string_pretty(&rules)
            .map_err(|e| Failure::Output(io::Error::other(e)))?;
        return writeln!(io::stdout().lock(), "{json}").map_err(Failure::Output);
    }
    let previous = match &args.previous {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::Usage(format!("cannot read {}: {error}", path.display()))
            })?;
            Some(Worklog::from_json(&text).map_err(|error| {
                Failure::Usage(format!(
                    "{} is not a worklog in JSON: {error}",
                    path.display()
                ))
            })?)
        }
        None => None,
    };
    let options = Options {
        strict: args.strict,
        record_assignments: args.format == Format::Assignments,
        rules,
        previous,
        ..Options::default()
    };
    let threads = match args.threads {
        _ if args.strict || args.format == Format::Assignments => 1,
        Some(threads) => usize::from(threads),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let now = args
        .now
        .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
    let outcome = if threads > 1 {
        read_in_parallel(args, &options, threads, now)?
    } else {
        read_sequentially(args, options, now)?
    };
    for error in &outcome.worklog.input.errors {
        let _ = writeln!(io::stderr().lock(), "gardener: skipped: {error}");
    }
    write_output(args, &outcome, &existing_issues).map_err(Failure::Output)
}

/// An opened input and its display name.
type Input = (String, Box<dyn Read>);

/// The inputs named on the command line, opened, with their display names.
fn open_inputs(args: &Args) -> Result<Vec<Input>, Failure> {
    if args.inputs.is_empty() {
        return Ok(vec![(
            "embedded sample export (examples/data/sample-export.json)".to_owned(),
            Box::new(SAMPLE_EXPORT) as Box<dyn Read>,
        )]);
    }
    let mut inputs = Vec::new();
    for path in &args.inputs {
        let name = path.display().to_string();
        let reader: Box<dyn Read> = if name == "-" {
            Box::new(io::stdin().lock())
        } else {
            let file = File::open(path)
                .map_err(|error| Failure::Usage(format!("cannot open {name}: {error}")))?;
            if name.ends_with(".gz") {
                Box::new(MultiGzDecoder::new(file))
            } else {
                Box::new(file)
            }
        };
        inputs.push((
            if name == "-" {
                "stdin".to_owned()
            } else {
                name
            },
            reader,
        ));
    }
    Ok(inputs)
}

/// One gardener over every input, in order, on this thread.
fn read_sequentially(
    args: &Args,
    options: Options,
    now: DateTime<Utc>,
) -> Result<Outcome, Failure> {
    let mut gardener = Gardener::with_options(options);
    let mut sources = Vec::new();
    for (name, reader) in open_inputs(args)? {
        stream(&mut gardener, reader, &name)?;
        sources.push(name);
    }
    if args.strict {
        gardener
            .finish_strict(now, sources)
            .map_err(|error| Failure::BadInput(error.to_string()))
    } else {
        Ok(gardener.finish(now, sources))
    }
}

/// Bytes handed to a worker at a time.
const BATCH_BYTES: usize = 1 << 20;

/// This thread cuts each input between records (a `RecordSplitter` finds the
/// cuts and their positions); worker threads each read and cluster batches
/// with their own gardener; their shards merge into one.
fn read_in_parallel(
    args: &Args,
    options: &Options,
    threads: usize,
    now: DateTime<Utc>,
) -> Result<Outcome, Failure> {
    let (sender, receiver) = mpsc::sync_channel::<(Checkpoint, Vec<u8>)>(threads);
    let receiver = Arc::new(Mutex::new(receiver));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let receiver = Arc::clone(&receiver);
            let options = options.clone();
            std::thread::spawn(move || {
                let mut shard = Shard::default();
                loop {
                    let job = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((checkpoint, bytes)) = job else { break };
                    let mut gardener = Gardener::resume(options.clone(), checkpoint);
                    // Small pieces: the reader then holds one record, not a batch copy.
                    for piece in bytes.chunks(64 << 10) {
                        // Lenient: feeding never fails.
                        let _ = gardener.feed(piece);
                    }
                    shard.merge(gardener.finish_shard());
                }
                shard
            })
        })
        .collect();

    let mut sources = Vec::new();
    let mut result = Ok(());
    for (name, reader) in open_inputs(args)? {
        result = cut_into_batches(reader, &name, &sender);
        sources.push(name);
        if result.is_err() {
            break;
        }
    }
    drop(sender);
    let mut total = Shard::default();
    for worker in workers {
        match worker.join() {
            Ok(shard) => total.merge(shard),
            Err(_) => return Err(Failure::BadInput("a worker thread panicked".to_owned())),
        }
    }
    result?;
    Ok(total.into_outcome(options, now, sources))
}

fn cut_into_batches(
    mut reader: impl Read,
    name: &str,
    sender: &mpsc::SyncSender<(Checkpoint, Vec<u8>)>,
) -> Result<(), Failure> {
    let mut splitter = RecordSplitter::new();
    let mut start = Checkpoint::default();
    let mut pending: Vec<u8> = Vec::with_capacity(BATCH_BYTES + CHUNK_BYTES);
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let disconnected = || Failure::BadInput("worker threads stopped".to_owned());
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(Failure::BadInput(format!("cannot read {name}: {error}"))),
        };
        splitter.push(&buffer[..read]);
        pending.extend_from_slice(&buffer[..read]);
        let mut cut = None;
        while let Some(record) = splitter.next_record() {
            if record.is_ok() {
                cut = splitter.checkpoint().or(cut);
            }
        }
        if let Some(cut) = cut {
            let length = (cut.position.offset - start.position.offset) as usize;
            if length >= BATCH_BYTES {
                let rest = pending.split_off(length);
                let batch = std::mem::replace(&mut pending, rest);
                sender.send((start, batch)).map_err(|_| disconnected())?;
                start = cut;
            }
        }
    }
    sender.send((start, pending)).map_err(|_| disconnected())
}

fn write_output(
    args: &Args,
    outcome: &Outcome,
    existing_issues: &[ExistingIssue],
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        Format::Markdown => out.write_all(render_markdown(&outcome.worklog).as_bytes()),
        Format::Json => writeln!(out, "{}", outcome.worklog.to_json()),
        Format::Assignments => outcome.assignments.iter().try_for_each(|assignment| {
            serde_json::to_writer(&mut out, assignment).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }),
        Format::Issues => {
            let plan = plan_issues(&outcome.worklog, existing_issues);
            serde_json::to_writer_pretty(&mut out, &plan)
                .map_err(io::Error::other)
                .and_then(|()| out.write_all(b"\n"))
        }
    }
    .and_then(|()| out.flush())
}

fn feed(gardener: &mut Gardener, bytes: &[u8], name: &str) -> Result<(), Failure> {
    gardener
        .feed(bytes)
        .map_err(|error| Failure::BadInput(format!("{name}: {error}")))
}

fn stream(gardener: &mut Gardener, mut reader: impl Read, name: &str) -> Result<(), Failure> {
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(Failure::BadInput(format!("cannot read {name}: {error}"))),
        };
        feed(gardener, &buffer[..read], name)?;
    }
}
