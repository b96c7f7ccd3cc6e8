//! Render prioritized log clusters as a worklog: Markdown and JSON.
//!
//! Last stage of the pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//!                                                              ^^^^^^^
//! ```
//!
//! - [`Worklog`] is the whole result as data (serde, versioned by
//!   [`SCHEMA_VERSION`]): run facts, and per cluster its priority, numbers,
//!   places, template values, representative entry, reasons and next step.
//! - [`render_markdown`] writes it in the structure of the hand-written
//!   worklogs: header, executive summary, one section per cluster, frequency
//!   table, severity distribution, priority matrix, next steps.
//!
//! Everything that came from a log is untrusted: secrets are scrubbed
//! ([`scrub_secrets`]) before anything is rendered, and Markdown is escaped
//! ([`escape_markdown`], [`code_block`]).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use gardener_report::{render_markdown, RunInfo, Worklog};
//!
//! let run = RunInfo {
//!     generated_at: Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0).unwrap(),
//!     entries_read: 0,
//!     entries_skipped: 0,
//!     errors: Vec::new(),
//!     sources: vec!["stdin".into()],
//! };
//! let worklog = Worklog::build(&[], &[], &run);
//! let markdown = render_markdown(&worklog);
//! assert!(markdown.starts_with("# Log Gardener Worklog"));
//! assert_eq!(Worklog::from_json(&worklog.to_json())?, worklog);
//! # Ok::<(), serde_json::Error>(())
//! ```

mod escape;
mod markdown;
mod scrub;
mod worklog;

pub use escape::{cell_code, code_block, escape_markdown, inline_code};
pub use markdown::render_markdown;
pub use scrub::scrub_secrets;
pub use worklog::{
    ExceptionSummary, InputSummary, LatencySummary, Period, RepresentativeEntry, RevisionSummary,
    RunInfo, ValueCount, Worklog, WorklogCluster, SCHEMA_VERSION, TOP_VALUES,
};
