//! Turn a Google Cloud Logging export into a prioritized worklog.
//!
//! `log-gardener` is a thin facade over four I/O-free crates that form a
//! pipeline, each usable on its own:
//!
//! ```text
//! bytes ─ gardener-log-model ─▶ LogEntry ─▶ Event
//!       ─ gardener-fingerprint ─▶ Template, Fingerprint ─▶ ClusterSet ─▶ Cluster
//!       ─ gardener-prioritize ─▶ Assessment (P0..P4, category, reasons)
//!       ─ gardener-report ─▶ Worklog ─▶ Markdown | JSON
//! ```
//!
//! [`Gardener`] runs the whole pipeline: feed it bytes in chunks of any size,
//! then [`finish`](Gardener::finish) with the time to stamp the worklog with.
//! The example binaries in `examples/` (`gardener`, `cluster_lines`) are thin
//! command-line wrappers over it.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use log_gardener::{Gardener, Priority};
//!
//! let export = br#"[
//!   {"insertId": "a1", "severity": "WARNING", "textPayload": "Container called exit(3).",
//!    "timestamp": "2025-09-14T00:27:05Z",
//!    "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api", "revision_name": "api-00002"}}},
//!   {"insertId": "a2", "severity": "INFO", "textPayload": "Starting new instance. Reason: AUTOSCALING",
//!    "timestamp": "2025-09-14T00:27:01Z",
//!    "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api", "revision_name": "api-00002"}}}
//! ]"#;
//! let mut gardener = Gardener::new();
//! gardener.feed(export)?;
//! let outcome = gardener.finish(Utc.with_ymd_and_hms(2025, 9, 14, 1, 0, 0).unwrap(), vec!["example".into()]);
//! let worklog = &outcome.worklog;
//! assert_eq!(worklog.clusters[0].priority, Priority::P2);
//! assert_eq!(worklog.clusters[1].priority, Priority::P4);
//! assert!(log_gardener::render_markdown(worklog).contains("## What to do, most urgent first"));
//! # Ok::<(), log_gardener::Error>(())
//! ```

mod gardener;
mod parallel;
mod shard;

pub use gardener::{Assignment, Error, Gardener, Options, Outcome};
pub use parallel::{ParallelGardener, BATCH_BYTES};
pub use shard::{ReadError, Shard, MAX_ERRORS_KEPT, SHARD_FORMAT_VERSION};

pub use gardener_fingerprint::{
    ClusterSet, Clusterer, Clusters, Fingerprint, Masker, Miner, MinerConfig,
};
pub use gardener_log_model::{
    Batch, BatchCutter, Checkpoint, EventReader, InputKind, NothingReadable, ReadConfig, Severity,
    SNIFF_BYTES,
};
pub use gardener_prioritize::{Assessments, Category, Prioritizer, Priority, Rules};
pub use gardener_report::{
    issue_drafts, parse_existing_issues, plan_issues, render_markdown, render_markdown_with,
    render_plan_summary, ExistingIssue, IssueAction, RenderOptions, RunInfo, Worklog,
};
