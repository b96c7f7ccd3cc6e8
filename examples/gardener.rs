//! `gardener`: a Cloud Logging export in, a prioritized worklog out.
//!
//! ```text
//! gcloud logging read 'resource.type="cloud_run_revision"' --format=json > export.json
//! cargo run --release --example gardener -- export.json       # a file (gzip is detected)
//! gcloud logging read ... --format=json | cargo run --release --example gardener
//! cargo run --release --example gardener -- --demo            # the embedded sample export
//! ```
//!
//! With no file named, stdin is read when something is piped or redirected
//! into it; on a terminal (or from `/dev/null`) the embedded demo export is
//! used, and stderr says so.
//!
//! Exit status: 0 done, 1 bad input in `--strict` mode or nothing readable
//! at all, 2 usage error. Errors go to stderr, one line each, with their
//! position; stderr ends with the total of skipped records.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use flate2::bufread::MultiGzDecoder;
use log_gardener::{
    parse_existing_issues, plan_issues, render_markdown_with, render_plan_summary, ExistingIssue,
    Gardener, InputKind, NothingReadable, Options, Outcome, ParallelGardener, RenderOptions, Rules,
    Worklog, SNIFF_BYTES,
};

/// The demo export: a synthetic `gcloud logging read --format=json` export
/// of a Cloud Run service (see examples/data/README.md).
const SAMPLE_EXPORT: &[u8] = include_bytes!("data/sample-export.json");
const SAMPLE_NAME: &str = "embedded demo export (examples/data/sample-export.json)";

const CHUNK_BYTES: usize = 1 << 20;

/// Turn a Google Cloud Logging export into a prioritized worklog.
///
/// Reads gcloud's `--format=json` array (also unterminated, from `gcloud logging
/// tail`), NDJSON sink exports, concatenated objects and API pages, from files
/// or stdin (`-`); gzip is detected by its magic bytes. With no file named,
/// reads stdin when it is piped, else runs on an embedded demo export.
#[derive(Debug, Parser)]
#[command(name = "gardener", version)]
struct Args {
    /// Input files; `-` reads stdin. Gzip is decompressed whatever the name.
    inputs: Vec<PathBuf>,

    /// Run on the embedded demo export (a synthetic Cloud Run service).
    #[arg(long, conflicts_with = "inputs")]
    demo: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,

    /// With `--format markdown`: the complete worklog, with no size cap
    /// (every problem's evidence, whole representative entries), for a file.
    /// By default the Markdown fits a GitHub comment (65,536 characters).
    #[arg(long)]
    complete: bool,

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
    /// new, ongoing, escalated, regressed or quiet by its occurrences after
    /// that run's newest entry, and list what was resolved.
    #[arg(long, value_name = "WORKLOG.json")]
    previous: Option<PathBuf>,

    /// Worker threads that read and cluster (default: all cores). The output
    /// does not depend on it; `--strict` and `--format assignments` use one.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,

    /// The most distinct clusters kept in memory; past it, the rarest (errors
    /// kept first) are folded into one long tail whose count and severities
    /// stay exact. Bounds memory whatever the input (default 10000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(16..))]
    max_clusters: Option<u32>,

    /// Print the priority rules in effect (defaults, or `--config` applied) as JSON and exit.
    #[arg(long)]
    print_config: bool,

    /// The repository's issues, for `--format issues` and `plan-summary`: the output of
    /// `gh issue list --state all --limit 1000 --json number,title,body,state,labels,closedAt,comments`.
    #[arg(long, value_name = "ISSUES.json")]
    existing_issues: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The worklog as Markdown.
    Markdown,
    /// The worklog as JSON (schema in docs/worklog-json.md).
    Json,
    /// One JSON object per input entry: {"insertId","cluster","priority"}.
    Assignments,
    /// The GitHub issue plan against `--existing-issues` (create only
    /// without it): a JSON array of actions {"action","issue","fingerprint",
    /// "fingerprints","priority","title","labels","remove_labels",
    /// "occurrences","body"}.
    Issues,
    /// The GitHub issue plan of `issues`, one line per action: what is done
    /// to which issue, its title, the occurrences it reports (new since what
    /// the issue has seen), label changes. Review it before applying the plan.
    PlanSummary,
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
            say(&message);
            ExitCode::from(code)
        }
    }
}

