//! Render prioritized log clusters as a worklog: Markdown, JSON, GitHub issue
//! drafts and a plan against existing issues.
//!
//! Last stage of the pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//!                                                              ^^^^^^^
//! ```
//!
//! - [`Worklog`] is the whole result as data (serde, versioned by
//!   [`SCHEMA_VERSION`], documented in `docs/worklog-json.md`): run facts, and
//!   per cluster its priority, numbers, places, template values,
//!   representative entry, reasons and next step.
//! - [`render_markdown`] writes it in two layers: a first screen (what the
//!   log covers, what is live now, and one action table, one row per
//!   problem, most urgent first by priority, then [`Status`]), then each
//!   problem's evidence folded in a `<details>` block. It fits a GitHub
//!   comment whatever the input, saying what it left out;
//!   [`render_markdown_with`] and [`RenderOptions::complete`] render
//!   everything, for a file.
//! - [`issue_drafts`] turns each cluster at P0-P2 into a GitHub issue
//!   ([`IssueDraft`]: title, labels, evidence body, hidden fingerprint marker),
//!   and [`plan_issues`] decides, against the repository's issues
//!   ([`parse_existing_issues`] reads `gh issue list --json`), whether to
//!   create, comment on or reopen one ([`IssueAction`]).
//!
//! Everything that came from a log is untrusted: secrets are scrubbed
//! ([`scrub_secrets`], [`Worklog::scrubbed`]) before anything is rendered,
//! Markdown is escaped ([`escape_markdown`], [`inline_code`], [`code_block`]),
//! and issue bodies are capped at [`GITHUB_BODY_LIMIT`] with a visible note.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use gardener_report::{issue_drafts, plan_issues, render_markdown, RunInfo, Worklog};
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
//! assert!(issue_drafts(&worklog).is_empty());
//! assert!(plan_issues(&worklog, &[]).is_empty());
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The `gardener` example (`examples/gardener.rs` in the repository) runs the
//! whole pipeline; `--format issues --existing-issues issues.json` prints the
//! plan, and the README shows the script that applies it.

mod body;
mod escape;
mod evidence;
mod github;
mod markdown;
mod plan;
mod scrub;
mod status;
mod title;
mod worklog;

pub use escape::{cell_code, code_block, escape_markdown, inline_code};
pub use github::{
    fingerprint_marker, fingerprints_in, issue_drafts, issue_drafts_with, IssueDraft, IssueOptions,
    GITHUB_BODY_LIMIT,
};
pub use markdown::{render_markdown, render_markdown_with, RenderOptions, MIN_MARKDOWN_BYTES};
pub use plan::{
    parse_existing_issues, plan_issues, plan_issues_with, ActionKind, ExistingIssue, IssueAction,
    IssueState, IssuesError, IssuesErrorKind,
};
pub use scrub::scrub_secrets;
pub use status::Status;
pub use title::MAX_TITLE_CHARS;
pub use worklog::{
    ExceptionSummary, InputSummary, LatencySummary, Period, RepresentativeEntry, ResolvedCluster,
    RevisionSummary, RunInfo, ValueCount, Worklog, WorklogCluster, SCHEMA_VERSION, TOP_VALUES,
};
