//! `query`: the worklog of NDJSON exports, computed by DataFusion on N partitions.
//!
//! ```text
//! cargo run -p gardener-datafusion --example query -- exports/           # a Cloud Storage sink's files
//! cargo run -p gardener-datafusion --example query -- --partitions 8 --format json a.json b.json.gz
//! cargo run -p gardener-datafusion --example query -- --sql \
//!   "SELECT log_service(entry) AS service, log_clusters(entry) AS worklog FROM entries GROUP BY service" exports/
//! ```
//!
//! Without `--sql` it prints what log-gardener's `gardener` example prints for
//! the same files: `SELECT log_clusters(entry) FROM entries`. With `--sql` the
//! files are table `entries`; a result column named `worklog` is printed as a
//! worklog per row (after a `-- column: value` line per other column), any
//! other result as a table.
//!
//! Exit status: 0 done, 1 the query failed, 2 usage error.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, ValueEnum};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::prelude::SessionContext;
use gardener_datafusion::{register_functions, session_config, LogClusters, NdjsonEntries};
use log_gardener::{render_markdown, Options, Worklog};

/// The worklog of NDJSON exports (files or directories, `.gz` too), by DataFusion.
#[derive(Debug, Parser)]
#[command(name = "query")]
struct Args {
    /// NDJSON files, or directories read recursively for `*.json` and `*.json.gz`.
    #[arg(required = true)]
    paths: Vec<String>,

    /// Partitions to read and cluster in parallel (whole files each).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1024))]
    partitions: u16,

    /// The "generated at" time (RFC 3339), for reproducible output. Default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<DateTime<Utc>>,

    /// Output format of worklogs.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,

    /// A query over table `entries` (one column, `entry`), with `log_clusters`,
    /// `log_service`, `log_revision`, `log_instance`, `log_day` and `log_severity`.
    #[arg(long)]
    sql: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| format!("`{text}` is not an RFC 3339 time ({error})"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr().lock(), "query: {error}");
            ExitCode::from(1)
        }
    }
}

async fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let ctx = SessionContext::new_with_config(session_config(usize::from(args.partitions)));
    let now = args
        .now
        .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
    let aggregate = LogClusters::new(Options::default())
        .generated_at(now)
        .sources(args.paths.clone());
    register_functions(&ctx, aggregate);
    NdjsonEntries::new(args.paths.iter().cloned()).register(&ctx, "entries")?;

    let sql = args
        .sql
        .as_deref()
        .unwrap_or("SELECT log_clusters(entry) AS worklog FROM entries");
    let batches = ctx.sql(sql).await?.collect().await?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if !write_worklogs(&mut out, &batches, args.format)? {
        writeln!(out, "{}", pretty_format_batches(&batches)?)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes each row's `worklog` column as a worklog, after a `-- name: value`
/// line for each other column (when there are others). Returns false when
/// the result has no text column named `worklog`.
fn write_worklogs(
    out: &mut impl Write,
    batches: &[RecordBatch],
    format: Format,
) -> Result<bool, Box<dyn std::error::Error>> {
    let Some(first) = batches.first() else {
        return Ok(false);
    };
    let schema = first.schema();
    let Some((index, _)) = schema
        .fields()
        .find("worklog")
        .filter(|(_, field)| field.data_type() == &DataType::Utf8)
    else {
        return Ok(false);
    };
    for batch in batches {
        let worklogs = batch.column(index).as_string::<i32>();
        let labels = batch
            .columns()
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(other, column)| {
                let formatter =
                    ArrayFormatter::try_new(column.as_ref(), &FormatOptions::default())?;
                Ok((schema.field(other).name().clone(), formatter))
            })
            .collect::<Result<Vec<_>, datafusion::arrow::error::ArrowError>>()?;
        for row in 0..batch.num_rows() {
            for (name, value) in &labels {
                writeln!(out, "-- {name}: {}", value.value(row))?;
            }
            if worklogs.is_null(row) {
                writeln!(out, "null")?;
                continue;
            }
            match format {
                Format::Json => writeln!(out, "{}", worklogs.value(row))?,
                Format::Markdown => {
                    let worklog = Worklog::from_json(worklogs.value(row))?;
                    out.write_all(render_markdown(&worklog).as_bytes())?;
                }
            }
        }
    }
    Ok(true)
}
