//! Generate a large, deterministic corpus of plain log lines for measuring
//! `cluster_lines`: the Loghub-2k messages, repeated with their digits varied.
//!
//! ```text
//! cargo run --release --example gen_lines > /tmp/lines.txt              # 1,000,000 lines
//! cargo run --release --example gen_lines -- --lines 5000000 > /tmp/lines.txt
//! cargo run --release --example gen_lines -- path/to/loghub_2k/ > /tmp/lines.txt
//! ```
//!
//! Without a directory it uses the eight Loghub-2k datasets bundled in
//! `crates/fingerprint/tests/data/loghub2k/` (see the README and LICENSE
//! there). With one, it reads every `*.csv` in it that has a `Content`
//! column (Loghub's `*_structured.csv` files qualify). Line `i` of the output
//! is source line `i mod n`, in file order, with every decimal digit replaced
//! by a pseudo-random one no larger (a fixed-seed SplitMix64): numbers,
//! addresses, ids and times vary and stay valid, the templates stay. The
//! same arguments give the same bytes.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The bundled datasets, in a fixed order.
const BUNDLED: [&str; 8] = [
    include_str!("../crates/fingerprint/tests/data/loghub2k/HDFS_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/Hadoop_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/Spark_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/BGL_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/HPC_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/Linux_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/Proxifier_2k.csv"),
    include_str!("../crates/fingerprint/tests/data/loghub2k/Mac_2k.csv"),
];

/// Write N log lines built from Loghub-2k messages with varied values to
/// stdout, deterministically (for measuring `cluster_lines`).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// How many lines to write.
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Seed of the digit generator.
    #[arg(long, default_value_t = 0x5eed)]
    seed: u64,
    /// A directory of CSV files with a `Content` column (default: the bundled Loghub-2k data).
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "gen_lines: {error}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &Args) -> io::Result<()> {
    let sources = match &args.dir {
        Some(dir) => read_dir(dir)?,
        None => BUNDLED.iter().flat_map(|csv| contents(csv)).collect(),
    };
    if sources.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "no `Content` lines found",
        ));
    }
    let mut random = SplitMix64(args.seed);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::new();
    for index in 0..args.lines {
        let source = sources[(index % sources.len() as u64) as usize].as_bytes();
        line.clear();
        line.extend(source.iter().map(|&byte| {
            if byte.is_ascii_digit() {
                // At most the original digit: IP octets, months and hours stay valid.
                b'0' + (random.next() % u64::from(byte - b'0' + 1)) as u8
            } else {
                byte
            }
        }));
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()
}

/// The `Content` column of every `*.csv` in `dir`, files in name order.
fn read_dir(dir: &PathBuf) -> io::Result<Vec<String>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "csv"));
    paths.sort();
    let mut lines = Vec::new();
    for path in paths {
        lines.extend(contents(&std::fs::read_to_string(&path)?));
    }
    Ok(lines)
}

/// The `Content` field of each row of a CSV text (RFC 4180 quoting; fields
/// without line breaks), or nothing if there is no such column.
fn contents(csv: &str) -> Vec<String> {
    let mut rows = csv.lines().filter(|line| !line.is_empty()).map(fields);
    let Some(header) = rows.next() else {
        return Vec::new();
    };
    let Some(column) = header.iter().position(|name| name == "Content") else {
        return Vec::new();
    };
    rows.filter_map(|mut row| (column < row.len()).then(|| row.swap_remove(column)))
        .collect()
}

fn fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
