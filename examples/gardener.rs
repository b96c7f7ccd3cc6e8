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

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use flate2::read::MultiGzDecoder;
use gardener_report::{parse_existing_issues, plan_issues};
use log_gardener::{render_markdown, Gardener, Options, Rules};

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
    let mut gardener = Gardener::with_options(Options {
        strict: args.strict,
        record_assignments: args.format == Format::Assignments,
        rules,
        ..Options::default()
    });

    let mut sources = Vec::new();
    if args.inputs.is_empty() {
        sources.push("embedded sample export (examples/data/sample-export.json)".to_owned());
        feed(&mut gardener, SAMPLE_EXPORT, "embedded sample")?;
    }
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
        sources.push(if name == "-" {
            "stdin".to_owned()
        } else {
            name.clone()
        });
        stream(&mut gardener, reader, &name)?;
    }

    let now = args
        .now
        .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
    let outcome = if args.strict {
        gardener
            .finish_strict(now, sources)
            .map_err(|error| Failure::BadInput(error.to_string()))?
    } else {
        gardener.finish(now, sources)
    };
    for error in &outcome.worklog.input.errors {
        let _ = writeln!(io::stderr().lock(), "gardener: skipped: {error}");
    }

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
            let plan = plan_issues(&outcome.worklog, &existing_issues);
            serde_json::to_writer_pretty(&mut out, &plan)
                .map_err(io::Error::other)
                .and_then(|()| out.write_all(b"\n"))
        }
    }
    .and_then(|()| out.flush())
    .map_err(Failure::Output)
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