/// One line on stderr.
fn say(message: &str) {
    let _ = writeln!(io::stderr().lock(), "gardener: {message}");
}

fn read_file(path: &PathBuf) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|error| Failure::Usage(format!("cannot read {}: {error}", path.display())))
}

fn run(args: &Args) -> Result<(), Failure> {
    let rules = match &args.config {
        Some(path) => Rules::from_json(&read_file(path)?)
            .map_err(|error| Failure::Usage(format!("{}: {error}", path.display())))?,
        None => Rules::default(),
    };
    if args.print_config {
        let json = serde_json::to_string_pretty(&rules)
            .map_err(|e| Failure::Output(io::Error::other(e)))?;
        return writeln!(io::stdout().lock(), "{json}").map_err(Failure::Output);
    }
    let existing_issues = match &args.existing_issues {
        Some(path) => parse_existing_issues(&read_file(path)?)
            .map_err(|error| Failure::Usage(format!("{}: {error}", path.display())))?,
        None => Vec::new(),
    };
    let previous = match &args.previous {
        Some(path) => Some(Worklog::from_json(&read_file(path)?).map_err(|error| {
            Failure::Usage(format!(
                "{} is not a worklog in JSON: {error}",
                path.display()
            ))
        })?),
        None => None,
    };
    let options = Options {
        strict: args.strict,
        record_assignments: args.format == Format::Assignments,
        rules,
        previous,
        max_groups: args.max_clusters.map_or(0, |n| n as usize),
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

    let inputs = open_inputs(args)?;
    let mut driver = if threads > 1 {
        Driver::Parallel(Box::new(ParallelGardener::new(options, threads)))
    } else {
        Driver::Sequential(Box::new(Gardener::with_options(options)))
    };
    let mut sources = Vec::new();
    let mut openings = Vec::new();
    for input in inputs {
        openings.push(driver.read(input.reader, &input.name)?);
        sources.push(input.name);
    }
    let outcome = driver.finish(now, sources)?;

    let input = &outcome.worklog.input;
    for error in &input.errors {
        say(&format!("skipped: {error}"));
    }
    if !input.folded.is_empty() {
        say(&format!(
            "{} entries of {} rarer groups folded into one long tail (--max-clusters)",
            input.folded.entries, input.folded.groups
        ));
    }
    say(&format!(
        "{} of {} records skipped as unreadable",
        input.entries_skipped,
        input.entries_read + input.entries_skipped
    ));
    if input.entries_read == 0 {
        return Err(Failure::BadInput(nothing_readable(
            input.entries_skipped,
            &openings,
        )));
    }
    write_output(args, &outcome, &existing_issues).map_err(Failure::Output)
}

/// A `Gardener` or a `ParallelGardener`, driven the same way.
enum Driver {
    Sequential(Box<Gardener>),
    Parallel(Box<ParallelGardener>),
}

impl Driver {
    /// Streams one input through; returns its first bytes, to say what it
    /// was if nothing in it was readable.
    fn read(&mut self, mut reader: Box<dyn Read>, name: &str) -> Result<Vec<u8>, Failure> {
        let mut buffer = vec![0u8; CHUNK_BYTES];
        let mut opening = Vec::new();
        loop {
            let read = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    return Err(Failure::BadInput(format!("cannot read {name}: {error}")))
                }
            };
            if opening.len() < SNIFF_BYTES {
                let take = read.min(SNIFF_BYTES - opening.len());
                opening.extend_from_slice(&buffer[..take]);
            }
            let fed = match self {
                Driver::Sequential(gardener) => gardener.feed(&buffer[..read]),
                Driver::Parallel(gardener) => gardener.feed(&buffer[..read]),
            };
            fed.map_err(|error| Failure::BadInput(format!("{name}: {error}")))?;
        }
        let ended = match self {
            Driver::Sequential(gardener) => gardener.end_input(),
            Driver::Parallel(gardener) => gardener.end_input(),
        };
        ended.map_err(|error| Failure::BadInput(format!("{name}: {error}")))?;
        Ok(opening)
    }

    fn finish(self, now: DateTime<Utc>, sources: Vec<String>) -> Result<Outcome, Failure> {
        match self {
            Driver::Sequential(gardener) => gardener
                .finish_strict(now, sources)
                .map_err(|error| Failure::BadInput(error.to_string())),
            Driver::Parallel(gardener) => gardener
                .finish(now, sources)
                .map_err(|error| Failure::BadInput(error.to_string())),
        }
    }
}

