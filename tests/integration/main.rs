//! End-to-end tests of the log-gardener facade on the embedded sample export.

mod cli;
mod issues;
mod large;
mod lines;
mod order;
mod previous;
mod sample;
mod shards;

use chrono::{DateTime, TimeZone, Utc};
use log_gardener::{Gardener, Options, Outcome};

/// An example binary, as `cargo test` builds it beside the test binary.
pub fn example(name: &str) -> std::process::Command {
    let mut path = std::env::current_exe().expect("the test binary has a path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.push("examples");
    path.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: cargo test builds it",
        path.display()
    );
    std::process::Command::new(path)
}

/// The export the `gardener` example embeds.
pub const SAMPLE_EXPORT: &[u8] = include_bytes!("../../examples/data/sample-export.json");

/// The fixed "generated at" time of the snapshots.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0)
        .single()
        .expect("valid time")
}

/// Runs the pipeline over `input`, fed in chunks of `chunk` bytes.
pub fn run(input: &[u8], chunk: usize, options: Options) -> Outcome {
    let mut gardener = Gardener::with_options(options);
    for piece in input.chunks(chunk.max(1)) {
        gardener.feed(piece).expect("lenient mode never fails");
    }
    gardener.finish(fixed_now(), vec!["sample".to_owned()])
}