/// The one line said when no entry could be read: what the (first)
/// input looks like, and how to get JSON.
fn nothing_readable(skipped: u64, openings: &[Vec<u8>]) -> String {
    let input = openings
        .iter()
        .map(|opening| InputKind::sniff(opening))
        .find(|kind| !kind.is_readable())
        .or_else(|| openings.first().map(|opening| InputKind::sniff(opening)))
        .unwrap_or(InputKind::Empty);
    NothingReadable {
        records: skipped,
        input,
    }
    .to_string()
}

/// An opened input and its display name.
struct Input {
    name: String,
    reader: Box<dyn Read>,
}

/// The inputs to read: the files named, else stdin when something is piped
/// or redirected into it, else the demo export (said on stderr).
fn open_inputs(args: &Args) -> Result<Vec<Input>, Failure> {
    if args.demo {
        return Ok(vec![demo_input()]);
    }
    if args.inputs.is_empty() {
        if stdin_has_input() {
            return Ok(vec![stdin_input()?]);
        }
        say("no input given: showing the embedded demo export (pass a file, pipe an export, or --demo to silence this)");
        return Ok(vec![demo_input()]);
    }
    args.inputs
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                return stdin_input();
            }
            let name = path.display().to_string();
            let file = File::open(path)
                .map_err(|error| Failure::Usage(format!("cannot open {name}: {error}")))?;
            Ok(Input {
                reader: decompressed(Box::new(file))
                    .map_err(|error| Failure::BadInput(format!("cannot read {name}: {error}")))?,
                name,
            })
        })
        .collect()
}

fn demo_input() -> Input {
    Input {
        name: SAMPLE_NAME.to_owned(),
        reader: Box::new(SAMPLE_EXPORT),
    }
}

fn stdin_input() -> Result<Input, Failure> {
    Ok(Input {
        name: "stdin".to_owned(),
        reader: decompressed(Box::new(io::stdin().lock()))
            .map_err(|error| Failure::BadInput(format!("cannot read stdin: {error}")))?,
    })
}

/// Whether stdin is a pipe or a file: not a terminal, and not a character
/// device such as `/dev/null` (what a script or CI gives a command it feeds
/// nothing).
fn stdin_has_input() -> bool {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let metadata = stdin
            .as_fd()
            .try_clone_to_owned()
            .map(File::from)
            .and_then(|file| file.metadata());
        match metadata {
            Ok(metadata) => !metadata.file_type().is_char_device(),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    true
}

/// The reader, gunzipped when it starts with gzip's magic bytes.
fn decompressed(reader: Box<dyn Read>) -> io::Result<Box<dyn Read>> {
    let mut buffered = BufReader::with_capacity(CHUNK_BYTES, reader);
    let is_gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if is_gzip {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    })
}

fn write_output(
    args: &Args,
    outcome: &Outcome,
    existing_issues: &[ExistingIssue],
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        Format::Markdown => {
            let options = RenderOptions::default().complete(args.complete);
            out.write_all(render_markdown_with(&outcome.worklog, &options).as_bytes())
        }
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
        Format::PlanSummary => {
            let plan = plan_issues(&outcome.worklog, existing_issues);
            out.write_all(render_plan_summary(&plan).as_bytes())
        }
    }
    .and_then(|()| out.flush())
}
